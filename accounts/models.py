"""What the password policy remembers about each account (``accounts.passwords``,
``accounts.policy``). The roles themselves are ``auth`` groups (``accounts.roles``),
set after every migrate (``accounts.apps``)."""

from django.conf import settings
from django.db import models


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
