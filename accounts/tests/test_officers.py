"""三员分立: the three officers' roles, what each may do and see, and that no account
holds two of them — refused in the account form, and at the m2m level for the shell
and any bulk change."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from accounts import audit, roles
from accounts.models import AuditEntry
from articles.tests.factories import make_draft
from articles.tests.test_roles import in_review, logged_in, user_in, workflow_url

pytestmark = pytest.mark.django_db

SYSTEM_ADMIN, SECURITY_ADMIN, AUDITOR = roles.SYSTEM_ADMIN, roles.SECURITY_ADMIN, roles.AUDITOR
CHANGELIST = reverse("admin:accounts_auditentry_changelist")


def group(name):
    return Group.objects.get(name=name)


# --- two of the three are refused ---------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"), [(SYSTEM_ADMIN, AUDITOR), (SECURITY_ADMIN, AUDITOR), (SYSTEM_ADMIN, SECURITY_ADMIN)]
)
def test_the_shell_cannot_give_one_account_two_officers_roles(first, second):
    user = user_in(first, "one")
    # (each in a savepoint: the refusal breaks the transaction it happens in)
    with pytest.raises(ValidationError, match="三员分立"), transaction.atomic():
        user.groups.add(group(second))
    with pytest.raises(ValidationError, match="三员分立"), transaction.atomic():
        group(second).user_set.add(user)  # the reverse direction, as a bulk script would
    with pytest.raises(ValidationError, match="三员分立"), transaction.atomic():
        user.groups.set([group(first), group(second)])
    assert list(user.groups.values_list("name", flat=True)) == [first]


def test_both_at_once_on_a_new_account_are_refused_too():
    user = get_user_model().objects.create_user("fresh")
    with pytest.raises(ValidationError), transaction.atomic():
        user.groups.add(group(SYSTEM_ADMIN), group(AUDITOR))
    assert not user.groups.exists()


def test_an_officer_may_hold_a_content_role_and_switching_officer_roles_works():
    user = user_in(AUDITOR, "one")
    user.groups.add(group(roles.EDITOR))
    user.groups.set([group(SYSTEM_ADMIN)])
    assert set(user.groups.values_list("name", flat=True)) == {SYSTEM_ADMIN}


def test_the_account_form_refuses_two_officers_roles_with_a_message_and_audits_it(client):
    root = get_user_model().objects.create_superuser("root", password="x")
    account = user_in(SYSTEM_ADMIN, "sysadmin")
    response = logged_in(client, root).post(
        reverse("admin:auth_user_change", args=[account.pk]),
        {
            "username": "sysadmin",
            "is_active": "on",
            "is_staff": "on",
            "groups": [group(SYSTEM_ADMIN).pk, group(AUDITOR).pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 200
    assert "三员分立" in response.content.decode()
    assert set(account.groups.values_list("name", flat=True)) == {SYSTEM_ADMIN}
    refused = AuditEntry.objects.get(action=audit.Action.ROLE_CONFLICT_REFUSED)
    assert refused.outcome == audit.DENIED and refused.username == "root"


# --- what each officer may do -------------------------------------------------------------


def test_the_system_administrator_approves_no_content_and_manages_accounts_and_site_settings(client):
    officer = user_in(SYSTEM_ADMIN, "sysadmin")
    article = in_review(created_by=user_in(roles.AUTHOR, "writer"))
    logged_in(client, officer)
    assert client.post(workflow_url(article, "approve"), {"comment": "同意"}).status_code == 403
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_user_add")).status_code == 200
    assert client.get(reverse("admin:siteinfo_sitesettings_add")).status_code == 200
    assert client.get(reverse("admin:accounts_securitypolicy_changelist")).status_code == 403


def test_the_auditor_reads_and_exports_the_log_and_nothing_else(client):
    auditor = user_in(AUDITOR, "auditor")
    audit.record(audit.Action.LOGIN, username="someone")
    logged_in(client, auditor)
    assert client.get(CHANGELIST).status_code == 200
    export = client.get(reverse("admin:accounts_auditentry_export"))
    assert export.status_code == 200
    csv = b"".join(export.streaming_content).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("时间,用户,客户端地址,操作")
    assert "someone" in csv
    assert AuditEntry.objects.filter(action=audit.Action.AUDIT_EXPORT, username="auditor").exists()
    for url in (
        reverse("admin:articles_article_changelist"),
        reverse("admin:auth_user_changelist"),
        reverse("admin:siteinfo_sitesettings_changelist"),
        reverse("admin:accounts_securitypolicy_changelist"),
    ):
        assert client.get(url, follow=True).status_code == 403, url


def test_the_system_administrator_does_not_see_security_entries_nor_export(client):
    audit.record(audit.Action.LOGIN, username="login-entry")
    audit.record(audit.Action.ESSAY_TRANSITION, username="content-entry")
    logged_in(client, user_in(SYSTEM_ADMIN, "sysadmin"))
    page = client.get(CHANGELIST).content.decode()
    assert "content-entry" in page and "login-entry" not in page
    login = AuditEntry.objects.get(username="login-entry")
    assert client.get(reverse("admin:accounts_auditentry_change", args=[login.pk])).status_code == 302  # not found
    assert client.get(reverse("admin:accounts_auditentry_export")).status_code == 403


def test_content_roles_other_than_the_administrator_do_not_see_the_audit_log(client):
    logged_in(client, user_in(roles.EDITOR, "editor"))
    assert client.get(CHANGELIST).status_code == 403


def test_the_security_administrator_assigns_roles_but_changes_nothing_else_of_an_account(client):
    officer = user_in(SECURITY_ADMIN, "secadmin")
    account = get_user_model().objects.create_user("newbie", password="x", is_staff=True, first_name="新")
    logged_in(client, officer)
    url = reverse("admin:auth_user_change", args=[account.pk])
    response = client.post(url, {"groups": [group(roles.EDITOR).pk], "first_name": "改名", "is_superuser": "on"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert list(account.groups.values_list("name", flat=True)) == [roles.EDITOR]
    assert (account.first_name, account.is_superuser) == ("新", False)
    # no password page, no own roles, no superuser's account
    assert client.get(reverse("admin:auth_user_password_change", args=[account.pk])).status_code == 403
    client.post(reverse("admin:auth_user_change", args=[officer.pk]), {"groups": [group(roles.ADMINISTRATOR).pk]})
    assert list(officer.groups.values_list("name", flat=True)) == [SECURITY_ADMIN]
    root = get_user_model().objects.create_superuser("root", password="x")
    assert client.get(reverse("admin:auth_user_change", args=[root.pk])).status_code in (200, 302)
    client.post(reverse("admin:auth_user_change", args=[root.pk]), {"groups": [group(roles.EDITOR).pk]})
    assert not root.groups.exists()
    # and it is all in the log, as security entries
    entry = AuditEntry.objects.get(action=audit.Action.USER_GROUPS, object_repr="newbie")
    assert entry.username == "secadmin" and entry.security


def test_the_security_administrator_edits_the_security_settings_page(client):
    logged_in(client, user_in(SECURITY_ADMIN, "secadmin"))
    response = client.get(reverse("admin:accounts_securitypolicy_changelist"), follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "密码最小长度" in page and "10 个字符" in page and "审计日志保留" in page and "365 天" in page
    client.post(reverse("admin:accounts_securitypolicy_add"), {"last_assessment_date": "2026-06-30"})
    from accounts.models import SecurityPolicy

    assert str(SecurityPolicy.current().last_assessment_date) == "2026-06-30"
    assert AuditEntry.objects.filter(action=audit.Action.SECURITY_SETTING_CHANGE, username="secadmin").exists()


def test_the_content_administrator_cannot_grant_officers_roles(client):
    admin = user_in(roles.ADMINISTRATOR, "content-admin")
    account = get_user_model().objects.create_user("someone", is_staff=True)
    make_draft()
    logged_in(client, admin)
    response = client.post(
        reverse("admin:auth_user_change", args=[account.pk]),
        {
            "username": "someone",
            "is_staff": "on",
            "is_active": "on",
            "groups": [group(AUDITOR).pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 200  # the choice is refused
    assert not account.groups.exists()
