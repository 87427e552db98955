"""``manage.py rebuild_search_index``: segment every essay again and rebuild the search index.

Run it after changing ``articles/search/dictionary/terms.txt``, after
migrating an existing database, or after loading essays with signals off.
Safe to run on a live site: each batch is its own transaction.
"""

import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.models import Article
from articles.search.indexing import rebuild


class Command(BaseCommand):
    help = "重建全文搜索索引：重新切分所有文稿并写入索引。"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="每批处理的文稿数（默认 500）。")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条。")

    def handle(self, *args, batch_size, no_progress, **options):
        total = Article.objects.count()
        started = time.perf_counter()
        with tqdm(
            total=total,
            unit="篇",
            desc="重建搜索索引",
            file=self.stderr,
            disable=no_progress or options.get("verbosity", 1) == 0,
        ) as bar:
            done = rebuild(batch_size=max(1, batch_size), progress=bar.update)
        seconds = time.perf_counter() - started
        self.stdout.write(f"搜索索引已重建：{done} 篇文稿，用时 {seconds:.1f} 秒。")
