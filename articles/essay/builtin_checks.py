"""The built-in checks of the proofreader: what needs more than a regex rule.

- ``quote.unpaired`` / ``bracket.unpaired`` / ``book_title.unpaired`` -- an
  opening mark without its closing one (an insertion point where the closing
  mark most likely belongs);
- ``structure.page_marker`` -- a leftover ``\\n2、`` page marker splitting a sentence;
- ``structure.bare_point_number`` -- a point number (一 二 三 …) run into the
  previous sentence without its brackets;
- ``script.*`` -- traditional script, pinyin readings, garbled runs, 壹 for
  一, masked words (:mod:`.script`);
- ``punct.*`` -- punctuation to GB/T 15834 (:mod:`.punctuation`).

:func:`builtin_findings` runs them all; :func:`articles.essay.proofreading.proofread`
adds them to the rules' findings. Pure Python, no Django import.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import replace

from .findings import Finding
from .punctuation import normalized_marks, punctuation_findings
from .script import script_findings


def builtin_findings(text: str) -> list[Finding]:
    """Every built-in check's findings in ``text`` (overlaps are resolved by the caller)."""
    return [
        *_paired_marks_as_fixed(text),
        *_page_marker_findings(text),
        *_bare_point_number_findings(text),
        *script_findings(text),
        *punctuation_findings(text),
    ]


def _paired_marks_as_fixed(text: str) -> Iterable[Finding]:
    # Pair the quotation marks as the punctuation fixes leave them (「…」 and
    # “…" are pairs), so a mark that a fix turns into a closer is not also
    # reported as lost. Same length, so the offsets hold.
    normalized = normalized_marks(text)
    for finding in _paired_mark_findings(normalized):
        original = text[finding.start : finding.end]
        if original != finding.original:  # an advisory stray closer: show the text's own mark
            finding = replace(finding, original=original, suggestion=original)
        yield finding


# --------------------------------------------------------------------------
# Built-in checks: paired marks


# Quoted slogans and terms that a lost closing mark most likely follows.
# Longest first, so 不忘初心、牢记使命 wins over 不忘初心.
QUOTED_TERMS = tuple(
    sorted(
        {
            "两学一做",
            "三会一课",
            "创先争优",
            "三严三实",
            "四个意识",
            "四个自信",
            "两个维护",
            "两个确立",
            "四个全面",
            "五位一体",
            "四风",
            "八项规定",
            "学习型组织",
            "学习型党组织",
            "学习型党员",
            "服务型党组织",
            "学习型、服务型、创新型",
            "十三五",
            "十四五",
            "十五五",
            "一带一路",
            "放管服",
            "最多跑一次",
            "不忘初心、牢记使命",
            "不忘初心",
            "牢记使命",
            "主题教育",
            "干与不干一个样、干好干坏一个样",
            "干与不干一个样",
            "干好干坏一个样",
            "抓好党建促发展",
            "创新点",
            "三重一大",
            "一岗双责",
            "双培养",
            "两新",
            "三农",
            "三个代表",
            "中国梦",
            "灯下黑",
            "微腐败",
            "庸懒散",
            "门难进、脸难看、事难办",
            "先锋岗",
            "示范岗",
            "党员先锋岗",
        },
        key=len,
        reverse=True,
    )
)

# Words that usually follow a quoted slogan: the closing mark goes before them.
_QUOTE_END_MARKERS = (
    "的",
    "等",
    "活动",
    "教育",
    "工作",
    "征程",
    "创立",
    "创建",
    "学习",
    "心理",
    "精神",
    "理念",
    "思想",
    "要求",
    "目标",
    "思路",
    "原则",
    "战略",
    "方针",
    "口号",
    "号召",
    "主题",
    "行动",
    "建设",
    "规划",
    "时期",
    "期间",
    "为主题",
    "作为",
)
# Alternatives longest first: the regex takes the first that matches.
_QUOTED_TERM = re.compile("|".join(map(re.escape, QUOTED_TERMS)))
_QUOTE_END_MARKER = re.compile("|".join(map(re.escape, _QUOTE_END_MARKERS)))
_SENTENCE_END = "。\uff01\uff1f\uff1b!?;"  # full-width and ASCII
_CLAUSE_END = "\uff0c、\uff1a,:"  # full-width and ASCII
_MARKER_SEARCH_LIMIT = 30  # a run-on slogan is rarely longer than this

_PAIRS = {
    "“": ("”", "quote.unpaired", "缺少后引号", "缺少前引号"),
    "《": ("》", "book_title.unpaired", "缺少后书名号", "缺少前书名号"),
    "（": ("）", "bracket.unpaired", "缺少右括号", "缺少左括号"),
    "(": (")", "bracket.unpaired", "缺少右括号", "缺少左括号"),
}
_CLOSERS = {closer: opener for opener, (closer, *_rest) in _PAIRS.items()}
# Half- and full-width brackets are mixed freely in pasted text: (一） is paired.
_OPENERS_FOR = {"”": "“", "》": "《", "）": "（(", ")": "（("}
_NUMERAL_RUN = re.compile(r"[一二三四五六七八九十\d]{1,3}")


def _closing_point(opener: str, region: str) -> tuple[int | None, float]:
    """Where the lost closing mark belongs in ``region`` (text after the opener).

    Returns (offset into region, confidence), or (None, 0) when no position
    is believable enough to suggest.
    """
    if not region:
        return None, 0.0
    if opener == "“":
        term = _QUOTED_TERM.match(region)
        if term:
            return term.end(), 0.9
        limit = len(region)
        for index, char in enumerate(region[:_MARKER_SEARCH_LIMIT]):
            if char in _SENTENCE_END:
                limit = index
                break
        limit = min(limit, _MARKER_SEARCH_LIMIT)
        marker = _QUOTE_END_MARKER.search(region, 2, limit)
        if marker:
            return marker.start(), 0.7
        for index, char in enumerate(region[:_MARKER_SEARCH_LIMIT]):
            if index >= 1 and (char in _CLAUSE_END or char in _SENTENCE_END):
                return index, 0.6
        return None, 0.0
    if opener in "（(":
        match = _NUMERAL_RUN.match(region)
        if match and match.end() < len(region) and region[match.end()] not in "、.,\uff0c)）":
            return match.end(), 0.8
        return None, 0.0
    # 《: a title rarely holds punctuation; close it before the first mark.
    for index, char in enumerate(region[:25]):
        if index >= 1 and (char in _CLAUSE_END or char in _SENTENCE_END or char.isspace()):
            return index, 0.5
    return None, 0.0


# A line break ends a paragraph unless it is the start of a page marker
# ("\n2、"), which may fall in the middle of a quotation.
_PARAGRAPH_BREAK = re.compile(r"\n(?!\d{1,3}、)")


def _paragraphs(text: str) -> Iterable[tuple[int, str]]:
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        yield start, text[start : match.start()]
        start = match.end()
    yield start, text[start:]


def _paired_mark_findings(text: str) -> Iterable[Finding]:
    marks = set(_PAIRS) | set(_CLOSERS)
    # Paragraph by paragraph: a quotation does not run on into the next one,
    # unless that paragraph opens with “ again (a quotation of several paragraphs).
    for offset, line in _paragraphs(text):
        stack: list[int] = []  # positions (in line) of open marks
        unpaired: list[int] = []
        positions = [i for i, char in enumerate(line) if char in marks]
        for i in positions:
            char = line[i]
            if char in _PAIRS:
                stack.append(i)
                continue
            opener = _CLOSERS[char]
            # Close the innermost matching opener; unmatched closers are stray.
            match_at = next((k for k in range(len(stack) - 1, -1, -1) if line[stack[k]] in _OPENERS_FOR[char]), None)
            if match_at is None:
                _closer, rule_id, _missing_close, missing_open = _PAIRS[opener]
                yield Finding(
                    start=offset + i,
                    end=offset + i + 1,
                    original=char,
                    suggestion=char,  # advisory: where the opener went is anyone's guess
                    rule=rule_id,
                    category="punctuation",
                    severity="medium",
                    explanation=missing_open,
                    confidence=0.5,
                )
                continue
            # Openers of other kinds still open inside this pair lost their closers.
            unpaired.extend(stack[match_at + 1 :])
            del stack[match_at:]
        if stack and line[stack[-1]] == "“" and text.startswith("“", offset + len(line) + 1):
            # A quotation running on into the next paragraph, which opens with “ again (GB/T 15834).
            stack.pop()
        unpaired.extend(stack)
        for i in sorted(unpaired):
            opener = line[i]
            closer, rule_id, missing_close, _missing_open = _PAIRS[opener]
            following = bisect.bisect_right(positions, i)
            region_end = positions[following] if following < len(positions) else len(line)
            region = line[i + 1 : region_end]
            point, confidence = _closing_point(opener, region)
            if point is None:
                position = offset + region_end
                suggestion = ""
                confidence = 0.3
            else:
                position = offset + i + 1 + point
                suggestion = closer
            yield Finding(
                start=position,
                end=position,
                original="",
                suggestion=suggestion,
                rule=rule_id,
                category="punctuation",
                severity="medium",
                explanation=missing_close,
                confidence=confidence,
            )


# --------------------------------------------------------------------------
# Built-in checks: structure

_CJK = r"\u4e00-\u9fff"
_PAGE_MARKER = re.compile(rf"(?<=[{_CJK}])\n(\d{{1,3}})、(?=[{_CJK}])")
# A page holds hundreds of characters; a short line before "\n2、" is a list.
_MIN_PAGE_LINE = 100


def _page_marker_findings(text: str) -> Iterable[Finding]:
    previous_number = None
    for match in _PAGE_MARKER.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if match.start() - line_start < _MIN_PAGE_LINE:
            continue
        number = int(match.group(1))
        in_sequence = number == 2 if previous_number is None else number == previous_number + 1
        previous_number = number
        yield Finding(
            start=match.start(),
            end=match.end(),
            original=match.group(0),
            suggestion="",
            rule="structure.page_marker",
            category="structure",
            severity="low",
            explanation="残留的页码标记\uff0c应删除",
            confidence=0.9 if in_sequence else 0.7,
        )


_NUMERALS = "一二三四五六七八九十"
# Characters that make a numeral part of an ordinary word (统一, 第二, 再三 …).
_WORD_BEFORE_NUMERAL = set("统唯万之第专同整划归单合初周逐均无再不十百千零两星其惟一二三四五六七八九")
# … and after it (一些, 一是, 二是, 三会一课 …).
_WORD_AFTER_NUMERAL = set(
    "是些个切般直定样起致旦贯项批道线体方把名位次种条件份年天时同再并经律概味举流手心部局步带五四、.,\uff0c)）:\uff1a月日号级类届要"
)
# The heading runs to the space that separates it from its body (raw text
# keeps that space); a page marker may split it.
_HEADING_RUN = re.compile(r"((?:[^\s。;\uff1b!\uff01?\uff1f:\uff1a“”\"‘’()（）]|\n\d{1,3}、){3,40})(?=[ \u3000])")
# At a line start the heading may end with the line instead.
_LINE_HEADING_RUN = re.compile(r"((?:[^\s。;\uff1b!\uff01?\uff1f:\uff1a“”\"‘’()（）]){3,40})(?=[ \u3000]|\n|\Z)")


def _bare_point_number_findings(text: str) -> Iterable[Finding]:
    expected = "一"
    for index, numeral in enumerate(text):
        if numeral not in _NUMERALS:
            continue
        previous = text[index - 1] if index else " "
        if not (previous.isspace() or re.match(f"[{_CJK}]", previous)) or previous in _WORD_BEFORE_NUMERAL:
            continue
        if index + 1 >= len(text) or text[index + 1] in _WORD_AFTER_NUMERAL:
            continue
        at_line_start = index == 0 or text[index - 1] == "\n"
        heading = (_LINE_HEADING_RUN if at_line_start else _HEADING_RUN).match(text, index + 1)
        if not heading:
            continue
        if sum(heading.group(1).count(mark) for mark in "\uff0c\u3001,") > 2:
            continue
        # Points are numbered in order; a numeral out of sequence is a word.
        if numeral != expected and numeral != "一":
            continue
        expected = _NUMERALS[_NUMERALS.index(numeral) + 1] if numeral != "十" else ""
        yield Finding(
            start=index,
            end=index + 1,
            original=numeral,
            suggestion=f"({numeral})" if at_line_start else f"\n({numeral})",
            rule="structure.bare_point_number",
            category="structure",
            severity="low",
            explanation="要点序号缺少括号并与上文连在一起",
            confidence=0.6,
        )
