from django.apps import AppConfig
from django.db.models.signals import post_migrate


def next_scheduled_publish():
    """When the next scheduled essay appears on the site (None when none is scheduled)."""
    from articles.models import Article

    return Article.objects.scheduled().order_by("published_at").values_list("published_at", flat=True).first()


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "文稿"

    def ready(self):
        from articles import events
        from articles.copies import updates as copy_updates
        from articles.export import checks as export_checks  # noqa: F401  (registers the check)
        from articles.export import files as export_files
        from articles.reading import renditions
        from articles.search import updates as search_updates
        from articles.signals import sync_formulations, sync_proofreading_rules
        from config import pagecache

        # Changes of essays, sections, topics and the site settings become
        # events (articles/events.py), and this app's subscribers listen:
        # the search index, the stored essay pages and the copy index (查重).
        events.connect()
        events.essay_changed.connect(search_updates.essays_changed, dispatch_uid="search:essays")
        events.essay_changed.connect(renditions.essays_changed, dispatch_uid="renditions:essays")
        events.essay_changed.connect(copy_updates.essays_changed, dispatch_uid="copies:essays")
        events.site_changed.connect(renditions.site_changed, dispatch_uid="renditions:site")
        # Word/PDF files of earlier versions of a changed essay are deleted (articles/export/files.py).
        events.essay_changed.connect(export_files.essays_changed, dispatch_uid="export:essays")
        # Cached pages also go stale when a scheduled essay's publish time arrives.
        pagecache.register_schedule(next_scheduled_publish)

        post_migrate.connect(sync_proofreading_rules, sender=self, dispatch_uid="articles.sync_proofreading_rules")
        post_migrate.connect(sync_formulations, sender=self, dispatch_uid="articles.sync_formulations")
