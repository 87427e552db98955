"""Snippets with highlights, cut from an essay's original text. No Django here.

The words are found in a width- and case-folded copy of the text (so ＡＢＣ
matches abc, as in the index), but what is shown is cut from the original: the reader sees
the essay's own punctuation and characters, not the segmenter's tokens.

Everything returned is HTML-escaped; the only markup is ``<mark>`` around
the words found. Callers mark the result safe and nothing else.
"""

from __future__ import annotations

import re
from html import escape

SNIPPET_LENGTH = 110
# How far before the first word a snippet may start, and how far a cut may
# move to land on a sentence boundary.
LEAD_IN = 24
SNAP = 16
MAX_MATCHES = 1000
ELLIPSIS = "…"
_SENTENCE_END = "。！？；!?;\n"
_SPACES = re.compile(r"\s+")


# The same folding as the index (articles.search.segmentation.normalize):
# full-width letters and digits to ASCII, then lower case.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_NEEDS_FOLDING = re.compile("[\uff01-\uff5e\u3000]")


def _fold(text: str):
    """``(folded, origin)``: the folded text and, for each of its characters, the original index.

    ``origin`` is None when folding kept every character in place (nearly
    always: Chinese has no case), which spares building the index map.
    """
    folded = (text.translate(_FULL_WIDTH) if _NEEDS_FOLDING.search(text) else text).lower()
    if len(folded) == len(text):
        return folded, None
    pieces, origin = [], []
    for index, char in enumerate(text):
        piece = char.translate(_FULL_WIDTH).lower()
        pieces.append(piece)
        origin.extend([index] * len(piece))
    return "".join(pieces), origin


def _pattern(terms):
    cleaned = []
    for term in terms:
        folded, _ = _fold(term or "")
        folded = folded.strip()
        if folded and folded not in cleaned:
            cleaned.append(folded)
    if not cleaned:
        return None
    cleaned.sort(key=len, reverse=True)  # leftmost, then longest
    return re.compile("|".join(re.escape(term) for term in cleaned))


def find_matches(text: str, terms) -> list[tuple[int, int, str]]:
    """``[(start, end, term)]`` in ``text`` (original indices), non-overlapping, in order."""
    pattern = _pattern(terms)
    if pattern is None or not text:
        return []
    folded, origin = _fold(text)
    matches = []
    for match in pattern.finditer(folded):
        if origin is None:
            start, end = match.span()
        else:
            start, end = origin[match.start()], origin[match.end() - 1] + 1
        if matches and start < matches[-1][1]:
            continue  # one original character folded into several
        matches.append((start, end, match.group()))
        if len(matches) >= MAX_MATCHES:
            break
    return matches


def _render(text: str, matches, start: int, end: int, breaks=()) -> str:
    parts = []
    position = start

    def piece(a, b):
        # Escaped text, with <wbr> at the word breaks inside it.
        cuts = [offset for offset in breaks if a < offset < b]
        bounds = [a, *cuts, b]
        return "<wbr>".join(escape(text[x:y]) for x, y in zip(bounds, bounds[1:], strict=False))

    for match_start, match_end, _ in matches:
        if match_end <= start or match_start >= end:
            continue
        match_start, match_end = max(match_start, start), min(match_end, end)
        parts.append(piece(position, match_start))
        if match_start > position and match_start in breaks:
            parts.append("<wbr>")
        parts.append(f"<mark>{piece(match_start, match_end)}</mark>")
        if match_end < end and match_end in breaks:
            parts.append("<wbr>")
        position = match_end
    parts.append(piece(position, end))
    return "".join(parts)


def highlight(text: str, terms, breaks=None) -> str:
    """All of ``text``, escaped, with every term marked (for titles).

    ``breaks``: a function giving the offsets where a line may break between
    words (``articles.search.segmentation.display_breaks``); a ``<wbr>`` is
    written at each, as the reading site's titles have them.
    """
    text = _clean(text)
    return _render(text, find_matches(text, terms), 0, len(text), breaks(text) if breaks else ())


def snippet(text: str, terms, length: int = SNIPPET_LENGTH) -> str:
    """About ``length`` characters of ``text`` around the best place for ``terms``, escaped and marked.

    The best place holds the most different terms, then the most matches,
    then comes first. Without any match the snippet is the text's beginning.
    """
    text = _clean(text)
    if not text:
        return ""
    matches = find_matches(text, terms)
    if not matches:
        end = _snap_end(text, min(len(text), length))
        return _render(text, [], 0, end) + (ELLIPSIS if end < len(text) else "")
    anchor = _best_window(matches, length)
    start = _snap_start(text, max(0, matches[anchor][0] - LEAD_IN))
    end = min(len(text), start + length)
    if end < len(text):
        end = _snap_end(text, end)
    # A word cut by the window's end is shown whole.
    for match_start, match_end, _ in matches:
        if match_start < end < match_end:
            end = match_end
    return (ELLIPSIS if start > 0 else "") + _render(text, matches, start, end) + (ELLIPSIS if end < len(text) else "")


def _clean(text: str) -> str:
    """One line: runs of white space (paragraph breaks included) become one space."""
    return _SPACES.sub(" ", text or "").strip()


def _best_window(matches, length: int) -> int:
    """Index of the match that starts the best window of ``length`` characters."""
    best, best_score = 0, (-1, -1)
    right = 0
    for left, (start, _, _) in enumerate(matches):
        right = max(right, left)
        while right + 1 < len(matches) and matches[right + 1][1] - start <= length - LEAD_IN:
            right += 1
        window = matches[left : right + 1]
        score = (len({term for _, _, term in window}), len(window))
        if score > best_score:
            best, best_score = left, score
    return best


def _snap_start(text: str, start: int) -> int:
    """Move ``start`` forward to just after a sentence end, if one is near."""
    if start == 0:
        return 0
    for index in range(start, min(len(text), start + SNAP)):
        if text[index - 1] in _SENTENCE_END or text[index - 1] == " ":
            return index
    return start


def _snap_end(text: str, end: int) -> int:
    """Move ``end`` back to just after a sentence end, if one is near."""
    for index in range(end, max(0, end - SNAP), -1):
        if text[index - 1] in _SENTENCE_END:
            return index
    return end
