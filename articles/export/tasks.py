"""The export work that does not fit in a web request: an essay's PDF, a 汇编.

Both run in the task worker (django-tasks). Each re-reads what it needs
and may safely run twice: a file is written under a temporary name and
renamed, and a second run finds the file already made.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from articles.export import files, pdf
from articles.models import Article, Compilation

logger = logging.getLogger(__name__)

# How long a queued PDF keeps others from queueing the same one (seconds).
PENDING_SECONDS = 5 * 60


def essay_docx(article) -> bytes:
    from articles.export import layout, source  # python-docx: loaded only where a file is made

    return layout.essay_docx(source.essay_of(article), images=source.media_image)


def docx_path(article):
    """The essay's .docx for its current version, made now if it is not stored yet."""
    path = files.essay_file(article.pk, article.version, "docx")
    if not path.exists():
        files.write(path, essay_docx(article))
    return path


def pdf_path(article):
    """The essay's stored PDF for its current version, or None when it is not made yet."""
    path = files.essay_file(article.pk, article.version, "pdf")
    return path if path.exists() else None


def _pending_key(article_id, version):
    return f"export:pdf:{int(article_id)}:{int(version)}"


def request_pdf(article):
    """Queue the PDF of ``article``'s current version once: other requests meanwhile queue
    nothing, until it is made or :data:`PENDING_SECONDS` have passed (a failed conversion
    is tried again after that long, not on every request)."""
    if cache.add(_pending_key(article.pk, article.version), 1, PENDING_SECONDS):
        make_pdf.enqueue(article_id=article.pk, version=article.version)


@task()
def make_pdf(article_id, version):
    """The PDF of one essay's version ``version`` (nothing when the essay has moved on)."""
    article = Article.objects.filter(pk=article_id, version=version).first()
    if article is None:
        return {"made": False}
    path = files.essay_file(article_id, version, "pdf")
    if not path.exists():
        data = pdf.docx_to_pdf(docx_path(article).read_bytes(), timeout=settings.ESSAY_EXPORT_PDF_TIMEOUT)
        files.write(path, data)
    cache.delete(_pending_key(article_id, version))  # should the file go, the next request queues it again
    return {"made": True}


# ---------------------------------------------------------------- 汇编


def _progress(compilation, value, **fields):
    Compilation.objects.filter(pk=compilation.pk).update(progress=value, **fields)


@task()
def build_compilation(compilation_id):
    """Build a 汇编: its .docx with the contents' page numbers read from a first PDF, then its PDF.

    Progress (0–100) is stored as the work goes: 40 when the essays are
    laid out, 70 when the first PDF gave the page numbers, 100 when done.
    Only published essays are printed, in the order chosen.
    """
    from articles.export import layout, source

    compilation = Compilation.objects.filter(pk=compilation_id).first()
    if compilation is None or compilation.status == Compilation.Status.DONE:
        return {"built": False}
    _progress(compilation, 0, status=Compilation.Status.RUNNING, error="")
    try:
        by_id = {
            article.pk: article
            for article in Article.objects.published()
            .filter(pk__in=compilation.article_ids)
            .prefetch_related("sections")
        }
        essays = []
        ordered = [by_id[pk] for pk in compilation.article_ids if pk in by_id]
        for index, article in enumerate(ordered, 1):
            essays.append(source.essay_of(article))
            if index % 10 == 0:
                _progress(compilation, 40 * index // max(1, len(ordered)))
        if not essays:
            raise ValueError("所选文稿中没有已发布的文稿。")
        today = timezone.localdate()
        book = layout.Compilation(
            title=compilation.title,
            essays=essays,
            subtitle=compilation.subtitle,
            issuer=compilation.issuer,
            date=layout.chinese_date(today.year, today.month, today.day),
        )
        timeout = settings.ESSAY_EXPORT_PDF_TIMEOUT * 10
        draft = layout.compilation_docx(book, images=source.media_image)
        _progress(compilation, 40)
        first_pdf = pdf.docx_to_pdf(draft, timeout=timeout)
        starts = pdf.outline_pages(first_pdf)
        if len(starts) != len(essays):
            raise ValueError(f"目录页码读取失败（{len(starts)}/{len(essays)}）。")
        # The body is numbered from 1 on the page where the first essay starts.
        pages = [start - starts[0] + 1 for start in starts]
        _progress(compilation, 70)
        final = layout.compilation_docx(book, images=source.media_image, pages=pages)
        final_pdf = pdf.docx_to_pdf(final, timeout=timeout)
        docx_name = files.write(files.compilation_file(compilation.pk, "docx"), final).name
        pdf_name = files.write(files.compilation_file(compilation.pk, "pdf"), final_pdf).name
    except Exception as error:
        logger.exception("compilation %s failed", compilation_id)
        _progress(compilation, 0, status=Compilation.Status.FAILED, error=str(error)[:1000], finished_at=timezone.now())
        return {"built": False}
    old = Compilation.objects.filter(pk=compilation.pk).values_list("docx_file", "pdf_file").first() or ()
    _progress(
        compilation,
        100,
        status=Compilation.Status.DONE,
        docx_file=docx_name,
        pdf_file=pdf_name,
        finished_at=timezone.now(),
    )
    for name in old:
        if name:
            (files.directory() / name).unlink(missing_ok=True)
    return {"built": True, "essays": len(essays), "pages": pages[-1] if pages else 0}
