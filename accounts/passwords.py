"""Password rules Django does not ship: three character classes, no reuse of the
last passwords, and whether an account must change its password now.

Both validators are ordinary Django password validators
(``AUTH_PASSWORD_VALIDATORS``), so every form that sets a password (the
admin's, ``changepassword``, ``createsuperuser``) applies them.
django-password-validators' history validator was not taken: its last
release is from December 2023 and it keeps hashes of its own with a salt of
its own; here the history is the account's own Django hashes
(:class:`~accounts.models.PasswordRecord`), checked with ``check_password``.
"""

import string
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def character_classes(password):
    """How many of the four classes (capitals, small letters, digits, anything else) ``password`` uses."""
    classes = [
        any(c.isupper() for c in password),
        any(c.islower() for c in password),
        any(c in string.digits for c in password),
        any(not c.isalnum() for c in password),
    ]
    return sum(classes)


class CharacterClassesValidator:
    """At least ``min_classes`` of: capital letters, small letters, digits, symbols."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_few_classes")

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号中的至少 %(count)d 类。") % {"count": self.min_classes}


class PasswordHistoryValidator:
    """None of the account's last ``count`` passwords again (the current one included)."""

    def __init__(self, count=5):
        self.count = count

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        from accounts.models import PasswordRecord

        hashes = PasswordRecord.objects.filter(user=user).values_list("password", flat=True)[: self.count]
        current = [user.password] if user.password else []
        if any(check_password(password, encoded) for encoded in [*current, *hashes]):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password, user=None):
        """Remember the new password's hash (Django calls this after every save that set a password)."""
        if user is None or user.pk is None or not user.password or not user.has_usable_password():
            return
        from accounts.models import AccountState, PasswordRecord
        from accounts.security_events import audit

        PasswordRecord.objects.create(user=user, password=user.password)
        # A new password clears the forced change; an administrator's reset sets it again after this.
        AccountState.objects.filter(user=user, must_change_password=True).update(must_change_password=False)
        audit("password_changed", target=user.get_username())
        stale = PasswordRecord.objects.filter(user=user).values_list("pk", flat=True)[max(self.count, 1) :]
        PasswordRecord.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self):
        return ngettext(
            "不能与最近 %(count)d 次使用过的密码相同。", "不能与最近 %(count)d 次使用过的密码相同。", self.count
        ) % {"count": self.count}


def password_expired(user, now=None):
    """Whether a staff account's password is older than ``PASSWORD_MAX_AGE_DAYS`` (0: never)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    if days <= 0 or not user.is_staff:
        return False
    latest = user.password_records.values_list("changed_at", flat=True).first()
    if latest is None:
        return False  # set before the history existed: the migration dated every password
    return latest < (now or timezone.now()) - timedelta(days=days)


def must_change_password(user):
    """Whether the account must set a new password before anything else in the admin, and why."""
    from accounts.models import AccountState

    if AccountState.objects.filter(user=user, must_change_password=True).exists():
        return _("请先修改密码：这是新账号的初始密码，或管理员刚重置了您的密码。")
    if password_expired(user):
        return _("您的密码已使用超过 %(days)d 天，请修改后继续。") % {"days": settings.PASSWORD_MAX_AGE_DAYS}
    return ""


def require_change(user, required=True):
    """Set (an administrator created the account or reset its password) or clear the flag."""
    from accounts.models import AccountState

    AccountState.objects.update_or_create(user=user, defaults={"must_change_password": required})
