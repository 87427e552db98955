"""What of the library the public may see, checked when a page is rendered.

Regrouping keeps items of public essays only, and names each theme after its
most central item. But it runs after a change, not with it: for the seconds
(at 100,000 items, the better part of a minute) between an essay's
withdrawal and the end of the regroup that follows, the withdrawn essay's
items still exist and a theme may still be named after one of them, or carry
a keyword only they contributed. The public must not see that even then.

So every theme shown to the public passes through :func:`conceal`: a theme
holding an item of a non-public essay (draft, in review, scheduled,
archived, in the recycle bin), or named after such an item, or after an item
that no longer exists, is *withheld*: it is shown under its editor's name or
the heading of one of its public items, without keywords, and its counts are
counted from its public items rather than read from what the last regroup
stored. The set is computed once per page-cache generation (every change of
an essay starts a new one), with three small queries that find nothing in
the usual case.
"""

from django.db.models import Min, Q

from articles.models import Article
from config.pagecache import memoize
from library.models import LibraryItem, Theme


def withheld():
    """``{theme id: a public label}`` for the themes that must not be shown as regrouping left them.

    The label is the heading of the theme's first public item ("" when it has
    none: such a theme is listed nowhere anyway).
    """
    return memoize("library:withheld", _withheld)


def _withheld():
    published = Article.objects.published().values("pk")
    # Essays the public may not see that still have items (until the regroup
    # that follows their withdrawal removes them). Few or none: drafts have no items.
    hidden = list(
        Article.all_objects.exclude(pk__in=published)
        .filter(pk__in=LibraryItem.objects.values("article_id"))
        .values_list("pk", flat=True)
    )
    theme_ids = (
        set(LibraryItem.objects.filter(article_id__in=hidden, theme__isnull=False).values_list("theme_id", flat=True))
        if hidden
        else set()
    )
    # Named after an item of a hidden essay (an editor may have moved it to
    # another theme), or after an item deleted since the label was computed.
    theme_ids.update(
        Theme.objects.filter(Q(central_item__article_id__in=hidden) | Q(central_item__isnull=True))
        .exclude(auto_label="", top_words="")
        .exclude(misc=True)  # 其他 is named after nothing (Theme.label)
        .values_list("pk", flat=True)
    )
    if not theme_ids:
        return {}
    first = (
        LibraryItem.objects.public()
        .filter(theme_id__in=theme_ids)
        .values("theme_id")
        .annotate(first=Min("id"))
        .order_by()
        .values_list("first", flat=True)
    )
    labels = dict(LibraryItem.objects.filter(pk__in=list(first)).values_list("theme_id", "heading"))
    return {theme_id: labels.get(theme_id, "")[:200] for theme_id in theme_ids}


def conceal(themes):
    """Replace, in memory, the automatic name and keywords of withheld themes; returns ``themes``.

    Never saved: the admin shows editors what regrouping computed.
    """
    hidden = withheld()
    for theme in themes:
        theme.withheld = theme.pk in hidden
        if theme.withheld:
            theme.auto_label = hidden[theme.pk]
            theme.top_words = ""
    return themes


def any_withheld():
    """Whether some theme's stored counts may include items the public may not see."""
    return bool(withheld())
