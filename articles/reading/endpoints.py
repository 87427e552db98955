"""Reader services around an essay page that are not the page itself: the
view-count beacon, the QR code for sharing, robots.txt, /favicon.ico and
the /search/ address.

Kept out of ``articles/views.py`` because none of them renders a page: they
answer small requests (a 204, an image, plain text) with their own caching
rules.
"""

import io

import segno
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from articles.reading import viewcounts
from articles.reading.views import SLUG_MAX_LENGTH
from config.pagecache import canonical_query, public_page

QR_FORMATS = {"svg": "image/svg+xml", "png": "image/png"}


@csrf_exempt  # a beacon carries no token; it changes nothing but a counter
@never_cache
@require_POST
def count_view(request, pk):
    """One view of a published essay, sent by ``navigator.sendBeacon`` from site.js.

    204 when counted or ignored as a repeat; 429 when the client sends too
    many; 404 for a draft, a deleted or an unknown essay.
    """
    if not Article.objects.published().filter(pk=pk).exists():
        raise Http404("没有这篇文稿。")
    reader = viewcounts.Reader.of(request)
    if not viewcounts.allow_client(reader):
        return HttpResponse("请求过于频繁，请稍后再试。", status=429, content_type="text/plain; charset=utf-8")
    viewcounts.record_view(pk, reader)
    return HttpResponse(status=204)


@require_GET
@cache_control(public=True, max_age=24 * 3600)
def qr_code(request, slug, fmt):
    """The essay's address as a QR code (SVG or PNG) to scan into WeChat."""
    if len(slug) > SLUG_MAX_LENGTH or fmt not in QR_FORMATS:
        raise Http404("没有这篇文稿。")
    article = get_object_or_404(Article.objects.published().only("id", "slug"), slug=slug)
    qr = segno.make(request.build_absolute_uri(article.get_absolute_url()), error="m")
    out = io.BytesIO()
    if fmt == "svg":
        qr.save(out, kind="svg", scale=4, border=2, xmldecl=False, title="文稿二维码")
    else:
        qr.save(out, kind="png", scale=6, border=2)
    return HttpResponse(out.getvalue(), content_type=QR_FORMATS[fmt])


@public_page
@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /preview/",
        "",
        "Sitemap: " + request.build_absolute_uri(reverse("sitemap")),
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
@cache_control(public=True, max_age=24 * 3600)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the SVG icon
    (a temporary redirect: the static file's name changes with its content)."""
    return HttpResponseRedirect(static("favicon.svg"))


@require_GET
@cache_control(public=True, max_age=24 * 3600)
def search_redirect(request):
    """/search/?q=… (an address people guess) is the essay list's search, /articles/?q=….

    Only ``q`` is carried over, as the list page reads it
    (:func:`config.pagecache.canonical_query`), URL-encoded into a fixed
    path: nothing in the request chooses where the redirect goes.
    """
    query = canonical_query(request.GET, ["q"]).urlencode()
    target = reverse("articles:list")
    return HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)
