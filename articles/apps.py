from django.apps import AppConfig
from django.db.models.signals import post_migrate


def next_scheduled_publish():
    """When the next scheduled essay appears on the site (None when none is scheduled)."""
    from articles.models import Article

    return (
        Article.objects.scheduled().order_by("published_at")
        .values_list("published_at", flat=True).first()
    )


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "文稿"

    def ready(self):
        from articles.search import connect_signals
        from articles.signals import sync_proofreading_rules

        # Keep the search index current when essays, sections or topics change.
        connect_signals()

        # Cached pages go stale when an essay or its sections change, and when
        # a scheduled essay's publish time arrives (config/pagecache.py).
        from articles.models import Article, Section
        from config import pagecache

        pagecache.register(Article, m2m_fields=["topics"])
        pagecache.register(Section)
        pagecache.register_schedule(next_scheduled_publish)

        post_migrate.connect(
            sync_proofreading_rules, sender=self, dispatch_uid="articles.sync_proofreading_rules"
        )
