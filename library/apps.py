from django.apps import AppConfig


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
