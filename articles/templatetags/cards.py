"""``{% essay_card article %}`` and ``{% essay_link article %}``: an essay in a list, rendered once per content.

Lists are made of cards (home, 全部文稿, topic pages, filters, every deep
page) and links (the home page's topic blocks, related essays). Rendering
them through ``{% include %}`` was most of the cost of an uncached list page:
twenty cards, each with its dates, topics and title breaks, through the
template language, on every request.

A card shows nothing but what its essay's row says (title, slug, subtitle,
summary or the lead's first characters, publication time, pinned flag,
unit, topics, cover). Its HTML is a pure function of those values, so the
process keeps it keyed by *the values themselves*: there is no invalidation
to forget, a change of any shown value is a different key, and nothing
here can serve a text the row no longer holds (``articles.reading.rendered``).

Publication control is not weakened: which essays a page lists is decided
by that page's query on every request (``Article.objects.published()``); a
withdrawn essay is simply not asked for, whatever was rendered for it before.
"""

from django import template
from django.template.loader import get_template

from articles.reading.rendered import rendered

register = template.Library()

CARD_TEMPLATE = "includes/article_card.html"
LINK_TEMPLATE = "includes/article_link.html"


def _lead_source(article):
    """What ``Article.card_summary`` reads, without loading a deferred lead."""
    if article.summary:
        return ("summary", article.summary)
    if "lead" in article.get_deferred_fields():
        return ("lead_start", getattr(article, "lead_start", None) or "")
    return ("lead", article.lead)


def card_values(article):
    """Every value of the essay that the card template shows (its topics must be prefetched)."""
    return (
        article.pk,
        article.slug,
        article.title,
        article.subtitle,
        _lead_source(article),
        article.published_at,
        article.is_pinned,
        article.author_org,
        article.cover_thumbnail.name if article.cover_thumbnail else "",
        article.cover.name if article.cover else "",
        tuple((topic.pk, topic.slug, topic.name) for topic in article.topics.all()),
    )


def link_values(article):
    """Every value of the essay that the one-line link shows."""
    return (article.pk, article.slug, article.title, article.published_at)


@register.simple_tag
def essay_card(article, feature=False, show_pin=False):
    """``includes/article_card.html`` for ``article`` (a row of ``for_cards()``)."""
    options = (bool(feature), bool(show_pin))
    key = (CARD_TEMPLATE, options, card_values(article))
    return rendered(
        key,
        lambda: get_template(CARD_TEMPLATE).render({"article": article, "feature": options[0], "show_pin": options[1]}),
    )


@register.simple_tag
def essay_link(article):
    """``includes/article_link.html`` for ``article``."""
    return rendered(
        (LINK_TEMPLATE, link_values(article)), lambda: get_template(LINK_TEMPLATE).render({"article": article})
    )
