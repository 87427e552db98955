"""Image verification, re-encoding and cover renditions (articles.editing.images, articles.editing.storage)."""

import io
import re
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.editing import images
from articles.editing.storage import EditorImageStorage
from articles.models import Article

# --- sample files, made in memory -------------------------------------------


def image_bytes(fmt="PNG", size=(64, 48), color="red", mode="RGB", **options):
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt, **options)
    return out.getvalue()


def gps_exif(orientation=None):
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0), 3: "E", 4: (121.0, 28.0, 0.0)}  # GPSInfo
    if orientation:
        exif[0x0112] = orientation
    return exif


def jpeg_with_gps(size=(64, 48), orientation=None):
    xmp = b"<x:xmpmeta>secret place</x:xmpmeta>"
    return image_bytes("JPEG", size=size, exif=gps_exif(orientation), xmp=xmp)


def png_header_only(width, height):
    """A PNG whose header claims ``width`` x ``height``: what a decompression bomb looks like."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b'<rect width="10" height="10"/></svg>'
)


def upload(data, name="picture.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def has_metadata(data):
    reopened = Image.open(io.BytesIO(data))
    return bool(reopened.getexif()) or "xmp" in reopened.info or b"secret place" in data


# --- load_image ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
def test_load_image_accepts_the_formats_a_browser_shows(fmt):
    image = images.load_image(upload(image_bytes(fmt), name=f"a.{fmt.lower()}"))
    assert image.format == fmt
    assert image.size == (64, 48)


def test_load_image_refuses_text_named_png():
    with pytest.raises(ValidationError) as error:
        images.load_image(upload(b"just some text, not a picture" * 10))
    assert error.value.code == "invalid_image"
    assert "不是图片" in error.value.messages[0]


@pytest.mark.parametrize("name", ["drawing.svg", "drawing.png"])
def test_load_image_refuses_svg_whatever_its_name(name):
    with pytest.raises(ValidationError) as error:
        images.load_image(upload(SVG, name=name))
    assert error.value.code == "svg"
    assert "SVG" in error.value.messages[0]


def test_load_image_refuses_files_over_the_size_limit(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        images.load_image(upload(image_bytes(size=(400, 400), mode="RGB", color=None) + b"\0" * 1000))
    assert error.value.code == "file_too_large"
    assert "太大" in error.value.messages[0]


def test_load_image_refuses_a_decompression_bomb_pillow_itself_refuses():
    # 30000 x 30000 is over twice Pillow's own limit: Image.open raises.
    with pytest.raises(ValidationError) as error:
        images.load_image(upload(png_header_only(30000, 30000)))
    assert error.value.code == "too_many_pixels"


def test_load_image_refuses_more_pixels_than_its_own_limit():
    # 8000 x 8000 = 64 megapixels: Pillow would decode it, we do not.
    assert 8000 * 8000 > images.MAX_PIXELS
    with pytest.raises(ValidationError) as error:
        images.load_image(upload(png_header_only(8000, 8000)))
    assert error.value.code == "too_many_pixels"


def test_load_image_refuses_a_truncated_file_that_verify_alone_accepts():
    data = image_bytes("JPEG", size=(300, 200), color=None)
    with pytest.raises(ValidationError) as error:
        images.load_image(upload(data[: len(data) // 2], name="cut.jpg"))
    assert error.value.code == "invalid_image"


def test_load_image_refuses_formats_outside_the_list():
    # BMP and TIFF decode fine in Pillow but are not for the web; EPS would
    # be handed to Ghostscript.
    for fmt in ("BMP", "TIFF"):
        with pytest.raises(ValidationError):
            images.load_image(upload(image_bytes(fmt), name=f"a.{fmt.lower()}"))
    with pytest.raises(ValidationError):
        images.load_image(upload(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", name="a.eps"))


# --- re-encoding ----------------------------------------------------------------


def test_reencode_strips_exif_gps_and_xmp():
    data = jpeg_with_gps()
    assert has_metadata(data)
    clean, extension = images.reencode(images.load_image(upload(data, name="photo.jpg")))
    assert extension == "jpg"
    assert not has_metadata(clean)
    assert Image.open(io.BytesIO(clean)).size == (64, 48)


def test_reencode_applies_orientation_before_dropping_it():
    # Orientation 6: the camera was turned; the pixels must be turned too.
    turned = upload(jpeg_with_gps((64, 48), orientation=6), name="p.jpg")
    clean, _ = images.reencode(images.load_image(turned))
    assert Image.open(io.BytesIO(clean)).size == (48, 64)


def test_reencode_keeps_png_transparency_and_gif_animation():
    rgba = image_bytes("PNG", mode="RGBA", color=(255, 0, 0, 0))
    clean, extension = images.reencode(images.load_image(upload(rgba)))
    assert extension == "png"
    assert Image.open(io.BytesIO(clean)).mode == "RGBA"

    frames = [Image.new("RGB", (20, 20), color) for color in ("red", "green", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    clean, extension = images.reencode(images.load_image(upload(out.getvalue(), name="a.gif")))
    assert extension == "gif"
    assert Image.open(io.BytesIO(clean)).n_frames == 3


def test_random_name_ignores_the_original_and_files_by_month():
    name = images.random_name("uploads", "png")
    assert re.fullmatch(r"uploads/\d{4}/\d{2}/[0-9a-f]{32}\.png", name)
    assert images.random_name("uploads", "png") != name


# --- storage for editor uploads ---------------------------------------------------


def test_editor_storage_saves_a_reencoded_copy_under_a_random_name(settings):
    storage = EditorImageStorage()
    name = storage.save("张三的身份证照片.jpg", upload(jpeg_with_gps(), name="张三的身份证照片.jpg"))
    assert re.fullmatch(r"uploads/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", name)
    with storage.open(name) as stored:
        assert not has_metadata(stored.read())


def test_editor_storage_takes_the_extension_from_the_content():
    name = EditorImageStorage().save("photo.jpg", upload(image_bytes("PNG"), name="photo.jpg"))
    assert name.endswith(".png")


def test_editor_storage_refuses_what_is_not_an_image():
    with pytest.raises(ValidationError):
        EditorImageStorage().save("evil.png", upload(b"<script>alert(1)</script>"))


# --- cover renditions -------------------------------------------------------------


@pytest.fixture
def article_with_cover(db):
    article = Article(title="封面测试")
    article.cover = images.clean_upload(upload(jpeg_with_gps(size=(2000, 1500)), name="cover.jpg"))
    article.save()
    return article


def test_clean_upload_gives_a_random_name_and_no_metadata():
    cover = images.clean_upload(upload(jpeg_with_gps(), name="我家门口.jpg"))
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", cover.name)
    assert not has_metadata(cover.read())


def test_make_cover_renditions_produces_thumbnail_and_banner(article_with_cover):
    images.make_cover_renditions(article_with_cover)
    article = Article.objects.get(pk=article_with_cover.pk)
    with article.cover_thumbnail.open() as f:
        thumbnail = Image.open(f)
        assert (thumbnail.format, thumbnail.size) == ("JPEG", (480, 270))
    with article.cover_banner.open() as f:
        banner = Image.open(f)
        assert (banner.format, banner.size) == ("JPEG", (1200, 900))
    assert article.cover_thumbnail.name.startswith("covers/renditions/")


def test_make_cover_renditions_never_enlarges_a_small_cover(db):
    article = Article(title="小封面")
    translucent = image_bytes("PNG", size=(600, 300), mode="RGBA", color=(0, 0, 255, 128))
    article.cover = images.clean_upload(upload(translucent))
    article.save()
    images.make_cover_renditions(article)
    with article.cover_banner.open() as f:
        assert Image.open(f).size == (600, 300)


def test_regenerating_renditions_deletes_the_old_files_after_commit(
    article_with_cover, django_capture_on_commit_callbacks
):
    images.make_cover_renditions(article_with_cover)
    storage = article_with_cover.cover_thumbnail.storage
    old = [article_with_cover.cover_thumbnail.name, article_with_cover.cover_banner.name]

    article_with_cover.cover = images.clean_upload(upload(image_bytes("PNG", size=(800, 450))))
    article_with_cover.save()
    with django_capture_on_commit_callbacks(execute=True):
        images.make_cover_renditions(article_with_cover)

    assert all(not storage.exists(name) for name in old)
    assert storage.exists(article_with_cover.cover_thumbnail.name)
    with article_with_cover.cover_banner.open() as f:
        assert Image.open(f).size == (800, 450)


def test_removing_the_cover_clears_the_renditions(article_with_cover, django_capture_on_commit_callbacks):
    images.make_cover_renditions(article_with_cover)
    storage = article_with_cover.cover_thumbnail.storage
    old = [article_with_cover.cover_thumbnail.name, article_with_cover.cover_banner.name]

    article_with_cover.cover = ""
    article_with_cover.save()
    with django_capture_on_commit_callbacks(execute=True):
        images.make_cover_renditions(article_with_cover)

    article = Article.objects.get(pk=article_with_cover.pk)
    assert not article.cover_thumbnail and not article.cover_banner
    assert all(not storage.exists(name) for name in old)


def test_a_damaged_stored_cover_gives_a_validation_error_not_a_crash(db, settings):
    article = Article.objects.create(title="坏封面")
    path = settings.MEDIA_ROOT / "covers" / "broken.jpg"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not really a jpeg")
    article.cover = "covers/broken.jpg"
    with pytest.raises(ValidationError):
        images.make_cover_renditions(article)


# --- hostile files ------------------------------------------------------------------


def test_a_file_that_only_starts_like_a_gif_is_refused():
    with pytest.raises(ValidationError) as error:
        images.load_image(
            upload(b"GIF89a<script>alert(1)</script>" + b"\0" * 64, name="a.gif", content_type="image/gif")
        )
    assert error.value.code == "invalid_image"


@pytest.mark.parametrize(
    "data, name",
    [
        (b"<!doctype html><script>alert(1)</script>", "photo.jpg"),
        (b"\xff\xd8\xff\xe0<html><script>alert(1)</script>", "photo.jpg"),
        (b"\x89PNG\r\n\x1a\n<script>alert(1)</script>", "photo.png"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 <script>", "photo.webp"),
        (b"PK\x03\x04" + b"\0" * 60, "photo.png"),
    ],
    ids=["html", "jpeg-magic-then-html", "png-magic-then-script", "webp-magic-then-script", "zip"],
)
def test_a_file_lying_about_its_type_is_refused(data, name):
    with pytest.raises(ValidationError):
        images.load_image(upload(data, name=name, content_type="image/jpeg"))


@pytest.mark.parametrize("animated", [False, True], ids=["still", "animated"])
def test_a_gif_javascript_polyglot_loses_its_script(animated):
    # Script in a GIF comment block and after the trailer: a browser told
    # to run the file as a script would find it; the stored copy has neither.
    frames = [Image.new("RGB", (16, 16), color) for color in ("red", "green", "blue")[: 3 if animated else 1]]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=animated, append_images=frames[1:], comment=b"*/=alert(document.domain)//")
    data = out.getvalue() + b"\n<script>alert(2)</script>"
    assert b"alert" in data

    stored, extension = images.reencode(images.load_image(upload(data, name="a.gif", content_type="image/gif")))

    assert extension == "gif"
    assert b"alert" not in stored and b"<script" not in stored
    assert Image.open(io.BytesIO(stored)).n_frames == len(frames)


def test_text_hidden_in_jpeg_and_png_metadata_is_dropped():
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "<script>alert(1)</script>")
    png = image_bytes("PNG", pnginfo=text)
    jpeg = image_bytes("JPEG", comment=b"<script>alert(1)</script>")
    for data, name in ((png, "a.png"), (jpeg, "a.jpg")):
        assert b"<script>" in data
        stored, _ = images.reencode(images.load_image(upload(data, name=name)))
        assert b"<script>" not in stored


def test_a_png_named_jpg_is_stored_as_the_png_it_is():
    # Decided: the content decides, not the name or the browser's type. The
    # stored file is a PNG with a .png name, served as image/png.
    cleaned = images.clean_upload(upload(image_bytes("PNG"), name="photo.jpg", content_type="image/jpeg"))
    assert cleaned.name.endswith(".png")
    assert Image.open(io.BytesIO(cleaned.read())).format == "PNG"


def test_a_multi_picture_jpeg_is_stored_as_its_first_picture():
    # MPO (stereo cameras, some phones) opens as a JPEG variant; it used to
    # fail with a KeyError (a 500 in the upload endpoint).
    out = io.BytesIO()
    Image.new("RGB", (32, 24), "red").save(
        out, "MPO", save_all=True, append_images=[Image.new("RGB", (32, 24), "blue")]
    )

    stored, extension = images.reencode(images.load_image(upload(out.getvalue(), name="stereo.jpg")))

    assert extension == "jpg"
    reopened = Image.open(io.BytesIO(stored))
    assert reopened.format == "JPEG" and reopened.size == (32, 24)
    assert reopened.getpixel((16, 12))[0] > 200  # the first (red) picture


def test_a_corrupt_exif_block_does_not_stop_the_upload():
    broken_exif = b"Exif\x00\x00II*\x00\xff\xff\xff\x7f not a real directory"
    data = image_bytes("JPEG", exif=broken_exif)
    stored, extension = images.reencode(images.load_image(upload(data, name="a.jpg")))
    assert extension == "jpg" and b"not a real directory" not in stored


@pytest.mark.parametrize("size", [(200_000, 300), (300, 200_000)], ids=["wide", "tall"])
def test_a_huge_strip_is_refused_for_its_pixel_count(size):
    with pytest.raises(ValidationError) as error:
        images.load_image(upload(png_header_only(*size)))
    assert error.value.code == "too_many_pixels"


def test_an_animation_is_refused_when_all_its_frames_together_are_too_many_pixels():
    frames = [Image.new("L", (2000, 2000), 10 * index) for index in range(13)]  # 52 megapixels
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    with pytest.raises(ValidationError) as error:
        images.load_image(upload(out.getvalue(), name="a.gif"))
    assert error.value.code == "too_many_pixels"


@pytest.mark.parametrize("fmt", ["PNG", "GIF", "WEBP"])
def test_a_truncated_image_is_refused(fmt):
    data = image_bytes(fmt, size=(300, 200), color=None)
    with pytest.raises(ValidationError) as error:
        images.load_image(upload(data[: len(data) // 2], name=f"cut.{fmt.lower()}"))
    assert error.value.code == "invalid_image"


def test_an_image_the_encoder_cannot_write_back_is_a_validation_error(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("cannot write mode")

    monkeypatch.setattr(images, "_encode", refuse)
    with pytest.raises(ValidationError) as error:
        images.reencode(images.load_image(upload(image_bytes("PNG"))))
    assert error.value.code == "reencode"
