"""The check step of 导入文稿: the parsed essay with every finding of the site's
proofreading rules marked in place, grouped by what they change, each with
the editor's choice (accept or reject its fix).

Several rules may propose the same change in different contexts (seven rules
turn 开展 into 发展, each after other words): their findings are one group,
keyed by the change as the rules' explanation names it, with the category and
severity, so the page shows one heading with the count, and the group's
choice applies to every finding of every rule inside it.

:func:`build_check` proofreads a parsed essay; :func:`decide` reads the
editor's choices from the submitted form. Stateless: the page recomputes the
check on submit, and :func:`fingerprint` tells whether the findings are still
the ones the editor saw.
"""

import hashlib
import json
from dataclasses import dataclass, field

from articles.editing import rules as proofreading
from articles.essay.layout import essay_text, place_label
from articles.essay.proofreading import BUILTIN_CATEGORY_LABELS, SEVERITIES
from articles.models import ProofreadingRule, Section

# Findings below this confidence are proposed unticked.
ACCEPT_THRESHOLD = 0.7
# Each ticked box is one POST field and Django refuses more than
# DATA_UPLOAD_MAX_NUMBER_FIELDS (1000); findings past this many get no box
# and follow their rule's choice (or their default).
MAX_CHOICES = 500

RULE_CHOICES = (("each", "逐条"), ("accept", "全部接受"), ("reject", "全部拒绝"))
# Detectors whose findings each name their own change (“‘路途’疑为‘路线’…”) are one
# group per rule, so that the editor takes or leaves them all in one choice.
GROUP_LABELS = {"spinner.swap": "疑为伪原创工具的近义词替换：换回近义词即组成常见提法或搭配"}
SEVERITY_LABELS = dict(ProofreadingRule.Severity.choices)
CATEGORY_LABELS = {**BUILTIN_CATEGORY_LABELS, **dict(ProofreadingRule.Category.choices)}
KIND_LABELS = dict(Section.Kind.choices)


@dataclass
class FindingChoice:
    """One finding as the import page's check step shows it, with the editor's choice."""

    finding: object  # articles.essay.layout.EssayFinding
    index: int
    place: str
    fixable: bool
    has_checkbox: bool
    accepted: bool = False

    @property
    def id(self):
        return self.finding.id

    @property
    def dom_id(self):
        return f"finding-{self.index}"

    @property
    def default_accept(self):
        return self.fixable and self.finding.confidence >= ACCEPT_THRESHOLD

    @property
    def severity(self):
        return self.finding.severity

    @property
    def severity_label(self):
        return SEVERITY_LABELS[self.finding.severity]

    @property
    def confidence_percent(self):
        return round(self.finding.confidence * 100)

    @property
    def is_insertion(self):
        return not self.finding.original

    @property
    def is_deletion(self):
        return self.fixable and not self.finding.suggestion


@dataclass
class RuleGroup:
    """The findings of one or more rules proposing the same change (same explanation,
    category and severity)."""

    explanation: str
    severity: str
    category: str
    rules: list = field(default_factory=list)  # rule ids, in the order they first fired
    items: list = field(default_factory=list)
    choice: str = "each"

    @property
    def key(self):
        return (self.explanation, self.category, self.severity)

    @property
    def severity_label(self):
        return SEVERITY_LABELS[self.severity]

    @property
    def category_label(self):
        return CATEGORY_LABELS[self.category]

    @property
    def fixable_count(self):
        return sum(item.fixable for item in self.items)

    @property
    def choice_name(self):
        """The form field of the group's choice: ``rule:<id>``, or ``rule:<id>,<id>…`` (sorted)
        when several rules share the group. The same findings give the same name on submit
        (the fingerprint makes sure they are the same)."""
        return "rule:" + ",".join(sorted(self.rules))

    @property
    def choices(self):
        return RULE_CHOICES


@dataclass
class Segment:
    text: str = ""
    item: FindingChoice | None = None


@dataclass
class MarkedText:
    """A field's text cut at its findings, for marking them in place."""

    text: str
    segments: list

    def __bool__(self):
        return bool(self.text)


def _mark(text: str, items: list) -> MarkedText:
    segments, position = [], 0
    for item in sorted(items, key=lambda item: (item.finding.location.start, item.finding.location.end)):
        location = item.finding.location
        if location.start < position:
            continue  # the engine removes overlaps; never render one twice
        if location.start > position:
            segments.append(Segment(text[position : location.start]))
        segments.append(Segment(item=item))
        position = location.end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return MarkedText(text, segments)


@dataclass
class ImportCheck:
    essay: object
    items: list
    groups: list
    fingerprint: str

    @property
    def fixable_count(self):
        return sum(item.fixable for item in self.items)

    @property
    def point_count(self):
        return sum(len(section.points) for section in self.essay.sections)

    @property
    def capped(self):
        return len(self.items) > MAX_CHOICES

    @property
    def severity_counts(self):
        counts = {}
        for item in self.items:
            counts[item.severity] = counts.get(item.severity, 0) + 1
        return [(key, SEVERITY_LABELS[key], counts[key]) for key in SEVERITIES if key in counts]

    def marked(self):
        """The essay's fields, each cut at its findings, in reading order."""
        by_path = {}
        for item in self.items:
            by_path.setdefault(item.finding.location.path, []).append(item)

        def mark(path, text):
            return _mark(text, by_path.get(path, []))

        essay = self.essay
        sections = []
        for i, section in enumerate(essay.sections):
            prefix = f"sections[{i}]"
            sections.append(
                {
                    "number": mark(f"{prefix}.number", section.number),
                    "heading": mark(f"{prefix}.heading", section.heading),
                    "kind": section.kind,
                    "kind_label": KIND_LABELS.get(section.kind, section.kind),
                    "body": mark(f"{prefix}.body", section.body),
                    "points": [
                        {
                            "number": mark(f"{prefix}.points[{j}].number", point.number),
                            "heading": mark(f"{prefix}.points[{j}].heading", point.heading),
                            "body": mark(f"{prefix}.points[{j}].body", point.body),
                        }
                        for j, point in enumerate(section.points)
                    ],
                }
            )
        return {
            "title": mark("title", essay.title),
            "subtitle": mark("subtitle", essay.subtitle),
            "lead": mark("lead", essay.lead),
            "sections": sections,
            "conclusion": mark("conclusion", essay.conclusion),
            "author_org": mark("author_org", essay.author_org),
        }


def fingerprint(essay, findings) -> str:
    """Changes whenever the findings (or the text they point into) change."""
    payload = json.dumps(
        [
            essay_text(essay),
            [
                [
                    f.id,
                    f.location.path,
                    f.location.start,
                    f.location.end,
                    f.original,
                    f.suggestion,
                    f.severity,
                    f.confidence,
                    f.is_fixable,
                ]
                for f in findings
            ],
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def build_check(essay) -> ImportCheck:
    findings = proofreading.proofread_with_site_rules(essay)
    items, groups = [], {}
    for index, finding in enumerate(findings):
        item = FindingChoice(
            finding=finding,
            index=index,
            place=place_label(essay, finding.location.path),
            fixable=finding.is_fixable,
            has_checkbox=finding.is_fixable and index < MAX_CHOICES,
        )
        item.accepted = item.default_accept
        items.append(item)
        explanation = GROUP_LABELS.get(finding.rule, finding.explanation)
        key = (explanation, finding.category, finding.severity)
        group = groups.get(key)
        if group is None:
            group = groups[key] = RuleGroup(explanation, finding.severity, finding.category)
        if finding.rule not in group.rules:
            group.rules.append(finding.rule)
        group.items.append(item)
    # Political first, then by how often the group's rules fired.
    rank = {key: n for n, key in enumerate(SEVERITIES)}
    ordered = sorted(groups.values(), key=lambda g: (rank.get(g.severity, 9), -len(g.items), g.choice_name))
    return ImportCheck(essay, items, ordered, fingerprint(essay, findings))


def decide(check: ImportCheck, data) -> None:
    """Set each item's ``accepted`` from the submitted checkboxes and group choices."""
    ticked = set(data.getlist("accept"))
    for group in check.groups:
        choice = data.get(group.choice_name, "each")
        group.choice = choice if choice in dict(RULE_CHOICES) else "each"
        for item in group.items:
            if not item.fixable:
                item.accepted = False
            elif group.choice == "accept":
                item.accepted = True
            elif group.choice == "reject":
                item.accepted = False
            elif item.has_checkbox:
                item.accepted = item.id in ticked
            else:
                item.accepted = item.default_accept


@dataclass
class RepairGroup:
    """The undoable repairs of one kind (删除网站附加文字, 接回被硬换行断开的句子 …)."""

    label: str
    repairs: list  # (repair, kept)

    @property
    def count(self):
        return len(self.repairs)


def repair_groups(essay) -> list[RepairGroup]:
    """The essay's repairs by kind, in the order each kind first occurs, each with whether it was left undone."""
    groups: dict[str, RepairGroup] = {}
    for repair in essay.repairs:
        group = groups.setdefault(repair.kind, RepairGroup(repair.label, []))
        group.repairs.append((repair, repair.id in essay.kept_repairs))
    return list(groups.values())
