"""Counting for the library's pages: per theme, per year, per unit, per topic.

Each function runs a fixed number of queries whatever the number of themes
on the page. Every :class:`Theme` they hand out has passed through
``library.visibility.conceal``: no theme reaches a public page under a name
or with keywords taken from an essay the public may not see.
"""

from collections import Counter

from django.db.models import Count, Max, Q, Sum

from articles import events
from articles.models import Article
from config import pagecache
from library import visibility
from library.models import COUNTERMEASURE_KINDS, CountermeasureLink, LibraryItem, Theme
from topics.models import Topic


def theme_rows(items, *, sort):
    """One dict per theme among ``items``: theme_id, items, essays, units, latest; sorted."""
    rows = list(
        items.filter(theme__isnull=False)
        .values("theme_id")
        .annotate(
            items=Count("id"),
            essays=Count("article_id", distinct=True),
            units=Count("article__author_org", distinct=True, filter=~Q(article__author_org="")),
            latest=Max("article__published_at"),
        )
        .order_by()
    )
    if sort == "newest":
        rows.sort(key=lambda row: (row["latest"], row["essays"], -row["theme_id"]), reverse=True)
    else:
        rows.sort(key=lambda row: (-row["essays"], -row["items"], row["theme_id"]))
    return rows


def index_rows(library, form, items):
    """``(rows, totals)`` of a library's index page: :func:`theme_rows` and :func:`totals` of ``items``.

    The unfiltered index reads the counts the last regroup stored on each
    theme (one indexed query instead of counting every item on every visit),
    unless some theme is withheld (``library.visibility``): then an essay
    has left the public since that regroup and the stored counts still
    include it, so they are counted from the public items until the next one.
    """
    if form.is_valid() and not form.is_filtered and not visibility.any_withheld():
        return stored_theme_rows(library, sort=form.ordering), stored_totals(library)
    return theme_rows(items, sort=form.ordering), totals(items)


def stored_theme_rows(library, *, sort):
    """:func:`theme_rows` of the unfiltered library, from the counts regrouping stores on each theme."""
    themes = Theme.objects.filter(library=library, item_count__gt=0).select_related(None)
    order = ["-latest_at", "-essay_count", "-id"] if sort == "newest" else ["-essay_count", "-item_count", "id"]
    return [
        {
            "theme_id": theme.pk,
            "theme": theme,
            "items": theme.item_count,
            "essays": theme.essay_count,
            "units": theme.unit_count,
            "latest": theme.latest_at,
        }
        for theme in visibility.conceal(list(themes.order_by(*order)))
    ]


def misc_last(rows):
    """``rows`` with the 其他 bucket (items of no theme of their own) moved to the end, and that row.

    ``(rows, misc_row or None)``: the bucket is listed last, never as a theme of the chart.
    """
    ids = {row["theme_id"] for row in rows}
    misc = set(Theme.objects.filter(pk__in=ids, misc=True).values_list("pk", flat=True)) if ids else set()
    kept = [row for row in rows if row["theme_id"] not in misc]
    bucket = [row for row in rows if row["theme_id"] in misc]
    return kept + bucket, (bucket[0] if bucket else None)


ANSWERS_PER_THEME = 3


def answer_themes(library, theme_ids, limit=ANSWERS_PER_THEME):
    """``{theme id: [(other theme, links)]}``: for each problem theme, the countermeasure themes
    its items are linked to (confirmed or suggested, never rejected), most links first; for a
    countermeasure theme, the problem themes it answers. One query, plus one for the themes.

    Links join items of one essay: the essay is checked to be public, and
    every theme passes ``visibility.conceal``.
    """
    if not theme_ids:
        return {}
    mine, other = ("countermeasure", "problem") if library == "countermeasures" else ("problem", "countermeasure")
    rows = (
        CountermeasureLink.objects.filter(**{f"{mine}__theme_id__in": theme_ids})
        .exclude(status=CountermeasureLink.Status.REJECTED)
        .filter(problem__article__in=Article.objects.published().values("pk"))
        .exclude(**{f"{other}__theme__isnull": True})
        .exclude(**{f"{other}__theme__misc": True})
        .values(f"{mine}__theme_id", f"{other}__theme_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    pairs = {}
    for row in rows:
        pairs.setdefault(row[f"{mine}__theme_id"], []).append((row[f"{other}__theme_id"], row["n"]))
    wanted = {theme_id for found in pairs.values() for theme_id, _ in found}
    themes = Theme.objects.in_bulk(wanted) if wanted else {}
    visibility.conceal(themes.values())
    result = {}
    for theme_id, found in pairs.items():
        found.sort(key=lambda pair: (-pair[1], pair[0]))
        result[theme_id] = [(themes[t], n) for t, n in found[:limit] if t in themes]
    return result


def stored_totals(library):
    themes = Theme.objects.filter(library=library)
    items = themes.aggregate(n=Sum("item_count"))["n"] or 0
    return {"items": items, "essays": None}


def attach_themes(rows):
    """Put each row's :class:`Theme` (with its central item) in ``row["theme"]``: one query."""
    missing = [row["theme_id"] for row in rows if "theme" not in row]
    themes = Theme.objects.in_bulk(missing) if missing else {}
    visibility.conceal(themes.values())
    for row in rows:
        if "theme" not in row:
            row["theme"] = themes.get(row["theme_id"]) or Theme(pk=row["theme_id"])
    return rows


def totals(items):
    return items.aggregate(items=Count("id"), essays=Count("article_id", distinct=True))


def essay_stats(items):
    """``(essays, by_year, by_unit)`` for a queryset of items, from one query over their essays.

    ``by_year``: ``[(year, essays)]`` oldest first; ``by_unit``: ``[(unit, essays)]``
    most first (unnamed units left out). Years are counted in Python: on
    SQLite, extracting a local year in SQL is a Python function per row anyway.
    """
    from django.utils import timezone

    rows = set(items.values_list("article_id", "article__published_at", "article__author_org").order_by())
    years = Counter(timezone.localtime(published).year for _, published, _ in rows if published)
    units = Counter(org for _, _, org in rows if org)
    by_unit = sorted(units.items(), key=lambda pair: (-pair[1], pair[0]))
    return [article_id for article_id, _, _ in rows], sorted(years.items()), by_unit


def by_topic(article_ids):
    """``[(topic, essays)]`` most first."""
    rows = (
        Article.topics.through.objects.filter(article_id__in=article_ids)
        .values("topic_id")
        .annotate(n=Count("article_id", distinct=True))
        .order_by("-n", "topic_id")
    )
    rows = list(rows)
    topics = Topic.objects.in_bulk([row["topic_id"] for row in rows])
    return [(topics[row["topic_id"]], row["n"]) for row in rows if row["topic_id"] in topics]


# What an item's listing shows of its essay (not the long lead and conclusion).
ESSAY_FIELDS = ("title", "slug", "author_org", "status", "published_at", "deleted_at")
# Beyond this many essays, pass a subquery rather than a list of ids.
MAX_LISTED_IDS = 5000


def library_changed():
    """Called after every change of the library (a regroup, an editor's rename, merge,
    split, move or link): a new page-cache generation, so the cached pages, the
    memoized statistics and the export files (all keyed on it) go stale.

    Pages change, no essay does: only the page cache acts (``articles.events.pages_changed``,
    once per batch, inside the transaction of the change)."""
    events.pages_changed()


def theme_stats(theme, items):
    """A theme page's counts (essays, years, units, topics, related themes), for the current generation.

    Counting the essays behind a theme of two thousand items is most of the
    page's work. Kept per page-cache generation (``pagecache.memoize``), which
    every change of an essay, a topic or the library ends -- a withdrawal
    changes the figures at once, before the regroup that follows it -- and
    which also ends when a scheduled essay's time comes.
    """

    def compute():
        article_ids, by_year, by_unit = essay_stats(items)
        essays = len(article_ids)
        if essays > MAX_LISTED_IDS:
            article_ids = items.values("article_id")
        return {
            "essays": essays,
            "by_year": by_year,
            "by_unit": by_unit,
            "by_topic": by_topic(article_ids),
            "related_themes": related_themes(theme, article_ids),
        }

    return pagecache.memoize("library:theme-stats", compute, theme.pk)


def linked_items(theme, limit=30):
    """Items of the other library linked to this theme's items: confirmed first, rejected never.

    Links join items of one essay, so checking that essay is public is enough.
    """
    if theme.library == "countermeasures":
        links = CountermeasureLink.objects.filter(countermeasure__theme=theme)
        other = "problem"
    else:
        links = CountermeasureLink.objects.filter(problem__theme=theme)
        other = "countermeasure"
    links = (
        links.exclude(status=CountermeasureLink.Status.REJECTED)
        .select_related(f"{other}__article")
        .only(
            "status",
            "score",
            f"{other}__heading",
            f"{other}__section_id",
            f"{other}__ordinal",
            *(f"{other}__article__{name}" for name in ESSAY_FIELDS),
        )
        .order_by("status", "-score", "id")
    )
    seen, result = set(), []
    for link in links[: limit * 2]:
        item = getattr(link, other)
        if item.pk not in seen and item.article.is_public and item.article.deleted_at is None:
            seen.add(item.pk)
            result.append((item, link))
            if len(result) == limit:
                break
    return result


def related_themes(theme, article_ids, limit=10):
    """Themes of the other library raised by the same essays: ``[(theme, essays)]``.

    For a problem theme: the countermeasures essays raising that problem
    propose, in this essay and elsewhere.
    """
    other_kinds = ("problems", "causes") if theme.library == "countermeasures" else COUNTERMEASURE_KINDS
    rows = list(
        # The essays are public already (they come from the theme's public items).
        LibraryItem.objects.filter(
            article_id__in=article_ids, kind__in=other_kinds, theme__isnull=False, theme__misc=False
        )
        .values("theme_id")
        .annotate(n=Count("article_id", distinct=True))
        .order_by("-n", "theme_id")[:limit]
    )
    themes = Theme.objects.in_bulk([row["theme_id"] for row in rows])
    visibility.conceal(themes.values())
    return [(themes[row["theme_id"]], row["n"]) for row in rows if row["theme_id"] in themes]


def public_labels(theme_ids):
    """``{theme id: the name the public sees}`` for an export's theme column: one query."""
    themes = visibility.conceal(list(Theme.objects.filter(pk__in=theme_ids)))
    return {theme.pk: (theme.label, theme.get_absolute_url()) for theme in themes}
