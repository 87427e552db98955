"""The editors' back office for essays: pages, saving, actions, covers, editor uploads."""

import datetime as dt
import io
import json
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from articles.models import Article, Section
from articles.tests.test_images import (
    SVG,
    gps_exif,
    has_metadata,
    image_bytes,
    jpeg_with_gps,
    png_header_only,
)
from topics.models import Topic

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")
UPLOAD = reverse("admin:articles_article_upload_image")
CKEDITOR_UPLOAD = "/ckeditor5/image_upload/"
NOW = dt.datetime(2024, 7, 1, 9, 0, tzinfo=dt.UTC)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def superuser(admin_user):
    return admin_user


@pytest.fixture
def topics():
    column = Topic.objects.create(name="理论学习", position=1)
    return [
        column,
        Topic.objects.create(name="两学一做", parent=column),
        Topic.objects.create(name="组织建设", position=2),
    ]


def management(total, initial=0):
    return {
        "sections-TOTAL_FORMS": str(total),
        "sections-INITIAL_FORMS": str(initial),
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }


def section_data(index, *, heading, level=1, kind="other", position=0, number="", body="", pk=""):
    prefix = f"sections-{index}-"
    return {
        prefix + "id": str(pk),
        prefix + "article": "",
        prefix + "position": str(position),
        prefix + "level": str(level),
        prefix + "kind": kind,
        prefix + "number": number,
        prefix + "heading": heading,
        prefix + "body": body,
    }


def article_data(**overrides):
    data = {
        "title": "当前基层党建工作存在的问题及对策建议",
        "subtitle": "",
        "slug": "",
        "author": "",
        "author_org": "海西州纪律检查委员会",
        "source": "",
        "responsible_editor": "",
        "summary": "",
        "lead": "<p>基层党建工作要坚持“围绕经济抓党建，抓好党建促发展”的工作思路。</p>",
        "conclusion": "<p>基层党组织和广大党员干部……</p>",
        "cover_alt": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        **management(0),
    }
    data.update(overrides)
    if data["status"] == "published":
        # The 保密审查 statement every save as published needs (refused without it:
        # articles/tests/test_secrecy_review.py).
        data.setdefault("confirm_secrecy", "on")
    return data


def errors_of(response):
    errors = {}
    if response.context and "adminform" in response.context:
        errors.update(response.context["adminform"].form.errors)
    return errors


# --- pages ------------------------------------------------------------------


def test_changelist_add_and_change_pages_render(admin_client, topics):
    article = Article.objects.create(title="文稿一", lead="<p>导语</p>")
    article.topics.set(topics[:2])
    Section.objects.create(article=article, heading="一、意义", body="<p>正文</p>")
    pages = (CHANGELIST, ADD, change_url(article), CHANGELIST + "?q=文稿", CHANGELIST + "?status__exact=draft")
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
    assert "理论学习、两学一做" in admin_client.get(CHANGELIST).content.decode()


def test_changelist_query_count_does_not_grow_with_rows(admin_client, topics):
    def make(n):
        for i in range(n):
            article = Article.objects.create(title=f"文稿{Article.objects.count()}", author_org=f"单位{i}")
            article.topics.set(topics)

    def count_queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(CHANGELIST).status_code == 200
        return len(captured)

    make(2)
    count_queries()  # warm up: session, content types, permissions caches
    with_two = count_queries()
    make(8)
    assert Article.objects.count() == 10
    assert count_queries() == with_two


def test_add_page_renders_the_ckeditor_widget_in_chinese(admin_client):
    html = admin_client.get(ADD).content.decode()
    assert "django_ckeditor_5/dist/bundle.js" in html
    assert "django_ckeditor_5/dist/translations/zh-cn.js" in html
    for name in ("lead", "conclusion", "sections-__prefix__-body"):
        assert re.search(rf'<textarea\s+name="{re.escape(name)}" class="django_ckeditor_5"', html), name
    script = re.search(r'<script id="id_lead_script" type="application/json">(.*?)</script>', html)
    config = json.loads(script.group(1))
    assert config["language"] == "zh-cn"
    assert config["licenseKey"] == "GPL"
    # The editor uploads to the admin endpoint (Chinese errors), not the package's.
    assert f'data-upload-url="{UPLOAD}"' in html


def test_sections_are_edited_between_lead_and_conclusion(admin_client):
    html = admin_client.get(ADD).content.decode()
    markers = ('name="lead"', 'id="sections-group"', 'name="conclusion"')
    lead, sections, conclusion = (html.index(marker) for marker in markers)
    assert lead < sections < conclusion
    for heading in ("基本信息", "正文", "封面", "发布"):
        assert f'class="fieldset-heading">{heading}</h2>' in html


def test_change_page_links_to_preview_and_only_public_essays_to_the_site(admin_client):
    draft = Article.objects.create(title="草稿文稿")
    html = admin_client.get(change_url(draft)).content.decode()
    assert f'href="{draft.get_preview_url()}"' in html
    assert draft.get_absolute_url() not in html

    public = Article.objects.create(title="已发文稿", status="published", published_at=NOW)
    html = admin_client.get(change_url(public)).content.decode()
    site_link = f'href="{public.get_absolute_url()}" class="viewsitelink" target="_blank" rel="noopener">在网站上查看'
    assert site_link in html
    assert "历史" in html  # Django's history link is still there
    assert f'href="{public.get_preview_url()}"' in html


def test_changelist_shows_preview_for_drafts_and_site_link_for_published(admin_client):
    draft = Article.objects.create(title="草稿文稿")
    public = Article.objects.create(title="已发文稿", status="published", published_at=NOW - dt.timedelta(days=2))
    with time_machine.travel(NOW - dt.timedelta(days=1)):
        scheduled = Article.objects.create(title="定时文稿", status="published", published_at=NOW)
        html = admin_client.get(CHANGELIST).content.decode()
    assert f'<a href="{draft.get_preview_url()}" target="_blank" rel="noopener">预览</a>' in html
    assert f'<a href="{scheduled.get_preview_url()}" target="_blank" rel="noopener">预览</a>' in html
    assert f'<a href="{public.get_absolute_url()}" target="_blank" rel="noopener">在网站上查看</a>' in html
    assert "定时发布" in html


# --- saving --------------------------------------------------------------------


def test_add_with_sections_and_a_point_saves_the_whole_essay(admin_client, superuser, topics):
    data = article_data(topics=[str(topics[1].pk)], **management(3))
    data.update(
        section_data(
            0,
            heading="基层党建工作的重要意义",
            number="一、",
            kind="significance",
            body="<p>引言</p><script>x</script>",
        )
    )
    data.update(section_data(1, heading="适应时代发展的需求", number="(一)", level=2, kind="other"))
    data.update(section_data(2, heading="基层党建工作存在的问题", number="二、", kind="problems"))
    response = admin_client.post(ADD, data)
    assert response.status_code == 302, errors_of(response)

    article = Article.objects.get()
    assert article.created_by == superuser and article.updated_by == superuser
    assert article.slug  # pinyin slug filled in by the model
    assert list(article.topics.all()) == [topics[1]]
    rows = list(article.sections.values_list("position", "level", "kind", "number", "body"))
    assert rows == [
        (0, 1, "significance", "一、", "<p>引言</p>"),
        (1, 2, "significance", "(一)", ""),  # inherited from its section
        (2, 1, "problems", "二、", ""),
    ]


def test_a_form_error_on_a_published_essay_shows_the_form(admin_client):
    # Archiving needs a reason: the page showing the error keeps the essay's site link.
    article = Article.objects.create(title="已发布", status="published", published_at=NOW)
    response = admin_client.post(
        change_url(article),
        {"status": "archived", "published_at_0": "2024-07-01", "published_at_1": "08:00:00", **management(0)},
    )
    assert response.status_code == 200
    assert "status_reason" in errors_of(response)
    article.refresh_from_db()
    assert article.status == "published" and article.slug


def test_change_inserts_a_section_and_renumbers(admin_client, superuser):
    editor = get_user_model().objects.create_user("creator", password="x", is_staff=True)
    article = Article.objects.create(title="文稿", created_by=editor)
    first = Section.objects.create(article=article, position=0, heading="一、")
    second = Section.objects.create(article=article, position=1, heading="二、")
    data = article_data(title="文稿", **management(3, initial=2))
    data.update(section_data(0, heading="一、", position=0, pk=first.pk))
    data.update(section_data(1, heading="二、", position=1, pk=second.pk))
    data.update(section_data(2, heading="(一)插在一之后", position=0, level=2))
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 302, errors_of(response)
    rows = list(article.sections.values_list("position", "heading"))
    assert rows == [(0, "一、"), (1, "(一)插在一之后"), (2, "二、")]
    article.refresh_from_db()
    assert article.created_by == editor and article.updated_by == superuser


def test_new_inline_rows_start_after_the_existing_sections(admin_client):
    article = Article.objects.create(title="文稿")
    for i in range(3):
        Section.objects.create(article=article, position=i, heading=f"第{i}")
    html = admin_client.get(change_url(article)).content.decode()
    assert re.search(r'name="sections-__prefix__-position" value="3"', html)


@time_machine.travel(NOW, tick=False)
def test_saving_as_published_without_a_time_publishes_now(admin_client, superuser):
    response = admin_client.post(ADD, article_data(status="published"))
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get()
    assert article.published_at == NOW
    assert list(Article.objects.published()) == [article]


def test_saving_as_published_with_a_future_time_schedules(admin_client):
    with time_machine.travel(NOW, tick=False):
        data = article_data(status="published", published_at_0="2024-07-03", published_at_1="08:00:00")
        response = admin_client.post(ADD, data)
        assert response.status_code == 302, errors_of(response)
        assert not Article.objects.published().exists()
        assert Article.objects.scheduled().count() == 1


# --- actions ----------------------------------------------------------------------


def run_action(client, action, articles):
    data = {"action": action, "_selected_action": [str(a.pk) for a in articles]}
    if action == "publish_selected":
        data["confirm_secrecy"] = "on"  # the 保密审查 statement (articles/tests/test_secrecy_review.py)
    return client.post(CHANGELIST, data, follow=True)


@time_machine.travel(NOW, tick=False)
def test_publish_action_publishes_drafts_and_reports_in_chinese(admin_client, superuser):
    drafts = [Article.objects.create(title=f"草稿{i}") for i in range(2)]
    future = Article.objects.create(title="定时", published_at=NOW + dt.timedelta(days=1))
    done = Article.objects.create(title="已发", status="published", published_at=NOW - dt.timedelta(days=1))
    response = run_action(admin_client, "publish_selected", [*drafts, future, done])
    assert response.status_code == 200
    text = response.content.decode()
    assert "已发布 2 篇文稿" in text
    assert "1 篇已设为定时发布" in text
    assert "1 篇原本就已发布" in text
    for article in drafts:
        article.refresh_from_db()
        assert (article.status, article.published_at, article.updated_by) == ("published", NOW, superuser)
    future.refresh_from_db()
    assert future.published_at == NOW + dt.timedelta(days=1)


def test_unpublish_action_returns_to_draft_and_keeps_the_time(admin_client, superuser):
    published = [Article.objects.create(title=f"已发{i}", status="published", published_at=NOW) for i in range(3)]
    draft = Article.objects.create(title="草稿")
    selected = [str(a.pk) for a in [*published, draft]]
    data = {"action": "unpublish_selected", "_selected_action": selected, "post": "yes", "reason": "内容需要更正"}
    response = admin_client.post(CHANGELIST, data, follow=True)
    text = response.content.decode()
    assert "已撤回 3 篇文稿" in text
    assert "1 篇原本就是草稿" in text
    assert set(Article.objects.values_list("status", flat=True)) == {"draft"}
    assert Article.objects.filter(published_at=NOW).count() == 3


def test_actions_are_listed_with_chinese_names(admin_client):
    Article.objects.create(title="文")
    html = admin_client.get(CHANGELIST).content.decode()
    assert "发布所选文稿" in html and "撤回所选文稿" in html


def test_actions_need_change_permission(client):
    viewer = get_user_model().objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    article = Article.objects.create(title="文")
    html = client.get(CHANGELIST).content.decode()
    assert "发布所选文稿" not in html
    run_action(client, "publish_selected", [article])
    article.refresh_from_db()
    assert article.status == "draft"


# --- cover ------------------------------------------------------------------------


def cover_file(data, name):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_cover_upload_is_reencoded_and_gets_renditions(admin_client, django_capture_on_commit_callbacks):
    data = article_data(cover=cover_file(jpeg_with_gps(size=(1600, 900)), "我家楼下.jpg"), cover_alt="党群服务中心外景")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(ADD, data)
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get()
    assert re.fullmatch(r"covers/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", article.cover.name)
    with article.cover.open() as f:
        assert not has_metadata(f.read())
    with article.cover_thumbnail.open() as f:
        assert Image.open(f).size == (480, 270)
    with article.cover_banner.open() as f:
        assert Image.open(f).size == (1200, 675)


def test_clearing_the_cover_clears_the_renditions(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            ADD, article_data(cover=cover_file(image_bytes("PNG", size=(800, 450)), "c.png"), cover_alt="封面")
        )
    article = Article.objects.get()
    storage, thumbnail = article.cover_thumbnail.storage, article.cover_thumbnail.name
    assert storage.exists(thumbnail)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(change_url(article), article_data(**{"cover-clear": "on"}))
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert not article.cover and not article.cover_thumbnail and not article.cover_banner
    assert not storage.exists(thumbnail)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"this is a text file, not a picture", "cover.png", "图片"),
        (SVG, "cover.svg", "图片"),
        (png_header_only(30000, 30000), "bomb.png", "图片"),
        (png_header_only(8000, 8000), "big.png", "像素总数不能超过"),
    ],
    ids=["text", "svg", "pillow-bomb", "over-our-pixel-limit"],
)
def test_bad_cover_is_a_form_error_not_a_crash(admin_client, data, name, message):
    response = admin_client.post(ADD, article_data(cover=cover_file(data, name)))
    assert response.status_code == 200
    assert "cover" in errors_of(response)
    assert message in " ".join(errors_of(response)["cover"])
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_oversized_cover_is_a_form_error(admin_client, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 2000
    too_big = cover_file(image_bytes("PNG") + b"\0" * 3000, "big.png")
    response = admin_client.post(ADD, article_data(cover=too_big))
    assert response.status_code == 200
    assert "图片文件太大" in " ".join(errors_of(response)["cover"])


# --- uploads from the rich-text editor ----------------------------------------------


def upload_file(data, name="picture.png"):
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_user("editor", password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_article", "change_article"]))
    client.force_login(user)
    return client


def stored_upload(settings, url):
    assert re.fullmatch(r"/media/uploads/\d{4}/\d{2}/[0-9a-f]{32}\.(png|jpg)", url), url
    path = settings.MEDIA_ROOT / url.removeprefix(settings.MEDIA_URL)
    return path.read_bytes()


def test_editor_upload_refuses_anonymous_users(client):
    response = client.post(UPLOAD, {"upload": upload_file(image_bytes("PNG"))})
    assert response.status_code == 403


def test_editor_upload_refuses_non_staff_users(client):
    client.force_login(get_user_model().objects.create_user("reader", password="x"))
    response = client.post(UPLOAD, {"upload": upload_file(image_bytes("PNG"))})
    assert response.status_code == 403


def test_editor_upload_accepts_a_png_under_a_random_name(staff_client, settings):
    png = upload_file(image_bytes("PNG", exif=gps_exif()), "王五家.png")
    response = staff_client.post(UPLOAD, {"upload": png})
    assert response.status_code == 200, response.content
    data = stored_upload(settings, response.json()["url"])
    assert Image.open(io.BytesIO(data)).format == "PNG"
    assert not has_metadata(data)


def test_editor_upload_strips_gps_from_a_photo(staff_client, settings):
    response = staff_client.post(UPLOAD, {"upload": upload_file(jpeg_with_gps(), "photo.jpg")})
    assert response.status_code == 200, response.content
    assert not has_metadata(stored_upload(settings, response.json()["url"]))


@pytest.mark.parametrize(
    ("data", "name"), [(b"hello, not an image", "note.png"), (SVG, "drawing.svg"), (SVG, "drawing.png")]
)
def test_editor_upload_refuses_what_is_not_a_raster_image(staff_client, settings, data, name):
    response = staff_client.post(UPLOAD, {"upload": upload_file(data, name)})
    assert response.status_code == 400
    assert response.json()["error"]["message"]
    assert not (settings.MEDIA_ROOT / "uploads").exists()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"hello, not an image", "note.png", "不是图片"),
        (SVG, "drawing.svg", "不接受 SVG"),
        (png_header_only(30000, 30000), "bomb.png", "像素总数不能超过"),
        (image_bytes("JPEG", size=(300, 200), color=None)[:400], "cut.jpg", "已损坏"),
    ],
    ids=["text", "svg", "bomb", "truncated"],
)
def test_admin_upload_endpoint_explains_refusals_in_chinese(staff_client, data, name, message):
    response = staff_client.post(UPLOAD, {"upload": upload_file(data, name)})
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]


def test_admin_upload_endpoint_refuses_oversized_files(staff_client, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 2000
    response = staff_client.post(UPLOAD, {"upload": upload_file(image_bytes("PNG") + b"\0" * 3000)})
    assert response.status_code == 400
    assert "图片文件太大" in response.json()["error"]["message"]


def test_admin_upload_endpoint_answers_json_to_everything_else(client, staff_client):
    assert staff_client.get(UPLOAD).status_code == 405
    response = staff_client.post(UPLOAD, {})
    assert response.status_code == 400 and "没有收到" in response.json()["error"]["message"]
    client.logout()
    response = client.post(UPLOAD, {"upload": upload_file(image_bytes("PNG"))})
    assert response.status_code == 403 and "权限" in response.json()["error"]["message"]


def test_admin_upload_endpoint_needs_permission_on_articles(client):
    client.force_login(get_user_model().objects.create_user("other-staff", password="x", is_staff=True))
    response = client.post(UPLOAD, {"upload": upload_file(image_bytes("PNG"))})
    assert response.status_code == 403


def test_package_upload_endpoint_is_not_routed(staff_client):
    # django_ckeditor_5's own view lets a decompression bomb through as a 500;
    # the editor posts to the admin's endpoint instead, so the package's is not mounted.
    bomb = upload_file(png_header_only(30000, 30000), "bomb.png")
    response = staff_client.post(CKEDITOR_UPLOAD, {"upload": bomb})
    assert response.status_code == 404


def test_admin_upload_endpoint_is_csrf_protected(staff_client):
    staff_client.handler.enforce_csrf_checks = True
    response = staff_client.post(UPLOAD, {"upload": upload_file(image_bytes("PNG"))})
    assert response.status_code == 403
