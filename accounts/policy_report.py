"""The security policy in force, read from the live configuration and database: the
values the 安全设置 page shows, and the checklist ``manage.py security_report`` prints
for the yearly 等保 assessment (issue 22's requirements, pass or fail).

Settings another part of the project adds (password history and expiry, idle
logout, dormant accounts, two-factor roles, admin networks) are read with
``getattr`` and a default: a deployment without them reports them as missing
(a failed check), not a crash.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection, connections

MIN_RETENTION_DAYS = 365


def retention_days():
    """``AUDIT_RETENTION_DAYS``, never less than a year (互联网政务应用安全管理规定 Art. 20)."""
    return max(int(getattr(settings, "AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS)), MIN_RETENTION_DAYS)


def _validator_options(suffix):
    for validator in getattr(settings, "AUTH_PASSWORD_VALIDATORS", []):
        if validator.get("NAME", "").endswith(suffix):
            return validator.get("OPTIONS", {})
    return None


def password_min_length():
    options = _validator_options("MinimumLengthValidator")
    return None if options is None else int(options.get("min_length", 8))


def password_min_classes():
    options = _validator_options("CharacterClassesValidator")
    return None if options is None else int(options.get("min_classes", 3))


def password_history():
    options = _validator_options("PasswordHistoryValidator")
    if options is None:
        return None
    return int(options.get("count", getattr(settings, "PASSWORD_HISTORY_COUNT", 5)))


def _setting(name, default=None):
    return getattr(settings, name, default)


def _or_unset(value, unit=""):
    return "未配置" if value in (None, "", []) else f"{value}{unit}"


def policy_values():
    """(label, value) pairs for the 安全设置 page, in Chinese."""
    from accounts.models import SecurityPolicy

    networks = _setting("ADMIN_ALLOWED_NETWORKS")
    otp_groups = _setting("OTP_REQUIRED_GROUPS")
    policy = SecurityPolicy.current()
    return [
        ("密码最小长度", _or_unset(password_min_length(), " 个字符")),
        ("密码字符种类（至少）", _or_unset(password_min_classes(), " 类")),
        ("不得重复使用最近的密码", _or_unset(password_history(), " 个")),
        ("员工密码有效期", _or_unset(_setting("PASSWORD_MAX_AGE_DAYS"), " 天")),
        ("空闲自动退出", _or_unset(_setting("SESSION_IDLE_TIMEOUT_MINUTES"), " 分钟")),
        ("长期未登录账号锁定", _or_unset(_setting("DORMANT_ACCOUNT_DAYS"), " 天")),
        (
            "登录失败锁定",
            f"{settings.AXES_FAILURE_LIMIT} 次失败后锁定 {settings.AXES_COOLOFF_TIME}（按账号名与来源地址）",
        ),
        ("须双因素认证的角色", "、".join(otp_groups) if otp_groups else "未配置"),
        ("后台允许访问的网段", "、".join(networks) if networks else "未限制"),
        ("审计日志保留", f"{retention_days()} 天"),
        ("审计日志防篡改触发器", "已启用" if audit_trigger_present() else "未启用（仅 PostgreSQL 支持）"),
        ("上次等级保护测评", str(policy.last_assessment_date) if policy.last_assessment_date else "未记录"),
    ]


def audit_trigger_present(using=None):
    """Whether the PostgreSQL trigger refusing UPDATE/DELETE of audit entries is installed."""
    conn = connection if using is None else connections[using]
    if conn.vendor != "postgresql":
        return False
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_trigger WHERE tgname = 'accounts_auditentry_no_update_delete' AND NOT tgisinternal"
        )
        return cursor.fetchone() is not None


@dataclass
class Check:
    requirement: str  # the item, in Chinese
    passed: bool
    detail: str


def checklist():
    """Every check of the yearly report, from the live configuration and database."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts import roles
    from accounts.models import AuditEntry, SecurityPolicy

    User = get_user_model()
    checks = []

    def add(requirement, passed, detail):
        checks.append(Check(requirement, bool(passed), detail))

    # 1. audit log
    postgres = connection.vendor == "postgresql"
    add(
        "审计日志：PostgreSQL 触发器拒绝修改和删除",
        postgres and audit_trigger_present(),
        "已安装" if postgres and audit_trigger_present() else f"数据库为 {connection.vendor}，无触发器",
    )
    configured = int(getattr(settings, "AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS))
    add("审计日志：保留不少于 365 天", configured >= MIN_RETENTION_DAYS, f"AUDIT_RETENTION_DAYS = {configured}")
    key_derived = not getattr(settings, "AUDIT_ARCHIVE_KEY", "")
    add(
        "审计日志：归档签名密钥单独配置",
        not key_derived,
        "由 SECRET_KEY 派生（建议单独设置 AUDIT_ARCHIVE_KEY）" if key_derived else "已设置 AUDIT_ARCHIVE_KEY",
    )
    oldest = AuditEntry.objects.order_by("at").values_list("at", flat=True).first()
    add("审计日志：正在记录", oldest is not None, f"最早一条：{oldest:%Y-%m-%d}" if oldest else "没有任何记录")

    # 2. 三员分立
    existing = set(Group.objects.filter(name__in=roles.OFFICERS).values_list("name", flat=True))
    add("三员分立：三个角色已建立", existing == set(roles.OFFICERS), "、".join(sorted(existing)) or "无")
    conflicts = [
        user.username
        for user in User.objects.filter(groups__name__in=roles.OFFICERS).distinct().prefetch_related("groups")
        if roles.officer_conflict(group.name for group in user.groups.all())
    ]
    add("三员分立：无账号兼任两个三员角色", not conflicts, "、".join(conflicts) or "无")
    for officer in roles.OFFICERS:
        holders = User.objects.filter(groups__name=officer, is_active=True).count()
        add(f"三员分立：{officer}已指定", holders > 0, f"{holders} 个启用的账号")
    superusers = User.objects.filter(is_superuser=True, is_active=True).count()
    add("超级管理员仅用于安装（启用的不超过 1 个）", superusers <= 1, f"{superusers} 个启用的超级管理员")

    # 3-5. passwords, sessions, two-factor, networks (settings of i22-access; missing = fail)
    length, classes, history = password_min_length(), password_min_classes(), password_history()
    add("密码：长度不少于 10", (length or 0) >= 10, _or_unset(length))
    add("密码：至少三类字符", (classes or 0) >= 3, _or_unset(classes))
    add("密码：不得重复最近 5 个", (history or 0) >= 5, _or_unset(history))
    max_age = _setting("PASSWORD_MAX_AGE_DAYS")
    add("密码：设置有效期", bool(max_age), _or_unset(max_age, " 天"))
    idle = _setting("SESSION_IDLE_TIMEOUT_MINUTES")
    add("会话：空闲超时退出", bool(idle), _or_unset(idle, " 分钟"))
    dormant = _setting("DORMANT_ACCOUNT_DAYS")
    add("账号：长期未登录锁定", bool(dormant), _or_unset(dormant, " 天"))
    add(
        "登录失败锁定（按账号名与真实来源地址）",
        settings.AXES_FAILURE_LIMIT > 0 and ["username", "ip_address"] in settings.AXES_LOCKOUT_PARAMETERS,
        f"{settings.AXES_FAILURE_LIMIT} 次",
    )
    otp_groups = set(_setting("OTP_REQUIRED_GROUPS") or [])
    add(
        "双因素认证：管理角色必须启用",
        set(roles.OFFICERS) | {roles.ADMINISTRATOR} <= otp_groups,
        "、".join(sorted(otp_groups)) or "未配置",
    )
    networks = _setting("ADMIN_ALLOWED_NETWORKS") or []
    add("后台仅限指定网段访问", bool(networks), "、".join(networks) or "未限制")

    # deployment
    add("DEBUG 已关闭", not settings.DEBUG, f"DEBUG = {settings.DEBUG}")
    https = bool(getattr(settings, "SECURE_SSL_REDIRECT", False)) and getattr(settings, "SECURE_HSTS_SECONDS", 0) > 0
    add("HTTPS：跳转与 HSTS", https, f"SECURE_SSL_REDIRECT={getattr(settings, 'SECURE_SSL_REDIRECT', False)}")
    add(
        "Cookie 仅经 HTTPS 发送",
        bool(getattr(settings, "SESSION_COOKIE_SECURE", False) and getattr(settings, "CSRF_COOKIE_SECURE", False)),
        f"SESSION_COOKIE_SECURE={getattr(settings, 'SESSION_COOKIE_SECURE', False)}",
    )

    # 7. assessment
    last = SecurityPolicy.current().last_assessment_date
    from django.utils import timezone

    fresh = last is not None and (timezone.localdate() - last).days <= 366
    add("等级保护测评：一年内做过", fresh, str(last) if last else "未记录")
    return checks
