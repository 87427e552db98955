"""Two-factor login in Chromium (Playwright, Debian's /usr/bin/chromium): an
administrator sets up the authenticator from the admin page (the key read from
the page, the code computed as an app would), logs out, and logs in again with
the password and the code. No CSP report, no script error on the way."""

import base64
import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP

from config.tests.test_csp_browser import browser_page, violations  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

PASSWORD = "Dangjian-2026-mima"


def totp_now(secret, offset=0):
    totp = TOTP(base64.b32decode(secret))
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


@pytest.mark.django_db(transaction=True)
def test_an_administrator_sets_up_two_factor_and_logs_in_with_it(live_server, browser_page, settings):  # noqa: F811
    from articles.tests.test_roles import ADMINISTRATOR, user_in

    settings.OTP_REQUIRED_GROUPS = [ADMINISTRATOR]
    user = user_in(ADMINISTRATOR, "admin-wang")
    user.set_password(PASSWORD)
    user.save()
    page = browser_page

    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "admin-wang")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    # A required second factor and none yet: the set-up page, and nothing else.
    page.wait_for_url("**" + reverse("admin:auth_user_two_factor"))
    assert "您的角色须启用两步验证" in page.content()
    assert page.locator(".qr-code svg").count() == 1
    page.goto(live_server.url + reverse("admin:articles_article_changelist"))
    assert page.url.endswith(reverse("admin:auth_user_two_factor"))

    secret = page.inner_text("#totp-secret").strip()
    page.fill("#id_token", totp_now(secret))
    page.click("#two-factor-form input[type=submit]")
    page.wait_for_selector(".recovery-codes")
    assert page.locator(".recovery-codes li").count() == 10
    assert "两步验证已启用" in page.content()

    page.click("#logout-form button")
    page.wait_for_url("**" + reverse("admin:logout"))
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "admin-wang")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", totp_now(secret, offset=30))  # the next code: the set-up one is spent
    page.click("input[type=submit]")
    page.wait_for_url("**" + reverse("admin:index"))
    assert "内容管理" in page.content()
    assert violations(page) == []
    assert page.errors == []
