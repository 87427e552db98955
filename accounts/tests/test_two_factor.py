"""Two-factor login for staff (issue 22, item 4): TOTP required for the
administrator roles, optional for the others, recovery codes, in Chinese."""

import re
import time

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from articles.tests.test_roles import ADMINISTRATOR, EDITOR, user_in

pytestmark = pytest.mark.django_db

PASSWORD = "Dangjian-2026-mima"


def code_for(device, offset=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def required(settings):
    settings.OTP_REQUIRED_GROUPS = [ADMINISTRATOR, "安全保密管理员", "安全审计员", "系统管理员"]


@pytest.fixture
def administrator():
    user = user_in(ADMINISTRATOR, "admin-wang")
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client, username, token=""):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": PASSWORD, "otp_token": token, "next": reverse("admin:index")},
    )


def set_up(client):
    """Open the set-up page, read the key shown, confirm with a code: the device."""
    page = client.get(reverse("admin:auth_user_two_factor")).content.decode()
    assert "<svg" in page  # the QR code
    assert re.search(r'id="totp-secret">([A-Z2-7]+)<', page)
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(reverse("admin:auth_user_two_factor"), {"token": code_for(device)})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    return device, response.content.decode()


def test_an_administrator_without_a_second_factor_cannot_reach_the_admin(client, required, administrator):
    client.force_login(administrator)
    for name in ("admin:index", "admin:articles_article_changelist", "admin:auth_user_changelist"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url == reverse("admin:auth_user_two_factor"), name
    response = client.get(reverse("articles:preview", args=[1]))
    assert response.status_code == 302 and response.url == reverse("admin:auth_user_two_factor")
    page = client.get(reverse("admin:auth_user_two_factor")).content.decode()
    assert "您的角色须启用两步验证" in page


def test_set_up_then_the_login_needs_the_code(client, required, administrator):
    client.force_login(administrator)
    device, page = set_up(client)
    assert "两步验证已启用" in page
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", page)
    assert len(codes) == two_factor.RECOVERY_CODES
    assert client.get(reverse("admin:index")).status_code == 200, "this session passed the second factor"

    client.post(reverse("admin:logout"))
    without = log_in(client, "admin-wang")
    assert without.status_code == 200
    assert "动态验证码不正确或已过期" in without.content.decode()
    wrong = log_in(client, "admin-wang", "000000" if code_for(device) != "000000" else "111111")
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    device.refresh_from_db()
    assert device.throttling_failure_count > 0, "wrong codes slow the next tries down (django-otp)"
    device.throttle_reset()  # instead of waiting out the delay
    assert log_in(client, "admin-wang", code_for(device, offset=30)).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_recovery_code_works_once(client, required, administrator):
    client.force_login(administrator)
    _device, page = set_up(client)
    code = re.findall(r"<li><code>([a-z0-9]+)</code></li>", page)[0]
    client.post(reverse("admin:logout"))
    assert log_in(client, "admin-wang", code).status_code == 302
    client.post(reverse("admin:logout"))
    assert log_in(client, "admin-wang", code).status_code == 200, "a used recovery code is spent"


def test_a_session_opened_without_the_second_factor_is_logged_out(client, required, administrator):
    client.force_login(administrator)
    set_up(client)
    client.logout()
    client.force_login(administrator)  # password only (as before 2FA was set up)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    assert "_auth_user_id" not in client.session


def test_for_an_editor_it_is_optional_and_can_be_switched_off(client, required):
    editor = user_in(EDITOR, "zhang")
    client.force_login(editor)
    assert client.get(reverse("admin:index")).status_code == 200
    set_up(client)
    page = client.get(reverse("admin:auth_user_two_factor")).content.decode()
    assert "关闭两步验证" in page
    client.post(reverse("admin:auth_user_two_factor"), {"action": "disable"})
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticDevice.objects.filter(user=editor).exists()


def test_an_administrator_cannot_switch_it_off(client, required, administrator):
    client.force_login(administrator)
    set_up(client)
    client.post(reverse("admin:auth_user_two_factor"), {"action": "disable"})
    assert TOTPDevice.objects.filter(user=administrator, confirmed=True).exists()


def test_required_groups_that_do_not_exist_are_ignored(client, settings):
    settings.OTP_REQUIRED_GROUPS = ["不存在的角色"]
    editor = user_in(EDITOR, "zhang")
    assert not Group.objects.filter(name="不存在的角色").exists()
    assert not two_factor.is_required(editor)
    client.force_login(editor)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_wrong_setup_code_is_a_chinese_message(client, required, administrator):
    client.force_login(administrator)
    client.get(reverse("admin:auth_user_two_factor"))
    response = client.post(reverse("admin:auth_user_two_factor"), {"token": "12"})
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_an_administrator_resets_a_colleagues_lost_second_factor(client, required, administrator):
    editor = user_in(EDITOR, "zhang")
    client.force_login(editor)
    set_up(client)
    client.logout()
    client.force_login(administrator)
    set_up(client)
    response = client.post(
        reverse("admin:auth_user_changelist"), {"action": "reset_two_factor", "_selected_action": [editor.pk]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticDevice.objects.filter(user=editor).exists()
    assert TOTPDevice.objects.filter(user=administrator).exists()
