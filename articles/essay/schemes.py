"""Which numbering scheme an essay's top level uses, when it is not 一、.

Real pages number their parts in many ways. Numbered schemes, read at the
start of a paragraph:

* ``第一、`` ``第一部分`` ``第一章`` ``第一节`` (``di``),
* ``（一）`` as the top level (``cn_paren``),
* ``1、`` ``1.`` ``1．`` (``ar_dun``, ``ar_dot``, ``ar_fdot``).

The top level is the numbered scheme whose first item comes first in the
text (with at least two items in order; a number may skip ahead by two).
An excerpt that starts mid-essay has no item 1: its smallest number followed
by the next one starts the run.

Without any numbered scheme, in this order of preference by position of the
first item: ``问：`` questions (``qa``), 首先/其次/再次/最后 (``ordinal``),
paragraphs opening with 一是/二是 (``yishi``), and unnumbered headings on
their own line (``headline``: short, no comma or full stop, followed by a
longer paragraph). Pure Python, no Django.
"""

import re
from dataclasses import dataclass

from .numbering import CN_NUMERAL, cn_to_int

MIN_ITEMS = 2
HEADLINE_MAX = 30
_HEADLINE_BAD = frozenset("。，；,;、：:“”")
_HEADLINE_END_OK = frozenset("？?！!")


@dataclass(frozen=True)
class Item:
    index: int  # paragraph index
    value: int
    number: str  # the label stored as the section's number ("" when it is part of the heading)
    rest: str  # the paragraph after the number


@dataclass(frozen=True)
class Scheme:
    name: str
    items: tuple[Item, ...]

    @property
    def first(self) -> int:
        return self.items[0].index


_NUMBERED = (
    (
        "di",
        re.compile(rf"第\s*({CN_NUMERAL})\s*(?:(部分|章|节)\s*[、，,.．:：]?|([、，,.．:：]))\s*"),
    ),
    ("cn_paren", re.compile(rf"[（(]\s*({CN_NUMERAL})\s*[)）]\s*")),
    ("ar_dun", re.compile(r"(\d{1,2})\s*、\s*")),
    ("ar_dot", re.compile(r"(\d{1,2})\s*\.(?![\d.])\s*")),
    ("ar_fdot", re.compile(r"(\d{1,2})\s*．(?![\d．])\s*")),
)
NUMBERED_NAMES = frozenset(name for name, _regex in _NUMBERED)
_ORDINALS = {"首先": 1, "其次": 2, "再次": 3, "第三": 3, "然后": 3, "第四": 4, "第五": 5, "最后": 9}
_ORDINAL_RE = re.compile(r"(首先|其次|再次|然后|第三|第四|第五|最后)\s*[，,、：:]?")
_YISHI_RE = re.compile(rf"({CN_NUMERAL})是")
_QA_RE = re.compile(r"(?:问|问题|Q)\s*[\d一二三四五六七八九十]{0,2}\s*[:：]\s*")
_ANSWER_RE = re.compile(r"(?:答|回答|A)\s*[:：]\s*")
# 引言/主体/结语 as the essay's own parts.
INTRO_WORDS = frozenset({"引言", "前言", "导言", "导语"})
BODY_WORDS = frozenset({"主体", "正文", "主体部分"})
END_WORDS = frozenset({"结语", "结束语", "结论", "结尾", "小结", "总结"})


def _label(name: str, m: re.Match) -> str:
    if name == "di":
        word = m.group(2) or ""
        return f"第{m.group(1)}{word}" if word else f"第{m.group(1)}、"
    if name == "cn_paren":
        return f"（{m.group(1)}）"
    return m.group(1) + {"ar_dun": "、", "ar_dot": ".", "ar_fdot": "．"}[name]


def _run(candidates: list[Item]) -> tuple[Item, ...]:
    """The longest run in order: from 1 when there is a 1, else from the first number followed by the next."""
    last_index: dict[int, int] = {}
    for c in candidates:
        last_index[c.value] = c.index
    starts = [c for c in candidates if c.value == 1] or [
        c for c in candidates if last_index.get(c.value + 1, -1) > c.index
    ]
    best: tuple[Item, ...] = ()
    for start in starts[:3]:
        run = [start]
        for item in candidates:
            if item.index > run[-1].index and run[-1].value < item.value <= run[-1].value + 3:
                run.append(item)
        if len(run) > len(best):
            best = tuple(run)
    return best


def numbered_schemes(paragraphs: list[str]) -> list[Scheme]:
    found = []
    for name, regex in _NUMBERED:
        candidates = []
        for index, paragraph in enumerate(paragraphs):
            m = regex.match(paragraph)
            if not m or m.end() >= len(paragraph):
                continue
            value = int(m.group(1)) if m.group(1).isdigit() else cn_to_int(m.group(1))
            if value:
                candidates.append(Item(index, value, _label(name, m), paragraph[m.end() :]))
        run = _run(candidates)
        if len(run) >= MIN_ITEMS:
            found.append(Scheme(name, run))
    return found


def word_schemes(paragraphs: list[str]) -> list[Scheme]:
    found = []
    qa = [Item(i, n, "", p[m.end() :]) for n, (i, p, m) in enumerate(_matches(_QA_RE, paragraphs), start=1)]
    if len(qa) >= MIN_ITEMS:
        found.append(Scheme("qa", tuple(qa)))
    ordinal: list[Item] = []
    for index, paragraph, m in _matches(_ORDINAL_RE, paragraphs):
        value = _ORDINALS[m.group(1)]
        if not ordinal and m.group(1) != "首先":
            continue
        if ordinal and (value <= ordinal[-1].value or ordinal[-1].value == 9):
            continue
        ordinal.append(Item(index, value, "", paragraph))
    if len(ordinal) >= MIN_ITEMS:
        found.append(Scheme("ordinal", tuple(ordinal)))
    yishi = []
    for index, paragraph, m in _matches(_YISHI_RE, paragraphs):
        if cn_to_int(m.group(1)) == len(yishi) + 1:
            yishi.append(Item(index, len(yishi) + 1, "", paragraph))
    if len(yishi) >= MIN_ITEMS:
        found.append(Scheme("yishi", tuple(yishi)))
    headlines = [Item(index, n, "", paragraphs[index]) for n, index in enumerate(headline_indexes(paragraphs), start=1)]
    if len(headlines) >= MIN_ITEMS:
        found.append(Scheme("headline", tuple(headlines)))
    return found


def _matches(regex, paragraphs):
    for index, paragraph in enumerate(paragraphs):
        m = regex.match(paragraph)
        if m and m.end() < len(paragraph):
            yield index, paragraph, m


_NOT_HEADLINE_RE = re.compile(
    r".*(?:委员会|组织部|宣传部|统战部|党委|党工委|工委|党组|党支部|党总支|纪委|监委|党校|课题组|调研组|办公室|研究室|研究中心)"
    r"(?:\s*[\u4e00-\u9fff·]{2,4})?|.{0,6}\d{4}\s*年.{0,8}|(?:作者|来源|单位|日期|时间)\s*[:：].*"
)


def is_headline(paragraph: str) -> bool:
    """A heading on its own line: short, no comma or full stop (a question mark may end it);
    not an author's unit, a byline or a date."""
    return (
        not _NOT_HEADLINE_RE.fullmatch(paragraph)
        and 2 <= len(paragraph) <= HEADLINE_MAX
        and not any(char in _HEADLINE_BAD for char in paragraph[:-1])
        and paragraph[-1] not in "。，；,;：:、"
        and not paragraph.startswith(("——", "--", "—", "（", "("))
    )


_SUBTITLE_HINT_RE = re.compile(r"为例|—|关于|浅谈|浅析|报告|调研|思考|体会|探析|研究|探索|实践|心得|综述|发言|讲话")


def headline_indexes(paragraphs: list[str]) -> list[int]:
    """Paragraphs that are headings on their own line (never the title; right under it only
    what does not read like a subtitle)."""
    found = []
    for index in range(1, len(paragraphs) - 1):
        paragraph = paragraphs[index]
        if paragraph in INTRO_WORDS or paragraph in BODY_WORDS or paragraph in END_WORDS:
            found.append(index)
            continue
        if not is_headline(paragraph) or any(regex.match(paragraph) for _name, regex in _NUMBERED):
            continue
        if index == 1 and (len(paragraphs[0]) > 40 or _SUBTITLE_HINT_RE.search(paragraph)):
            continue  # right under the title: a subtitle unless it reads like a heading
        following = paragraphs[index + 1]
        if len(following) > len(paragraph) and not is_headline(following):
            found.append(index)
    return found


def choose(paragraphs: list[str]) -> Scheme | None:
    """The top-level scheme (see module docstring), or None."""
    numbered = numbered_schemes(paragraphs)
    words = word_schemes(paragraphs)
    if numbered:
        best = min(numbered, key=lambda scheme: scheme.first)
        # Headings on their own line with 1、 2、 … under each: the headings are the top level.
        for scheme in words:
            if (
                scheme.name == "headline"
                and scheme.first < best.first
                and any(item.index > best.first for item in scheme.items)
            ):
                return scheme
        return best
    if words:
        return min(words, key=lambda scheme: scheme.first)
    return None


def strip_answer(paragraph: str) -> str:
    m = _ANSWER_RE.match(paragraph)
    return paragraph[m.end() :] if m else paragraph
