"""The audit log (accounts.audit): what is recorded, with whom, from where, and that
nobody — no role, not a superuser, not a raw SQL statement on PostgreSQL — changes it."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from accounts import audit, roles
from accounts.models import AuditEntry
from articles.editing import workflow
from articles.models import ProofreadingRule
from articles.tests.factories import make_draft
from articles.tests.test_roles import user_in
from siteinfo.models import SiteSettings

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-passphrase-2026"
Action = audit.Action


def entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def log_in(client, username, password, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        **extra,
    )


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("zhangsan", password=PASSWORD, is_staff=True)


# --- authentication ------------------------------------------------------------------


def test_a_login_is_recorded_with_the_real_client_address_behind_the_proxy(client, staff):
    # nginx (127.0.0.1, a trusted proxy) appends the client's address; the spoofed left entry is ignored.
    response = log_in(client, "zhangsan", PASSWORD, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.23")
    assert response.status_code == 302
    [entry] = entries(Action.LOGIN)
    assert (entry.user_id, entry.username, entry.address) == (staff.pk, "zhangsan", "198.51.100.23")
    assert entry.security and entry.outcome == audit.SUCCESS
    # last_login moved: that is the login, not a change of the account
    assert not entries(Action.USER_CHANGE)


def test_a_failed_login_keeps_the_typed_name_even_without_an_account(client):
    log_in(client, "nobody-here", "wrong")
    [entry] = entries(Action.LOGIN_FAILED)
    assert entry.user_id is None and entry.username == "nobody-here"
    assert entry.outcome == audit.FAILURE and entry.address == "127.0.0.1"


def test_hostile_text_is_stored_without_nul_and_cut_to_length():
    entry = audit.record(Action.LOGIN_FAILED, username="x\x00" * 300, detail="长" * 10_000)
    entry.refresh_from_db()
    assert "\x00" not in entry.username and len(entry.username) == 255
    assert len(entry.detail) == audit.DETAIL_MAX


def test_a_lockout_is_recorded(client, staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "zhangsan", "wrong")
    assert log_in(client, "zhangsan", "wrong").status_code == 429
    lockouts = entries(Action.LOCKOUT)
    assert lockouts and lockouts[0].username == "zhangsan" and lockouts[0].outcome == audit.DENIED


def test_a_logout_is_recorded(client, staff):
    log_in(client, "zhangsan", PASSWORD)
    client.post(reverse("admin:logout"))
    [entry] = entries(Action.LOGOUT)
    assert entry.user_id == staff.pk


def test_changing_ones_own_password_and_an_administrators_reset_are_told_apart(client, staff):
    log_in(client, "zhangsan", PASSWORD)
    client.post(
        reverse("admin:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-phrase-77",
            "new_password2": "another-long-phrase-77",
        },
    )
    [changed] = entries(Action.PASSWORD_CHANGE)
    assert changed.user_id == staff.pk and changed.object_id == str(staff.pk)

    superuser = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client.force_login(superuser)
    client.post(
        reverse("admin:auth_user_password_change", args=[staff.pk]),
        {"password1": "reset-by-admin-2026", "password2": "reset-by-admin-2026", "usable_password": "true"},
    )
    [reset] = entries(Action.PASSWORD_RESET)
    assert reset.user_id == superuser.pk and reset.object_repr == "zhangsan"


def test_a_hash_upgraded_at_login_is_not_a_password_change(staff):
    # What AbstractBaseUser.check_password's setter does when the hasher changed.
    before = staff.password
    staff.set_password(PASSWORD)
    staff._password = None
    staff.save(update_fields=["password"])
    assert staff.password != before
    assert not entries(Action.PASSWORD_CHANGE) and not entries(Action.PASSWORD_RESET)


# --- accounts, groups, permissions -----------------------------------------------------


def test_account_group_and_permission_changes_are_recorded_from_the_shell_too(staff):
    editors = Group.objects.get(name=roles.EDITOR)
    staff.groups.add(editors)
    editors.user_set.remove(staff)
    staff.user_permissions.add(Permission.objects.get(codename="view_article"))
    staff.user_permissions.clear()
    staff.first_name = "三"
    staff.save()
    staff.delete()
    groups = entries(Action.USER_GROUPS)
    assert [entry.detail for entry in groups] == [f"加入：{roles.EDITOR}", f"移除：{roles.EDITOR}"]
    assert all(entry.object_repr == "zhangsan" and entry.address is None for entry in groups)
    assert [entry.detail.split("：")[0] for entry in entries(Action.USER_PERMISSIONS)] == ["加入", "移除"]
    assert entries(Action.USER_CHANGE)[-1].detail == "修改了：名字"
    [deleted] = entries(Action.USER_DELETE)
    # The account is gone; its entries stay, with its name.
    assert AuditEntry.objects.filter(object_repr="zhangsan").count() >= 5


def test_a_superusers_changes_in_the_admin_are_audited_under_their_name(client, staff):
    root = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client.force_login(root)
    group = Group.objects.create(name="临时组")
    client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": "临时组", "permissions": [Permission.objects.get(codename="view_topic").pk]},
    )
    [entry] = entries(Action.GROUP_PERMISSIONS)
    assert entry.user_id == root.pk and entry.address == "127.0.0.1" and "can view 专题" in entry.detail.lower()


# --- content and settings ----------------------------------------------------------------


def test_every_essay_step_and_the_recycle_bin_are_audited():
    author, reviewer = user_in(roles.AUTHOR, "writer"), user_in(roles.REVIEWER, "checker")
    article = make_draft(created_by=author)
    workflow.submit(article, author)
    workflow.reject(article, reviewer, "请补充材料")
    workflow.move_to_recycle_bin(article, author)
    workflow.restore_from_recycle_bin(article, author)
    steps = AuditEntry.objects.filter(object_id=str(article.pk), content_type__model="article").order_by("id")
    assert [entry.action for entry in steps] == [
        Action.ESSAY_TRANSITION,
        Action.ESSAY_TRANSITION,
        Action.ESSAY_DELETE,
        Action.ESSAY_RESTORE,
    ]
    assert "请补充材料" in steps[1].detail and steps[1].username == "checker"
    assert not any(entry.security for entry in steps)


def test_purging_an_essay_is_audited(client):
    article = make_draft(title="要彻底删除的")
    workflow.move_to_recycle_bin(article, None)
    client.force_login(get_user_model().objects.create_superuser("root", password=PASSWORD))
    client.post(reverse("admin:articles_article_recycle_purge", args=[article.pk]))
    [entry] = entries(Action.ESSAY_PURGE)
    assert entry.object_repr == "要彻底删除的" and entry.username == "root"


def test_rule_and_site_setting_changes_are_audited():
    rule = ProofreadingRule.objects.create(rule_id="custom-1", pattern="开展观", suggestion="发展观")
    rule.enabled = False
    rule.save()
    SiteSettings(organizer="中共某某县委组织部").save()
    assert [entry.detail for entry in entries(Action.RULE_CHANGE)][-1] == "修改了：启用"
    assert entries(Action.SITE_SETTING_CHANGE)[0].detail == "新增"


# --- append-only ------------------------------------------------------------------------


def test_no_role_and_not_even_a_superuser_may_add_change_or_delete_entries_in_the_admin(client):
    entry = audit.record(Action.LOGIN, username="someone")
    root = get_user_model().objects.create_superuser("root", password=PASSWORD)
    client.force_login(root)
    change = reverse("admin:accounts_auditentry_change", args=[entry.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'name="detail"' not in page.content.decode()
    client.post(change, {"detail": "改写"})
    assert client.get(reverse("admin:accounts_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:accounts_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    client.post(
        reverse("admin:accounts_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    entry.refresh_from_db()
    assert entry.detail == ""
    # No role even has a permission to ask for.
    codenames = set(Permission.objects.filter(content_type__app_label="accounts").values_list("codename", flat=True))
    assert not {"add_auditentry", "change_auditentry", "delete_auditentry"} & codenames


def test_on_postgresql_a_raw_delete_or_update_is_refused_by_the_trigger():
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    entry = audit.record(Action.LOGIN, username="someone")
    for statement in (
        "DELETE FROM accounts_auditentry WHERE id = %s",
        "UPDATE accounts_auditentry SET detail = 'forged' WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk, detail="").exists()


def test_deleting_a_user_leaves_their_entries_untouched_on_every_database(staff):
    audit.record(Action.LOGIN, user=staff)
    staff.delete()  # no UPDATE of the log (the trigger would refuse one on PostgreSQL)
    entry = AuditEntry.objects.get(action=Action.LOGIN)
    assert entry.username == "zhangsan" and entry.user_id is not None


def test_an_action_rolled_back_leaves_no_entry():
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(Action.EXPORT, detail="x")
        raise RuntimeError
    assert not entries(Action.EXPORT)


@pytest.mark.django_db
def test_second_factor_and_dormant_account_events_reach_the_audit_log_once():
    """accounts.security_events: the events of the password policy and the second factor are
    audit entries; what the audit log records by itself (a password change) is not written twice."""
    from accounts import security_events
    from accounts.actions import Action

    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    security_events.audit("otp_failed", user="zhangsan")
    security_events.audit("account_locked_dormant", target="lisi", days=90)
    security_events.audit("password_changed", target="zhangsan")
    entries = list(AuditEntry.objects.filter(id__gt=before).order_by("id"))
    assert [(entry.action, entry.outcome, entry.username) for entry in entries] == [
        (Action.OTP_FAILED, audit.FAILURE, "zhangsan"),
        (Action.ACCOUNT_DORMANT_LOCKED, audit.SUCCESS, "lisi"),
    ]
    assert "lisi" in entries[1].detail and entries[1].security


@pytest.mark.django_db
def test_sensitive_list_changes_are_audited():
    from accounts.actions import Action
    from articles.models import SensitiveTerm

    term = SensitiveTerm.objects.create(text="某敏感说法", replacement="规范说法")
    term.replacement = "另一规范说法"
    term.save()
    term.delete()
    changes = AuditEntry.objects.filter(action=Action.SENSITIVE_WORD_CHANGE)
    assert changes.count() == 3  # added, changed, deleted
    assert all("某敏感说法" in entry.object_repr for entry in changes)
