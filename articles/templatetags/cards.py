"""``{% essay_link article %}``: an essay as a one-line link, rendered once per content.

The home page's topic blocks and an essay page's related essays are lists
of links. A link shows nothing but its essay's id, slug, title and
publication time, so its HTML is a pure function of those values and the
process keeps it keyed by *the values themselves*: there is no invalidation
to forget, and a change of any shown value is a different key
(``articles.reading.rendered``). Which essays are linked is still each
page's own query. (List cards are stored in the database instead:
``articles.reading.cards``.)
"""

from django import template
from django.template.loader import get_template

from articles.reading.rendered import rendered

register = template.Library()

LINK_TEMPLATE = "includes/article_link.html"


def link_values(article):
    """Every value of the essay that the one-line link shows."""
    return (article.pk, article.slug, article.title, article.published_at)


@register.simple_tag
def essay_link(article):
    """``includes/article_link.html`` for ``article``."""
    return rendered(
        (LINK_TEMPLATE, link_values(article)), lambda: get_template(LINK_TEMPLATE).render({"article": article})
    )
