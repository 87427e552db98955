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
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import script, sensitive, spinner
from .builtin_checks import builtin_findings
from .findings import Finding
from .patterns import Pattern, PatternError, Text, compile_pattern

__all__ = [
    "BUILTIN_CATEGORY_LABELS",
    "CATEGORIES",
    "SEVERITIES",
    "DEFAULT_RULES_PATH",
    "Rule",
    "Finding",
    "REGEX_FIELDS",
    "compile_field",
    "load_rules",
    "rules_version",
    "proofread",
    "apply_corrections",
]

DEFAULT_RULES_PATH = Path(__file__).resolve().parent / "rules" / "proofreading.json"

CATEGORIES = ("back_translation", "political_term", "punctuation", "structure")
# Categories only built-in checks use (no rule row can take them), with their labels.
BUILTIN_CATEGORY_LABELS = {script.CATEGORY: script.CATEGORY_LABEL, sensitive.CATEGORY: sensitive.CATEGORY_LABEL}
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


# --------------------------------------------------------------------------
# Rules: loading and validation


_RULE_FIELDS = {field for field in Rule.__dataclass_fields__}
# The rule fields that hold regular expressions (each compiled by compile_field).
REGEX_FIELDS = ("pattern", "context_before", "context_after", "not_before", "not_after")
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
    for name in REGEX_FIELDS:
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
# Proofreading


def proofread(
    text: str,
    rules: Iterable[Rule] | None = None,
    *,
    builtin_checks: bool = True,
    lexicon: spinner.Lexicon | None = None,
) -> list[Finding]:
    """Find the damage in ``text``.

    ``rules`` defaults to the shipped rule file; disabled rules are ignored.
    ``builtin_checks`` adds the paired-mark and structure checks and the
    spinner-swap detector (:mod:`articles.essay.spinner`), which reads
    ``lexicon`` (default: the shipped formulations). The result
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
        candidates.extend(builtin_findings(text))
        candidates.extend(spinner.find_swaps(text, lexicon))
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
