"""Counting for the library's pages: per theme, per year, per unit, per topic.

Each function runs a fixed number of queries whatever the number of themes
on the page.
"""

from collections import Counter

from django.db.models import Count, Max, Q
from pypinyin import lazy_pinyin

from articles.models import Article
from library.models import COUNTERMEASURE_KINDS, CountermeasureLink, LibraryItem, Theme
from topics.models import Topic


def theme_rows(items, *, sort):
    """One dict per theme among ``items``: theme_id, items, essays, units, latest; sorted."""
    rows = list(
        items.filter(theme__isnull=False).values("theme_id").annotate(
            items=Count("id"),
            essays=Count("article_id", distinct=True),
            units=Count("article__author_org", distinct=True, filter=~Q(article__author_org="")),
            latest=Max("article__published_at"),
        ).order_by()
    )
    if sort == "newest":
        rows.sort(key=lambda row: (row["latest"], row["essays"], -row["theme_id"]), reverse=True)
    else:
        rows.sort(key=lambda row: (-row["essays"], -row["items"], row["theme_id"]))
    return rows


def attach_themes(rows):
    """Put each row's :class:`Theme` (with its central item) in ``row["theme"]``: one query."""
    missing = [row["theme_id"] for row in rows if "theme" not in row]
    themes = Theme.objects.in_bulk(missing) if missing else {}
    for row in rows:
        if "theme" not in row:
            row["theme"] = themes.get(row["theme_id"]) or Theme(pk=row["theme_id"])
    return rows


def totals(items):
    return items.aggregate(items=Count("id"), essays=Count("article_id", distinct=True))


def by_year(items):
    """``[(year, essays)]`` oldest first, from loaded items (with their article)."""
    from django.utils import timezone

    essays = {}
    for item in items:
        essays[item.article_id] = timezone.localtime(item.article.published_at).year
    counts = Counter(essays.values())
    return sorted(counts.items())


def by_unit(items):
    """``[(unit, essays)]``, most first (unnamed units left out)."""
    essays = {item.article_id: item.article.author_org for item in items if item.article.author_org}
    counts = Counter(essays.values())
    return sorted(counts.items(), key=lambda pair: (-pair[1], lazy_pinyin(pair[0])))


def by_topic(article_ids):
    """``[(topic, essays)]`` most first."""
    rows = (
        Article.topics.through.objects.filter(article_id__in=article_ids)
        .values("topic_id").annotate(n=Count("article_id", distinct=True)).order_by("-n", "topic_id")
    )
    rows = list(rows)
    topics = Topic.objects.in_bulk([row["topic_id"] for row in rows])
    return [(topics[row["topic_id"]], row["n"]) for row in rows if row["topic_id"] in topics]


def linked_items(theme, items):
    """The items of the other library linked to this theme's items (confirmed first, rejected never)."""
    ids = [item.pk for item in items]
    if theme.library == "countermeasures":
        links = CountermeasureLink.objects.filter(countermeasure_id__in=ids)
        other = "problem"
    else:
        links = CountermeasureLink.objects.filter(problem_id__in=ids)
        other = "countermeasure"
    links = (
        links.exclude(status=CountermeasureLink.Status.REJECTED)
        .filter(**{f"{other}__in": LibraryItem.objects.public()})
        .select_related(f"{other}__article", f"{other}__theme")
        .order_by("status", "-score", "id")
    )
    seen, result = set(), []
    for link in links[:200]:
        item = getattr(link, other)
        if item.pk not in seen:
            seen.add(item.pk)
            result.append((item, link))
    return result


def related_themes(theme, article_ids, limit=10):
    """Themes of the other library raised by the same essays: ``[(theme, essays)]``.

    For a problem theme: the countermeasures essays raising that problem
    propose, in this essay and elsewhere.
    """
    other_kinds = ("problems", "causes") if theme.library == "countermeasures" else COUNTERMEASURE_KINDS
    rows = list(
        LibraryItem.objects.public().filter(article_id__in=article_ids, kind__in=other_kinds, theme__isnull=False)
        .values("theme_id").annotate(n=Count("article_id", distinct=True)).order_by("-n", "theme_id")[:limit]
    )
    themes = Theme.objects.in_bulk([row["theme_id"] for row in rows])
    return [(themes[row["theme_id"]], row["n"]) for row in rows if row["theme_id"] in themes]
