"""Passwords and sessions (issue 22, item 3): three character classes and ten
characters, no reuse of the last five, a forced change after an administrator
set the password, expiry, idle logout and dormant accounts."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountState, PasswordRecord
from articles.tests.test_roles import ADMINISTRATOR, EDITOR, user_in

pytestmark = pytest.mark.django_db

User = get_user_model()
FIRST = "Qingshan-2026"


def codes(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


def change_own_password(client, old, new):
    return client.post(
        reverse("admin:password_change"), {"old_password": old, "new_password1": new, "new_password2": new}
    )


@pytest.fixture
def editor():
    user = user_in(EDITOR, "zhang")
    user.set_password(FIRST)
    user.save()
    return user


def test_a_password_needs_ten_characters_from_three_classes():
    assert "password_too_short" in codes("Ab1-xyz")
    assert "password_too_few_classes" in codes("hongqipiaopiao")  # one class
    assert "password_too_few_classes" in codes("hongqi2026piao")  # two classes
    assert codes("Hongqi2026piao") == set()  # capitals, small letters, digits
    assert codes("hongqi-2026-piao") == set()  # small letters, digits, symbols


def test_a_password_of_the_last_five_is_refused_and_the_sixth_back_is_allowed(editor):
    passwords = [FIRST] + [f"Qingshan-{n}x7" for n in range(1, 6)]
    for new in passwords[1:]:
        editor.refresh_from_db()
        assert codes(new, editor) == set()
        editor.set_password(new)
        editor.save()
    editor.refresh_from_db()
    for reused in passwords[1:]:
        assert "password_reused" in codes(reused, editor), reused
    assert codes(FIRST, editor) == set(), "six changes ago: out of the history"
    assert PasswordRecord.objects.filter(user=editor).count() == 5


def test_the_admin_refuses_a_reused_password_with_a_chinese_message(client, editor):
    client.force_login(editor)
    response = change_own_password(client, FIRST, FIRST)
    assert response.status_code == 200
    assert "不能与最近 5 次使用过的密码相同" in response.content.decode()
    editor.refresh_from_db()
    assert editor.check_password(FIRST)


def test_an_account_created_by_an_administrator_must_change_its_password_first(client):
    administrator = user_in(ADMINISTRATOR, "admin-wang")
    client.force_login(administrator)
    response = client.post(
        reverse("admin:auth_user_add"),
        {"username": "li", "password1": "Chushi-mima-88", "password2": "Chushi-mima-88", "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    li = User.objects.get(username="li")
    assert AccountState.objects.get(user=li).must_change_password
    li.is_staff = True
    li.save()

    client.force_login(li)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url == reverse("admin:password_change")
    assert client.get(reverse("admin:password_change")).status_code == 200

    assert change_own_password(client, "Chushi-mima-88", "Ziji-xuan-de-99").status_code == 302
    assert not AccountState.objects.get(user=li).must_change_password
    assert client.get(reverse("admin:index")).status_code == 200


def test_an_administrators_reset_forces_a_change_at_the_next_visit(client, editor):
    administrator = user_in(ADMINISTRATOR, "admin-wang")
    client.force_login(administrator)
    url = reverse("admin:auth_user_password_change", args=[editor.pk])
    response = client.post(
        url, {"password1": "Chongzhi-2026x", "password2": "Chongzhi-2026x", "usable_password": "true"}
    )
    assert response.status_code == 302
    assert AccountState.objects.get(user=editor).must_change_password

    editor.refresh_from_db()  # the new password's hash signs the session
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 302 and response.url == reverse("admin:password_change")


def test_an_expired_password_leads_to_the_change_page(client, editor, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    client.force_login(editor)
    assert client.get(reverse("admin:index")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        client.force_login(editor)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302 and response.url == reverse("admin:password_change")
        page = client.get(response.url, follow=True).content.decode()
        assert "您的密码已使用超过 90 天" in page
        assert change_own_password(client, FIRST, "Xinmima-2026-q").status_code == 302
        assert client.get(reverse("admin:index")).status_code == 200


def test_an_idle_session_expires_and_an_active_one_does_not(client, editor, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(editor)
        assert client.get(reverse("admin:index")).status_code == 200
        traveller.shift(timedelta(minutes=29))
        assert client.get(reverse("admin:index")).status_code == 200, "used 29 minutes ago: still signed in"
        traveller.shift(timedelta(minutes=29))
        assert client.get(reverse("admin:index")).status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
        assert "_auth_user_id" not in client.session
        page = client.get(response.url).content.decode()
        assert "分钟未操作，为安全起见已自动退出" in page


def test_the_admin_pages_carry_the_idle_warning_script(client, editor, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    client.force_login(editor)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'src="/static/admin-extra/session-timeout.js"' in page
    assert 'data-timeout="1800"' in page and 'data-warning="120"' in page
    assert client.get(reverse("admin:auth_user_keepalive")).status_code == 204


def test_dormant_accounts_are_deactivated(editor):
    active = user_in(EDITOR, "active")
    User.objects.filter(pk=editor.pk).update(last_login=timezone.now() - timedelta(days=91))
    User.objects.filter(pk=active.pk).update(last_login=timezone.now() - timedelta(days=89))
    never = User.objects.create_user("never", password="x")
    User.objects.filter(pk=never.pk).update(date_joined=timezone.now() - timedelta(days=100))
    out = StringIO()
    call_command("lock_dormant_accounts", stdout=out)
    assert "已停用 2 个" in out.getvalue()
    assert set(User.objects.filter(is_active=False).values_list("username", flat=True)) == {"zhang", "never"}


def test_the_edit_pages_heartbeat_does_not_keep_an_idle_session_alive(client, editor, settings):
    from articles.tests.factories import make_draft

    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    article = make_draft(created_by=editor)
    heartbeat = reverse("admin:articles_article_presence", args=[article.pk])
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.force_login(editor)
        assert client.get(reverse("admin:index")).status_code == 200
        for _ in range(4):  # an edit page left open for 40 minutes
            traveller.shift(timedelta(minutes=10))
            client.post(heartbeat)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
