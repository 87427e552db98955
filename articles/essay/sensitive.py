"""Sensitive words and names in an essay's text: one Aho-Corasick pass (pyahocorasick).

Three lists, kept by editors in the database (``articles.models.SensitiveTerm``)
and passed in here as plain :class:`Term` values:

* sensitive words, each with a suggested replacement;
* names of officials removed from office (免职、落马): any mention is flagged;
* leaders' names with their current titles: a name with a different title
  written just before it (``省委副书记张三`` when 张三 is 省委书记) is flagged.

:class:`TermMatcher` builds the automaton once; scanning costs one pass over
the text whatever the number of entries (``benchmarks/sensitive_words.py``:
about 2 ms per 10,000 characters with 10,000 entries). No Django here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from .findings import Finding

CATEGORY = "sensitive"
CATEGORY_LABEL = "敏感词与人名"

SENSITIVE, REMOVED, LEADER = "sensitive", "removed", "leader"
RULE_IDS = {SENSITIVE: "sensitive-word", REMOVED: "removed-official", LEADER: "leader-title"}

# What ends the words written before a name: a title is what stands between it and the name.
_BOUNDARY = set("，。；：、！？,.;:!?（）()《》“”‘’\"'「」【】 \t\n\u3000")
# Function words that may stand before a title ("在省委书记张三的带领下").
_LEADING = "在由对和与及同向据经据于把被让请"
# A word written before a name that is a title (the current titles of the list are added).
TITLE_WORDS = (
    "书记",
    "副书记",
    "常委",
    "委员",
    "主席",
    "副主席",
    "总理",
    "副总理",
    "部长",
    "副部长",
    "省长",
    "副省长",
    "市长",
    "副市长",
    "县长",
    "副县长",
    "区长",
    "副区长",
    "州长",
    "副州长",
    "乡长",
    "镇长",
    "主任",
    "副主任",
    "厅长",
    "局长",
    "处长",
    "秘书长",
    "院长",
    "检察长",
    "主委",
    "政委",
    "司令员",
)
# "原市长张三": a former title is history, not a wrong one.
_FORMER = ("原", "前")
_WINDOW = 16


@dataclass(frozen=True)
class Term:
    kind: str  # SENSITIVE, REMOVED or LEADER
    text: str
    replacement: str = ""  # SENSITIVE: the suggested wording ("" = none)
    title: str = ""  # LEADER: the current title, e.g. 省委书记
    note: str = ""


class TermMatcher:
    """The three lists as one automaton; :meth:`findings` scans a text in one pass.

    The automaton runs over the text's UTF-16 code units in hexadecimal (four
    characters per Chinese character), not over the characters themselves:
    pyahocorasick looks a node's children up one by one, and with thousands of
    entries the root has thousands of children (one per first character), so
    scanning Chinese text character by character cost 70 ms per 10,000
    characters; with at most 16 children per node it costs about 2 ms (3 ms
    with two Latin-1 characters per code unit, 256 children at most).
    A match found across a character boundary is dropped, and every match is
    checked against the original text.
    """

    def __init__(self, terms):
        self.automaton = ahocorasick.Automaton()
        entries: dict[str, list[Term]] = {}
        titles = set(TITLE_WORDS)
        for term in terms:
            text = term.text.strip()
            if not text:
                continue
            entries.setdefault(text, []).append(term)
            if term.kind == LEADER and term.title:
                titles.add(term.title)
        for text, found in entries.items():
            self.automaton.add_word(_code_units(text), (text, tuple(found)))
        self.titles = tuple(sorted(titles, key=len, reverse=True))
        self.size = len(entries)
        if self.size:
            self.automaton.make_automaton()

    def matches(self, text: str) -> list[tuple[int, int, tuple[Term, ...]]]:
        """``(start, end, terms)`` of the entries in ``text``: leftmost first, the longest where they overlap."""
        if not self.size or not text:
            return []
        candidates = []
        for last, (key, terms) in self.automaton.iter(_code_units(text)):
            begin = last + 1 - _UNIT * len(key)
            if begin % _UNIT:
                continue  # straddles two characters
            start = begin // _UNIT
            end = start + len(key)
            if text[start:end] == key:
                candidates.append((start, end, terms))
        candidates.sort(key=lambda item: (item[0], item[0] - item[1]))
        result, reached = [], 0
        for start, end, terms in candidates:
            if start >= reached:
                result.append((start, end, terms))
                reached = end
        return result

    def findings(self, text: str) -> list[Finding]:
        """The findings in ``text``, in reading order (longest entry wins where entries overlap)."""
        result = []
        for start, end, terms in self.matches(text):
            for term in terms:
                finding = self._finding(text, start, end, term)
                if finding is not None:
                    result.append(finding)
                    break  # one finding per place: a word on two lists is reported once
        return result

    def _finding(self, text, start, end, term):
        original = text[start:end]
        if term.kind == SENSITIVE:
            replacement = term.replacement or original
            explanation = f"“{original}”在敏感词表中" + (f"，建议改为“{term.replacement}”" if term.replacement else "")
            return _finding(start, end, original, replacement, SENSITIVE, explanation + _note(term))
        if term.kind == REMOVED:
            explanation = f"“{original}”在已免职人员名单中，请核实是否应当出现" + _note(term)
            return _finding(start, end, original, original, REMOVED, explanation)
        if term.kind == LEADER and term.title:
            written = self.title_before(text, start)
            if not written or written == term.title or term.title.endswith(written):
                return None
            if written.startswith(_FORMER):
                return None
            span_start = start - len(written)
            explanation = f"{original}现任“{term.title}”，文中写作“{written}”，请核实职务" + _note(term)
            return _finding(span_start, end, text[span_start:end], term.title + original, LEADER, explanation)
        return None

    def title_before(self, text, start):
        """The title written right before the name at ``start`` ("" when none)."""
        i = start
        while i > max(0, start - _WINDOW) and text[i - 1] not in _BOUNDARY:
            i -= 1
        fragment = text[i:start].lstrip(_LEADING)
        if not fragment or not fragment.endswith(self.titles):
            return ""
        return fragment


def _code_units(text):
    """``text`` as UTF-16 code units in hexadecimal, four characters each; a character
    beyond U+FFFF becomes one stand-in character (U+FFFF) first, so that offsets
    divide exactly (the match is then checked against the original text)."""
    encoded = text.encode("utf-16-be")
    if len(encoded) != 2 * len(text):
        encoded = _ASTRAL.sub("\uffff", text).encode("utf-16-be")
    return encoded.hex()


_UNIT = 4  # hexadecimal characters per UTF-16 code unit
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _note(term):
    return f"（{term.note}）" if term.note else ""


def _finding(start, end, original, suggestion, kind, explanation):
    return Finding(
        start=start,
        end=end,
        original=original,
        suggestion=suggestion,
        rule=RULE_IDS[kind],
        category=CATEGORY,
        severity="political",
        explanation=explanation,
        confidence=1.0,
    )
