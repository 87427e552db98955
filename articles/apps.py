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

        # Stored essay pages (articles/renditions.py) show the sections and the
        # topics' names: changes to those that do not save the essay drop them.
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

        from articles.reading import renditions
        from topics.models import Topic

        post_save.connect(renditions.section_changed, sender=Section, dispatch_uid="renditions:section:save")
        post_delete.connect(renditions.section_changed, sender=Section, dispatch_uid="renditions:section:delete")
        m2m_changed.connect(
            renditions.topics_of_essay_changed, sender=Article.topics.through, dispatch_uid="renditions:topics"
        )
        post_save.connect(renditions.topic_changed, sender=Topic, dispatch_uid="renditions:topic:save")
        pre_delete.connect(renditions.topic_changed, sender=Topic, dispatch_uid="renditions:topic:delete")

        post_migrate.connect(
            sync_proofreading_rules, sender=self, dispatch_uid="articles.sync_proofreading_rules"
        )
