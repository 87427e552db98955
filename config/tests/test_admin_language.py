"""The admin speaks the product's Chinese in one voice (您, 账号): the project's
own catalogue (locale/zh_Hans, LOCALE_PATHS) overrides Django's strings that
read machine-made and adds the admin JavaScript strings Django 5.2 lacks."""

import gettext
import json
import re
import shutil

import pytest
from django.conf import settings
from django.core import checks
from django.urls import reverse

from articles.tests.factories import make_article
from articles.tests.test_roles import EDITOR, logged_in, user_in
from config.messages import LOCALE_DIR, compile_messages

BAD = ["帐号", "你", "以 ", "来修改", "无可选的", "共享一段美好时光", "区分大小写的."]


@pytest.fixture(scope="module", autouse=True)
def compiled():
    """`make setup` compiles the catalogue; a bare pytest run must not depend on it."""
    compile_messages()
    from django.utils.translation import trans_real

    trans_real._translations = {}
    trans_real._default = None


def visible_text(response):
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>|<style.*?</style>|<svg.*?</svg>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def assert_no_bad_wording(text, where):
    for bad in BAD:
        assert bad not in text, f"{bad!r} on {where}"


def test_the_project_locale_is_configured():
    assert LOCALE_DIR in [p.resolve() for p in map(type(LOCALE_DIR), settings.LOCALE_PATHS)]
    assert (LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po").exists()


def test_the_messages_compile_in_pure_python(tmp_path):
    shutil.copytree(LOCALE_DIR, tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    written = compile_messages(tmp_path / "locale")
    assert {path.name for path in written} == {"django.mo", "djangojs.mo"}
    catalogue = gettext.translation("django", tmp_path / "locale", languages=["zh_Hans"])
    assert catalogue.gettext("Select %s to change") == "选择要修改的%s"


def test_no_warning_once_compiled():
    assert [m for m in checks.run_checks() if m.id == "config.W002"] == []


@pytest.mark.django_db
def test_the_editors_admin_pages_speak_in_one_voice(client):
    article = make_article(title="一篇文稿")
    client = logged_in(client, user_in(EDITOR))
    changelist = client.get(reverse("admin:articles_article_changelist"))
    text = visible_text(changelist)
    assert "选择要修改的文稿" in text
    assert "按审核" in text or "按状态" in text  # the filters' headings
    pages = {
        "changelist": text,
        "index": visible_text(client.get(reverse("admin:index"))),
        "change": visible_text(client.get(reverse("admin:articles_article_change", args=[article.pk]))),
        "password_change": visible_text(client.get(reverse("admin:password_change"))),
        "topics": visible_text(client.get(reverse("admin:topics_topic_changelist"))),
    }
    assert "为安全起见，请先输入您的旧密码" in pages["password_change"]
    assert "您的密码不能全是数字" in pages["password_change"]
    for where, text in pages.items():
        assert_no_bad_wording(text, where)


@pytest.mark.django_db
def test_the_login_and_logout_pages_speak_in_one_voice(client):
    response = client.post(reverse("admin:login"), {"username": "nobody", "password": "wrong-password"})
    text = visible_text(response)
    assert "请输入正确的用户名和密码（区分大小写）。" in text
    assert_no_bad_wording(text, "login")

    client.force_login(user_in(EDITOR))
    text = visible_text(client.post(reverse("admin:logout")))
    assert "您已安全退出。" in text
    assert_no_bad_wording(text, "logout")


@pytest.mark.django_db
def test_the_admin_javascript_catalogue_has_the_pickers_strings(admin_client):
    body = admin_client.get(reverse("admin:jsi18n")).content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", body, re.S).group(1))
    assert catalogue["Choose all %s"] == "选择全部%s"
    assert catalogue["Remove all %s"] == "移除全部%s"
    assert catalogue['Choose %s by selecting them and then select the "Choose" arrow button.'].startswith(
        "选中要添加的"
    )
    assert all("你" not in str(value) for value in catalogue.values())
