"""``{% search_result article %}``: one search result, its essay's part rendered once per content.

A result shows its essay's row (title link, subtitle, date, unit, topics),
as a list card does, plus two parts made for the query: the highlighted
title and the snippet. The row's part is kept in the process keyed by the
values it shows (``articles.reading.rendered``, as ``{% essay_link %}``
does); the query's two parts are put in on every request, so a search never
shows another query's highlights. Which essays a page lists is still decided
by that page's search on every request (``published()`` essays only).
"""

from uuid import uuid4

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from articles.reading.rendered import rendered

register = template.Library()

RESULT_TEMPLATE = "includes/search_result.html"
# Markers where the query's parts go: no essay's text can hold them.
_MARK = uuid4().hex
TITLE_SLOT = f"\x00{_MARK}:title\x00"
SNIPPET_SLOT = f"\x00{_MARK}:snippet\x00"


class _Slots:
    """The essay as the template sees it, with the query's parts replaced by their markers."""

    def __init__(self, article, has_snippet):
        self._article = article
        self.search_title = mark_safe(TITLE_SLOT)
        self.search_snippet = mark_safe(SNIPPET_SLOT) if has_snippet else ""

    def __getattr__(self, name):
        return getattr(self._article, name)


def result_values(article):
    """Every value of the essay that a result shows besides the query's parts (topics prefetched)."""
    return (
        article.pk,
        article.slug,
        article.title,
        article.subtitle,
        article.published_at,
        article.author_org,
        tuple((topic.pk, topic.slug, topic.name) for topic in article.topics.all()),
    )


@register.simple_tag
def search_result(article):
    """``includes/search_result.html`` for ``article`` (from ``SearchResults``: ``search_title``, ``search_snippet``)."""
    has_snippet = bool(article.search_snippet)
    key = (RESULT_TEMPLATE, has_snippet, result_values(article))
    html = rendered(key, lambda: get_template(RESULT_TEMPLATE).render({"article": _Slots(article, has_snippet)}))
    html = html.replace(TITLE_SLOT, article.search_title)
    if has_snippet:
        html = html.replace(SNIPPET_SLOT, article.search_snippet)
    return mark_safe(html)
