"""The few text conventions every part of the portal shares, one copy each (no Django import):

* :func:`html_to_text` -- stored rich text to plain text, one paragraph per line
  (proofreading, search indexing, the library's item extraction, revisions, feeds);
* :func:`lead_excerpt` -- the beginning of a lead as a card's or a page's summary
  when the editor left 摘要 empty (list cards, the page description, feeds);
* :func:`group_sections` -- an essay's flat, ordered section rows to its tree of
  parts (一、) and points ((一)) (the reading page's outline, proofreading a stored
  essay, proofreading the admin's unsaved form);
* :func:`section_anchor` -- the fragment id of a section on the essay page
  (the page itself, links from the 问题库/对策库, proofreading findings).
"""

from __future__ import annotations

import re
from html import unescape

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
