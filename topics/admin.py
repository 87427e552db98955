"""Editors' view of topics: the two-level tree, ordered and counted."""

from django.contrib import admin
from django.db.models import Count, F
from django.db.models.functions import Coalesce
from django.utils.html import format_html

from topics.models import Topic

# Each column (栏目) followed by its topics (专题): sort by the column's
# position, keep a column's children together, the column itself first.
TREE_ORDERING = [
    Coalesce("parent__position", "position").asc(),
    Coalesce("parent_id", "id").asc(),
    F("parent_id").asc(nulls_first=True),
    "position",
    "id",
]


def tree_label(topic):
    """“栏目 / 专题” for a child topic, the bare name for a column (needs ``parent`` loaded)."""
    return f"{topic.parent.name} / {topic.name}" if topic.parent_id else topic.name


class LevelFilter(admin.SimpleListFilter):
    title = "层级"
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return [("column", "栏目"), ("topic", "专题")]

    def queryset(self, request, queryset):
        if self.value() == "column":
            return queryset.filter(parent__isnull=True)
        if self.value() == "topic":
            return queryset.filter(parent__isnull=False)
        return queryset


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("tree_name", "parent", "position", "show_in_nav", "article_count")
    list_display_links = ("tree_name",)
    list_editable = ("position", "show_in_nav")
    list_filter = (LevelFilter, "show_in_nav")
    list_select_related = ("parent",)
    search_fields = ("name", "slug", "description")
    ordering = TREE_ORDERING
    # No prepopulated slug: JavaScript would transliterate nothing useful from
    # Chinese; a blank slug is filled with pinyin on save (topics.slugs).
    fields = ("name", "slug", "parent", "description", "position", "show_in_nav")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles", distinct=True))

    @admin.display(description="名称", ordering="name")
    def tree_name(self, topic):
        if topic.parent_id:
            return format_html('<span style="padding-left:1.5em">└ {}</span>', topic.name)
        return topic.name

    @admin.display(description="文稿数", ordering="article_total")
    def article_count(self, topic):
        return topic.article_total
