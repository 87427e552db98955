"""``manage.py sync_proofreading_rules``: copy the shipped proofreading rules,
and the spinner detector's formulations (常见提法), into the database
(``migrate`` does this too). Editors' choices survive: see
``articles.editing.rules.sync_shipped_rules`` and
``articles.editing.formulations.sync_shipped_formulations``."""

from django.core.management.base import BaseCommand, CommandError

from articles.editing.formulations import sync_shipped_formulations
from articles.editing.rules import sync_shipped_rules


class Command(BaseCommand):
    help = "把随系统发布的校对规则和常见提法同步到数据库（保留编辑的启用设置、备注和自建规则、提法）。"

    def add_arguments(self, parser):
        parser.add_argument("--file", metavar="PATH", help="规则文件（默认为随系统发布的 proofreading.json）")

    def handle(self, *args, **options):
        try:
            report = sync_shipped_rules(options["file"])
        except ValueError as error:
            raise CommandError(f"规则文件无效\uff0c未作任何改动\uff1a{error}") from error
        self.stdout.write(str(report))
        self.stdout.write(str(sync_shipped_formulations()))
