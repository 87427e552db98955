from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project itself, as an app: only so that its system checks are registered."""

    name = "config"
    label = "portal"
    verbose_name = "门户配置"

    def ready(self):
        from config import checks  # noqa: F401 - registers the checks
