"""Proofreading in the portal: the rules editors keep in the database, and
proofreading of imported essays and stored articles.

The engine (:mod:`articles.essay.proofreading`) is pure Python and reads its
rules from a JSON file. Here those rules live in :class:`ProofreadingRule`
rows, so editors can switch a rule off, adjust it or add their own in the
admin:

- :func:`sync_shipped_rules` copies the shipped rule file into the table
  (after every ``migrate``, see ``articles.signals``, and with
  ``manage.py sync_proofreading_rules``). Editors' choices (``enabled``,
  ``note``) and editors' own rules survive every upgrade.
- :func:`active_rules` turns the enabled rows into engine rules, cached per
  process and rebuilt as soon as a row changes (one small query a call), so a
  change in the admin takes effect in every worker without a restart.
- :func:`proofread_with_site_rules` proofreads a parsed essay with the enabled rules (import, the change form);
  :func:`proofread_article` a stored article, field by field, with Chinese
  field labels and section anchors for the admin.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field
from operator import attrgetter
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Count, Max, Q

from articles.editing import sensitive
from articles.editing.formulations import active_lexicon
from articles.editing.rule_checks import rule_from_row, validate_rule_row
from articles.essay import Essay, EssayPoint, EssaySection, layout
from articles.essay import proofreading as engine
from articles.essay.layout import EssayFinding
from articles.essay.numbering import int_to_cn
from articles.models import ProofreadingRule
from articles.text import group_sections, html_to_text, section_anchor

logger = logging.getLogger(__name__)

__all__ = [
    "ArticleFinding",
    "SyncReport",
    "active_rules",
    "political_findings",
    "proofread_article",
    "proofread_with_site_rules",
    "rule_from_row",
    "sync_shipped_rules",
    "validate_rule_row",
]

# Engine Rule attribute → ProofreadingRule field, for the fields a new
# version of the rule file may change.
_CONTENT_FIELDS = {
    "pattern": "pattern",
    "suggestion": "suggestion",
    "context_before": "context_before",
    "context_after": "context_after",
    "not_before": "not_before",
    "not_after": "not_after",
    "category": "category",
    "severity": "severity",
    "confidence": "confidence",
    "explanation": "explanation",
}


# --------------------------------------------------------------------------
# Shipped rules → database


@dataclass
class SyncReport:
    """What :func:`sync_shipped_rules` did, as lists of rule ids."""

    version: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Shipped rules no longer in the file: switched off, kept for the record.
    disabled: list[str] = field(default_factory=list)
    # Editors' rules whose id the file now also uses: left as they are.
    skipped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.disabled)

    def __str__(self) -> str:
        text = (
            f"校对规则文件版本 {self.version}\uff1a新增 {len(self.created)} 条\uff0c"
            f"更新 {len(self.updated)} 条\uff0c未变 {len(self.unchanged)} 条\uff0c"
            f"停用 {len(self.disabled)} 条"
        )
        lines = [text + "。"]
        if self.disabled:
            lines.append("已从规则文件中删除而停用\uff1a" + "、".join(self.disabled))
        if self.skipped:
            lines.append("与编辑添加的规则同名\uff0c未覆盖\uff1a" + "、".join(self.skipped))
        return "\n".join(lines)


def sync_shipped_rules(path: str | Path | None = None, *, using: str = DEFAULT_DB_ALIAS) -> SyncReport:
    """Upsert the rules of the shipped rule file into :class:`ProofreadingRule`.

    ``path`` defaults to ``articles/essay/rules/proofreading.json``; the file
    is validated first (ValueError names the bad rule), nothing is written
    when it is invalid. By ``rule_id``:

    - a new rule is created (origin *shipped*, the file's version);
    - a shipped rule whose ``shipped_version`` differs from the file's
      version gets the file's pattern, contexts, suggestion, category,
      severity, confidence and explanation; ``enabled`` and ``note`` are the
      editors' and are never touched;
    - an editor's rule (origin *editor*) is never touched, even when the file
      uses its id (reported as ``skipped``);
    - a shipped rule no longer in the file is disabled, not deleted, once:
      its ``shipped_version`` is cleared to mark it retired, so an editor
      who switches it back on is not overruled by the next sync.

    Running it twice writes nothing the second time.
    """
    rules = engine.load_rules(path)
    version = engine.rules_version(path)
    _check_lengths(rules, version)
    report = SyncReport(version=version)
    rows = ProofreadingRule.objects.using(using)
    with transaction.atomic(using=using):
        existing = {row.rule_id: row for row in rows.select_for_update()}
        new_rows = []
        for rule in rules:
            row = existing.get(rule.id)
            if row is None:
                new_rows.append(
                    ProofreadingRule(
                        rule_id=rule.id,
                        origin=ProofreadingRule.Origin.SHIPPED,
                        shipped_version=version,
                        enabled=rule.enabled,
                        note=rule.note,
                        **{name: getattr(rule, attr) for attr, name in _CONTENT_FIELDS.items()},
                    )
                )
                report.created.append(rule.id)
            elif row.origin != ProofreadingRule.Origin.SHIPPED:
                report.skipped.append(rule.id)
            elif row.shipped_version == version:
                report.unchanged.append(rule.id)
            else:
                changed = [name for attr, name in _CONTENT_FIELDS.items() if getattr(row, name) != getattr(rule, attr)]
                for attr, name in _CONTENT_FIELDS.items():
                    setattr(row, name, getattr(rule, attr))
                row.shipped_version = version
                row.save(using=using, update_fields=[*changed, "shipped_version", "updated_at"])
                (report.updated if changed else report.unchanged).append(rule.id)
        if new_rows:
            rows.bulk_create(new_rows)
        in_file = {rule.id for rule in rules}
        for rule_id, row in sorted(existing.items()):
            if rule_id in in_file or row.origin != ProofreadingRule.Origin.SHIPPED or not row.shipped_version:
                continue
            row.enabled = False
            row.shipped_version = ""
            row.save(using=using, update_fields=["enabled", "shipped_version", "updated_at"])
            report.disabled.append(rule_id)
    return report


def _check_lengths(rules: list[engine.Rule], version: str) -> None:
    # SQLite ignores a CharField's max_length, PostgreSQL refuses the row:
    # check here so both fail the same way, before anything is written.
    fields = {"rule_id": "id", **{name: attr for attr, name in _CONTENT_FIELDS.items()}}
    if len(version) > ProofreadingRule._meta.get_field("shipped_version").max_length:
        raise ValueError(f"rule file version {version!r} is too long")
    for rule in rules:
        for name, attr in fields.items():
            limit = ProofreadingRule._meta.get_field(name).max_length
            value = getattr(rule, attr)
            if limit and isinstance(value, str) and len(value) > limit:
                raise ValueError(f"rule {rule.id!r}: {attr!r} is {len(value)} characters, the column holds {limit}")


# --------------------------------------------------------------------------
# Database rows → engine rules


# (fingerprint, rules); replaced as a whole, so readers never see half a cache.
_cache: tuple[tuple, list[engine.Rule]] | None = None


def _fingerprint() -> tuple:
    # One query; any save through the ORM bumps updated_at, adding or deleting
    # a row changes the count, a bulk .update(enabled=…) the enabled count.
    values = ProofreadingRule.objects.aggregate(
        latest=Max("updated_at"), count=Count("id"), enabled=Count("id", filter=Q(enabled=True))
    )
    return values["latest"], values["count"], values["enabled"]


def active_rules() -> list[engine.Rule]:
    """The enabled rules as engine rules.

    Costs one small query when nothing changed since the last call in this
    process, and rebuilds the list when anything did, so an edit in the
    admin reaches every worker process on its next proofreading. A row the
    engine cannot use (a regex that no longer compiles…) is skipped and
    logged, never raised. Changes made with ``QuerySet.update()`` of fields
    other than ``enabled`` bypass ``updated_at`` and are not seen until the
    next save; the admin and :func:`sync_shipped_rules` always save.
    """
    global _cache
    fingerprint = _fingerprint()
    cached = _cache
    if cached is not None and cached[0] == fingerprint:
        return list(cached[1])
    rules = []
    for row in ProofreadingRule.objects.filter(enabled=True).order_by("rule_id"):
        rule = rule_from_row(row)
        try:
            engine.validate_rule(rule)
        except (ValueError, TypeError) as problem:
            logger.warning("proofreading rule %s (#%s) skipped: %s", row.rule_id, row.pk, problem)
            continue
        rules.append(rule)
    _cache = (fingerprint, rules)
    return list(rules)


def clear_rule_cache() -> None:
    """Forget the cached rules (tests; the fingerprint makes it unnecessary otherwise)."""
    global _cache
    _cache = None


# --------------------------------------------------------------------------
# Proofreading essays and articles


def proofread_with_site_rules(
    essay: Essay, rules: list[engine.Rule] | None = None, lexicon=None, matcher=None
) -> list[EssayFinding]:
    """Proofread a parsed essay with the enabled rules and formulations (``rules``, ``lexicon`` override),
    and the sensitive-word and names lists (``articles.editing.sensitive``; ``matcher`` overrides), in reading order."""
    found = layout.proofread_essay(
        essay,
        active_rules() if rules is None else rules,
        lexicon=active_lexicon() if lexicon is None else lexicon,
    )
    matcher = sensitive.active_matcher() if matcher is None else matcher
    if not matcher.size:
        return found
    laid_out = layout.layout(essay)
    listed = layout.locate_findings(laid_out, matcher.findings(laid_out.text))
    if not listed:
        return found
    return sorted(found + listed, key=lambda item: (item.start, item.end))


@dataclass(frozen=True)
class ArticleFinding:
    """A finding in one field of a stored article.

    ``field`` is the model field (``title``, ``subtitle``, ``lead``,
    ``conclusion``, ``author_org``, or ``heading``/``body``/``number`` of the
    section ``section_id``); ``start``/``end`` are offsets into the field's
    plain text (rich text through :func:`html_to_text`). ``anchor`` is the
    section's fragment id on the reading page and in the admin.
    """

    field: str
    label: str
    section_id: int | None
    anchor: str
    start: int
    end: int
    original: str
    suggestion: str
    rule: str
    category: str
    severity: str
    explanation: str
    confidence: float
    context_before: str
    context_after: str
    fixable: bool
    # Where a screen links it (the change page's field or row, the preview):
    # set by the screen with dataclasses.replace, not part of the finding's data.
    href: str = field(default="", compare=False)
    preview_href: str = field(default="", compare=False)

    @classmethod
    def in_essay(cls, finding: EssayFinding, essay: Essay) -> ArticleFinding:
        """A finding of a parsed (unsaved) essay, e.g. the change form as submitted: placed by its path."""
        location = finding.location
        return cls(
            field=location.path,
            label=layout.place_label(essay, location.path),
            section_id=None,
            anchor="",
            start=location.start,
            end=location.end,
            original=finding.original,
            suggestion=finding.suggestion,
            rule=finding.rule,
            category=finding.category,
            severity=finding.severity,
            explanation=finding.explanation,
            confidence=finding.confidence,
            context_before=finding.context_before,
            context_after=finding.context_after,
            fixable=finding.is_fixable,
        )

    @property
    def id(self) -> str:
        where = f"{section_anchor(self.section_id)}.{self.field}" if self.section_id else self.field
        return f"{where}:{self.rule}@{self.start}"

    @property
    def severity_label(self) -> str:
        return ProofreadingRule.Severity(self.severity).label

    @property
    def category_label(self) -> str:
        if self.category in engine.BUILTIN_CATEGORY_LABELS:
            return engine.BUILTIN_CATEGORY_LABELS[self.category]
        return ProofreadingRule.Category(self.category).label

    @property
    def is_political(self) -> bool:
        return self.severity == ProofreadingRule.Severity.POLITICAL

    @property
    def confidence_percent(self) -> int:
        return round(self.confidence * 100)

    def to_dict(self) -> dict:
        data = asdict(self)
        del data["href"], data["preview_href"]
        return {"id": self.id, **data}


_TOP_LABELS = {"title": "标题", "subtitle": "副标题", "lead": "导语", "conclusion": "结语", "author_org": "作者单位"}
_FIELD_LABELS = {"heading": "标题", "body": "正文", "number": "序号"}
_SECTION_NUMBER = re.compile(r"\s*([一二三四五六七八九十百零〇两]+)\s*[、.．]?\s*")


def _section_label(number: str, index: int) -> str:
    match = _SECTION_NUMBER.fullmatch(number or "")
    return f"第{match.group(1) if match else int_to_cn(index)}部分"


def _point_label(number: str, index: int) -> str:
    number = (number or "").strip()
    if not number:
        return f"第{index}点"
    return number.replace("(", "\uff08").replace(")", "\uff09")


@dataclass
class _Place:
    label: str
    section: object | None  # Section row


def _article_as_essay(article) -> tuple[Essay, dict[str, _Place]]:
    """The article as a plain Essay, and each essay field's article place."""
    essay = Essay(
        title=article.title,
        subtitle=article.subtitle,
        author_org=article.author_org,
        lead=html_to_text(article.lead),
        conclusion=html_to_text(article.conclusion),
    )
    places: dict[str, _Place] = {name: _Place(label, None) for name, label in _TOP_LABELS.items()}
    for part, points in group_sections(
        article.sections.all(), attrgetter("is_part")
    ):  # prefetched rows are used as they are
        i = len(essay.sections)
        if part is None:  # points before any section hang on a headless one
            section_label = ""
            essay.sections.append(EssaySection("", ""))
        else:
            section_label = _section_label(part.number, i + 1)
            essay.sections.append(EssaySection(part.number, part.heading, part.kind, html_to_text(part.body)))
            for name in _FIELD_LABELS:
                places[f"sections[{i}].{name}"] = _Place(f"{section_label} {_FIELD_LABELS[name]}", part)
        for j, row in enumerate(points):
            essay.sections[i].points.append(EssayPoint(row.number, row.heading, html_to_text(row.body)))
            prefix = section_label + _point_label(row.number, j + 1)
            for name, label in _FIELD_LABELS.items():
                joiner = "" if prefix.endswith("\uff09") else " "
                places[f"sections[{i}].points[{j}].{name}"] = _Place(f"{prefix}{joiner}{label}", row)
    return essay, places


def proofread_article(
    article, rules: list[engine.Rule] | None = None, lexicon=None, matcher=None
) -> list[ArticleFinding]:
    """Proofread a stored article: title, subtitle, lead, every section's and
    point's number, heading and body, conclusion and author's unit.

    Rich text is proofread as plain text (:func:`html_to_text`). Findings come
    in reading order. Uses ``article.sections.all()``, so prefetch sections
    when proofreading many articles. ``rules`` defaults to :func:`active_rules`, ``lexicon`` (the
    spinner detector's formulations) to :func:`~articles.editing.formulations.active_lexicon`.
    """
    essay, places = _article_as_essay(article)
    result = []
    for item in proofread_with_site_rules(essay, rules, lexicon, matcher):
        path = item.location.path
        place = places[path]
        name = path.rsplit(".", 1)[-1]
        result.append(
            ArticleFinding(
                field=name,
                label=place.label,
                section_id=place.section.pk if place.section is not None else None,
                anchor=place.section.anchor if place.section is not None else "",
                start=item.location.start,
                end=item.location.end,
                original=item.original,
                suggestion=item.suggestion,
                rule=item.rule,
                category=item.category,
                severity=item.severity,
                explanation=item.explanation,
                confidence=item.confidence,
                context_before=item.context_before,
                context_after=item.context_after,
                fixable=item.is_fixable,
            )
        )
    return result


def essay_text(essay: Essay) -> str:
    """The text the proofreader reads in ``essay``, one paragraph per line (markup and kinds left out)."""
    return layout.essay_text(essay)


def article_text(article) -> str:
    """:func:`essay_text` of a stored article: comparing the two tells whether a save changes what is proofread."""
    return essay_text(_article_as_essay(article)[0])


def political_findings(article, rules: list[engine.Rule] | None = None) -> list[ArticleFinding]:
    """The findings of :func:`proofread_article` whose severity is political."""
    return [f for f in proofread_article(article, rules) if f.severity == ProofreadingRule.Severity.POLITICAL]
