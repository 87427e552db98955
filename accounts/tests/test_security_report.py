"""`manage.py security_report`: the yearly checklist, computed from the live configuration."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accounts import policy_report, roles
from accounts.models import SecurityPolicy
from articles.tests.test_roles import user_in

pytestmark = pytest.mark.django_db


def report():
    out = StringIO()
    try:
        call_command("security_report", stdout=out)
    except CommandError as failed:
        return out.getvalue(), failed.returncode
    return out.getvalue(), 0


def checks():
    return {check.requirement: check for check in policy_report.checklist()}


def test_the_report_prints_every_requirement_and_fails_with_exit_code_1_on_a_bare_test_setup():
    text, code = report()
    assert code == 1  # DEBUG-less test settings lack HTTPS, 2FA settings …
    assert "[不通过] 三员分立：安全审计员已指定" in text
    assert "[通过  ] 三员分立：无账号兼任两个三员角色" in text
    assert "审计日志：保留不少于 365 天" in text
    assert text.strip().splitlines()[-1].startswith("共 ")


def test_two_roles_on_one_account_fail_the_report_even_when_written_around_the_checks():
    user = user_in(roles.AUDITOR, "both")
    # A row written straight into the m2m table (no signal): the report still sees it.
    through = type(user).groups.through
    through.objects.bulk_create([through(user_id=user.pk, group_id=roles_group(roles.SYSTEM_ADMIN))])
    check = checks()["三员分立：无账号兼任两个三员角色"]
    assert not check.passed and "both" in check.detail


def roles_group(name):
    from django.contrib.auth.models import Group

    return Group.objects.get(name=name).pk


def test_the_three_officers_and_one_superuser_pass(django_user_model):
    for role in roles.OFFICERS:
        user_in(role, f"u-{role}")
    django_user_model.objects.create_superuser("root", password="x")
    result = checks()
    assert all(result[f"三员分立：{role}已指定"].passed for role in roles.OFFICERS)
    assert result["超级管理员仅用于安装（启用的不超过 1 个）"].passed
    django_user_model.objects.create_superuser("root2", password="x")
    assert not checks()["超级管理员仅用于安装（启用的不超过 1 个）"].passed


def test_the_retention_check_fails_below_a_year(settings):
    settings.AUDIT_RETENTION_DAYS = 90
    assert not checks()["审计日志：保留不少于 365 天"].passed
    settings.AUDIT_RETENTION_DAYS = 400
    assert checks()["审计日志：保留不少于 365 天"].passed


def test_the_trigger_check_follows_the_database():
    check = checks()["审计日志：PostgreSQL 触发器拒绝修改和删除"]
    assert check.passed is (connection.vendor == "postgresql")


def test_deployment_settings_are_read_live(settings):
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS = True, 31536000
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.ADMIN_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    settings.OTP_REQUIRED_GROUPS = [*roles.OFFICERS, roles.ADMINISTRATOR]
    result = checks()
    for name in (
        "DEBUG 已关闭",
        "HTTPS：跳转与 HSTS",
        "Cookie 仅经 HTTPS 发送",
        "后台仅限指定网段访问",
        "双因素认证：管理角色必须启用",
    ):
        assert result[name].passed, name
    settings.DEBUG = True
    assert not checks()["DEBUG 已关闭"].passed


def test_the_assessment_must_be_within_a_year():
    assert not checks()["等级保护测评：一年内做过"].passed
    SecurityPolicy(last_assessment_date=dt.date.today() - dt.timedelta(days=100)).save()
    assert checks()["等级保护测评：一年内做过"].passed
