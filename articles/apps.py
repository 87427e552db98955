from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "文稿"

    def ready(self):
        from articles.search import connect_signals
        from articles.signals import sync_proofreading_rules

        # Keep the search index current when essays, sections or topics change.
        connect_signals()

        post_migrate.connect(
            sync_proofreading_rules, sender=self, dispatch_uid="articles.sync_proofreading_rules"
        )
