"""Login throttling (django-axes): lockout after repeated failures, in Chinese."""

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

PASSWORD = "a-long-passphrase-2026"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)


def log_in(client, password, username="editor"):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": reverse("admin:index")}
    )


def fail(client, times, username="editor"):
    for _ in range(times):
        response = log_in(client, "wrong-password", username=username)
        if response.status_code != 200:
            return response
    return response


@pytest.mark.django_db
def test_the_failure_limit_locks_the_account_out_with_a_chinese_page(client, editor, settings):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5  # the default when AXES_FAILURE_LIMIT is not set

    before = fail(client, limit - 1)
    assert before.status_code == 200  # the ordinary login form, with its error
    locked = log_in(client, "wrong-password")

    assert locked.status_code == 429
    html = locked.content.decode()
    assert "登录尝试过多，已暂时锁定" in html
    assert "连续 5 次登录失败" in html
    assert "请在 15 分钟后再试" in html
    assert '<html lang="zh-Hans">' in html
    # Locked out: even the right password is refused now.
    assert log_in(client, PASSWORD).status_code == 429


@pytest.mark.django_db
def test_a_successful_login_resets_the_count(client, editor, settings):
    limit = settings.AXES_FAILURE_LIMIT
    assert fail(client, limit - 1).status_code == 200
    assert log_in(client, PASSWORD).status_code == 302
    client.logout()

    assert fail(client, limit - 1).status_code == 200, "the earlier failures still counted"
    assert log_in(client, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_lockout_ends_after_the_cool_off(client, editor, settings):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert fail(client, settings.AXES_FAILURE_LIMIT).status_code == 429
        traveller.shift(timedelta(minutes=14))
        assert log_in(client, PASSWORD).status_code == 429
        traveller.shift(settings.AXES_COOLOFF_TIME + timedelta(minutes=1))
        assert log_in(client, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_lockout_is_per_user_name_and_address(client, editor, django_user_model, settings):
    # One mistyping colleague behind the office's shared address must not
    # lock everyone else out.
    django_user_model.objects.create_user("colleague", password=PASSWORD, is_staff=True)
    assert fail(client, settings.AXES_FAILURE_LIMIT).status_code == 429
    assert log_in(client, PASSWORD, username="colleague").status_code == 302


@pytest.mark.django_db
def test_the_limit_is_a_setting(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 2
    assert log_in(client, "wrong").status_code == 200
    assert log_in(client, "wrong").status_code == 429


@pytest.mark.django_db
def test_scripts_get_the_lockout_as_json(client, editor, settings):
    fail(client, settings.AXES_FAILURE_LIMIT)
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": PASSWORD},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 429
    assert response.json()["failure_limit"] == settings.AXES_FAILURE_LIMIT


@pytest.mark.django_db
def test_test_client_login_and_force_login_still_work(client, editor, admin_user):
    # django-axes needs a request to throttle; the test client's login()
    # (like the shell) has none and goes straight to the model backend.
    assert client.login(username="editor", password=PASSWORD)
    assert not client.login(username="editor", password="wrong")
    client.force_login(admin_user)
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username, headers",
    [
        ("x" * 400, {}),  # longer than axes' 255-character column
        ("党" * 300, {}),
        ("editor", {"user-agent": "Mozilla\x00/5.0"}),  # PostgreSQL text cannot hold NUL
        ("editor", {"accept": "text/html\x00"}),
    ],
    ids=["long-name", "long-chinese-name", "nul-user-agent", "nul-accept"],
)
def test_failed_logins_with_hostile_values_are_recorded_not_a_500(client, editor, settings, username, headers):
    client.raise_request_exception = False
    statuses = [
        client.post(reverse("admin:login"), {"username": username, "password": "wrong"}, headers=headers).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429


@pytest.mark.django_db
def test_logout_with_a_nul_user_agent_is_not_a_500(client, editor):
    client.raise_request_exception = False
    assert client.post(reverse("admin:login"), {"username": "editor", "password": PASSWORD}).status_code == 302
    assert client.post(reverse("admin:logout"), headers={"user-agent": "a\x00b"}).status_code < 500


class Browser:
    """A person logging in through nginx from one loopback address, with its own CSRF cookie."""

    def __init__(self, request_from, source):
        self.request_from, self.source = request_from, source
        status, headers, body = request_from(source, "GET", reverse("admin:login"))
        assert status == 200
        self.cookie = next(
            value.split(";", 1)[0]
            for name, value in headers.items()
            if name.lower() == "set-cookie" and value.startswith("csrftoken=")
        )
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode()).group(1)

    def log_in(self, password, *, forwarded_for=None, username="editor"):
        headers = {"Cookie": self.cookie, "Content-Type": "application/x-www-form-urlencoded"}
        if forwarded_for:
            headers["X-Forwarded-For"] = forwarded_for
        body = urlencode(
            {
                "csrfmiddlewaretoken": self.token,
                "username": username,
                "password": password,
                "next": reverse("admin:index"),
            }
        )
        status, _, _ = self.request_from(self.source, "POST", reverse("admin:login"), headers=headers, body=body)
        return status


@pytest.mark.django_db(transaction=True)
def test_behind_nginx_an_attacker_locks_out_only_their_own_address(request_from, editor, settings):
    attacker, user = Browser(request_from, "127.0.0.5"), Browser(request_from, "127.0.0.6")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # A new made-up client address in front of each attempt.
        status = attacker.log_in("wrong-password", forwarded_for=f"203.0.113.{attempt}, 198.51.100.{attempt}")
        assert status == (200 if attempt < settings.AXES_FAILURE_LIMIT - 1 else 429)

    assert attacker.log_in(PASSWORD, forwarded_for="203.0.113.99") == 429, "the attacker's own address is locked out"
    assert attacker.log_in(PASSWORD) == 429
    assert user.log_in(PASSWORD) == 302, "the real user, at another address, logs in"
