"""Proofread a parsed essay as a whole and fix it field by field.

The engine (:mod:`.proofreading`) works on one string. An essay is a
structure: title, lead, numbered sections and points, conclusion. This
module lays the essay out as one canonical plain text (:func:`essay_text`,
one paragraph per line, in reading order), proofreads that text, and maps
every finding back to the field it came from (:class:`EssayLocation`), so
that a fix lands in that field and nowhere else (:func:`fix_essay`).

The same text is what ``import_essay --json`` prints as ``"text"``: the
offsets of its ``"corrections"`` refer to it.

Pure Python, no Django import.
"""

from __future__ import annotations

import bisect
import copy
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .proofreading import Finding, Rule, apply_corrections, proofread
from .structure import Essay

__all__ = [
    "AUTHOR_ORG_LABEL",
    "CONTEXT_CHARS",
    "EssayFinding",
    "EssayLocation",
    "EssayText",
    "essay_text",
    "fix_essay",
    "is_auto_fixable",
    "layout",
    "place_label",
    "proofread_essay",
]

# The prefix of the last line; it is a label, not part of any field.
AUTHOR_ORG_LABEL = "作者单位\uff1a"
# How much text a finding shows on each side when it is displayed.
CONTEXT_CHARS = 12

_POINT_PATH = re.compile(r"sections\[(\d+)\]\.points\[(\d+)\]\.(number|heading|body)")
_SECTION_PATH = re.compile(r"sections\[(\d+)\]\.(number|heading|body)")
_TOP_FIELDS = ("title", "subtitle", "lead", "conclusion", "author_org")
# Fields of running text (paragraphs), as opposed to one-line labels.
_RUNNING_TEXT = ("lead", "body", "conclusion")
_BARE_POINT_NUMBER = "structure.bare_point_number"


@dataclass(frozen=True)
class EssayLocation:
    """Where a span of :func:`essay_text` lies: ``field[start:end]`` of the
    field at ``path`` (``"title"``, ``"lead"``, ``"sections[1].heading"``,
    ``"sections[1].points[0].body"``, ``"conclusion"``, ``"author_org"`` …)."""

    path: str
    start: int
    end: int


@dataclass(frozen=True)
class _Segment:
    path: str
    start: int  # offsets into the whole text
    end: int


class EssayText:
    """The canonical text of an essay and the map from its offsets to fields."""

    def __init__(self, text: str, segments: Sequence[_Segment]):
        self.text = text
        self.segments = tuple(segments)
        self._starts = [segment.start for segment in self.segments]

    def locate(self, start: int, end: int) -> EssayLocation | None:
        """The field holding ``text[start:end]``, or None when the span is not
        inside one field (it crosses a line break between two fields, or
        touches a label such as ``作者单位：``).

        An empty span (an insertion point) at the very end of a field belongs
        to that field: a lost closing quotation mark at the end of a paragraph
        is inserted there. At the boundary between a number and its heading
        it belongs to the heading.
        """
        if not 0 <= start <= end <= len(self.text):
            return None
        index = bisect.bisect_right(self._starts, start) - 1
        if index < 0:
            return None
        segment = self.segments[index]
        if not (segment.start <= start and end <= segment.end):
            return None
        return EssayLocation(segment.path, start - segment.start, end - segment.start)

    def offset(self, path: str, local: int = 0) -> int:
        """The offset in the text of position ``local`` of the field at ``path``."""
        for segment in self.segments:
            if segment.path == path:
                if not 0 <= local <= segment.end - segment.start:
                    raise ValueError(f"{path}: position {local} is outside the field")
                return segment.start + local
        raise KeyError(path)


def layout(essay: Essay) -> EssayText:
    """Lay ``essay`` out as :class:`EssayText` (see :func:`essay_text`)."""
    parts: list[str] = []
    segments: list[_Segment] = []
    length = 0

    def line(*pieces: tuple[str | None, str]) -> None:
        # One line made of (path, text) pieces; a None path is a label.
        nonlocal length
        if not any(text for _path, text in pieces):
            return
        if parts:
            parts.append("\n")
            length += 1
        for path, text in pieces:
            if path is not None and text:
                segments.append(_Segment(path, length, length + len(text)))
            parts.append(text)
            length += len(text)

    line(("title", essay.title))
    line(("subtitle", essay.subtitle))
    line(("lead", essay.lead))
    for i, section in enumerate(essay.sections):
        line((f"sections[{i}].number", section.number), (f"sections[{i}].heading", section.heading))
        line((f"sections[{i}].body", section.body))
        for j, point in enumerate(section.points):
            prefix = f"sections[{i}].points[{j}]"
            line((f"{prefix}.number", point.number), (f"{prefix}.heading", point.heading))
            line((f"{prefix}.body", point.body))
    line(("conclusion", essay.conclusion))
    if essay.author_org:
        line((None, AUTHOR_ORG_LABEL), ("author_org", essay.author_org))
    return EssayText("".join(parts), tuple(segments))


def essay_text(essay: Essay) -> str:
    """The canonical cleaned plain text of ``essay``, one paragraph per line.

    In reading order: title; subtitle (if any); the lead's paragraphs; per
    section its ``number+heading`` line (``一、基层党建工作的重要意义``) and
    its intro paragraphs, then per point its ``number+heading`` line and body
    paragraphs; the conclusion's paragraphs; ``作者单位：X`` when the unit is
    known. Empty fields take no line. Offsets into this text map back to
    fields with ``layout(essay).locate(start, end)``.
    """
    return layout(essay).text


@dataclass(frozen=True)
class EssayFinding:
    """An engine :class:`Finding` (offsets into :func:`essay_text`) with the
    field it lies in and a little text around it for display."""

    finding: Finding
    location: EssayLocation
    context_before: str = ""
    context_after: str = ""

    @property
    def id(self) -> str:
        """Stable for a given text: the rule and where it fired."""
        return f"{self.finding.rule}@{self.finding.start}"

    # The engine finding's fields, so callers need not reach through.
    start = property(lambda self: self.finding.start)
    end = property(lambda self: self.finding.end)
    original = property(lambda self: self.finding.original)
    suggestion = property(lambda self: self.finding.suggestion)
    rule = property(lambda self: self.finding.rule)
    category = property(lambda self: self.finding.category)
    severity = property(lambda self: self.finding.severity)
    explanation = property(lambda self: self.finding.explanation)
    confidence = property(lambda self: self.finding.confidence)

    @property
    def is_fixable(self) -> bool:
        """True when :func:`fix_essay` applies this finding."""
        return is_auto_fixable(self.finding, self.location)

    def to_dict(self) -> dict:
        """Plain data for JSON: the engine fields plus location and context."""
        return {
            "id": self.id,
            **self.finding.to_dict(),
            "location": {"path": self.location.path, "start": self.location.start, "end": self.location.end},
            "context_before": self.context_before,
            "context_after": self.context_after,
            "fixable": self.is_fixable,
        }


def is_auto_fixable(finding: Finding, location: EssayLocation | None = None) -> bool:
    """Whether a fix may be applied automatically inside one field.

    Advisory findings have no fix. Numbers (``一、``, ``(一)``), bare point
    numbers and any structure finding that adds or removes a line break are
    the parser's business: applying ``"\\n(一)"`` inside a body would change
    the essay's structure, not repair its words, and a numeral left at the
    start of a cleaned paragraph is far more often a word (一篇, 一年来)
    than a point the parser missed.
    """
    if not finding.is_fixable:
        return False
    if location is not None and location.path.endswith(".number"):
        return False
    if finding.rule == _BARE_POINT_NUMBER:
        return False
    if finding.category == "structure" and ("\n" in finding.suggestion or "\n" in finding.original):
        return False
    return True


def context_around(text: str, start: int, end: int, size: int = CONTEXT_CHARS) -> tuple[str, str]:
    """Up to ``size`` characters before ``start`` and after ``end``, within the line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end == -1:
        line_end = len(text)
    return text[max(line_start, start - size) : start], text[end : min(line_end, end + size)]


def locate_findings(laid_out: EssayText, findings: Iterable[Finding]) -> list[EssayFinding]:
    """Wrap engine findings on ``laid_out.text``; findings that span two
    fields (or touch a label) are dropped: no single field could take their
    fix. So are bare point numbers outside running text: a title or heading
    that starts with a numeral (一篇……) holds no run-in point."""
    result = []
    for finding in findings:
        location = laid_out.locate(finding.start, finding.end)
        if location is None:
            continue
        if finding.rule == _BARE_POINT_NUMBER and not location.path.endswith(_RUNNING_TEXT):
            continue
        before, after = context_around(laid_out.text, finding.start, finding.end)
        result.append(EssayFinding(finding, location, before, after))
    return result


def proofread_essay(essay: Essay, rules: Sequence[Rule] | None = None, lexicon=None) -> list[EssayFinding]:
    """Proofread the whole essay; findings in reading order.

    ``rules`` defaults to the shipped rule file (the Django layer passes the
    rules editors keep in the database), ``lexicon`` to the shipped
    formulations of the spinner detector (likewise). The built-in
    punctuation and structure checks always run.
    """
    laid_out = layout(essay)
    return locate_findings(laid_out, proofread(laid_out.text, rules, lexicon=lexicon))


def _field(essay: Essay, path: str) -> tuple[object, str]:
    """The object holding the field at ``path`` and the attribute name."""
    if path in _TOP_FIELDS:
        return essay, path
    match = _POINT_PATH.fullmatch(path)
    if match:
        i, j, name = match.groups()
        return essay.sections[int(i)].points[int(j)], name
    match = _SECTION_PATH.fullmatch(path)
    if match:
        i, name = match.groups()
        return essay.sections[int(i)], name
    raise ValueError(f"unknown essay field {path!r}")


def fix_essay(essay: Essay, findings: Iterable[EssayFinding | Finding]) -> Essay:
    """A new Essay with the suggestions of ``findings`` applied in their fields.

    ``findings`` are :class:`EssayFinding` (or bare engine findings with
    offsets into ``essay_text(essay)``, located here). Findings that are not
    :func:`is_auto_fixable` are skipped, as are bare findings that do not lie
    in one field; the structure (sections, points, numbers, kinds) never
    changes. The essay passed in is not modified.

    Raises ValueError when a finding does not describe this essay (its
    ``original`` is not the text at its location): findings from another
    version of the essay are never applied blindly.
    """
    laid_out = None
    per_field: dict[str, list[Finding]] = defaultdict(list)
    for item in findings:
        if isinstance(item, EssayFinding):
            finding, location = item.finding, item.location
        else:
            laid_out = laid_out or layout(essay)
            finding, location = item, laid_out.locate(item.start, item.end)
            if location is None:
                continue
        if not is_auto_fixable(finding, location):
            continue
        per_field[location.path].append(
            Finding(
                start=location.start,
                end=location.end,
                original=finding.original,
                suggestion=finding.suggestion,
                rule=finding.rule,
                category=finding.category,
                severity=finding.severity,
                explanation=finding.explanation,
                confidence=finding.confidence,
            )
        )
    fixed = copy.deepcopy(essay)
    for path, local_findings in per_field.items():
        try:
            holder, name = _field(fixed, path)
        except (IndexError, ValueError) as error:
            raise ValueError(f"finding outside this essay: {path}") from error
        try:
            setattr(holder, name, apply_corrections(getattr(holder, name), local_findings))
        except ValueError as error:
            raise ValueError(f"{path}: {error}") from error
    return fixed


def place_label(essay, path: str) -> str:
    """A Chinese name for the field at ``path`` (“二、（一）正文”)."""
    top = {"title": "标题", "subtitle": "副标题", "lead": "导语", "conclusion": "结语", "author_org": "作者单位"}
    if path in top:
        return top[path]
    names = {"number": "序号", "heading": "标题", "body": "正文"}
    parts = path.replace("]", "").split(".")
    try:
        section = essay.sections[int(parts[0].split("[")[1])]
        if parts[1].startswith("points["):
            point = section.points[int(parts[1].split("[")[1])]
            return f"{section.number}{point.number}{names.get(parts[2], parts[2])}"
        return f"{section.number}{'引言' if parts[1] == 'body' else names.get(parts[1], parts[1])}"
    except (IndexError, ValueError):
        return path
