from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_save


class AccountsConfig(AppConfig):
    """Staff accounts, their roles (groups) and the audit log: see ``accounts.roles``,
    ``accounts.audit`` and ``accounts.admin``."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "用户与角色"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth import signals as auth_signals

        from accounts import signals

        post_migrate.connect(signals.set_role_permissions, sender=self, dispatch_uid="accounts.set_role_permissions")
        auth_signals.user_logged_in.connect(signals.logged_in, dispatch_uid="accounts.audit.login")
        auth_signals.user_logged_out.connect(signals.logged_out, dispatch_uid="accounts.audit.logout")
        auth_signals.user_login_failed.connect(signals.login_failed, dispatch_uid="accounts.audit.login_failed")
        user_locked_out.connect(signals.locked_out, dispatch_uid="accounts.audit.lockout")
        pre_save.connect(signals.before_save, dispatch_uid="accounts.audit.pre_save")
        post_save.connect(signals.after_save, dispatch_uid="accounts.audit.post_save")
        post_delete.connect(signals.after_delete, dispatch_uid="accounts.audit.post_delete")
        m2m_changed.connect(signals.m2m_changed, dispatch_uid="accounts.audit.m2m")
