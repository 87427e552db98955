"""Signal handlers of the accounts app (connected in ``AccountsConfig.ready``)."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS, router


def set_role_permissions(sender, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """After ``migrate`` (and ``flush``): give the role groups exactly their declared permissions."""
    try:
        Group = apps.get_model("auth", "Group")
        apps.get_model("contenttypes", "ContentType")
    except LookupError:
        return  # migrated back to before auth or contenttypes
    if not router.allow_migrate_model(using, Group):
        return
    # Django creates each app's permissions on this same signal, app by app:
    # those of apps after this one may not exist yet. Creating is idempotent.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, interactive=False, using=using, apps=apps)
    from accounts.roles import apply_roles

    apply_roles(using, apps)
