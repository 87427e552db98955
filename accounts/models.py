"""The audit log (``AuditEntry``, written by ``accounts.audit.record`` only), the one row of
security particulars the 安全保密管理员 keeps (``SecurityPolicy``), and what the password
policy remembers about each account (``PasswordRecord``, ``AccountState``: ``accounts.passwords``,
``accounts.policy``).

The roles themselves are ``auth`` groups (``accounts.roles``), set on ``post_migrate``
(``accounts.apps``).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.actions import OUTCOMES, Action


class AuditEntry(models.Model):
    """One audited event: who, when, from where, what, on which object, with what outcome.

    Append-only. Nothing in the project updates or deletes a row: the admin
    shows the log read-only to every role (superusers included), the model has
    only the ``view`` permission, and on PostgreSQL a trigger refuses UPDATE,
    DELETE and TRUNCATE on the table (migration 0002) except for the pruning
    of ``manage.py archive_audit_log`` after it has written and verified a
    signed archive.
    """

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        null=True,
        blank=True,
        # A deleted account's entries stay unchanged: no constraint, no SET NULL
        # (an UPDATE, which the trigger refuses); the name is kept in ``username``.
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    # The name as it was: stays readable when the account is deleted or renamed,
    # and holds the name typed in a failed login (no account at all).
    username = models.CharField(_("用户名"), max_length=255, blank=True)
    address = models.GenericIPAddressField(_("客户端地址"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=40, choices=Action.choices, db_index=True)
    # Security entries (authentication, accounts, roles and permissions,
    # security settings, the audit log itself) are for the 安全审计员 and
    # 安全保密管理员 only: the 系统管理员 sees the others (accounts.audit).
    security = models.BooleanField(_("安全类"), default=False, db_index=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("对象类型"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    outcome = models.CharField(_("结果"), max_length=20, choices=list(OUTCOMES.items()), default="success")
    detail = models.TextField(_("详情"), blank=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ("-at", "-id")
        # Nobody adds, changes or deletes entries, so those permissions do not exist.
        default_permissions = ("view",)
        permissions = (
            ("view_security_auditentry", _("查看安全类审计日志")),
            ("export_auditentry", _("导出审计日志")),
        )

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.action}"


class SecurityPolicy(models.Model):
    """The security particulars kept in the database (one row, pk = 1); the policy values
    themselves are settings, shown read-only beside them (accounts.admin)."""

    last_assessment_date = models.DateField(_("上次等级保护测评日期"), null=True, blank=True)
    assessment_note = models.CharField(
        _("测评说明"), max_length=500, blank=True, help_text=_("例如测评机构、测评结论、报告编号。")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("安全设置")
        verbose_name_plural = _("安全设置")
        permissions = (("assign_roles", _("分配用户角色（用户组）")),)

    def __str__(self):
        return str(_("安全设置"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class PasswordRecord(models.Model):
    """One password an account has had: its hash (never the password) and when it was set.

    The newest record dates the current password (expiry); the last
    ``PASSWORD_HISTORY_COUNT`` refuse a reused password.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_records", verbose_name="账号"
    )
    password = models.CharField("密码哈希", max_length=128)
    changed_at = models.DateTimeField("设置时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "历史密码"
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.user} {self.changed_at:%Y-%m-%d}"


class AccountState(models.Model):
    """Per-account security flags: a password to be changed at the next visit to the admin."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security_state", verbose_name="账号"
    )
    must_change_password = models.BooleanField(
        "下次登录须修改密码",
        default=False,
        help_text="新建账号和管理员重置密码后自动设置；本人修改密码后清除。",
    )

    class Meta:
        verbose_name = verbose_name_plural = "账号安全状态"

    def __str__(self):
        return str(self.user)
