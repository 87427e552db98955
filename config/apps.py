from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project package as an app: the one table the page cache keeps (config.models)
    and the project's own system checks (config.checks)."""

    name = "config"
    verbose_name = "门户配置"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from config import checks  # noqa: F401 - registers the checks
