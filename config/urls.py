"""Top-level URLs: the admin and the reading site.

CKEditor uploads go to the article admin's own endpoint
(``admin:articles_article_upload_image``); django_ckeditor_5's URLs are not
mounted because its view answers some bad images with a 500.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.SITE_NAME} · 管理后台"
admin.site.site_title = f"{settings.SITE_NAME}管理"
admin.site.index_title = "内容管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("topics/", include("topics.urls")),
    path("", include("articles.urls")),
]

handler404 = "articles.views.page_not_found"
handler500 = "articles.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
