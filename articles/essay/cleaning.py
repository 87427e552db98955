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

import bisect
import re
from dataclasses import dataclass
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


# ---------------------------------------------------------------------------
# Undoable repairs: site boilerplate, watermarks, citation markers, PDF wraps
#
# Unlike the repairs above (which the parser must make to read the text at
# all), these remove or join text that an editor may want back: each one is a
# ``Repair`` with its offsets into the normalised text, and the parser applies
# every repair except the ones the editor chose to keep (``keep``: their ids).


@dataclass(frozen=True)
class Repair:
    """``text[start:end]`` (``original``) becomes ``replacement``: one undoable repair."""

    kind: str  # a key of REPAIR_KINDS
    start: int
    end: int
    original: str
    replacement: str
    context_before: str = ""
    context_after: str = ""

    @property
    def id(self) -> str:
        return f"{self.kind}@{self.start}"

    @property
    def label(self) -> str:
        return REPAIR_KINDS[self.kind]

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "original": self.original,
            "replacement": self.replacement,
            "context_before": self.context_before,
            "context_after": self.context_after,
        }


# What the review page calls each kind of repair.
REPAIR_KINDS = {
    "boilerplate": "删除网站附加文字",
    "page_footer": "删除页码行",
    "page_marker": "删除页码标记",
    "watermark": "删除网址水印",
    "anticopy": "删除防复制乱码",
    "citation": "删除引用标记",
    "wrap": "接回被硬换行断开的句子",
}
_CONTEXT = 12

# Whole lines a document site adds; matched on the stripped line.
_BOILERPLATE_LINE_RES = (
    re.compile(r"《[^》]{1,80}》由(?:会员|用户|网友)?\S{0,12}分享.{0,80}"),
    re.compile(r"版权(?:说明|声明)\s*[:：].{0,200}"),
    re.compile(r"(?:文档简介|文档介绍|收藏|举报|分享|点赞|下载|打印|本文档|全文阅读|展开阅读全文|相关文档|推荐度)"),
    re.compile(
        r"(?:点击|浏览|阅读|点击数|浏览次数|发布时间|发布日期|更新时间|上传时间)\s*[:：]\s*[\d\s\-/年月日:：次]{2,30}"
    ),
    re.compile(r"以下是.{0,30}(?:整理|收集|搜集|分享|精心).{0,60}(?:欢迎|希望|仅供|供大家).{0,30}"),
    re.compile(r"(?:本文|文章|内容)?(?:来源于|来自|转载自)(?:网络|互联网).{0,40}"),
    re.compile(r"(?:更多|查看更多|更多精彩|更多相关).{0,30}(?:请|敬请)?(?:访问|关注|搜索|登录).{0,40}"),
)
# Search-engine bait on the first or last lines: these words never occur in the genre's own text.
_SEO_WORDS_RE = re.compile(
    r"免费下载|每日更新|在线阅读|下载地址|范文大全|素材大全|word版|可编辑|高清完整|汇总大全|最新精选"
)
_PAGE_FOOTER_RE = re.compile(
    r"(?:第\s*\d{1,3}\s*页\s*[，,、/]?\s*共\s*\d{1,3}\s*页|\d{1,3}\s*/\s*\d{1,3}\s*页|-\s*\d{1,3}\s*-)"
)
# A site name with its address in brackets, or a bare address. The address is searched
# first (it starts with a bracket or http/www), the site name before it is looked at after.
_WATERMARK_RE = re.compile(
    r"[【\[]?[\u4e00-\u9fff]{2,12}[】\]]?\s*[（(]\s*(?:https?://)?(?:www\.)?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+[^）)\s]*\s*[）)]"
    r"|(?:https?://|www\.)[A-Za-z0-9\-._~/?#=&%]+"
)
_ADDRESS_RE = re.compile(
    r"[（(]\s*(?:https?://)?(?:www\.)?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+[^）)\s]*\s*[）)]|(?:https?://|www\.)[A-Za-z0-9\-._~/?#=&%]+"
)
_SITE_NAME_RE = re.compile(r"[【\[]?[\u4e00-\u9fff]{2,12}[】\]]?\s*$")
# Random letters and digits between Chinese text (at least one of each; 5G, GDP stay).
_ALNUM_RUN_RE = re.compile(r"[A-Za-z0-9]{4,12}")
_ANTICOPY_BEFORE = re.compile(r"[\u4e00-\u9fff。，；：！？”]")
_ANTICOPY_AFTER = re.compile(r"[\u4e00-\u9fff“，。]")
_CITATION_RE = re.compile(r"网页\s*\d{1,3}")
_FIRST_MARKER_RE = re.compile(r"\s*1\s*、\s*")
_SECOND_MARKER_RE = re.compile(r"2\s*、")
_CITATION_RE = re.compile(r"网页\s*\d{1,3}")
_EDGE_LINES = 8  # lines at the top or bottom where single site words (收藏, 文档简介) are looked for
_SEO_LINES = 3
# Hard wraps: a line this long (about the width of the page) not ending a sentence continues on the next.
_WRAP_MIN, _WRAP_MAX = 16, 48
_WRAP_MIN_LINES = 3
_SENTENCE_CLOSE = frozenset("。！？!?；;：:…”’）)】》")
_NEXT_STARTS_BLOCK_RE = re.compile(
    rf"\s*(?:{CN_NUMERAL}\s*[、.．]|[（(]\s*(?:{CN_NUMERAL}|\d{{1,2}})\s*[)）]|\d{{1,2}}\s*[、.．]|第{CN_NUMERAL}|【|问\s*[:：]|答\s*[:：])"
)


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    before = text[max(0, start - _CONTEXT) : start].replace("\n", "⏎")
    after = text[end : end + _CONTEXT].replace("\n", "⏎")
    return before, after


def _repair(text: str, kind: str, start: int, end: int, replacement: str = "") -> Repair:
    before, after = _context(text, start, end)
    return Repair(kind, start, end, text[start:end], replacement, before, after)


def find_repairs(text: str) -> list[Repair]:
    """Every undoable repair of the normalised ``text``, in text order, none overlapping."""
    physical = []  # (start, end without the newline, stripped line)
    position = 0
    for raw in text.split("\n"):
        physical.append((position, position + len(raw), raw.strip()))
        position += len(raw) + 1
    # Hard wraps first: site text wrapped with the essay is recognised on its whole (logical) line.
    # Page footers (第1页共7页, - 2 -) count neither as lines nor as breaks between a line and its rest.
    footers = {index for index, line in enumerate(physical) if line[2] and _PAGE_FOOTER_RE.fullmatch(line[2])}
    wraps = _wrap_repairs(text, physical, footers, lambda start, end: True)
    lines = _logical_lines(text, physical, wraps)
    nonempty = [index for index, line in enumerate(lines) if line[2]]
    edges = set(nonempty[:_EDGE_LINES] + nonempty[-_EDGE_LINES:])
    seo_edges = set(nonempty[:_SEO_LINES] + nonempty[-_SEO_LINES:])
    repairs: list[Repair] = []
    removed_lines: set[int] = set()
    for index, (start, end, stripped) in enumerate(lines):
        if not stripped:
            continue
        kind = None
        if _PAGE_FOOTER_RE.fullmatch(stripped):
            kind = "page_footer"
        elif len(stripped) <= 200 and any(
            regex.fullmatch(stripped) for regex in _BOILERPLATE_LINE_RES[:2] + _BOILERPLATE_LINE_RES[3:]
        ):
            kind = "boilerplate"
        elif index in edges and _BOILERPLATE_LINE_RES[2].fullmatch(stripped):
            kind = "boilerplate"
        elif index in seo_edges and len(stripped) <= 80 and _SEO_WORDS_RE.search(stripped):
            kind = "boilerplate"
        elif _WATERMARK_RE.fullmatch(stripped):
            kind = "watermark"
        if kind:
            # The line and its line break go (the break before it for the last line).
            if end < len(text):
                repairs.append(_repair(text, kind, start, end + 1))
            else:
                repairs.append(_repair(text, kind, max(0, start - 1), end))
            removed_lines.add(index)
    # A page marker 1、 before the title when the page has no 2、: the site numbered its only page.
    remaining = [i for i in nonempty if i not in removed_lines]
    if remaining and not any(_SECOND_MARKER_RE.match(lines[i][2]) for i in remaining[1:]):
        first = lines[remaining[0]]
        m = _FIRST_MARKER_RE.match(text, first[0], first[1])
        if m and first[1] - m.end() >= 4:
            repairs.append(_repair(text, "page_marker", m.start(), m.end()))
    starts, ends = [], []  # the taken spans, sorted and never overlapping

    def take(start: int, end: int) -> None:
        at = bisect.bisect_left(starts, start)
        starts.insert(at, start)
        ends.insert(at, end)

    def free(start: int, end: int) -> bool:
        at = bisect.bisect_left(starts, end)  # spans starting before ``end``: only the last may reach in
        return at == 0 or ends[at - 1] <= start

    for repair in repairs:
        take(repair.start, repair.end)
    for kind, start, end in (*_watermarks(text), *_anticopy(text), *_citations(text)):
        if free(start, end):
            repairs.append(_repair(text, kind, start, end))
            take(start, end)
    repairs += [join for join in wraps if free(join.start, join.end)]
    return sorted(repairs, key=lambda r: r.start)


def _watermarks(text: str):
    for m in _ADDRESS_RE.finditer(text):
        start = m.start()
        if m.group()[0] in "（(":
            name = _SITE_NAME_RE.search(text, max(0, start - 16), start)
            if not name:
                continue  # an address in brackets without a site name may be a reference: left alone
            start = name.start()
        yield "watermark", start, m.end()


def _anticopy(text: str):
    for m in _ALNUM_RUN_RE.finditer(text):
        start, end, run = m.start(), m.end(), m.group()
        if (
            start
            and end < len(text)
            and _ANTICOPY_BEFORE.match(text, start - 1)
            and _ANTICOPY_AFTER.match(text, end)
            and any(c.isdigit() for c in run)
            and any(c.isalpha() for c in run)
        ):
            yield "anticopy", start, end


def _citations(text: str):
    for m in _CITATION_RE.finditer(text):
        yield "citation", m.start(), m.end()


def _logical_lines(text: str, physical, wraps: list[Repair]) -> list[tuple[int, int, str]]:
    """Physical lines joined where ``wraps`` join them: (start, end, stripped text without the breaks)."""
    joins = {join.start: join for join in wraps}
    logical: list[tuple[int, int, str]] = []
    open_line = None  # [start, end, pieces]
    for start, end, stripped in physical:
        if not stripped:
            if open_line is None:
                logical.append((start, end, stripped))
            continue
        if open_line is None:
            open_line = [start, end, [stripped]]
        else:
            open_line[1] = end
            open_line[2].append(stripped)
        text_end = start + len(text[start:end].rstrip())
        if text_end not in joins:
            logical.append((open_line[0], open_line[1], "".join(open_line[2])))
            open_line = None
    if open_line is not None:
        logical.append((open_line[0], open_line[1], "".join(open_line[2])))
    return logical


def _wrap_repairs(text: str, lines, removed_lines: set[int], free) -> list[Repair]:
    """Joins of hard-wrapped lines: only when many lines share the page width."""
    kept = [(index, line) for index, line in enumerate(lines) if line[2] and index not in removed_lines]
    lengths = [len(stripped) for _, (_s, _e, stripped) in kept]
    widths = [n for n in lengths if _WRAP_MIN <= n <= _WRAP_MAX]
    if len(widths) < _WRAP_MIN_LINES:
        return []
    width = max(set(widths), key=lambda n: (sum(1 for m in widths if abs(m - n) <= 1), n))
    # Headings and list items of equal length are no page width: count running text only.
    full = sum(
        1
        for _, (_s, _e, stripped) in kept
        if abs(len(stripped) - width) <= 1 and not _NEXT_STARTS_BLOCK_RE.match(stripped)
    )
    # Wrapped text: at least a third of the lines are exactly as wide as the page.
    if full < _WRAP_MIN_LINES or full * 3 < len(lengths):
        return []
    repairs = []
    for (_index, (start, end, stripped)), (_next, (next_start, _ne, next_stripped)) in zip(
        kept, kept[1:], strict=False
    ):
        if stripped[-1] in _SENTENCE_CLOSE or _NEXT_STARTS_BLOCK_RE.match(next_stripped):
            continue
        if abs(len(stripped) - width) > 1 and not _wrapped_heading(stripped, next_stripped):
            continue
        # Join: remove from the end of this line's text to the start of the next line's text
        # (a page footer in between goes with the join).
        join_start = start + len(text[start:end].rstrip())
        join_end = next_start + (len(text[next_start:]) - len(text[next_start:].lstrip(" \n")))
        if join_end > join_start and free(join_start, join_end):
            repairs.append(_repair(text, "wrap", join_start, join_end))
    return repairs


# A numbered heading wrapped in a PDF (headings print larger: their lines are
# shorter than the page width) leaves a short remainder without any mark.
_WRAPPED_HEADING_MIN = 12
_HEADING_REMAINDER_MAX = 8
_ANY_MARK_RE = re.compile(r"[，,。．.、；;：:！!？?“”\"‘’（）()《》\s\d]")


def _wrapped_heading(line: str, following: str) -> bool:
    return (
        len(line) >= _WRAPPED_HEADING_MIN
        and bool(_NEXT_STARTS_BLOCK_RE.match(line))
        and not re.search(r"[，,。；;：:！!？?]", line)
        and len(following) <= _HEADING_REMAINDER_MAX
        and not _ANY_MARK_RE.search(following)
    )


def apply_repairs(text: str, repairs: list[Repair], keep=frozenset()) -> str:
    """``text`` with every repair applied except those whose id is in ``keep``."""
    out, position = [], 0
    for repair in sorted(repairs, key=lambda r: r.start):
        if repair.id in keep or repair.start < position:
            continue
        out.append(text[position : repair.start])
        out.append(repair.replacement)
        position = repair.end
    out.append(text[position:])
    return "".join(out)
