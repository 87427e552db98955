"""``{% pagination page %}`` and ``{% site_meta %}``: small parts every list page renders per request.

A list page put together from its frame (``articles.reading.frames``) still
renders, on each request, its page links and the page's metadata (the
canonical address names the page number and the host). Both are pure
functions of a few values, so the process keeps their HTML keyed by those
values (``articles.reading.rendered``): nothing to invalidate, and a
change of any value shown is another key.
"""

from django import template
from django.template.loader import get_template

from articles.reading.rendered import rendered

register = template.Library()

PAGINATION_TEMPLATE = "includes/pagination.html"
META_TEMPLATE = "includes/meta.html"


@register.simple_tag
def pagination(page):
    """``includes/pagination.html`` for ``page`` (from ``articles.reading.pagination.paginate``)."""
    key = (PAGINATION_TEMPLATE, page.number, page.paginator.num_pages, page.params.urlencode())
    return rendered(key, lambda: get_template(PAGINATION_TEMPLATE).render({"page": page}))


@register.simple_tag(takes_context=True)
def site_meta(context):
    """``includes/meta.html``: the canonical address, feeds and the site's metadata."""
    values = {
        "canonical_url": str(context["canonical_url"]),
        "site_domain": str(context["site_domain"]),
        "site_name": context["site_name"],
        "site_settings": context["site_settings"],
    }
    key = (META_TEMPLATE, values["canonical_url"], values["site_domain"], values["site_name"])
    key += (values["site_settings"].site_id_code,)
    return rendered(key, lambda: get_template(META_TEMPLATE).render(values))
