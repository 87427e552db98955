"""``manage.py import_essay PATH [PATH ...]``: parse raw essays and store them as drafts.

A PATH that is a directory stands for every ``*.txt`` file in it (sorted by
name, not recursive). Each file is handled on its own: a file that cannot be
read or parsed is reported (naming the file), nothing of it is stored, the
others still import, and the command exits with status 1. With more than one
file a progress bar runs on stderr (only when stderr is a terminal) and a
summary ends the run on stderr (``导入 N 篇；失败 M 篇：`` and each failure).

Every essay is proofread with the enabled rules (``articles.editing.rules``).
``--fix`` applies every fixable suggestion before storing. ``--json`` prints
one object per file: the essay's fields (fixed with ``--fix``), ``"text"``
(the cleaned essay as one text, before fixes: ``articles.essay.layout.essay_text``)
and ``"corrections"`` whose ``start``/``end`` are offsets into that text;
``"fixable"`` tells which ones ``--fix`` applies.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from tqdm import tqdm

from articles.copies.check import check_text
from articles.editing import importing
from articles.editing import rules as proofreading
from articles.essay import EssayError, parse
from articles.essay.decoding import UnreadableText, decode_essay_bytes
from articles.essay.layout import essay_text, fix_essay, proofread_essay
from articles.essay.splitting import split_essays
from articles.models import Article, ProofreadingRule
from topics.models import Topic

NOT_MIGRATED = (
    "数据库还没有建表\uff0c请先运行 manage.py migrate\uff08database not migrated: run manage.py migrate first\uff09"
)

_CORRECTION_KEYS = (
    "start",
    "end",
    "original",
    "suggestion",
    "rule",
    "category",
    "severity",
    "explanation",
    "confidence",
)


class DuplicateEssay(EssayError):
    """--check-copies: the text is already in the portal (not imported)."""


def _duplicate_message(source):
    where = f"#{source.row.article_id}" if source.row.article_id else "私有参考文本"
    return f"与《{source.title}》（{where}，{source.status_label}）相同（重复 {source.percent:g}%），未导入"


class Command(BaseCommand):
    help = "解析原始文稿文本并导入为草稿（或直接发布）；PATH 可以是目录（导入其中全部 .txt 文件）。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="文稿文本文件，或存放 .txt 文稿的目录")
        parser.add_argument("--dry-run", action="store_true", help="只解析，不写入数据库")
        parser.add_argument("--json", action="store_true", help="每个文件输出一行 JSON（含校对结果）")
        parser.add_argument(
            "--topic", action="append", default=[], metavar="SLUG", help="给导入的文稿打上专题（可重复）"
        )
        parser.add_argument(
            "--publish", action="store_true", help="导入后立即发布（视为操作者已完成保密审查，记入审计日志）"
        )
        parser.add_argument("--fix", action="store_true", help="按校对建议自动修正可修正的错误后再导入")
        parser.add_argument(
            "--check-copies",
            action="store_true",
            help="导入前查重：列出与库中文稿重复的比例和来源；与已有文稿相同的文本不导入",
        )
        parser.add_argument(
            "--split",
            action="store_true",
            help="一个文件含多篇文稿（【篇1】【篇2】、范文一/范文二）时分别导入为多篇草稿",
        )

    def handle(self, *args, **options):
        migrated = self._database_ready()
        if not migrated and not options["dry_run"]:
            raise CommandError(NOT_MIGRATED)
        topics = self._topics(options["topic"]) if options["topic"] else []
        files, failures = self._expand(options["paths"])
        for path, reason in failures:
            self.stderr.write(f"{path}: {reason}")
        # Once: the rules do not change during a run. A dry run before migrate uses the shipped rule file.
        rules = proofreading.active_rules() if migrated else None
        many = len(files) + len(failures) > 1
        stream = getattr(self.stderr, "_out", self.stderr)
        bar = tqdm(
            total=len(files),
            file=stream,
            unit="篇",
            desc="导入",
            leave=False,
            disable=not (many and self.stderr.isatty()),
        )
        imported = 0
        with bar:
            for path in files:
                try:
                    output = self._import(path, topics, rules, options)
                except EssayError as error:
                    failures.append((path, str(error)))
                    self._write(self.stderr, f"{path}: {error}")
                except Exception as error:  # noqa: BLE001 - a database or programming error: this file only
                    reason = f"导入时出错\uff08{type(error).__name__}\uff1a{error}\uff09"
                    failures.append((path, reason))
                    self._write(self.stderr, f"{path}: {reason}")
                else:
                    imported += 1
                    self._write(self.stdout, output)
                bar.update()
        if many:
            self.stderr.write(self._report(imported, failures, options["dry_run"]))
        if failures:
            raise CommandError(f"{len(failures)} 个文件未能导入\uff08见上方说明\uff09\uff0c其余文件已处理。")

    @staticmethod
    def _database_ready():
        """Whether the essay tables exist (``migrate`` has run)."""
        try:
            tables = set(connection.introspection.table_names())
        except DatabaseError:
            return False
        return {Article._meta.db_table, ProofreadingRule._meta.db_table} <= tables

    def _import(self, path, topics, rules, options):
        text = decode_essay_bytes(self._read(path))
        pieces = split_essays(text)
        if not options["split"] or len(pieces) == 1:
            output = self._import_one(path, text, topics, rules, options)
            if len(pieces) > 1 and not options["json"]:
                output += f"\n  注意\uff1a文件中有 {len(pieces)} 篇文稿\uff0c已作为一篇导入\uff1b用 --split 可分别导入"
            return output
        # Parse every piece first: all of the file or nothing of it.
        essays = [parse(piece) for piece in pieces]
        with transaction.atomic():
            return "\n".join(
                self._import_one(f"{path}#{n}", piece, topics, rules, options, essay=essay)
                for n, (piece, essay) in enumerate(zip(pieces, essays, strict=True), start=1)
            )

    def _import_one(self, path, text, topics, rules, options, essay=None):
        essay = essay or parse(text)
        if rules is None:
            findings = proofread_essay(essay)
        else:
            findings = proofreading.proofread_with_site_rules(essay, rules)
        text = essay_text(essay)
        stored = fix_essay(essay, findings) if options["fix"] else essay
        result = stored.to_dict()
        report = check_text(text) if options["check_copies"] and rules is not None else None
        if report is not None:
            result["copies"] = report.as_dict()
            if report.identical is not None and not options["dry_run"]:
                raise DuplicateEssay(_duplicate_message(report.identical))
        if not options["dry_run"]:
            article = importing.import_essay(stored, topics=topics, publish_now=options["publish"])
            result.update(id=article.pk, slug=article.slug, status=article.status)
        if options["json"]:
            result["text"] = text
            result["fixed"] = options["fix"]
            result["corrections"] = [self._correction(finding) for finding in findings]
            return json.dumps(result, ensure_ascii=False)
        output = self._summary(path, stored, result, findings, options)
        if report is not None:
            output += f"\n  查重：{report.summary()}"
        return output

    @staticmethod
    def _correction(finding):
        data = {key: getattr(finding, key) for key in _CORRECTION_KEYS}
        location = finding.location
        data.update(
            id=finding.id,
            fixable=finding.is_fixable,
            location={"path": location.path, "start": location.start, "end": location.end},
            context_before=finding.context_before,
            context_after=finding.context_after,
        )
        return data

    def _write(self, out, text):
        # Lines printed while the bar runs must not be drawn over by it.
        with tqdm.external_write_mode(file=getattr(out, "_out", out)):
            out.write(text)

    @staticmethod
    def _expand(paths):
        """The files to import (directories expanded) and the paths that fail already."""
        files, failures = [], []
        for path in paths:
            folder = Path(path)
            if folder.is_dir():
                found = sorted(str(p) for p in folder.glob("*.txt") if p.is_file())
                if found:
                    files.extend(found)
                else:
                    failures.append((path, "目录中没有 .txt 文件"))
            else:
                files.append(path)
        return files, failures

    @staticmethod
    def _read(path):
        file = Path(path)
        if not file.is_file():
            raise UnreadableText("文件不存在或不是普通文件")
        try:
            return file.read_bytes()
        except OSError as error:
            raise UnreadableText(f"无法读取文件\uff1a{error.strerror}") from error

    @staticmethod
    def _topics(slugs):
        topics = list(Topic.objects.filter(slug__in=slugs))
        missing = sorted(set(slugs) - {topic.slug for topic in topics})
        if missing:
            raise CommandError(f"专题不存在\uff1a{'、'.join(missing)}")
        return topics

    @staticmethod
    def _report(imported, failures, dry_run):
        done = f"解析 {imported} 篇\uff08试运行\uff0c未写入数据库\uff09" if dry_run else f"导入 {imported} 篇"
        if not failures:
            return f"{done}\uff1b失败 0 篇。"
        lines = [f"{done}\uff1b失败 {len(failures)} 篇\uff1a"]
        lines += [f"  {path}\uff1a{reason}" for path, reason in failures]
        return "\n".join(lines)

    @staticmethod
    def _summary(path, essay, result, findings, options):
        points = sum(len(section.points) for section in essay.sections)
        if options["dry_run"]:
            action = "解析"
        else:
            action = f"已导入\uff08#{result['id']}\uff0c{Article.Status(result['status']).label}\uff09"
        lines = [f"{path}: {action}《{essay.title}》\uff0c{len(essay.sections)} 个部分\uff0c{points} 个要点"]
        lines += [f"  注意\uff1a{warning}" for warning in essay.warnings]
        applied = [repair for repair in essay.repairs if repair.id not in essay.kept_repairs]
        if applied:
            kinds = {}
            for repair in applied:
                kinds[repair.label] = kinds.get(repair.label, 0) + 1
            done = "\uff0c".join(f"{label} {count} 处" for label, count in kinds.items())
            lines.append(f"  整理\uff1a{done}\uff08--json 的 repairs 逐条列出\uff09")
        if findings:
            political = [f for f in findings if f.severity == ProofreadingRule.Severity.POLITICAL]
            fixable = sum(f.is_fixable for f in findings)
            line = f"  校对\uff1a发现 {len(findings)} 处可能的错误\uff08政治性 {len(political)} 处\uff09"
            if options["fix"]:
                line += f"\uff0c已自动修正 {fixable} 处"
            elif fixable:
                line += f"\uff0c其中 {fixable} 处可用 --fix 自动修正"
            lines.append(line)
            for finding in political:
                change = f"{finding.original}→{finding.suggestion}"
                lines.append(
                    f"  政治性错误\uff1a…{finding.context_before}【{change}】{finding.context_after}…"
                    f"\uff08{finding.explanation}\uff09"
                )
        return "\n".join(lines)
