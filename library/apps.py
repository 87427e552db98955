import sys

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, router
from django.db.models.signals import post_migrate


def sync_concepts(sender, app_config=None, using=DEFAULT_DB_ALIAS, verbosity=1, **kwargs):
    """After ``migrate`` (and ``flush``), copy ``library/concepts.txt`` into the database;
    editors' concepts and choices survive (``library.lexicon.sync_shipped_concepts``)."""
    try:
        (kwargs.get("apps") or global_apps).get_model("library", "Concept")
    except LookupError:
        return  # migrated back to before the table existed
    from library.lexicon import sync_shipped_concepts
    from library.models import Concept

    if not router.allow_migrate_model(using, Concept):
        return
    report = sync_shipped_concepts(using=using)
    if (verbosity >= 1 and report.changed) or verbosity >= 2:
        stdout = kwargs.get("stdout") or sys.stdout
        stdout.write(str(report) + "\n")


class LibraryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "library"
    verbose_name = "问题库与对策库"

    def ready(self):
        from articles import events
        from library import (
            checks,  # noqa: F401 - registers the checks
            tasks,
        )

        # Regroup (as a task) after essays that concern the library change (articles.events).
        events.essay_changed.connect(tasks.essays_changed, dispatch_uid="library:essays")
        post_migrate.connect(sync_concepts, sender=self, dispatch_uid="library.sync_concepts")
