"""Pages that hold several essays: “……心得体会（通用3篇）” then 【篇1】【篇2】…, or 范文一/范文二.

``split_essays(text)`` returns the essays' texts (one item when the page holds
one essay). An essay starts at a line that opens with a marker —
``【篇1】`` ``【篇一】`` ``篇一`` ``第1篇`` ``第一篇`` ``范文1`` ``范文一``
``【范文一】`` — numbered in order from 1 (the marker is dropped; what
follows it on the line stays, it is usually the essay's title). At least two
markers in sequence are needed. A marker in brackets (【篇2】) counts anywhere
in a line: a page that lost its line breaks runs it into the text. The page title and site text above the first
marker are dropped. Pure Python, no Django.
"""

import re

from .numbering import cn_to_int

_MARKER_RE = re.compile(
    r"^[ \t\u3000]*[【\[]?\s*(?:篇\s*([一二三四五六七八九十\d]{1,3})|第\s*([一二三四五六七八九十\d]{1,3})\s*篇"
    r"|范文\s*([一二三四五六七八九十\d]{1,3}))\s*[】\]]?[ \t\u3000:：、.．]*",
    re.M,
)
# In brackets (【篇2】) a marker is one anywhere: a page that lost its line breaks runs it into the text.
_BRACKETED_MARKER_RE = re.compile(
    r"[【\[]\s*(?:篇\s*([一二三四五六七八九十\d]{1,3})|第\s*([一二三四五六七八九十\d]{1,3})\s*篇"
    r"|范文\s*([一二三四五六七八九十\d]{1,3}))\s*[】\]][ \t\u3000:：、.．]*"
)
# “（通用3篇）” “精选5篇” “范文两篇” in the page title.
PAGE_TITLE_RE = re.compile(r"[（(【\[]?(?:通用|精选|优选|热门|推荐)?\s*[\d一二三四五六七八九十两]+\s*篇[）)】\]]?\s*$")


def _value(match: re.Match) -> int | None:
    raw = next(group for group in match.groups() if group)
    return int(raw) if raw.isdigit() else cn_to_int(raw)


def essay_starts(text: str) -> list[tuple[int, int]]:
    """(start of the marker, end of the marker) of each essay, in order; [] for a one-essay page."""
    found: list[tuple[int, int]] = []
    for match in _MARKER_RE.finditer(text):
        value = _value(match)
        if value == len(found) + 1:
            found.append((match.start(), match.end()))
    if len(found) >= 2:
        return found
    found = []
    for match in _BRACKETED_MARKER_RE.finditer(text):
        if _value(match) == len(found) + 1:
            found.append((match.start(), match.end()))
    return found if len(found) >= 2 else []


def split_essays(text: str) -> list[str]:
    """The texts of the essays on the page (``[text]`` when there is only one)."""
    starts = essay_starts(text)
    if not starts:
        return [text]
    pieces = []
    for index, (_start, end) in enumerate(starts):
        stop = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        piece = text[end:stop].strip()
        if piece:
            pieces.append(piece)
    return pieces if len(pieces) >= 2 else [text]
