"""The filter form of the 问题库/对策库 pages and their export.

Like the essay list's form (``articles.reading.forms``), every choice is offered from
what exists, so a value a reader did not pick -- a typo, a stale link, a
probe with NUL bytes or a megabyte of text -- fails validation in Python
and never reaches the database; the page then says so and lists nothing.
"""

from django import forms
from django.db.models.functions import ExtractYear

from articles.models import Article
from articles.reading.forms import PublicFilterForm, sorted_orgs, topic_choices
from config import pagecache


class Sort:
    MOST = "most"
    NEWEST = "newest"
    CHOICES = [(MOST, "提出最多"), (NEWEST, "最近提出")]


class LibraryFilterForm(PublicFilterForm):
    topic = forms.ChoiceField(label="专题", required=False)
    org = forms.ChoiceField(label="作者单位", required=False)
    year = forms.TypedChoiceField(label="年份", required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(label="排序", required=False, choices=Sort.CHOICES)

    def __init__(self, data, *, topics, years, orgs):
        """``years`` newest first; ``orgs`` in the order to offer them (see :func:`filter_choices`)."""
        super().__init__(data)
        self.topics_by_slug = {topic.slug: topic for topic in topics}
        self.fields["topic"].choices = [("", "全部专题"), *topic_choices(topics)]
        self.fields["year"].choices = [("", "全部年份"), *((str(y), f"{y}年") for y in years)]
        self.fields["org"].choices = [("", "全部单位"), *((org, org) for org in orgs)]

    @classmethod
    def for_request(cls, request):
        from topics.models import Topic

        years, orgs = filter_choices()
        return cls(
            request.GET,
            topics=Topic.objects.only("id", "name", "slug", "parent_id", "position"),
            years=years,
            orgs=orgs,
        )

    @property
    def ordering(self):
        return (self.cleaned_data.get("sort") if self.is_valid() else "") or Sort.MOST

    @property
    def is_filtered(self):
        return self.is_valid() and any(self.cleaned_data.get(name) for name in ("topic", "org", "year"))

    @property
    def selected_topic(self):
        return self.topics_by_slug.get(self.cleaned_data["topic"]) if self.is_valid() else None

    def filter_items(self, items):
        """Items of published essays matching the valid choices; an invalid form matches nothing.

        ``items`` need not be limited to public ones: this does it. The
        choices narrow the published essays first (one subquery the
        database answers from the essay table's indexes), then their items.
        """
        if not self.is_valid():
            return items.none()
        data = self.cleaned_data
        essays = Article.objects.published()
        topic = self.selected_topic
        if topic is not None:
            essays = essays.in_topic(topic)
        if data["year"] is not None:
            essays = essays.filter(published_at__year=data["year"])
        if data["org"]:
            essays = essays.filter(author_org=data["org"])
        return items.filter(article__in=essays.values("pk"))


class ExportForm(LibraryFilterForm):
    """The filters of an export: the index's, and optionally one theme of the library exported.

    Its :meth:`canonical` values name the stored file (``library.export_files``):
    only a valid form is exported, so a made-up value never makes a file.
    """

    theme = forms.CharField(required=False, max_length=18)
    reset_invalid_choices = False  # an export of a made-up filter is refused, not widened

    def __init__(self, data, *, library, **kwargs):
        super().__init__(data, **kwargs)
        self.library = library

    @classmethod
    def for_request(cls, request, library):
        from topics.models import Topic

        years, orgs = filter_choices()
        return cls(
            request.GET,
            library=library,
            topics=Topic.objects.only("id", "name", "slug", "parent_id", "position"),
            years=years,
            orgs=orgs,
        )

    def clean_theme(self):
        from library.models import Theme

        value = self.cleaned_data["theme"]
        if not value:
            return None
        if (
            not (value.isascii() and value.isdigit())
            or not Theme.objects.filter(pk=int(value), library=self.library).exists()
        ):
            raise forms.ValidationError("没有这个主题。")
        return int(value)

    def filter_items(self, items):
        items = super().filter_items(items)
        if self.is_valid() and self.cleaned_data["theme"] is not None:
            items = items.filter(theme_id=self.cleaned_data["theme"])
        return items

    def canonical(self):
        """What the export depends on, in a fixed form (not the order or spelling of the query string)."""
        data = self.cleaned_data
        return {
            "library": str(self.library),
            "topic": data["topic"] or "",
            "org": data["org"] or "",
            "year": data["year"],
            "theme": data["theme"],
        }


def filter_choices():
    """``(years, units)`` of the published essays in the library, for the current page-cache generation.

    Units in the essay list's order (:func:`articles.reading.forms.sorted_orgs`).
    Extracting the year of 10,000 essays is a Python function per row on
    SQLite: worth keeping. Kept per generation (``pagecache.memoize``), so a
    withdrawn essay's unit leaves the choices at once, not minutes later.
    """
    return pagecache.memoize("library:filter-choices", _filter_choices)


def _filter_choices():
    from library.models import LibraryItem

    published = Article.objects.published().filter(pk__in=LibraryItem.objects.values("article_id"))
    years = list(
        published.annotate(year=ExtractYear("published_at")).order_by("-year").values_list("year", flat=True).distinct()
    )
    orgs = sorted_orgs(
        published.exclude(author_org="").order_by("author_org").values_list("author_org", flat=True).distinct()
    )
    return (years, orgs)
