"""``manage.py check_copies (ESSAY_ID ... | --all) [--json]``: 文稿查重 of stored essays.

Each essay's current text against every other indexed text (see
``articles.copies.check``). Plain output: one line per essay with the overall
percentage, the longest passage and the sources; ``--json``: one object per line.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from articles.copies.check import check_article
from articles.models import Article


class Command(BaseCommand):
    help = "文稿查重：报告文稿与库中其他文稿、参考文本重复的比例和来源。"

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, metavar="ESSAY_ID", help="文稿编号")
        parser.add_argument("--all", action="store_true", help="检查所有文稿（不含回收站）")
        parser.add_argument("--json", action="store_true", help="每篇输出一行 JSON")

    def handle(self, *args, ids, **options):
        every, as_json = options["all"], options["json"]
        if bool(ids) == every:
            raise CommandError("请给出文稿编号，或使用 --all（二者选一）。")
        queryset = Article.all_objects.prefetch_related("sections").order_by("pk")
        articles = list(queryset) if every else list(queryset.filter(pk__in=ids))
        missing = sorted(set(ids) - {article.pk for article in articles})
        for article in articles:
            report = check_article(article)
            if as_json:
                self.stdout.write(_json({"id": article.pk, "title": article.title, **report.as_dict()}))
                continue
            self.stdout.write(
                f"#{article.pk}《{article.title}》：重复率 {report.percent:g}%，最长重复 {report.longest} 字。"
                f"{report.summary()}"
            )
            for source in report.sources:
                where = f"#{source.row.article_id}" if source.row.article_id else "参考文本"
                self.stdout.write(f"  {where}《{source.title}》（{source.status_label}）{source.percent:g}%")
        if missing:
            raise CommandError(f"文稿不存在：{'、'.join(str(pk) for pk in missing)}")


def _json(data):
    return json.dumps(data, ensure_ascii=False)
