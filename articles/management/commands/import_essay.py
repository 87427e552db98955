"""``manage.py import_essay PATH [PATH ...]``: parse raw essays and store them as drafts.

Each file is handled on its own: a file that cannot be read or parsed is
reported (naming the file), nothing of it is stored, the others still
import, and the command exits with status 1.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import services
from articles.models import Article
from articles.essay import EssayError, parse
from articles.essay.decoding import UnreadableText, decode_essay_bytes
from topics.models import Topic


class Command(BaseCommand):
    help = "解析原始文稿文本并导入为草稿(或直接发布)。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="文稿文本文件")
        parser.add_argument("--dry-run", action="store_true", help="只解析，不写入数据库")
        parser.add_argument("--json", action="store_true", help="每个文件输出一行 JSON")
        parser.add_argument(
            "--topic", action="append", default=[], metavar="SLUG", help="给导入的文稿打上专题(可重复)"
        )
        parser.add_argument("--publish", action="store_true", help="导入后立即发布")

    def handle(self, *paths, **options):
        topics = self._topics(options["topic"])
        failures = 0
        for path in options["paths"]:
            try:
                essay = parse(decode_essay_bytes(self._read(path)))
            except EssayError as error:
                failures += 1
                self.stderr.write(f"{path}: {error}")
                continue
            result = essay.to_dict()
            if not options["dry_run"]:
                article = services.import_essay(essay, topics=topics, publish_now=options["publish"])
                result.update(id=article.pk, slug=article.slug, status=article.status)
            if options["json"]:
                self.stdout.write(json.dumps(result, ensure_ascii=False))
            else:
                self.stdout.write(self._summary(path, essay, result, options["dry_run"]))
        if failures:
            raise CommandError(f"{failures} 个文件未能导入(见上方说明),其余文件已处理。")

    @staticmethod
    def _read(path):
        file = Path(path)
        if not file.is_file():
            raise UnreadableText("文件不存在或不是普通文件")
        try:
            return file.read_bytes()
        except OSError as error:
            raise UnreadableText(f"无法读取文件：{error.strerror}") from error

    @staticmethod
    def _topics(slugs):
        topics = list(Topic.objects.filter(slug__in=slugs))
        missing = sorted(set(slugs) - {topic.slug for topic in topics})
        if missing:
            raise CommandError(f"专题不存在：{', '.join(missing)}")
        return topics

    @staticmethod
    def _summary(path, essay, result, dry_run):
        points = sum(len(section.points) for section in essay.sections)
        action = "解析" if dry_run else f"已导入(#{result['id']},{Article.Status(result['status']).label})"
        lines = [f"{path}: {action}《{essay.title}》，{len(essay.sections)} 个部分，{points} 个要点"]
        lines += [f"  注意：{warning}" for warning in essay.warnings]
        return "\n".join(lines)
