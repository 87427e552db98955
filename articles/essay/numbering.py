"""Section and point numbers: Chinese numerals, the printed styles, and bare numerals.

Sections are numbered 一、 (also 一. / 一．). Points come in five styles:
(一) / （一）, 1. , 1、 , (1) / （1）, and — in damaged text — a bare Chinese
numeral run into the end of the previous sentence (……现实意义一适应时代的需求).
The bare style is the only one that needs guessing; see ``find_bare_point``.
"""

import re
from dataclasses import dataclass

_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DIGIT_CHARS = "一二三四五六七八九"
CN_NUMERAL = "[一二三四五六七八九十]{1,3}"
MAX_NUMBER = 99  # 九十九: the largest number a section or point can carry


def cn_to_int(numeral: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23; None for anything that is not a numeral 1–99."""
    if not numeral or len(numeral) > 3:
        return None
    if numeral == "十":
        return 10
    if len(numeral) == 1:
        return _DIGITS.get(numeral)
    if len(numeral) == 2:
        if numeral[0] == "十":
            unit = _DIGITS.get(numeral[1])
            return 10 + unit if unit else None
        if numeral[1] == "十":
            tens = _DIGITS.get(numeral[0])
            return tens * 10 if tens and tens > 1 else None
        return None
    if numeral[1] != "十":
        return None
    tens, unit = _DIGITS.get(numeral[0]), _DIGITS.get(numeral[2])
    return tens * 10 + unit if tens and tens > 1 and unit else None


def _spell(value: int) -> str:
    tens, unit = divmod(value, 10)
    text = ("" if tens == 1 else _DIGIT_CHARS[tens - 1]) + "十" if tens else ""
    return text + (_DIGIT_CHARS[unit - 1] if unit else "")


_SPELLED = ("",) + tuple(_spell(value) for value in range(1, MAX_NUMBER + 1))


def int_to_cn(value: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (1–99)."""
    if not 1 <= value <= MAX_NUMBER:
        raise ValueError(value)
    return _SPELLED[value]


# 一、 at the start of a paragraph. The look-ahead keeps "一、二季度" out.
SECTION_START = frozenset("一二三四五六七八九十")
SECTION_RE = re.compile(rf"({CN_NUMERAL})\s*[、.．](?![一二三四五六七八九十\d])\s*")


def match_section(paragraph: str) -> tuple[int, str] | None:
    """(number, rest of the paragraph) when the paragraph starts with 一、 and the like."""
    if paragraph[:1] not in SECTION_START:
        return None
    m = SECTION_RE.match(paragraph)
    if not m:
        return None
    value = cn_to_int(m.group(1))
    return (value, paragraph[m.end() :]) if value else None


@dataclass(frozen=True)
class PointStyle:
    name: str
    regex: re.Pattern
    chinese: bool  # numbers are Chinese numerals
    template: str  # how the normalised number is printed

    def match(self, paragraph: str) -> tuple[int, str] | None:
        """(number, rest of the paragraph) when the paragraph starts with this style's number."""
        m = self.regex.match(paragraph)
        if not m:
            return None
        value = cn_to_int(m.group(1)) if self.chinese else int(m.group(1))
        return (value, paragraph[m.end() :]) if value else None

    def label(self, value: int) -> str:
        return self.template.format(int_to_cn(value) if self.chinese else value)


CN_PAREN = PointStyle("cn_paren", re.compile(rf"[（(]\s*({CN_NUMERAL})\s*[)）]\s*"), True, "({})")
AR_DOT = PointStyle("ar_dot", re.compile(r"(\d{1,2})\s*[.．](?!\d)\s*"), False, "{}.")
AR_DUN = PointStyle("ar_dun", re.compile(r"(\d{1,2})\s*、\s*"), False, "{}、")
AR_PAREN = PointStyle("ar_paren", re.compile(r"[（(]\s*(\d{1,2})\s*[)）]\s*"), False, "({})")
# 1.1 under 第一部分 / 第一章: the point's own number is the second one.
DOTTED = PointStyle("dotted", re.compile(r"\d{1,2}\s*[.．]\s*(\d{1,2})(?![\d.．])\s*"), False, "{}.")
_DOTTED_PARENT = re.compile(r"\s*(\d{1,2})")


def dotted_label(paragraph: str, value: int) -> str:
    """1.2 as printed (the part's number, a half-width dot, the point's): a DOTTED point keeps both numbers."""
    m = _DOTTED_PARENT.match(paragraph)
    return f"{int(m.group(1))}.{value}" if m else DOTTED.label(value)


# (一) is the conventional second level, so it wins over Arabic styles that
# may be third-level items inside its points.
EXPLICIT_STYLES = (CN_PAREN, AR_DOT, AR_DUN, AR_PAREN)


# ---------------------------------------------------------------------------
# Bare numerals

BARE_HEADING_MAX = 45
_HEADING_STOPPERS = frozenset("。；;？?！!")
_BAD_HEADING_START = frozenset("，,、：:”’）)》】。；;？?！!")
# After the numeral: 一是 (an enumeration) and quantities (一些, 三个, 五项 …).
_BAD_AFTER = frozenset("是要者些切般个项次条种批届名位类倍十百千万亿一二三四五六七八九")
# Before the numeral: ordinals and compounds (第一, 统一, 唯一, 十三五 …).
_BAD_BEFORE = frozenset("第之统唯万单专同逐划不归合某每两零〇百千一二三四五六七八九十")
# Words a numeral is part of; the candidate may sit anywhere inside one.
_PROTECTED_WORDS = (
    "一定",
    "一起",
    "一样",
    "一步",
    "一致",
    "一直",
    "一旦",
    "一律",
    "一系列",
    "一方面",
    "一下",
    "一线",
    "一流",
    "一贯",
    "一体",
    "一手",
    "一把手",
    "一味",
    "一道",
    "一同",
    "一度",
    "一再",
    "一经",
    "一向",
    "一并",
    "一齐",
    "一心",
    "一意",
    "一时",
    "一级",
    "一番",
    "一岗双责",
    "一票否决",
    "一站式",
    "一盘棋",
    "一张网",
    "一肩挑",
    "一对一",
    "一帮一",
    "一把",
    "两学一做",
    "三会一课",
    "三重一大",
    "三严三实",
    "五位一体",
    "四个全面",
    "四个意识",
    "四个自信",
    "四风",
    "三农",
    "十三五",
    "十四五",
    "十五五",
    "十八大",
    "十九大",
    "二十大",
    "一年",
    "三年",
    "五年",
    "十年",
    "再三",
    "一口气",
)


def _inside_protected_word(text: str, start: int, numeral: str) -> bool:
    for word in _PROTECTED_WORDS:
        offset = word.find(numeral)
        while offset != -1:
            begin = start - offset
            if begin >= 0 and text.startswith(word, begin):
                return True
            offset = word.find(numeral, offset + 1)
    return False


def plausible_bare_heading(tail: str) -> bool:
    """Could ``tail`` (numeral to paragraph end) be a point heading?"""
    return (
        2 <= len(tail) <= BARE_HEADING_MAX
        and tail[0] not in _BAD_HEADING_START
        and not any(char in _HEADING_STOPPERS for char in tail)
    )


def find_bare_point(paragraph: str, value: int) -> int | None:
    """Index of the bare numeral ``value`` that starts a heading running to the paragraph end.

    The heading must be plausible (short, no sentence end), the numeral must
    not start an enumeration (一是) or a quantity (一些, 三个), nor be part of
    a word (统一, 三会一课, 十三五). Of the candidates that pass, the one
    nearest the paragraph end wins: the heading is glued to the end of the
    previous sentence, which may itself contain the numeral.
    """
    numeral = int_to_cn(value)
    size = len(numeral)
    # Only the last few characters can hold a heading that runs to the end.
    window_start = max(0, len(paragraph) - BARE_HEADING_MAX - size)
    index = paragraph.rfind(numeral, window_start)
    while index != -1:
        if _bare_candidate_ok(paragraph, index, numeral):
            return index
        if index == window_start:
            break
        index = paragraph.rfind(numeral, window_start, index + size - 1)
    return None


def _bare_candidate_ok(paragraph: str, index: int, numeral: str) -> bool:
    after = index + len(numeral)
    if after >= len(paragraph) or paragraph[after] in _BAD_AFTER:
        return False
    if index > 0 and paragraph[index - 1] in _BAD_BEFORE:
        return False
    if _inside_protected_word(paragraph, index, numeral):
        return False
    return plausible_bare_heading(paragraph[after:])
