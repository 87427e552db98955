from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project package as an app: the one table the page cache keeps (config.models)
    and the project's own system checks (config.checks)."""

    name = "config"
    verbose_name = "门户配置"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django_tasks.signals import task_started

        from config import checks  # noqa: F401 - registers the checks

        # A task follows a change that just committed: it reads the primary,
        # never a replica that may not have the change yet (config/routers.py).
        task_started.connect(_read_the_primary, dispatch_uid="config:tasks-read-the-primary")


def _read_the_primary(**kwargs):
    from config import routers

    routers.pin_to_primary()
