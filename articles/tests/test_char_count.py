"""字数 under the admin's CKEditor fields: characters without whitespace, not
the WordCount plugin's 单词数 (words by spaces, "1" for a Chinese paragraph)."""

import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Article, Section
from articles.richtext import RichTextWidget
from config.tests.test_csp_browser import browser_page, violations  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_the_word_count_plugin_is_off_and_every_rich_text_field_brings_the_script():
    assert "WordCount" in settings.CKEDITOR_5_CONFIGS["default"]["removePlugins"]
    for model, name in ((Article, "lead"), (Article, "conclusion"), (Section, "body")):
        widget = model._meta.get_field(name).formfield().widget
        assert isinstance(widget, RichTextWidget)
        assert "admin-extra/char-count.js" in str(widget.media)


def test_the_change_page_loads_the_script_from_the_site_itself(admin_client):
    page = admin_client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'src="/static/admin-extra/char-count.js"' in page
    assert "django_ckeditor_5/dist/bundle.js" in page
    assert page.index("django_ckeditor_5/dist/bundle.js") < page.index("admin-extra/char-count.js")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_editor_shows_characters_without_whitespace(live_server, browser_page, admin_user, client):  # noqa: F811
    client.force_login(admin_user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    browser_page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    browser_page.goto(live_server.url + reverse("admin:articles_article_add"))
    editable = browser_page.locator(".ck-editor__editable").first
    editable.wait_for(state="visible", timeout=20_000)
    count = browser_page.locator("#id_lead_script-word-count")
    count.get_by_text("字数：0").wait_for(timeout=5_000)
    editable.click()
    browser_page.keyboard.type("基层党建 工作，")
    count.get_by_text("字数：7").wait_for(timeout=5_000)
    assert "单词数" not in browser_page.content()
    assert violations(browser_page) == [], browser_page.errors
    assert browser_page.errors == []
