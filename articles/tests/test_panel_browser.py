"""The 校对 panel's choices in a real browser: they live inside the change form
but belong to the panel's own form (the ``form`` attribute; forms cannot nest),
so choosing 采纳 and pressing the panel's button applies the fix, and the change
form's own fields are not submitted with it.

Debian's chromium through Playwright against pytest-django's live server;
skipped where either is missing (see config/tests/test_csp_browser.py).
"""

import pytest

from config.tests.test_csp_browser import browser_page  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_accepting_a_finding_in_the_browser_applies_it(live_server, browser_page, admin_user, client):  # noqa: F811
    from django.conf import settings

    from articles.admin.findings import panel_findings
    from articles.models import Article
    from articles.tests.test_admin import change_url
    from articles.tests.test_admin_proofreading import CLEAN_LEAD, make_essay

    article, section, _point = make_essay(lead=CLEAN_LEAD)
    (item,) = [f for f in panel_findings(article) if f.original == "效劳"]
    client.force_login(admin_user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    browser_page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])

    browser_page.goto(live_server.url + change_url(article))
    browser_page.select_option(f'select[name="finding:{item.id}"]', "accept")
    # An unsaved edit of the title stays out of the panel's submission.
    browser_page.fill("#id_title", "不会被提交的标题")
    with browser_page.expect_navigation():
        browser_page.click("button[form=proofreading-form]")
    assert browser_page.url.endswith("/change/#proofreading")
    assert "已保存为新的版本" in browser_page.content()
    section.refresh_from_db()
    assert "为人民服务" in section.body
    assert Article.objects.get(pk=article.pk).title == article.title
