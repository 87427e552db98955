from django.apps import AppConfig


class SiteinfoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "siteinfo"
    verbose_name = "网站信息"

    def ready(self):
        from config import pagecache
        from siteinfo import signals  # noqa: F401  (cache invalidation)
        from siteinfo.models import SiteSettings

        # The footer of every page shows the site settings.
        pagecache.register(SiteSettings)
