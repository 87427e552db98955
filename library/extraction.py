"""Split a point of an essay into the items a library lists. No Django here.

A point ((一)…) of a problems, causes or countermeasures section is one item
when its body is plain prose. When the body enumerates (一是……二是……,
第一，……第二，……, 首先……其次……最后……), every enumerated part is an
item of its own, so that a theme counts the part that raises it, not the
whole point.

An enumeration is trusted only when its markers come in order from the
first (一是 before 二是, 首先 before 其次): a lone 二是 inside a sentence, or
"是一是二" wordplay, is prose, not a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Longer text is cut: an item is a paragraph, not an essay.
MAX_ITEM_TEXT = 2000
# A part shorter than this (after its marker) is a slip, not an item.
MIN_ITEM_TEXT = 4


_NUMERALS = "一二三四五六七八九十"

# Each style: (name, list of marker regexes in order). A marker must open the
# text or follow a sentence or clause end (。；;！!？?：:，, or a line break).
_BOUNDARY = r"(?:^|(?<=[。；;！!？?：:，,\n]))\s*"


def _numbered(template: str) -> list[str]:
    return [template.format(n=numeral) for numeral in _NUMERALS]


_STYLES = [
    ("shi", _numbered("{n}是")),  # 一是 二是 三是
    ("di", [f"第{n}[，,、：:]" for n in _NUMERALS]),  # 第一， 第二，
    ("order", ["首先[，,、：:]?", "其次[，,、：:]?", "再次[，,、：:]?", "最后[，,、：:]?"]),
]


@dataclass(frozen=True)
class Item:
    """One item of a point: ``ordinal`` 0 is the whole point, 1.. its enumerated parts."""

    ordinal: int
    text: str


def _find_markers(text: str, markers: list[str]) -> list[tuple[int, int]]:
    """``(start, end)`` of markers found in order from the first; stops at the first gap.

    The "order" style may skip 再次 (首先……其次……最后).
    """
    found = []
    position = 0
    for index, marker in enumerate(markers):
        match = re.compile(_BOUNDARY + marker).search(text, position)
        if match is None:
            if marker.startswith("再次"):
                continue  # 首先……其次……最后 is complete without 再次
            break
        if index == 0 and found:
            break
        found.append((match.start(), match.end()))
        position = match.end()
    return found


def split_items(text: str) -> list[Item]:
    """The items of a point's plain text.

    With an enumeration of at least two parts: one :class:`Item` per part
    (ordinals 1, 2, …); the words before the first marker, if any, are the
    point's own preamble and are kept with the first part's text only when
    the part is otherwise empty. Otherwise: the whole text, ordinal 0.
    """
    text = (text or "").strip()
    if not text:
        return []
    best = []
    for _name, markers in _STYLES:
        found = _find_markers(text, markers)
        if len(found) >= 2 and len(found) > len(best):
            best = found
    if len(best) < 2:
        return [Item(0, text[:MAX_ITEM_TEXT])]
    items = []
    for index, (_start, end) in enumerate(best):
        stop = best[index + 1][0] if index + 1 < len(best) else len(text)
        part = text[end:stop].strip(" ，,、：:；;\n")
        if len(part) >= MIN_ITEM_TEXT:
            items.append(Item(len(items) + 1, part[:MAX_ITEM_TEXT]))
    if len(items) < 2:
        return [Item(0, text[:MAX_ITEM_TEXT])]
    return items


def first_sentence(text: str, limit: int = 60) -> str:
    """The opening sentence (or clause) of ``text``, at most ``limit`` characters: an item's heading."""
    text = (text or "").strip()
    match = re.search(r"[。；;！!？?\n]", text)
    sentence = text[: match.start()] if match else text
    sentence = sentence.strip(" ，,、：:")
    if len(sentence) > limit:
        sentence = sentence[: limit - 1] + "…"
    return sentence
