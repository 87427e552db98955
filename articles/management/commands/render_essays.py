"""``manage.py render_essays``: render and store the page of every published essay.

Stored pages (articles/renditions.py) are rendered again by themselves on
the first request after a change or a deploy; this command does it ahead of
readers, e.g. right after deploying new templates to a large site. Safe on a
live site: each page is stored on its own.
"""

import time

from django.core.management.base import BaseCommand
from django.test import RequestFactory
from tqdm import tqdm

from articles.models import Article
from articles.reading import renditions


class Command(BaseCommand):
    help = "生成并保存所有已发布文稿的页面（部署新模板后可预先运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200, help="每批读取的文稿数（默认 200）。")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条。")

    def handle(self, *args, batch_size, no_progress, **options):
        published = Article.objects.published().order_by("pk")
        ids = list(published.values_list("pk", flat=True))
        started = time.perf_counter()
        factory = RequestFactory()
        done = 0
        with tqdm(
            total=len(ids),
            unit="篇",
            desc="生成文稿页面",
            file=self.stderr,
            disable=no_progress or options.get("verbosity", 1) == 0,
        ) as bar:
            for start in range(0, len(ids), max(1, batch_size)):
                batch = published.filter(pk__in=ids[start : start + batch_size]).prefetch_related("sections", "topics")
                for article in batch:
                    # The address is replaced by each reader's own (renditions.fill).
                    request = factory.get(article.get_absolute_url())
                    done += renditions.render_all([article], request)
                    bar.update()
        seconds = time.perf_counter() - started
        self.stdout.write(f"已生成 {done} 篇文稿的页面，用时 {seconds:.1f} 秒。")
