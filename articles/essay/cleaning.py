"""Repair the damage done to an essay copied out of a document-sharing site.

Each function takes text, returns repaired text (or paragraphs), and appends
a short Chinese note to ``warnings`` for every repair an editor should know
about. Nothing here fixes words: 开展→发展 and the like are left to a later
proofreading step, because a wrong fix is worse than none.

Damage handled here:

* **Page markers.** Sharing sites number the physical lines (= pages) of the
  whole document ``1、`` ``2、`` … and break words across pages
  (``社会主义`` / ``2、市场经济体制``). They are told from real ``1、`` points
  by their pattern: every non-empty line from the first one on carries the
  next number, starting at 1, and the lines are long (pages, not list items;
  real points restart per section and sit below a title line). Pages are
  joined with no separator, since the break falls mid-word.
* **Run-together paragraphs.** The copy loses line breaks and leaves a single
  space where a paragraph ended. Chinese prose has no spaces, so in a long
  line a space between two non-ASCII characters is a paragraph break; spaces
  around ASCII words stay. Short lines (titles, headings) are not split,
  because a stray space there is more likely a typing habit. In such text a
  bracketed (一) glued to the previous sentence also starts a paragraph.
* **Glued numbers.** Anywhere, a (二) or 三、 right after 。！？ starts a new
  paragraph; a number left alone on a line (一、 / (一)) joins the text after
  it.
* **Watermark and duplicated title.** The site's slogan is glued to the front
  of the first title copy, and the title appears twice, the two copies
  differing slightly. See ``merge_duplicate_title``.
"""

import re
from difflib import SequenceMatcher

from .numbering import CN_NUMERAL

# Characters that only get in the way: controls, zero-width marks, BOM and
# lone surrogates left by bad decoding.
_INVISIBLE_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff\ud800-\udfff]")
_LINE_BREAK_RE = re.compile(r"\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_SPACES_RE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


def normalise(text: str, warnings: list[str]) -> str:
    """Unify line breaks and spaces, drop invisible characters. Punctuation is kept as is."""
    text = _LINE_BREAK_RE.sub("\n", text)
    text = _INVISIBLE_RE.sub("", text)
    replacement_chars = text.count("\ufffd")
    if replacement_chars:
        text = text.replace("\ufffd", "")
        warnings.append(f"删除了{replacement_chars}个无法识别的字符（�），请核对原文")
    return _SPACES_RE.sub(" ", text)


# ---------------------------------------------------------------------------
# Page markers

_PAGE_MARKER_RE = re.compile(r"\s*(\d{1,3})\s*、")
_PAGE_MIN_AVERAGE = 100  # characters per page, pages before the last
_SINGLE_PAGE_MIN = 200
# A page that starts with a section or point number starts a new paragraph.
_STARTS_NUMBERED_RE = re.compile(rf"(?:{CN_NUMERAL}\s*[、.．]|[（(]\s*{CN_NUMERAL}\s*[)）])")


def remove_page_markers(text: str, warnings: list[str]) -> str:
    """Remove ``1、`` ``2、`` … page markers and join the pages (see module docstring)."""
    lines = [line for line in text.split("\n") if line.strip()]
    pages = 0
    for number, line in enumerate(lines, start=1):
        m = _PAGE_MARKER_RE.match(line)
        if not m or int(m.group(1)) != number:
            break
        pages = number
    if not pages:
        return text
    numbered = lines[:pages]
    if pages == 1:
        if len(numbered[0].strip()) < _SINGLE_PAGE_MIN:
            return text
    elif sum(len(line.strip()) for line in numbered[:-1]) / (pages - 1) < _PAGE_MIN_AVERAGE:
        return text

    joined = ""
    previous_raw = ""
    for line in numbered:
        raw = line[_PAGE_MARKER_RE.match(line).end() :]
        page = raw.strip()
        if not joined:
            joined = page
        elif _STARTS_NUMBERED_RE.match(page):
            joined += "\n" + page
        elif previous_raw.endswith(" ") or raw.startswith(" "):
            # The copy kept the space that ended a paragraph at the page end.
            joined += " " + page
        else:
            joined += page
        previous_raw = raw
    rest = lines[pages:]
    warnings.append(
        "删除了第1页的页码标记“1、”" if pages == 1 else f"删除了第1页至第{pages}页的页码标记（“1、”至“{pages}、”）"
    )
    return "\n".join([joined, *rest])


# ---------------------------------------------------------------------------
# Paragraphs

RUN_TOGETHER_MIN = 100  # a line this long may hold several paragraphs
# A space is a lost paragraph break when both neighbours are non-ASCII, the
# left one does not open a phrase (，“（) and the right one does not close one
# (。，”）). One regex, so that a megabyte of spaced-out text stays fast.
_LOST_BREAK_RE = re.compile(r"(?<=[^\x00-\x7f，、；：“‘（《【〔]) +(?=[^\x00-\x7f。，、；：？！”’）》】〕])")
_SENTENCE_END_RE = re.compile(r"[。！？!?]")
# A section or point number glued after a sentence end starts a new paragraph.
_GLUED_MARKER_RE = re.compile(
    rf"(?<=[。！？!?])\s*(?=[（(]\s*{CN_NUMERAL}\s*[)）]|{CN_NUMERAL}、(?![一二三四五六七八九十\d]))"
)
# In run-together text (a long line that had lost breaks) a bracketed point
# number may be glued to any text; in an ordinary paragraph it is a reference.
_GLUED_BRACKET_RE = re.compile(rf"(?<=\S)(?=[（(]\s*{CN_NUMERAL}\s*[)）])")
# A piece that is nothing but a number belongs to the text after it.
_NUMBER_ONLY_MAX = 8
_NUMBER_ONLY_START = frozenset("一二三四五六七八九十(（")
_NUMBER_ONLY_RE = re.compile(
    rf"(?:{CN_NUMERAL}[、.．]?|[（(]\s*(?:{CN_NUMERAL}|\d{{1,2}})\s*[)）]|\d{{1,2}}\s*[.．、])"
)


def split_run_together(line: str) -> list[str]:
    """Split a line at spaces that stand for lost paragraph breaks (between non-ASCII text)."""
    return _LOST_BREAK_RE.split(line)


def split_paragraphs(text: str, warnings: list[str]) -> list[str]:
    """Text → list of clean paragraphs (stripped, non-empty)."""
    paragraphs: list[str] = []
    space_breaks = 0
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        run_together = len(line) >= RUN_TOGETHER_MIN
        parts = _GLUED_MARKER_RE.split(line) if _SENTENCE_END_RE.search(line) else [line]
        for part in parts:
            if run_together:
                pieces = split_run_together(part)
                space_breaks += len(pieces) - 1
                if len(pieces) == 1:  # a long but ordinary paragraph
                    paragraphs.append(part)
                    continue
                for piece in pieces:
                    paragraphs.extend(_GLUED_BRACKET_RE.split(piece) if "(" in piece or "（" in piece else [piece])
            else:
                paragraphs.append(part.strip())
    if space_breaks:
        warnings.append(f"原文用空格代替换行，已按空格拆分出{space_breaks}处段落")
    return _merge_number_only([p.strip() for p in paragraphs if p.strip()])


def _merge_number_only(paragraphs: list[str]) -> list[str]:
    merged: list[str] = []
    pending: list[str] = []
    for paragraph in paragraphs:
        if (
            len(paragraph) <= _NUMBER_ONLY_MAX
            and (paragraph[0] in _NUMBER_ONLY_START or paragraph[0].isdigit())
            and _NUMBER_ONLY_RE.fullmatch(paragraph)
        ):
            pending.append(paragraph)
            continue
        merged.append("".join(pending) + paragraph)
        pending = []
    if pending:
        merged.append("".join(pending))
    return merged


# ---------------------------------------------------------------------------
# Title

# Slogans that sharing sites stamp on documents. Only a hint: a watermark is
# found without it whenever the title appears twice.
KNOWN_WATERMARKS = (
    "天道酬勤",
    "精品文档",
    "精选文档",
    "优质文档",
    "推荐下载",
    "免费下载",
    "百度文库",
    "豆丁网",
    "道客巴巴",
    "原创力文档",
    "可编辑",
)
TITLE_MAX = 60
_WATERMARK_MAX = 12
_DUPLICATE_RATIO = 0.6


def looks_like_title(paragraph: str) -> bool:
    return 0 < len(paragraph) <= TITLE_MAX and "。" not in paragraph


def merge_duplicate_title(first: str, second: str, warnings: list[str]) -> str | None:
    """Return the one title to keep when ``first`` and ``second`` are copies of it, else None.

    The later copy is kept (the first is the one the watermark is glued to),
    unless the later one carries an extra prefix the first lacks.
    """
    if not (looks_like_title(first) and looks_like_title(second)):
        return None
    matcher = SequenceMatcher(None, first, second, autojunk=False)
    shorter = min(len(first), len(second))
    contained = shorter >= 4 and (first in second or second in first)
    if matcher.ratio() < _DUPLICATE_RATIO and not contained:
        return None
    blocks = [block for block in matcher.get_matching_blocks() if block.size >= 2]
    if not blocks:
        return None
    opening = blocks[0]
    keep, dropped, watermark = second, first, ""
    if opening.b == 0 and 0 < opening.a <= _WATERMARK_MAX:
        watermark = first[: opening.a]
    elif opening.a == 0 and 0 < opening.b <= _WATERMARK_MAX:
        keep, dropped, watermark = first, second, second[: opening.b]
    if watermark:
        warnings.append(f"标题前有水印“{watermark}”，已删除")
    warnings.append(f"标题重复出现（另一处为“{dropped}”），已合并")
    return keep


def strip_known_watermark(title: str, warnings: list[str]) -> str:
    """Remove a known slogan glued to the front of a title that appears only once."""
    for watermark in KNOWN_WATERMARKS:
        if title.startswith(watermark) and len(title) - len(watermark) >= 6:
            warnings.append(f"标题前有水印“{watermark}”，已删除")
            return title[len(watermark) :].lstrip()
    return title
