"""``manage.py build_copy_index``: index every essay's text for 文稿查重 again.

Run it after migrating, after loading essays with signals off, and after the
segmenter's dictionary or the swap tables (rules/neighbours.txt, the
back-translation rules) change: the stored compared forms depend on them.
"""

import os
import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.copies.index import rebuild
from articles.models import Article


class Command(BaseCommand):
    help = "重建查重索引：重新处理所有文稿（含回收站）和保存的参考文本。"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200, help="每批处理的文稿数（默认 200）。")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条。")
        parser.add_argument(
            "--processes",
            type=int,
            default=os.cpu_count() or 1,
            help="并行处理文本的进程数（默认为 CPU 核数；1 为不另开进程）。",
        )

    def handle(self, *args, batch_size, no_progress, processes, **options):
        total = Article.all_objects.count()
        started = time.perf_counter()
        with tqdm(
            total=total,
            unit="篇",
            desc="重建查重索引",
            file=self.stderr,
            disable=no_progress or options.get("verbosity", 1) == 0,
        ) as bar:
            done = rebuild(
                batch_size=max(1, batch_size),
                progress=lambda n, _total: bar.update(n - bar.n),
                processes=max(1, processes),
            )
        seconds = time.perf_counter() - started
        self.stdout.write(f"查重索引已重建：{done} 篇文稿，用时 {seconds:.1f} 秒。")
