"""下载 Word / PDF: the reader's downloads of a published essay, and staff's of any essay.

Publication control: every request reads the essay through
``Article.objects.published()`` -- in the ETag function and again in the
view -- so a withdrawn, scheduled or deleted essay answers 404 at once, in
both formats, whatever files exist. The files are named by (essay id,
essay version, layout version) and kept outside ``MEDIA_ROOT``
(``articles.export.files``); responses say ``Cache-Control: no-cache``, so
a browser or proxy asks again every time and gets a 304 while the essay
and the layout are unchanged (Django's ``condition`` decorator).

The .docx is made in the request (about 50 ms for a full essay); the PDF
is made by a task (LibreOffice, seconds): the first request queues it and
answers 202 with a page that reloads itself until the file is there.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_GET

from articles.export import files, pdf, tasks
from articles.export.version import LAYOUT_VERSION
from articles.models import Article
from articles.reading.views import SLUG_MAX_LENGTH
from config import ratelimit
from config.client_address import client_address

# Seconds a reader's browser waits before asking again for a PDF being made.
PENDING_RETRY_SECONDS = 5
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]+')


def _published(request, slug):
    """The published essay ``slug`` (id, slug, title, version), read once per request, or None."""
    if not hasattr(request, "_export_essay"):
        request._export_essay = None
        if len(slug) <= SLUG_MAX_LENGTH:
            request._export_essay = Article.objects.published().filter(slug=slug).first()
    return request._export_essay


def _etag(request, slug, fmt):
    article = _published(request, slug)
    if article is None or fmt not in files.FORMATS:
        return None
    return f"{article.pk}-{article.version}-{LAYOUT_VERSION}-{fmt}"


@require_GET
@condition(etag_func=_etag)
def essay_download(request, slug, fmt):
    """A published essay as .docx or .pdf (404 for anything else)."""
    article = _published(request, slug)
    if article is None or fmt not in files.FORMATS:
        raise Http404("没有这篇文稿。")
    wait = ratelimit.over_limit("essay-export", client_address(request), settings.ESSAY_EXPORT_RATE_LIMIT)
    if wait:
        response = HttpResponse(
            f"下载过于频繁，请 {wait} 秒后再试。", status=429, content_type="text/plain; charset=utf-8"
        )
        response["Retry-After"] = str(wait)
        return response
    return serve(request, article, fmt)


def serve(request, article, fmt):
    """The file of ``article`` in ``fmt`` (the caller has checked who may have it)."""
    if fmt == "docx":
        path = tasks.docx_path(article)
    else:
        path = tasks.pdf_path(article)
        if path is None and pdf.soffice() is None:
            response = HttpResponse(
                "PDF 暂时无法生成，请先下载 Word 版本。", status=503, content_type="text/plain; charset=utf-8"
            )
            response["Retry-After"] = "3600"
            return response
        if path is None:
            tasks.request_pdf(article)
            path = tasks.pdf_path(article)  # a backend that runs tasks at once has made it
        if path is None:
            response = render(
                request,
                "articles/export_pending.html",
                {"article": article, "retry": PENDING_RETRY_SECONDS},
                status=202,
            )
            response["Retry-After"] = str(PENDING_RETRY_SECONDS)
            patch_cache_control(response, no_store=True)
            return response
    response = FileResponse(
        open(path, "rb"),
        as_attachment=True,
        filename=download_name(article.title, fmt),
        content_type=files.FORMATS[fmt],
    )
    patch_cache_control(response, no_cache=True, private=True)
    return response


def download_name(title, fmt):
    """A file name from the title: no path or control characters, at most 60 characters."""
    name = _UNSAFE_NAME.sub("", title or "").strip(" .")[:60] or "文稿"
    return f"{name}.{fmt}"
