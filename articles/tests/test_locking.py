"""Two editors on one essay: optimistic locking on save, and who else has the page open."""

import re

import pytest
import reversion
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.urls import reverse

from articles.editing import revisions, workflow
from articles.models import Article
from articles.tests.factories import make_draft
from articles.tests.test_admin import article_data
from articles.tests.test_roles import EDITOR, REVIEWER, change_url, logged_in, user_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def presence_url(article):
    return reverse("admin:articles_article_presence", args=[article.pk])


def opened_version(page):
    return int(re.search(r'name="lock_version" value="(\d+)"', page).group(1))


@pytest.fixture
def editors():
    return user_in(EDITOR, "zhang"), user_in(EDITOR, "li")


@pytest.fixture
def essay():
    with reversion.create_revision():
        return make_draft(title="原来的标题")


def test_every_save_bumps_the_version(essay):
    start = essay.version
    essay.title = "改"
    essay.save()
    workflow.publish(essay, None, confirm_secrecy=True)
    essay.refresh_from_db()
    assert essay.version == start + 2


def test_the_change_form_carries_the_version(client, editors, essay):
    page = logged_in(client, editors[0]).get(change_url(essay)).content.decode()
    assert opened_version(page) == essay.version


def test_a_stale_save_is_refused_and_keeps_the_editors_text(editors, essay):
    from django.test import Client

    zhang, li = Client(), Client()
    zhang.force_login(editors[0])
    li.force_login(editors[1])
    opened = opened_version(zhang.get(change_url(essay)).content.decode())
    assert li.post(change_url(essay), article_data(title="李的标题", lock_version=opened)).status_code == 302

    response = zhang.post(change_url(essay), article_data(title="张的标题", lock_version=opened))
    assert response.status_code == 200
    page = response.content.decode()
    assert "li 已修改并保存了这篇文稿" in page
    assert 'value="张的标题"' in page  # the text is kept to merge
    assert "对照您打开时的版本和当前版本" in page
    assert reverse("admin:articles_article_revisions_compare", args=[essay.pk]) in page
    essay.refresh_from_db()
    assert essay.title == "李的标题"
    # After merging, saving again is a deliberate overwrite.
    current = opened_version(page)
    assert current == essay.version
    assert zhang.post(change_url(essay), article_data(title="合并后的标题", lock_version=current)).status_code == 302
    essay.refresh_from_db()
    assert essay.title == "合并后的标题"


@pytest.mark.parametrize("value", ["abc", "-1", "1e9999", "<script>"])
def test_a_hostile_lock_version_is_a_form_error(client, editors, essay, value):
    response = logged_in(client, editors[0]).post(change_url(essay), article_data(title="x", lock_version=value))
    assert response.status_code == 200
    essay.refresh_from_db()
    assert essay.title == "原来的标题"


def test_the_compare_link_after_a_conflict_opens(client, editors, essay):
    logged_in(client, editors[0])
    opened = essay.version
    with reversion.create_revision():
        essay.title = "别人的标题"
        essay.save()
    response = client.post(change_url(essay), article_data(title="我的标题", lock_version=opened))
    link = response.context["lock_conflict"]["compare_url"]
    page = client.get(link).content.decode()
    assert "版本比较" in page and "别人的" in page
    assert revisions.version_for_lock(essay, opened) is not None


# --- presence -------------------------------------------------------------------


def test_the_page_says_who_else_is_editing(client, editors, essay):
    logged_in(client, editors[0]).get(change_url(essay))
    page = logged_in(client, editors[1]).get(change_url(essay)).content.decode()
    assert "zhang 正在编辑此文稿" in page
    assert "admin-extra/presence.js" in page
    assert "<script>" not in page.split("</head>")[1]  # no inline script in the body


def test_the_heartbeat_answers_who_else_is_there(client, editors, essay):
    logged_in(client, editors[0]).post(presence_url(essay))
    data = logged_in(client, editors[1]).post(presence_url(essay)).json()
    assert data == {"others": ["zhang"], "message": "zhang 正在编辑此文稿"}


def test_presence_expires(client, editors, essay, monkeypatch):
    import time

    logged_in(client, editors[0]).post(presence_url(essay))
    later = time.time() + 120
    monkeypatch.setattr(time, "time", lambda: later)
    assert logged_in(client, editors[1]).post(presence_url(essay)).json()["others"] == []


def test_the_heartbeat_refuses_get_strangers_and_missing_essays(client, essay):
    logged_in(client, user_in(EDITOR))
    assert client.get(presence_url(essay)).status_code == 405
    assert client.post(reverse("admin:articles_article_presence", args=[999999])).status_code == 404
    logged_in(client, user_in(REVIEWER))  # may read, not edit
    assert client.post(presence_url(essay)).status_code == 403


def test_the_presence_script_is_a_static_file_without_inline_code():
    script = finders.find("admin-extra/presence.js")
    assert script
    assert "X-CSRFToken" in open(script, encoding="utf-8").read()


def test_a_deleted_essay_has_no_presence(client, editors, essay):
    workflow.move_to_recycle_bin(essay, editors[0])
    assert logged_in(client, editors[1]).post(presence_url(essay)).status_code == 404
    assert not Article.objects.filter(pk=essay.pk).exists()
