from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The project package as an app, for the one table the page cache keeps (config.models)."""

    name = "config"
    verbose_name = "站点配置"
    default_auto_field = "django.db.models.BigAutoField"
