"""Pagination of public lists, shared by every app's list pages (essays, topics, the library)."""

from django.core.paginator import Paginator
from django.http import QueryDict

from config.pagecache import memoize, no_page_cache

ARTICLES_PER_PAGE = 10


def paginate(request, queryset, count_key=None, count=None, per_page=ARTICLES_PER_PAGE, params=None):
    """The requested page; a bad ``?page=`` shows page 1 or the last page, never an error.

    ``page.page_links`` holds the numbers to link, with ``…`` for the gaps,
    and ``page.params`` the query every page link carries besides ``page``:
    ``params`` as given -- a filter form's valid values
    (:meth:`articles.reading.forms.PublicFilterForm.link_params`) -- and
    never the raw request, so a filter the form reset is not linked again.
    With ``count_key``, the number of essays is kept for the cache generation
    (config.pagecache.memoize) instead of counted on every page; ``count``
    gives it when the caller already knows it.
    """
    paginator = Paginator(queryset, per_page)
    if count is None and count_key is not None:
        count = memoize("count", queryset.count, *count_key)
    if count is not None:
        # Paginator.count is a cached_property: set its value.
        paginator.__dict__["count"] = count
    requested = request.GET.get("page")
    page = paginator.get_page(requested)
    if requested is not None and requested != str(page.number):
        # Past the last page: shown as the last one, but not stored under
        # every number anyone can type (config.pagecache).
        no_page_cache(request)
    # The canonical address names the page shown (siteinfo.context_processors).
    request.canonical_page = page.number
    page.page_links = list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    page.ellipsis = paginator.ELLIPSIS
    page.params = params if params is not None else QueryDict()
    return page
