from django.apps import AppConfig


class TopicsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "topics"
    verbose_name = "专题栏目"

    def ready(self):
        from config import pagecache
        from topics.models import Topic

        # Topic names, order and navigation appear on every page.
        pagecache.register(Topic)
