"""Site settings and page addresses for every template.

``site_settings`` is lazy, so a page that never shows it (an admin page)
never reads it; when it is read, it comes from the cache (see
:meth:`siteinfo.models.SiteSettings.current`).
"""

from django.utils.functional import SimpleLazyObject

from siteinfo.models import SiteSettings


def canonical_url(request):
    """This page's address without its query string, except the number of the list page
    shown (``articles.reading.pagination.paginate`` notes it): never a number a visitor typed."""
    url = request.build_absolute_uri(request.path)
    page = getattr(request, "canonical_page", None)
    if isinstance(page, int) and page > 1:
        url += f"?page={page}"
    return url


def site_info(request):
    return {
        "site_settings": SimpleLazyObject(SiteSettings.current),
        "canonical_url": SimpleLazyObject(lambda: canonical_url(request)),
        "site_domain": SimpleLazyObject(request.get_host),
    }
