"""Essay cards stored in the database: a list page's essays in its one query, with no template rendering.

A list page of the reading site (全部文稿 and its filters, a topic page,
the home page's latest essays, every deep page) is mostly cards. Each card
shows nothing but its essay's row, so, like the essay page itself
(``articles.reading.renditions``), it is rendered once per version of the
essay and code and stored (:class:`articles.models.EssayCard`).

A list then asks the database for its page as
``(id, version, card html, card code version, card essay version)`` rows
(:func:`card_rows`: the page's own queryset, so *which* essays are listed
is still decided by ``Article.objects.published()`` on every request, and a
withdrawn essay is simply not asked for) and :func:`cards` turns the rows
into HTML: a stored card that matches the essay's version and the code is
used as it is; the others are rendered from the essays (one query for all
of them) and stored for the next reader. A topic renamed or an essay's
topics changed delete the cards concerned, as they do the stored pages
(``renditions.forget`` / ``renditions.forget_all``).

The 置顶 badge is left open in the stored card (the page decides whether it
shows it: 全部文稿 does, a topic page does not).
"""

from __future__ import annotations

from django.template.loader import get_template
from django.utils.safestring import mark_safe

from articles.models import Article, EssayCard
from articles.reading import renditions

CARD_TEMPLATE = "includes/article_card.html"
PIN_SLOT = "pin"
PIN_BADGE = '<span class="badge">置顶</span>'


def card_rows(queryset):
    """``queryset`` (essays in the page's order) as the rows :func:`cards` reads; slice it for a page."""
    return queryset.values_list("pk", "version", "card__html", "card__code_version", "card__article_version")


def render_card(article):
    """The card of ``article`` (a row of ``for_cards()``) to store: the 置顶 badge as a slot."""
    return get_template(CARD_TEMPLATE).render({"article": article, "pin_slot": mark_safe(renditions.marker(PIN_SLOT))})


def cards(rows, *, show_pin=False):
    """The HTML of each essay of ``rows`` (from :func:`card_rows`), in their order."""
    rows = list(rows)
    current = renditions.code_version()
    html = {
        pk: stored
        for pk, version, stored, code, stored_version in rows
        if code == current and stored_version == version
    }
    missing = [pk for pk, *_ in rows if pk not in html]
    if missing:
        html.update(_render_and_store(missing, current))
    pin = renditions.marker(PIN_SLOT)
    badge = PIN_BADGE if show_pin else ""
    return [mark_safe(html[pk].replace(pin, badge, 1)) for pk, *_ in rows if pk in html]


def _render_and_store(ids, code_version):
    """``{id: card}`` for the published essays ``ids``, rendered now and stored (insert or replace)."""
    rendered = {}
    stored = []
    for article in Article.objects.published().filter(pk__in=ids).for_cards():
        rendered[article.pk] = render_card(article)
        stored.append(
            EssayCard(
                article_id=article.pk,
                html=rendered[article.pk],
                code_version=code_version,
                article_version=article.version,
            )
        )
    EssayCard.objects.bulk_create(
        stored,
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=["html", "code_version", "article_version"],
    )
    return rendered
