"""The Content-Security-Policy in a real browser: CKEditor 5 still starts in
the admin, the reading site runs its script, and nothing is blocked.

Drives Debian's chromium through Playwright against pytest-django's live
server. Skipped, with the reason, where /usr/bin/chromium or Playwright is
missing (`pytest -m "not browser"` leaves these out on purpose).
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_page():
    if not CHROMIUM.exists():
        pytest.skip(f"no chromium at {CHROMIUM}: install Debian's chromium package to run the browser checks")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (requirements-dev.txt)")
    # Playwright's sync API runs an event loop in this thread; Django's
    # database calls (fixtures, teardown) then need this permission.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                context = browser.new_context()
                page = context.new_page()
                page.csp_messages = []
                page.violations_script = (
                    "window.__csp = [];"
                    "document.addEventListener('securitypolicyviolation', e =>"
                    " window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
                )
                context.add_init_script(page.violations_script)
                page.on(
                    "console",
                    lambda message: (
                        page.csp_messages.append(message.text)
                        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
                        else None
                    ),
                )
                page.errors = []
                page.on("pageerror", lambda error: page.errors.append(str(error)))
                yield page
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def violations(page):
    return page.csp_messages + page.evaluate("window.__csp || []")


@pytest.mark.django_db(transaction=True)
def test_ckeditor_starts_in_the_admin_under_its_policy(live_server, browser_page, admin_user, client):
    from django.conf import settings
    from django.urls import reverse

    client.force_login(admin_user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    browser_page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])

    response = browser_page.goto(live_server.url + reverse("admin:articles_article_add"))
    assert response.status == 200
    assert "'unsafe-inline'" not in response.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    editable = browser_page.locator(".ck-editor__editable").first
    editable.wait_for(state="visible", timeout=20_000)
    editable.click()
    browser_page.keyboard.type("基层党建")
    assert "基层党建" in editable.inner_text()
    browser_page.wait_for_timeout(300)  # let late reports arrive

    assert violations(browser_page) == [], browser_page.errors


@pytest.mark.django_db(transaction=True)
def test_the_reading_site_runs_under_its_strict_policy(live_server, browser_page):
    from articles.tests.factories import make_article, make_topic

    topic = make_topic("理论学习")
    article = make_article("一篇文稿", topics=[topic], sections=2, points=1)
    for url in ("/", "/articles/", article.get_absolute_url(), topic.get_absolute_url()):
        response = browser_page.goto(live_server.url + url)
        assert response.status == 200, url
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    browser_page.wait_for_timeout(300)

    assert violations(browser_page) == []
    assert browser_page.errors == []
