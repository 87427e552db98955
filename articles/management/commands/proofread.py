"""``manage.py proofread (--article ID … | --all) [--json]``: report what the
proofreader finds in stored articles, with the rules enabled in the admin.

Reports only; nothing is changed. Human-readable Chinese by default, one JSON
object per article with ``--json``: ``{"id", "title", "findings": [...]}``.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from articles.editing import rules as proofreading
from articles.editing.sensitive import active_matcher
from articles.models import Article


class Command(BaseCommand):
    help = "校对已保存的文稿并列出发现的问题（只报告，不修改）。"

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--article", action="append", type=int, metavar="ID", help="文稿编号（可重复）")
        which.add_argument("--all", action="store_true", help="校对全部文稿")
        parser.add_argument("--json", action="store_true", help="每篇文稿输出一行 JSON")

    def handle(self, *args, **options):
        if not options["all"] and not options["article"]:
            raise CommandError("请用 --article ID 指定文稿\uff0c或用 --all 校对全部文稿。")
        articles = Article.objects.prefetch_related("sections").order_by("id")
        if options["all"]:
            articles = articles.iterator(chunk_size=100)
        else:
            ids = list(dict.fromkeys(options["article"]))
            found = {article.pk: article for article in articles.filter(pk__in=ids)}
            missing = [str(pk) for pk in ids if pk not in found]
            if missing:
                raise CommandError(f"文稿不存在\uff1a{'、'.join(missing)}")
            articles = [found[pk] for pk in ids]
        rules, matcher = proofreading.active_rules(), active_matcher()
        checked = total = political = 0
        for article in articles:
            findings = proofreading.proofread_article(article, rules, matcher=matcher)
            checked += 1
            total += len(findings)
            political += sum(finding.is_political for finding in findings)
            if options["json"]:
                data = {"id": article.pk, "title": article.title, "findings": [f.to_dict() for f in findings]}
                self.stdout.write(json.dumps(data, ensure_ascii=False))
            else:
                self.stdout.write(self._report(article, findings))
        if not options["json"]:
            self.stdout.write(f"共校对 {checked} 篇\uff0c发现 {total} 处可能的错误\uff08政治性 {political} 处\uff09。")

    @staticmethod
    def _report(article, findings):
        head = f"#{article.pk}《{article.title}》\uff1a"
        if not findings:
            return head + "未发现问题。"
        lines = [head + f"{len(findings)} 处"]
        for finding in findings:
            if finding.suggestion == finding.original:  # advisory: no fix to offer
                change = f"【{finding.original or '‸'}】"
            elif not finding.original:
                change = f"【补{finding.suggestion}】"
            elif not finding.suggestion:
                change = f"【删{finding.original}】"
            else:
                change = f"【{finding.original}→{finding.suggestion}】"
            change = change.replace("\n", "↵")
            lines.append(
                f"  [{finding.severity_label}] {finding.label}\uff1a"
                f"…{finding.context_before}{change}{finding.context_after}…\uff08{finding.explanation}\uff09"
            )
        return "\n".join(lines)
