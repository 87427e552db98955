"""网站信息: edited in the admin, shown in every page's footer, cached."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from siteinfo.models import SiteSettings

pytestmark = pytest.mark.django_db

PARTICULARS = {
    "organizer": "中共某某县委组织部",
    "contact_address": "某某县人民路 1 号",
    "contact_phone": "0970-1234567",
    "contact_email": "dangjian@example.cn",
    "icp_number": "青ICP备00000000号-1",
    "police_number": "青公网安备 63000000000000号",
    "police_link": "https://beian.example.cn/6300",
    "site_id_code": "6300000001",
}


def test_the_footer_shows_what_the_administrator_entered(client):
    SiteSettings.objects.create(**PARTICULARS)
    html = client.get("/").content.decode()
    footer = html.split('<footer class="site-footer">')[1]
    for value in (
        "中共某某县委组织部",
        "某某县人民路 1 号",
        "0970-1234567",
        "青ICP备00000000号-1",
        "青公网安备 63000000000000号",
        "6300000001",
    ):
        assert value in footer
    assert 'href="https://beian.miit.gov.cn/"' in footer
    assert 'href="https://beian.example.cn/6300"' in footer


def test_nothing_is_hard_coded_when_nothing_was_entered(client):
    footer = client.get("/").content.decode().split('<footer class="site-footer">')[1]
    assert "主办单位" not in footer and "备案" not in footer and "<img" not in footer


def test_after_the_first_page_the_settings_cost_no_query(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    SiteSettings.objects.create(**PARTICULARS)
    reads = []
    for url in ("/", "/articles/", "/topics/"):
        with CaptureQueriesContext(connection) as queries:
            assert "中共某某县委组织部" in client.get(url).content.decode()
        reads.append(sum("siteinfo_sitesettings" in query["sql"] for query in queries))
    assert reads == [1, 0, 0]


def test_missing_settings_are_cached_too(django_assert_num_queries):
    SiteSettings.current()
    with django_assert_num_queries(0):
        assert SiteSettings.current().organizer == ""


def test_saving_in_the_admin_shows_on_the_next_page(admin_client, client):
    client.get("/")  # caches the empty settings
    response = admin_client.post(reverse("admin:siteinfo_sitesettings_add"), PARTICULARS)
    assert response.status_code == 302
    assert "中共某某县委组织部" in client.get("/").content.decode()
    response = admin_client.post(
        reverse("admin:siteinfo_sitesettings_change", args=[1]), {**PARTICULARS, "organizer": "新的主办单位"}
    )
    assert response.status_code == 302
    assert "新的主办单位" in client.get("/").content.decode()
    assert SiteSettings.objects.count() == 1


def test_the_admin_has_one_row_and_no_delete(admin_client):
    changelist = reverse("admin:siteinfo_sitesettings_changelist")
    assert admin_client.get(changelist)["Location"] == reverse("admin:siteinfo_sitesettings_add")
    SiteSettings.objects.create(**PARTICULARS)
    assert admin_client.get(changelist)["Location"] == reverse("admin:siteinfo_sitesettings_change", args=[1])
    assert admin_client.get(reverse("admin:siteinfo_sitesettings_add")).status_code == 403
    assert admin_client.get(reverse("admin:siteinfo_sitesettings_delete", args=[1])).status_code == 403
    page = admin_client.get(reverse("admin:siteinfo_sitesettings_change", args=[1])).content.decode()
    for label in ("主办单位", "ICP备案号", "公安备案号", "公安备案链接", "网站标识码", "标志图片"):
        assert label in page


def png(size=(64, 64)):
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, "PNG")
    return out.getvalue()


def test_the_emblem_is_checked_and_re_encoded_like_other_uploads(admin_client, client):
    emblem = SimpleUploadedFile("党徽.jpg", png(), content_type="image/jpeg")
    response = admin_client.post(reverse("admin:siteinfo_sitesettings_add"), {**PARTICULARS, "emblem": emblem})
    assert response.status_code == 302
    stored = SiteSettings.objects.get().emblem.name
    assert stored.startswith("site/") and stored.endswith(".png") and "党徽" not in stored
    assert 'class="site-footer__emblem"' in client.get("/").content.decode()


@pytest.mark.parametrize(
    "name, data",
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
        ("logo.png", b"not an image"),
    ],
)
def test_a_bad_emblem_is_refused_with_a_chinese_message(admin_client, name, data):
    emblem = SimpleUploadedFile(name, data, content_type="image/png")
    response = admin_client.post(reverse("admin:siteinfo_sitesettings_add"), {**PARTICULARS, "emblem": emblem})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["emblem"]
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in error) for error in errors)
    assert not SiteSettings.objects.exists()
