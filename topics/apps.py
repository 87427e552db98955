from django.apps import AppConfig


class TopicsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "topics"
    verbose_name = "专题栏目"
    # Topic names, order and navigation appear on every page: a change of a
    # topic is a site change (articles.events).
