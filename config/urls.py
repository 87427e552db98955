"""Top-level URLs: the admin (under ``settings.ADMIN_URL``, "admin/" by default)
and the reading site.

CKEditor uploads go to the article admin's own endpoint
(``admin:articles_article_upload_image``); django_ckeditor_5's URLs are not
mounted because its view answers some bad images with a 500.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponseBadRequest
from django.template import loader
from django.urls import include, path
from django.views.decorators.csrf import requires_csrf_token

from articles.reading.endpoints import favicon, robots_txt, search_redirect
from articles.reading.sitemaps import SITEMAPS
from config import health
from config.pagecache import public_page

admin.site.site_header = f"{settings.SITE_NAME} · 管理后台"
admin.site.site_title = f"{settings.SITE_NAME}管理"
admin.site.index_title = "内容管理"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("topics/", include("topics.urls")),
    path("library/", include("library.urls")),
    path("", include("articles.urls")),
]
# Reader discovery: sitemap.xml and robots.txt (articles/sitemaps.py, articles/reader.py).
urlpatterns += [
    # The sitemap's own pages (?p=2 past 50,000 addresses) are pages of their own.
    path("sitemap.xml", public_page(sitemap_views.sitemap, params=["p"]), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    # Search is the essay list's (/articles/?q=); /search/ is where people look for it.
    path("search/", search_redirect, name="search"),
    # Liveness, readiness (the load balancer) and status for monitoring (config/health.py).
    path("healthz", health.healthz, name="healthz"),
    path("healthz/live", health.live, name="healthz-live"),
    path("healthz/ready", health.ready, name="healthz-ready"),
]


@requires_csrf_token
def bad_request(request, exception):
    """400 in Chinese, saying why when Django refused an oversized or overfull
    request (e.g. a pasted essay over DATA_UPLOAD_MAX_MEMORY_SIZE).

    Standalone like the 500 page: no database, no context processors.
    """
    context = {
        "too_big": isinstance(exception, RequestDataTooBig),
        "too_many": isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)),
        "limit_mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024),
        # Back to the form that was posted (same site: only the path is used).
        "back_url": request.path if request.method == "POST" else "",
    }
    return HttpResponseBadRequest(loader.get_template("400.html").render(context))


handler400 = bad_request
handler403 = "articles.reading.errors.permission_denied"
handler404 = "articles.reading.errors.page_not_found"
handler500 = "articles.reading.errors.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
