"""Proofread essay text for the damage that raw essays carry.

Raw essays copied out of document-sharing sites went through a synonym
"spinning" round trip (服务→效劳, 发展→开展, 基础→根底 …), lost closing
quotation marks and carry page markers (``\\n2、``) in the middle of words.
This module finds that damage and proposes fixes; it never changes text on
its own.

Precision comes first: most of the wrong words are also right words in other
contexts (开展活动, 缺乏积极性, 广阔的舞台), and a wrong fix is worse than
none. So every word swap is a rule with regex contexts that must (or must
not) surround it; rules live in a versioned JSON file
(``rules/proofreading.json``) so that editors' feedback changes data, not
code. Punctuation and structure checks that need more than a regex (pairing
quotation marks, numbering sequences) are built in here with stable rule ids:

- ``quote.unpaired`` / ``bracket.unpaired`` / ``book_title.unpaired`` — an
  opening mark without its closing one; the finding is an insertion point
  (``start == end``) where the closing mark most likely belongs;
- ``structure.page_marker`` — a leftover ``\\n2、`` page marker splitting a
  sentence;
- ``structure.bare_point_number`` — a point number (一 二 三 …) run into the
  previous sentence without its brackets.

A finding whose ``suggestion`` equals its ``original`` is advisory: it points
at a problem without a safe automatic fix, and :func:`apply_corrections`
leaves it alone. An empty suggestion on a non-empty span means "delete".

Rule patterns may come from editors, so they run on RE2 in linear time
(:mod:`articles.essay.patterns`: Python's spelling and meaning of ``\\s``
``\\d``, what RE2 cannot run refused), and the contexts are read within
:data:`CONTEXT_WINDOW` characters of the match, so that checking them costs
the same whatever the text's length.

Pure Python, no Django import.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from .patterns import Pattern, PatternError, Text, compile_pattern

__all__ = [
    "CATEGORIES",
    "SEVERITIES",
    "DEFAULT_RULES_PATH",
    "Rule",
    "Finding",
    "compile_field",
    "load_rules",
    "rules_version",
    "proofread",
    "apply_corrections",
]

DEFAULT_RULES_PATH = Path(__file__).resolve().parent / "rules" / "proofreading.json"

CATEGORIES = ("back_translation", "political_term", "punctuation", "structure")
# Highest first; the rank decides which of two overlapping findings survives.
SEVERITIES = ("political", "high", "medium", "low")
_SEVERITY_RANK = {name: len(SEVERITIES) - index for index, name in enumerate(SEVERITIES)}

# How far back a context_before / not_before regex may look, and how far
# ahead a context_after / not_after one: a context is what surrounds the
# word (the shipped rules look at most about 20 characters either way), and
# a bound keeps each check cheap however many times a pattern matches.
CONTEXT_WINDOW = 40


@dataclass(frozen=True)
class Rule:
    """One context-checked replacement.

    ``pattern`` is a regex; its whole match is the wrong text and is replaced
    by the literal ``suggestion``. ``context_before`` must match immediately
    before the match (it is anchored at the match start), ``context_after``
    immediately after, each within :data:`CONTEXT_WINDOW` characters;
    ``not_before`` / ``not_after`` veto the match when they match there.
    ``confidence`` (0..1) is carried into the findings.
    """

    id: str
    pattern: str
    suggestion: str
    category: str
    severity: str
    explanation: str
    context_before: str = ""
    context_after: str = ""
    not_before: str = ""
    not_after: str = ""
    enabled: bool = True
    note: str = ""
    confidence: float = 0.9


@dataclass(frozen=True)
class Finding:
    """A problem at ``text[start:end]`` (``original``) with a proposed fix."""

    start: int
    end: int
    original: str
    suggestion: str
    rule: str
    category: str
    severity: str
    explanation: str
    confidence: float

    @property
    def is_fixable(self) -> bool:
        """False for advisory findings (no safe automatic fix)."""
        return self.suggestion != self.original

    def to_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------
# Rules: loading and validation


_RULE_FIELDS = {field for field in Rule.__dataclass_fields__}
_REGEX_FIELDS = ("pattern", "context_before", "context_after", "not_before", "not_after")
# Matched ending where the wrong text starts (the others start where it ends).
_BEFORE_FIELDS = ("context_before", "not_before")


def load_rules(path: str | Path | None = None) -> list[Rule]:
    """Load and validate the rule file (default: the shipped JSON).

    Raises ValueError with a message naming the rule and the field for any
    unknown category or severity, invalid regex, duplicate id or missing field.
    """
    if path is None:
        return list(_load_default_rules())
    return _load_rules_file(Path(path))


def rules_version(path: str | Path | None = None) -> str:
    """The ``version`` of a rule file (default: the shipped one), to record
    which rules produced a set of findings."""
    rules_path = Path(path) if path is not None else DEFAULT_RULES_PATH
    return _read_rule_file(rules_path)["version"]


@lru_cache(maxsize=1)
def _load_default_rules() -> tuple[Rule, ...]:
    return tuple(_load_rules_file(DEFAULT_RULES_PATH))


def _load_rules_file(path: Path) -> list[Rule]:
    data = _read_rule_file(path)
    return rules_from_dicts(data["rules"], source=str(path))


def _read_rule_file(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ValueError(f"{path}: cannot read the rule file ({error})") from error
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not valid JSON ({error})") from error
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise ValueError(f'{path}: expected an object {{"version": …, "rules": [...]}}')
    if not isinstance(data.get("version"), str) or not data["version"]:
        raise ValueError(f'{path}: missing "version" string')
    return data


def rules_from_dicts(items: Iterable[dict], source: str = "rules") -> list[Rule]:
    """Build and validate rules from plain dicts (the JSON file's ``rules``)."""
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = f"{source}: rule #{index}"
        if not isinstance(item, dict):
            raise ValueError(f"{where}: expected an object, got {type(item).__name__}")
        if "id" in item:
            where = f"{source}: rule {item['id']!r}"
        unknown = set(item) - _RULE_FIELDS
        if unknown:
            raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}")
        missing = {"id", "pattern", "suggestion", "category", "severity", "explanation"} - set(item)
        if missing:
            raise ValueError(f"{where}: missing field(s) {sorted(missing)}")
        rule = Rule(**item)
        validate_rule(rule, where=where)
        if rule.id in seen:
            raise ValueError(f"{where}: duplicate rule id")
        seen.add(rule.id)
        rules.append(rule)
    return rules


def validate_rule(rule: Rule, where: str | None = None) -> None:
    """Raise ValueError unless ``rule`` is usable."""
    where = where or f"rule {rule.id!r}"
    for name in ("id", "pattern", "suggestion", "category", "severity", "explanation"):
        if not isinstance(getattr(rule, name), str):
            raise ValueError(f"{where}: field {name!r} must be a string")
    if not rule.id:
        raise ValueError(f"{where}: empty id")
    if rule.category not in CATEGORIES:
        raise ValueError(f"{where}: unknown category {rule.category!r} (expected one of {', '.join(CATEGORIES)})")
    if rule.severity not in SEVERITIES:
        raise ValueError(f"{where}: unknown severity {rule.severity!r} (expected one of {', '.join(SEVERITIES)})")
    if rule.category == "political_term" and rule.severity != "political":
        raise ValueError(f"{where}: political_term rules must have severity 'political'")
    if not isinstance(rule.enabled, bool):
        raise ValueError(f"{where}: 'enabled' must be true or false")
    if not isinstance(rule.confidence, (int, float)) or not 0 <= rule.confidence <= 1:
        raise ValueError(f"{where}: 'confidence' must be a number between 0 and 1")
    if not rule.pattern:
        raise ValueError(f"{where}: empty pattern")
    for name in _REGEX_FIELDS:
        value = getattr(rule, name)
        if not isinstance(value, str):
            raise ValueError(f"{where}: field {name!r} must be a string")
        if value:
            try:
                compile_field(name, value)
            except PatternError as error:
                raise ValueError(f"{where}: invalid regex in {name!r}: {error}") from error
    if compile_pattern(rule.pattern).matches_empty():
        raise ValueError(f"{where}: pattern must not match the empty string")


def compile_field(name: str, regex: str) -> Pattern:
    """The regex of rule field ``name`` (``pattern``, ``context_before`` …) as the engine runs it.

    Raises :class:`~articles.essay.patterns.PatternError` (Chinese message)
    when the engine will not run it.
    """
    return compile_pattern(regex, anchor_end=name in _BEFORE_FIELDS)


@dataclass(frozen=True)
class _CompiledRule:
    rule: Rule
    pattern: Pattern
    before: Pattern | None
    after: Pattern | None
    not_before: Pattern | None
    not_after: Pattern | None


@lru_cache(maxsize=2048)
def _compile(rule: Rule) -> _CompiledRule:
    validate_rule(rule)  # rules built in code get the same checks as the file

    def field(name: str) -> Pattern | None:
        regex = getattr(rule, name)
        return compile_field(name, regex) if regex else None

    return _CompiledRule(
        rule=rule,
        pattern=compile_field("pattern", rule.pattern),
        before=field("context_before"),
        after=field("context_after"),
        not_before=field("not_before"),
        not_after=field("not_after"),
    )


def _rule_findings(text: Text, compiled: _CompiledRule) -> Iterable[Finding]:
    rule = compiled.rule
    for start, end in compiled.pattern.spans(text):  # byte offsets
        if start == end:
            continue
        if compiled.before and not compiled.before.ends_at(text, start, CONTEXT_WINDOW):
            continue
        if compiled.after and not compiled.after.matches_at(text, end, CONTEXT_WINDOW):
            continue
        if compiled.not_before and compiled.not_before.ends_at(text, start, CONTEXT_WINDOW):
            continue
        if compiled.not_after and compiled.not_after.matches_at(text, end, CONTEXT_WINDOW):
            continue
        start, end = text.char_index(start), text.char_index(end)
        yield Finding(
            start=start,
            end=end,
            original=text.text[start:end],
            suggestion=rule.suggestion,
            rule=rule.id,
            category=rule.category,
            severity=rule.severity,
            explanation=rule.explanation,
            confidence=float(rule.confidence),
        )


# --------------------------------------------------------------------------
# Built-in checks: paired marks


# Quoted slogans and terms that a lost closing mark most likely follows.
# Longest first, so 不忘初心、牢记使命 wins over 不忘初心.
QUOTED_TERMS = tuple(
    sorted(
        {
            "两学一做", "三会一课", "创先争优", "三严三实", "四个意识", "四个自信", "两个维护",
            "两个确立", "四个全面", "五位一体", "四风", "八项规定", "学习型组织", "学习型党组织",
            "学习型党员", "服务型党组织", "学习型、服务型、创新型", "十三五", "十四五", "十五五",
            "一带一路", "放管服", "最多跑一次", "不忘初心、牢记使命", "不忘初心", "牢记使命",
            "主题教育", "干与不干一个样、干好干坏一个样", "干与不干一个样", "干好干坏一个样",
            "抓好党建促发展", "创新点", "三重一大",
            "一岗双责", "双培养", "两新", "三农", "三个代表", "中国梦", "灯下黑", "微腐败",
            "庸懒散", "门难进、脸难看、事难办", "先锋岗", "示范岗", "党员先锋岗",
        },
        key=len,
        reverse=True,
    )
)

# Words that usually follow a quoted slogan: the closing mark goes before them.
_QUOTE_END_MARKERS = (
    "的", "等", "活动", "教育", "工作", "征程", "创立", "创建", "学习", "心理", "精神", "理念",
    "思想", "要求", "目标", "思路", "原则", "战略", "方针", "口号", "号召", "主题", "行动",
    "建设", "规划", "时期", "期间", "为主题", "作为",
)
# Alternatives longest first: the regex takes the first that matches.
_QUOTED_TERM = re.compile("|".join(map(re.escape, QUOTED_TERMS)))
_QUOTE_END_MARKER = re.compile("|".join(map(re.escape, _QUOTE_END_MARKERS)))
_SENTENCE_END = "。\uff01\uff1f\uff1b!?;"  # full-width and ASCII
_CLAUSE_END = "\uff0c、\uff1a,:"  # full-width and ASCII
_MARKER_SEARCH_LIMIT = 30  # a run-on slogan is rarely longer than this

_PAIRS = {
    "“": ("”", "quote.unpaired", "缺少后引号", "缺少前引号"),
    "《": ("》", "book_title.unpaired", "缺少后书名号", "缺少前书名号"),
    "（": ("）", "bracket.unpaired", "缺少右括号", "缺少左括号"),
    "(": (")", "bracket.unpaired", "缺少右括号", "缺少左括号"),
}
_CLOSERS = {closer: opener for opener, (closer, *_rest) in _PAIRS.items()}
# Half- and full-width brackets are mixed freely in pasted text: (一） is paired.
_OPENERS_FOR = {"”": "“", "》": "《", "）": "（(", ")": "（("}
_NUMERAL_RUN = re.compile(r"[一二三四五六七八九十\d]{1,3}")


def _closing_point(opener: str, region: str) -> tuple[int | None, float]:
    """Where the lost closing mark belongs in ``region`` (text after the opener).

    Returns (offset into region, confidence), or (None, 0) when no position
    is believable enough to suggest.
    """
    if not region:
        return None, 0.0
    if opener == "“":
        term = _QUOTED_TERM.match(region)
        if term:
            return term.end(), 0.9
        limit = len(region)
        for index, char in enumerate(region[:_MARKER_SEARCH_LIMIT]):
            if char in _SENTENCE_END:
                limit = index
                break
        limit = min(limit, _MARKER_SEARCH_LIMIT)
        marker = _QUOTE_END_MARKER.search(region, 2, limit)
        if marker:
            return marker.start(), 0.7
        for index, char in enumerate(region[:_MARKER_SEARCH_LIMIT]):
            if index >= 1 and (char in _CLAUSE_END or char in _SENTENCE_END):
                return index, 0.6
        return None, 0.0
    if opener in "（(":
        match = _NUMERAL_RUN.match(region)
        if match and match.end() < len(region) and region[match.end()] not in "、.,\uff0c)）":
            return match.end(), 0.8
        return None, 0.0
    # 《: a title rarely holds punctuation; close it before the first mark.
    for index, char in enumerate(region[:25]):
        if index >= 1 and (char in _CLAUSE_END or char in _SENTENCE_END or char.isspace()):
            return index, 0.5
    return None, 0.0


# A line break ends a paragraph unless it is the start of a page marker
# ("\n2、"), which may fall in the middle of a quotation.
_PARAGRAPH_BREAK = re.compile(r"\n(?!\d{1,3}、)")


def _paragraphs(text: str) -> Iterable[tuple[int, str]]:
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        yield start, text[start : match.start()]
        start = match.end()
    yield start, text[start:]


def _paired_mark_findings(text: str) -> Iterable[Finding]:
    marks = set(_PAIRS) | set(_CLOSERS)
    # Paragraph by paragraph: a quotation does not run on into the next one.
    for offset, line in _paragraphs(text):
        stack: list[int] = []  # positions (in line) of open marks
        unpaired: list[int] = []
        positions = [i for i, char in enumerate(line) if char in marks]
        for i in positions:
            char = line[i]
            if char in _PAIRS:
                stack.append(i)
                continue
            opener = _CLOSERS[char]
            # Close the innermost matching opener; unmatched closers are stray.
            match_at = next((k for k in range(len(stack) - 1, -1, -1) if line[stack[k]] in _OPENERS_FOR[char]), None)
            if match_at is None:
                _closer, rule_id, _missing_close, missing_open = _PAIRS[opener]
                yield Finding(
                    start=offset + i,
                    end=offset + i + 1,
                    original=char,
                    suggestion=char,  # advisory: where the opener went is anyone's guess
                    rule=rule_id,
                    category="punctuation",
                    severity="medium",
                    explanation=missing_open,
                    confidence=0.5,
                )
                continue
            # Openers of other kinds still open inside this pair lost their closers.
            unpaired.extend(stack[match_at + 1 :])
            del stack[match_at:]
        unpaired.extend(stack)
        for i in sorted(unpaired):
            opener = line[i]
            closer, rule_id, missing_close, _missing_open = _PAIRS[opener]
            following = bisect.bisect_right(positions, i)
            region_end = positions[following] if following < len(positions) else len(line)
            region = line[i + 1 : region_end]
            point, confidence = _closing_point(opener, region)
            if point is None:
                position = offset + region_end
                suggestion = ""
                confidence = 0.3
            else:
                position = offset + i + 1 + point
                suggestion = closer
            yield Finding(
                start=position,
                end=position,
                original="",
                suggestion=suggestion,
                rule=rule_id,
                category="punctuation",
                severity="medium",
                explanation=missing_close,
                confidence=confidence,
            )


# --------------------------------------------------------------------------
# Built-in checks: structure

_CJK = r"\u4e00-\u9fff"
_PAGE_MARKER = re.compile(rf"(?<=[{_CJK}])\n(\d{{1,3}})、(?=[{_CJK}])")
# A page holds hundreds of characters; a short line before "\n2、" is a list.
_MIN_PAGE_LINE = 100


def _page_marker_findings(text: str) -> Iterable[Finding]:
    previous_number = None
    for match in _PAGE_MARKER.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if match.start() - line_start < _MIN_PAGE_LINE:
            continue
        number = int(match.group(1))
        in_sequence = number == 2 if previous_number is None else number == previous_number + 1
        previous_number = number
        yield Finding(
            start=match.start(),
            end=match.end(),
            original=match.group(0),
            suggestion="",
            rule="structure.page_marker",
            category="structure",
            severity="low",
            explanation="残留的页码标记\uff0c应删除",
            confidence=0.9 if in_sequence else 0.7,
        )


_NUMERALS = "一二三四五六七八九十"
# Characters that make a numeral part of an ordinary word (统一, 第二, 再三 …).
_WORD_BEFORE_NUMERAL = set("统唯万之第专同整划归单合初周逐均无再不十百千零两星其惟一二三四五六七八九")
# … and after it (一些, 一是, 二是, 三会一课 …).
_WORD_AFTER_NUMERAL = set("是些个切般直定样起致旦贯项批道线体方把名位次种条件份年天时同再并经律概味举流手心部局步带五四、.,\uff0c)）:\uff1a月日号级类届")
# The heading runs to the space that separates it from its body (raw text
# keeps that space); a page marker may split it.
_HEADING_RUN = re.compile(r"((?:[^\s。;\uff1b!\uff01?\uff1f:\uff1a“”\"‘’()（）]|\n\d{1,3}、){3,40})(?=[ \u3000])")
# At a line start the heading may end with the line instead.
_LINE_HEADING_RUN = re.compile(r"((?:[^\s。;\uff1b!\uff01?\uff1f:\uff1a“”\"‘’()（）]){3,40})(?=[ \u3000]|\n|\Z)")


def _bare_point_number_findings(text: str) -> Iterable[Finding]:
    expected = "一"
    for index, numeral in enumerate(text):
        if numeral not in _NUMERALS:
            continue
        previous = text[index - 1] if index else " "
        if not (previous.isspace() or re.match(f"[{_CJK}]", previous)) or previous in _WORD_BEFORE_NUMERAL:
            continue
        if index + 1 >= len(text) or text[index + 1] in _WORD_AFTER_NUMERAL:
            continue
        at_line_start = index == 0 or text[index - 1] == "\n"
        heading = (_LINE_HEADING_RUN if at_line_start else _HEADING_RUN).match(text, index + 1)
        if not heading:
            continue
        if sum(heading.group(1).count(mark) for mark in "\uff0c\u3001,") > 2:
            continue
        # Points are numbered in order; a numeral out of sequence is a word.
        if numeral != expected and numeral != "一":
            continue
        expected = _NUMERALS[_NUMERALS.index(numeral) + 1] if numeral != "十" else ""
        yield Finding(
            start=index,
            end=index + 1,
            original=numeral,
            suggestion=f"({numeral})" if at_line_start else f"\n({numeral})",
            rule="structure.bare_point_number",
            category="structure",
            severity="low",
            explanation="要点序号缺少括号并与上文连在一起",
            confidence=0.6,
        )


# --------------------------------------------------------------------------
# Proofreading


def proofread(text: str, rules: Iterable[Rule] | None = None, *, builtin_checks: bool = True) -> list[Finding]:
    """Find the damage in ``text``.

    ``rules`` defaults to the shipped rule file; disabled rules are ignored.
    ``builtin_checks`` adds the paired-mark and structure checks. The result
    is sorted by position and free of overlaps: of two overlapping findings
    the one with the higher severity, then the longer span, then the higher
    confidence survives.
    """
    if rules is None:
        rules = _load_default_rules()
    candidates: list[Finding] = []
    encoded = Text(text)  # once for all rules: RE2 matches UTF-8
    for rule in rules:
        if rule.enabled:
            candidates.extend(_rule_findings(encoded, _compile(rule)))
    if builtin_checks:
        candidates.extend(_paired_mark_findings(text))
        candidates.extend(_page_marker_findings(text))
        candidates.extend(_bare_point_number_findings(text))
    return _without_overlaps(candidates)


def _overlaps(a: Finding, b: Finding) -> bool:
    # An insertion point clashes with a span only strictly inside it, so a
    # lost closing quote right after a replaced word survives.
    if a.start == a.end and b.start == b.end:
        return a.start == b.start
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    ranked = sorted(
        findings,
        key=lambda f: (-_SEVERITY_RANK[f.severity], -(f.end - f.start), -f.confidence, f.start, f.rule),
    )
    # Kept findings never overlap, so sorted by (start, end) their ends are
    # sorted too: only the neighbours of a new finding need checking.
    keys: list[tuple[int, int]] = []
    kept: list[Finding] = []
    for finding in ranked:
        key = (finding.start, finding.end)
        index = bisect.bisect_left(keys, key)
        clash = False
        left = index - 1
        while not clash and left >= 0 and kept[left].end >= finding.start:
            clash = _overlaps(finding, kept[left])
            left -= 1
        right = index
        while not clash and right < len(kept) and kept[right].start <= finding.end:
            clash = _overlaps(finding, kept[right])
            right += 1
        if not clash:
            keys.insert(index, key)
            kept.insert(index, finding)
    return sorted(kept, key=lambda f: (f.start, f.end, f.rule))


def apply_corrections(text: str, findings: Iterable[Finding]) -> str:
    """Apply every fixable finding to ``text``, from the end backwards.

    Advisory findings (suggestion == original) are skipped, as is any finding
    that overlaps one already applied. Raises ValueError when a finding does
    not describe ``text`` (``text[start:end] != original``): findings from
    another version of the text must never be applied blindly.
    """
    ordered = sorted(
        (f for f in findings if f.is_fixable),
        key=lambda f: (f.start, f.end),
        reverse=True,
    )
    for finding in ordered:
        if not 0 <= finding.start <= finding.end <= len(text) or text[finding.start : finding.end] != finding.original:
            raise ValueError(
                f"finding {finding.rule} at {finding.start}:{finding.end} does not match the text "
                f"(expected {finding.original!r})"
            )
    result = text
    limit = len(text)
    for finding in ordered:
        if finding.end > limit:
            continue
        result = result[: finding.start] + finding.suggestion + result[finding.end :]
        limit = finding.start
    return result
