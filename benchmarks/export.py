"""Word and PDF export in 公文 layout: how fast, on this machine.

    .venv/bin/python benchmarks/export.py                 # 100-essay 汇编
    .venv/bin/python benchmarks/export.py --essays 20 --repeat 20

Set-up: a throw-away SQLite database under a temporary folder (migrated, the
team's demo essays loaded with ``load_demo``, then copied until there are
``--essays`` published essays), no task worker (the export tasks are called
directly), export files in the temporary folder. Measured:

* one essay's .docx through the public view, the first request (the file is
  made in the request) and the following ones (the stored file streamed),
  median and worst of ``--repeat`` essays, the target being < 500 ms;
* one essay's PDF (LibreOffice headless, a profile of its own), the task alone;
* a 汇编 of ``--essays`` essays: the whole task (lay out, first PDF for the page
  numbers, .docx again, final PDF), the target being < 2 minutes; its pages.

Numbers live in this output, never in tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--essays", type=int, default=100, help="essays in the 汇编 (default 100)")
    parser.add_argument("--repeat", type=int, default=10, help="essays whose .docx is timed (default 10)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-export-"))
    os.environ.update(
        DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
        DJANGO_SETTINGS_MODULE="config.settings",
        # No follow-up work while the essays are made (search, stored pages); the export
        # tasks are called directly below.
        TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend",
        ESSAY_EXPORT_DIR=str(work / "exports"),
        MEDIA_ROOT=str(work / "media"),
        ALLOWED_HOSTS="testserver",
        DEBUG="1",
    )
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from articles.export import pdf, tasks
    from articles.models import Article, Compilation
    from articles.text import html_to_text

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    published = list(Article.objects.published().prefetch_related("sections", "topics"))
    print(f"demo essays: {len(published)} published; copying to {args.essays}", flush=True)
    _copy_until(published, args.essays)
    essays = list(Article.objects.published().order_by("published_at", "id"))
    chars = [
        len(html_to_text(a.lead) + html_to_text(a.conclusion))
        + sum(len(s.heading) + len(html_to_text(s.body)) for s in a.sections.all())
        for a in essays
    ]
    print(f"essays: {len(essays)}, text per essay: median {statistics.median(chars):.0f} characters")
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")

    client = Client()
    first, again = [], []
    for article in essays[: args.repeat]:
        url = reverse("articles:download", args=[article.slug, "docx"])
        for times in (first, again):
            started = time.perf_counter()
            response = client.get(url, REMOTE_ADDR=f"10.0.{len(first)}.1")
            b"".join(response.streaming_content)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
    print(
        f".docx, one essay, first request (made):   median {statistics.median(first):6.1f} ms, worst {max(first):6.1f} ms"
    )
    print(
        f".docx, one essay, later requests (stored): median {statistics.median(again):6.1f} ms, worst {max(again):6.1f} ms"
    )

    if pdf.soffice() is None:
        print("PDF: LibreOffice is not installed; no PDF figures")
        return
    timings = []
    for article in essays[:3]:
        started = time.perf_counter()
        tasks.make_pdf.call(article_id=article.pk, version=article.version)
        timings.append(time.perf_counter() - started)
    print(f"PDF, one essay (task: LibreOffice): {', '.join(f'{t:.2f}' for t in timings)} s")

    compilation = Compilation.objects.create(
        title="基层党建文稿汇编", article_ids=[a.pk for a in essays[: args.essays]]
    )
    started = time.perf_counter()
    result = tasks.build_compilation.call(compilation_id=compilation.pk)
    elapsed = time.perf_counter() - started
    compilation.refresh_from_db()
    sizes = [(work / "exports" / name).stat().st_size // 1024 for name in (compilation.docx_file, compilation.pdf_file)]
    print(
        f"汇编 of {result.get('essays')} essays: {elapsed:.1f} s ({compilation.status}), "
        f"{result.get('pages')} numbered pages; .docx {sizes[0]} KB, PDF {sizes[1]} KB"
    )
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def _copy_until(published, total):
    """Copies of the demo essays (new titles and slugs) until ``total`` are published."""
    from articles.models import Article, Section

    count = len(published)
    n = 0
    while count < total:
        source = published[n % len(published)]
        n += 1
        sections = list(source.sections.all())
        copy = Article.objects.create(
            title=f"{source.title}（{n}）",
            slug=f"{source.slug[:60]}-copy-{n}",
            lead=source.lead,
            conclusion=source.conclusion,
            author_org=source.author_org,
            status=Article.Status.PUBLISHED,
            published_at=source.published_at,
        )
        Section.objects.bulk_create(
            Section(
                article=copy,
                position=s.position,
                level=s.level,
                number=s.number,
                heading=s.heading,
                kind=s.kind,
                body=s.body,
            )
            for s in sections
        )
        count += 1


if __name__ == "__main__":
    main()
