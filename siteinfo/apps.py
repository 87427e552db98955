from django.apps import AppConfig


class SiteinfoConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "siteinfo"
    verbose_name = "网站信息"
    # A change of the site settings (the footer of every page) is a site
    # change: articles.events forgets the cached row and starts a new
    # page-cache generation.
