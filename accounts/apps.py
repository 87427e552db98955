from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    """Staff accounts and their roles (groups): see ``accounts.roles`` and ``accounts.admin``."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "用户与角色"

    def ready(self):
        from accounts.signals import set_role_permissions

        post_migrate.connect(set_role_permissions, sender=self, dispatch_uid="accounts.set_role_permissions")
