"""``manage.py regroup_items``: rebuild the problem and countermeasure library now."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from library.models import LibraryItem
from library.regrouping import regroup


class Command(BaseCommand):
    help = "重新提取已发布文稿中的问题与对策条目，并按相似度归类为主题（保留编辑的调整）。"

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条。")

    def handle(self, *args, no_progress=False, verbosity=1, **options):
        show = verbosity >= 1 and not no_progress
        bar = tqdm(
            total=LibraryItem.objects.count() or None,
            desc="归类条目",
            unit="条",
            disable=not show,
            file=self.stderr._out,
        )
        report = regroup(progress=bar.update)
        bar.total = bar.n
        bar.close()
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"重新归类完成：{report}"))
        return None
