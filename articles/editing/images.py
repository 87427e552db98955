"""Uploaded images: verification, re-encoding and cover renditions.

Every image an editor sends - a cover or a picture inserted in the rich-text
editor - is decoded in full by Pillow before anything is stored, and what is
stored is a fresh encoding of the pixels: no EXIF (GPS position, camera
serial), no XMP, no trailing bytes, a random file name. Anything Pillow
cannot decode as one of the few raster formats a browser shows becomes a
:class:`~django.core.exceptions.ValidationError` with a Chinese message, never
a 500.
"""

import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageOps

from articles.editing import media

# Pillow format name -> file extension of what we store. Only formats every
# browser shows; in particular no SVG (it can carry script) and none of the
# formats Pillow hands to external programs (EPS goes through Ghostscript).
FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
FORMAT_NAMES = "JPEG、PNG、GIF、WebP"

# A 50-megapixel photo decodes to ~150 MB of RGB; more than that is not a
# photo for an essay but a decompression bomb. Animated images count every
# frame.
MAX_PIXELS = 50_000_000

THUMBNAIL_SIZE = (480, 270)  # 16:9 card image, cropped to fill
BANNER_BOX = (1200, 1200)  # at most 1200 wide (and high), never enlarged
RENDITION_QUALITY = 85

# Metadata worth keeping when re-encoding: colour profile and animation.
_KEPT_INFO = ("icc_profile", "transparency", "duration", "loop", "background")


def _megabytes(n_bytes):
    return f"{n_bytes / (1024 * 1024):g} MB"


def _looks_like_svg(upload, head: bytes) -> bool:
    name = (getattr(upload, "name", "") or "").lower()
    sniff = head.lstrip().lower()
    return name.endswith((".svg", ".svgz")) or sniff.startswith((b"<?xml", b"<svg", b"<!doctype svg"))


def load_image(upload) -> Image.Image:
    """Decode ``upload`` (a file object) completely and return the image.

    Raises ``ValidationError`` with a message for an editor when the file is
    too large, is SVG, is not an image, is truncated or damaged, or has more
    pixels than :data:`MAX_PIXELS`.
    """
    limit = settings.IMAGE_UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            "图片文件太大（%(size)s），不能超过 %(limit)s。",
            code="file_too_large",
            params={"size": _megabytes(size), "limit": _megabytes(limit)},
        )
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    if _looks_like_svg(upload, head):
        raise ValidationError("不接受 SVG 矢量图（其中可能含有脚本）。请导出为 PNG 或 JPEG 后再上传。", code="svg")
    not_an_image = ValidationError(
        "无法识别的图片：文件不是图片或已损坏。只接受 %(formats)s 格式。",
        code="invalid_image",
        params={"formats": FORMAT_NAMES},
    )
    too_many_pixels = ValidationError(
        "图片尺寸过大，像素总数不能超过 %(limit)s 万。请缩小后再上传。",
        code="too_many_pixels",
        params={"limit": MAX_PIXELS // 10_000},
    )
    with warnings.catch_warnings():
        # Pillow only warns between 1x and 2x its own limit; we refuse.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(upload, formats=list(FORMATS))
            if _pixel_count(probe) > MAX_PIXELS:
                raise too_many_pixels
            probe.verify()
            # verify() leaves the image unusable; decode again, in full, so a
            # truncated file fails here and not later in a reader's browser.
            upload.seek(0)
            image = Image.open(upload, formats=list(FORMATS))
            image.load()
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many_pixels from None
        except Exception:  # noqa: BLE001 - see below
            # Decoders raise OSError, SyntaxError, ValueError, EOFError,
            # struct.error... for damaged input: all mean the same to an editor.
            raise not_an_image from None
    return image


def _pixel_count(image) -> int:
    frames = getattr(image, "n_frames", 1) if getattr(image, "is_animated", False) else 1
    return image.width * image.height * frames


def reencode(image: Image.Image) -> tuple[bytes, str]:
    """Encode the pixels of a loaded ``image`` afresh, without metadata.

    Returns ``(data, extension)``; the format is the source format. EXIF
    orientation is applied to the pixels before EXIF is dropped, so a photo
    taken with a turned phone stays upright.
    """
    source_format = image.format
    animated = getattr(image, "is_animated", False)
    if source_format == "MPO":
        # A JPEG with extra pictures (stereo cameras, some phones): Pillow
        # opens it as MPO. Keep the first picture, as a plain JPEG.
        image.seek(0)
        source_format, animated = "JPEG", False
    if source_format not in FORMATS:
        raise ValidationError(
            "无法识别的图片：只接受 %(formats)s 格式。", code="invalid_image", params={"formats": FORMAT_NAMES}
        )
    try:
        return _encode(image, source_format, animated), FORMATS[source_format]
    except (OSError, ValueError, TypeError, KeyError, SyntaxError) as exc:
        # A mode, an EXIF block or a metadata value the encoder will not
        # take: the editor can re-save the picture, the reader sees no 500.
        raise ValidationError("图片无法重新编码，请另存为 JPEG 或 PNG 后再上传。", code="reencode") from exc


def _encode(image: Image.Image, source_format: str, animated: bool) -> bytes:
    info = {key: image.info[key] for key in _KEPT_INFO if key in image.info}
    if not animated:
        image = ImageOps.exif_transpose(image)
    image.info = {}
    options = {}
    if source_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        options = {"quality": 90, "optimize": True}
    elif source_format == "WEBP":
        options = {"quality": 90}
    elif source_format == "PNG":
        options = {"optimize": True}
    if animated:
        options["save_all"] = True
    for key in _KEPT_INFO:
        if key in info:
            options[key] = info[key]
    out = io.BytesIO()
    image.save(out, source_format, **options)
    return out.getvalue()


def random_name(folder: str, extension: str, suffix: str = "") -> str:
    """``folder/YYYY/MM/<32 hex digits><suffix>.<extension>``; the original name is never used."""
    month = timezone.localtime().strftime("%Y/%m")
    return f"{folder}/{month}/{uuid.uuid4().hex}{suffix}.{extension}"


def clean_upload(upload) -> ContentFile:
    """A verified, re-encoded copy of ``upload`` with a random base name.

    For a model ``FileField``: its ``upload_to`` adds the folder.
    """
    image = load_image(upload)
    data, extension = reencode(image)
    return ContentFile(data, name=f"{uuid.uuid4().hex}.{extension}")


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparency goes onto white, not black."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image) -> ContentFile:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=RENDITION_QUALITY, optimize=True, progressive=True)
    return ContentFile(out.getvalue())


def make_cover_renditions(article, *, save=True):
    """Regenerate ``cover_thumbnail`` and ``cover_banner`` from ``article.cover``.

    Without a cover both renditions are cleared. Files of the previous
    renditions are deleted once the transaction commits, so a rollback never
    leaves the row pointing at a missing file. With ``save`` the two fields
    are written with ``update_fields``. Raises ``ValidationError`` if the
    stored cover cannot be decoded, and
    :class:`~articles.editing.media.StorageWriteError` if a rendition cannot
    be written (the disk is full): no new file is left and the article's
    fields are as they were.
    """
    old_thumbnail, old_banner = article.cover_thumbnail.name, article.cover_banner.name
    old_names = [name for name in (old_thumbnail, old_banner) if name]
    if article.cover:
        with article.cover.open("rb") as cover_file:
            image = load_image(cover_file)
        try:
            image = _flatten(image)
            thumbnail = ImageOps.fit(image, THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
            banner = image.copy()
            banner.thumbnail(BANNER_BOX, Image.Resampling.LANCZOS)
        except (OSError, ValueError) as exc:  # an exotic mode Pillow cannot convert
            raise ValidationError("封面图无法转换为缩略图，请换一张 JPEG 或 PNG 图片。", code="rendition") from exc
        stem = uuid.uuid4().hex
        width, height = THUMBNAIL_SIZE
        try:
            with media.discard_on_error():
                article.cover_thumbnail.save(f"{stem}-{width}x{height}.jpg", _jpeg(thumbnail), save=False)
                article.cover_banner.save(f"{stem}-{banner.width}w.jpg", _jpeg(banner), save=False)
        except media.StorageWriteError:
            # The thumbnail written before the banner failed is gone: point
            # the fields back at the renditions still on disk.
            article.cover_thumbnail, article.cover_banner = old_thumbnail, old_banner
            raise
    else:
        article.cover_thumbnail = ""
        article.cover_banner = ""
    if save and article.pk:
        article.save(update_fields=["cover_thumbnail", "cover_banner"])

    storage = article.cover_thumbnail.storage
    current = {article.cover_thumbnail.name, article.cover_banner.name}
    stale = [name for name in old_names if name not in current]
    if stale:
        transaction.on_commit(lambda: [storage.delete(name) for name in stale])
