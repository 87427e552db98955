"""Pagination of public lists, shared by every app's list pages (essays, topics, the library)."""

from django.core.paginator import EmptyPage, InvalidPage, Paginator
from django.http import Http404, QueryDict

from config.pagecache import memoize

ARTICLES_PER_PAGE = 10


def paginate(request, queryset, count_key=None, count=None, per_page=ARTICLES_PER_PAGE, params=None):
    """The requested page; a number past the last page (or below the first) is a 404.

    The views read ``?page=`` in its canonical form (``config.pagecache.public_page``:
    anything but plain ASCII digits is the first page). A number past the last
    page names no page: it is answered with the site's 404 before anything of the
    list is rendered, and is not stored under every number anyone can type.
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
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except EmptyPage:
        raise Http404("没有这一页。") from None
    except InvalidPage:  # not a number (a view that reads the raw query): the first page
        page = paginator.page(1)
    # The canonical address names the page shown (siteinfo.context_processors).
    request.canonical_page = page.number
    page.page_links = list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))
    page.ellipsis = paginator.ELLIPSIS
    page.params = params if params is not None else QueryDict()
    return page
