"""The 专题 picker (filter_horizontal on the essay page) speaks Chinese in a
real browser: the admin's JavaScript catalogue (jsi18n) reaches the page and
carries the strings Django 5.2's SelectFilter2.js asks for (locale/zh_Hans)."""

import pytest
from django.conf import settings
from django.urls import reverse

from config.tests.test_admin_language import compiled  # noqa: F401 (autouse: the catalogue is compiled)
from config.tests.test_csp_browser import browser_page, violations  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_topic_picker_speaks_chinese(live_server, browser_page, admin_user, client):  # noqa: F811
    from articles.tests.factories import make_draft, make_topic

    make_topic("理论学习")
    article = make_draft("一篇文稿")  # a live essay's topics are read-only (changed through a working copy)
    client.force_login(admin_user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    browser_page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])

    response = browser_page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status == 200
    selector = browser_page.locator(".selector").first
    selector.wait_for(state="visible", timeout=20_000)
    text = selector.inner_text()
    labels = " ".join(
        browser_page.eval_on_selector_all(
            ".selector [title], .selector [aria-label]",
            "els => els.map(e => (e.title || '') + ' ' + (e.getAttribute('aria-label') || ''))",
        )
    )

    assert "选中要添加的专题，然后点击“选择”箭头按钮。" in text + labels
    assert "选择全部专题" in text
    assert "移除全部专题" in text
    assert "可选的专题" in text and "已选的专题" in text
    for english in ("Choose", "Remove", "Available", "Chosen", "Filter"):
        assert english not in text + labels, english
    assert violations(browser_page) == []
    assert browser_page.errors == []
