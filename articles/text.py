"""The few text conventions every part of the portal shares, one copy each (no Django import):

* :func:`html_to_text` -- stored rich text to plain text, one paragraph per line
  (proofreading, search indexing, the library's item extraction, revisions, feeds);
* :func:`lead_excerpt` -- the beginning of a lead as a card's or a page's summary
  when the editor left 摘要 empty (list cards, the page description, feeds);
* :func:`group_sections` -- an essay's flat, ordered section rows to its tree of
  parts (一、) and points ((一)) (the reading page's outline, proofreading a stored
  essay, proofreading the admin's unsaved form);
* :func:`section_anchor` -- the fragment id of a section on the essay page
  (the page itself, links from the 问题库/对策库, proofreading findings);
* :func:`replace_in_html` -- a change at plain-text offsets (a proofreading fix)
  made in the rich text those offsets were read from (the 校对 panel).
"""

from __future__ import annotations

import re
from html import escape, unescape

# Block elements end a line: words on either side are not run together.
_BLOCK_TAGS = frozenset(
    "p div br hr h1 h2 h3 h4 h5 h6 li ul ol blockquote figure figcaption table caption thead tbody tfoot "
    "tr td th pre section article".split()
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
# Inside a paragraph, runs of white space (the ideographic space of indented
# Chinese text included) become one space.
_SPACE = re.compile(r"[ \t\r\f\v\xa0\u3000]+")


def html_to_text(html: str) -> str:
    """Rich text to plain text: one line per paragraph (block), entities decoded,
    white space inside a paragraph (a line break in the source included)
    collapsed to one space, empty lines dropped.

    Stored rich text is sanitised (``articles.richtext``): a tag is exactly
    ``<…>``, so a regular expression reads it safely, ten times faster than
    ``html.parser`` (which matters for a 100,000-essay index rebuild). Text
    that was not sanitised (an unsaved admin form) reads the same way for
    everything an editor can type; comments are dropped.
    """
    if not html:
        return ""
    # A line break in the source is white space, as in a browser; blocks make the lines.
    html = _COMMENT.sub("", html).replace("\r", " ").replace("\n", " ")
    text = unescape(_TAG.sub(lambda m: "\n" if m.group(2).lower() in _BLOCK_TAGS else "", html))
    lines = (_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


_MARKUP = re.compile(r"<!--.*?(?:-->|\Z)|<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>", re.DOTALL)
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")


def _text_positions(html: str) -> list[tuple[str, int, int]] | None:
    """Each character of :func:`html_to_text` with the span of ``html`` it comes from.

    A line break made by a block tag has an empty span at the tag. None when
    the reconstruction does not give exactly what :func:`html_to_text` gives
    (markup it reads differently): then nothing is changed.
    """
    raw: list[tuple[str, int, int]] = []
    last = 0
    for match in _MARKUP.finditer(html):
        raw.extend((" " if ch in "\r\n" else ch, i, i + 1) for i, ch in enumerate(html[last : match.start()], last))
        if match.group(2) and match.group(2).lower() in _BLOCK_TAGS:
            raw.append(("\n", match.start(), match.start()))
        last = match.end()
    raw.extend((" " if ch in "\r\n" else ch, i, i + 1) for i, ch in enumerate(html[last:], last))
    decoded: list[tuple[str, int, int]] = []
    index = 0
    while index < len(raw):
        ch, start, end = raw[index]
        if ch == "&":
            ahead = "".join(item[0] for item in raw[index : index + 40])
            entity = _ENTITY.match(ahead)
            if entity and unescape(entity.group()) != entity.group():
                stop = raw[index + len(entity.group()) - 1][2]
                decoded.extend((char, start, stop) for char in unescape(entity.group()))
                index += len(entity.group())
                continue
        decoded.append((ch, start, end))
        index += 1
    lines: list[list[tuple[str, int, int]]] = [[]]
    for item in decoded:
        if item[0] == "\n":
            lines.append([])
        else:
            lines[-1].append(item)
    result: list[tuple[str, int, int]] = []
    for line in lines:
        collapsed: list[tuple[str, int, int]] = []
        for ch, start, end in line:
            if _SPACE.fullmatch(ch) or ch == " ":
                if collapsed and collapsed[-1][0] == " ":
                    collapsed[-1] = (" ", collapsed[-1][1], end)
                    continue
                ch = " "
            collapsed.append((ch, start, end))
        while collapsed and collapsed[0][0] == " ":
            collapsed.pop(0)
        while collapsed and collapsed[-1][0] == " ":
            collapsed.pop()
        if collapsed:
            if result:
                result.append(("\n", collapsed[0][1], collapsed[0][1]))
            result.extend(collapsed)
    if "".join(item[0] for item in result) != html_to_text(html):
        return None
    return result


def replace_in_html(html: str, start: int, end: int, original: str, replacement: str) -> str | None:
    """``html`` with ``html_to_text(html)[start:end]`` (which must be ``original``) replaced.

    The replacement is escaped; ``start == end`` inserts. The span must be
    plain text in the markup (no tag inside it): a proofreading fix changes a
    word or a mark, never formatting. None when that does not hold, or when
    ``original`` is not at ``start`` (the text changed since it was read).
    """
    positions = _text_positions(html)
    if positions is None or not 0 <= start <= end <= len(positions):
        return None
    if "".join(item[0] for item in positions[start:end]) != original:
        return None
    if start == end:
        at = positions[start][1] if start < len(positions) else (positions[-1][2] if positions else len(html))
        return html[:at] + escape(replacement, quote=False) + html[at:]
    first, last = positions[start][1], positions[end - 1][2]
    segment = html[first:last]
    if "<" in segment or unescape(segment) != original:
        return None
    return html[:first] + escape(replacement, quote=False) + html[last:]


# Where a summary taken from the lead may end: a sentence, else a clause.
_SENTENCE_ENDS = "。！？!?；;…"
_CLAUSE_ENDS = "，、：,:"
_PARTIAL_TAG = re.compile(r"<[^>]*\Z")


def lead_excerpt(html: str, limit: int = 120, least: int = 60) -> str:
    """The beginning of ``html`` (a lead) as plain text of at most ``limit`` characters.

    Cut after the last sentence end (。！？；) within the limit, else after
    the last clause end (，、：) with an ellipsis, else at the limit, as long
    as at least ``least`` characters remain. ``html`` may itself be cut short
    (``Article.objects.for_cards`` reads only the lead's first characters): a
    tag cut in half at its end is dropped.
    """
    text = " ".join(html_to_text(_PARTIAL_TAG.sub("", html or "")).split())
    if len(text) <= limit:
        return text
    head = text[:limit]
    for ends, tail in ((_SENTENCE_ENDS, ""), (_CLAUSE_ENDS, "…")):
        cut = max(head.rfind(ch) for ch in ends)
        if cut + 1 >= least:
            return head[: cut + (0 if tail else 1)] + tail
    return head[: limit - 1] + "…"


def group_sections(rows, is_part):
    """Flat, ordered section rows as ``[(part, [points])]``.

    ``is_part(row)`` tells a part (一、) from a point ((一)). Points that come
    before any part hang on a headless group, ``(None, [points])``.
    """
    groups: list[tuple[object, list]] = []
    for row in rows:
        if is_part(row):
            groups.append((row, []))
            continue
        if not groups:
            groups.append((None, []))
        groups[-1][1].append(row)
    return groups


def section_anchor(section_id) -> str:
    """The fragment id of a section on the essay page: stable when other sections are edited or reordered."""
    return f"section-{section_id}"
