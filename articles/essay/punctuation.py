"""Punctuation to the national standard (GB/T 15834-2011) in Chinese running text.

- ``punct.halfwidth`` -- half-width ``, ; : ? ! ( ) "`` between Chinese
  characters → full-width (``工作,我们`` → ``工作，我们``; a bracket pair or an
  ASCII quotation pair holding hanzi → （…） “…”). ASCII inside Latin or
  numeric runs (1.5, 10:30, COVID-19, URLs) is left alone.
- ``punct.corner_quote`` -- corner quotes 「」『』 → “”‘’.
- ``punct.closing_quote`` -- odd closing marks: 〝〞 → “”, an ASCII ``"``
  closing a full-width “ → ”.
- ``punct.final_stop`` -- a prose paragraph that lost its final 。 (an
  insertion point at its end). Titles, headings, numbered items, lines
  ending in ：/；, and short lines in a run of short lines (hard-wrapped
  text, the importer's business) are left alone.
- ``punct.ocr_number`` -- ``(-)`` read by OCR for （一）; ``(=)`` for （二）
  only right after a （一）.

:func:`punctuation_findings` runs them all; :func:`normalized_marks` gives the
text with its quotation marks normalised (same length), so that the pairing
check (:mod:`.builtin_checks`) pairs 「」 and “…" as the fixes will.

Pure Python, no Django import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .findings import Finding

__all__ = ["normalized_marks", "punctuation_findings"]

CATEGORY = "punctuation"

_CJK = "\u4e00-\u9fff\u3400-\u4dbf"
_IS_CJK = re.compile(f"[{_CJK}]")
_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_CORNER = {"「": "“", "」": "”", "『": "‘", "』": "’"}
_ODD_QUOTES = {"〝": "“", "〞": "”", "＂": "”"}

HALFWIDTH_EXPLANATION = "中文之间应使用全角标点"
CORNER_EXPLANATION = "直角引号改为弯引号（GB/T 15834）"
CLOSING_EXPLANATION = "后引号写法不规范，应为“”"
FINAL_STOP_EXPLANATION = "段末缺少句号"
OCR_NUMBER_EXPLANATION = "序号识别错误，应为（一）这样的中文序号"


def punctuation_findings(text: str) -> list[Finding]:
    """Every punctuation finding of this module in ``text`` (overlaps are resolved by the caller)."""
    return [
        *_halfwidth_findings(text),
        *_quote_findings(text),
        *_ocr_number_findings(text),
        *_final_stop_findings(text),
    ]


def normalized_marks(text: str) -> str:
    """``text`` with the quotation marks this module would fix already fixed (same length)."""
    chars = list(text)
    for finding in _quote_findings(text):
        if len(finding.original) == 1 and len(finding.suggestion) == 1:
            chars[finding.start] = finding.suggestion
    return "".join(chars)


def _finding(start: int, original: str, suggestion: str, rule: str, explanation: str, confidence: float) -> Finding:
    return Finding(
        start=start,
        end=start + len(original),
        original=original,
        suggestion=suggestion,
        rule=rule,
        category=CATEGORY,
        severity="low",
        explanation=explanation,
        confidence=confidence,
    )


def _at_line_start(text: str, position: int) -> bool:
    """Only spaces between ``position`` and the start of its line (looks back over the spaces only)."""
    index = position - 1
    while index >= 0 and text[index] in " \t\u3000":
        index -= 1
    return index < 0 or text[index] == "\n"


def _lines(text: str) -> Iterable[tuple[int, str]]:
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


# --------------------------------------------------------------------------
# punct.halfwidth

_HAN_BEFORE = re.compile(f"[{_CJK}”’）》」』]")
_HAN_AFTER = re.compile(f"[{_CJK}“‘（《「『]")
# , ; : ? ! after a hanzi, before a hanzi (spaces between dropped); ? ! ; may end the line.
_MARK = re.compile(r"([,;:?!])( *)")


def _halfwidth_findings(text: str) -> Iterable[Finding]:
    for match in _MARK.finditer(text):
        start = match.start()
        if start == 0 or not _HAN_BEFORE.match(text[start - 1]):
            continue
        after = text[match.end()] if match.end() < len(text) else "\n"
        mark = match.group(1)
        if not (_HAN_AFTER.match(after) or (mark in "?!;" and after == "\n" and not match.group(2))):
            continue
        yield _finding(start, match.group(0), _FULL[mark], "punct.halfwidth", HALFWIDTH_EXPLANATION, 0.9)
    yield from _bracket_findings(text)


# A bracket pair on one line without brackets inside.
_PAIR = re.compile(r"[(（][^()（）\n]{1,40}[)）]")


def _bracket_findings(text: str) -> Iterable[Finding]:
    for match in _PAIR.finditer(text):
        opener, closer = match.start(), match.end() - 1
        if "(" != text[opener] and ")" != text[closer]:
            continue  # already full-width
        inside = text[opener + 1 : closer]
        if not _IS_CJK.search(inside):
            continue  # (AI), (2022), pinyin readings: not ours
        if _at_line_start(text, opener):
            continue  # a number at the start of a line: the parser's business
        before = text[opener - 1]
        after = text[closer + 1] if closer + 1 < len(text) else ""
        if not (_HAN_BEFORE.match(before) or _IS_CJK.match(after or " ")):
            continue
        for position in (opener, closer):
            if text[position] in _FULL:
                yield _finding(
                    position, text[position], _FULL[text[position]], "punct.halfwidth", HALFWIDTH_EXPLANATION, 0.85
                )


# --------------------------------------------------------------------------
# punct.corner_quote, punct.closing_quote, ASCII quotation pairs


def _quote_findings(text: str) -> Iterable[Finding]:
    for offset, line in _lines(text):
        yield from _line_quotes(offset, line)


def _line_quotes(offset: int, line: str) -> Iterable[Finding]:
    open_quote = False  # a full-width “ (or its stand-in) waits for its closer
    ascii_quotes: list[int] = []
    for index, char in enumerate(line):
        if char in _CORNER:
            yield _finding(offset + index, char, _CORNER[char], "punct.corner_quote", CORNER_EXPLANATION, 0.95)
            if char == "「":
                open_quote = True
            elif char == "」":
                open_quote = False
        elif char in _ODD_QUOTES:
            suggestion = _ODD_QUOTES[char]
            yield _finding(offset + index, char, suggestion, "punct.closing_quote", CLOSING_EXPLANATION, 0.9)
            open_quote = suggestion == "“"
        elif char == "“":
            open_quote = True
        elif char == "”":
            open_quote = False
        elif char == '"':
            if open_quote and index and _HAN_BEFORE.match(line[index - 1]) or open_quote and _closes(line, index):
                yield _finding(offset + index, '"', "”", "punct.closing_quote", CLOSING_EXPLANATION, 0.85)
                open_quote = False
            else:
                ascii_quotes.append(index)
    # ASCII pairs holding hanzi, next to hanzi: “…”.
    if len(ascii_quotes) % 2:
        return
    for first, second in zip(ascii_quotes[::2], ascii_quotes[1::2], strict=True):
        inside = line[first + 1 : second]
        if not _IS_CJK.search(inside):
            continue
        before = line[first - 1] if first else ""
        after = line[second + 1] if second + 1 < len(line) else ""
        if not (
            _IS_CJK.match(before or " ") or before in "：:，," or _IS_CJK.match(after or " ") or after in "。，、；"
        ):
            continue
        yield _finding(offset + first, '"', "“", "punct.halfwidth", HALFWIDTH_EXPLANATION, 0.85)
        yield _finding(offset + second, '"', "”", "punct.halfwidth", HALFWIDTH_EXPLANATION, 0.85)


def _closes(line: str, index: int) -> bool:
    # After the quoted words and before the sentence goes on: “两学一做"学习
    after = line[index + 1] if index + 1 < len(line) else ""
    return not after or bool(_IS_CJK.match(after)) or after in "。，、；：！？）"


# --------------------------------------------------------------------------
# punct.ocr_number

_OCR_ONE = re.compile(r"[(（][-－—–][)）]")
_OCR_TWO = re.compile(r"[(（][=＝][)）]")
_POINT_ONE = re.compile(r"[(（](?:一|[-－—–])[)）]")


def _ocr_number_findings(text: str) -> Iterable[Finding]:
    for match in _OCR_ONE.finditer(text):
        following = text[match.end() : match.end() + 1]
        if following and not _IS_CJK.match(following):
            continue
        yield _finding(match.start(), match.group(0), "（一）", "punct.ocr_number", OCR_NUMBER_EXPLANATION, 0.9)
    first_point = _POINT_ONE.search(text)
    for match in _OCR_TWO.finditer(text):
        following = text[match.end() : match.end() + 1]
        at_start = _at_line_start(text, match.start())
        after_point_one = first_point is not None and first_point.end() <= match.start()
        if not (at_start and following and _IS_CJK.match(following) and after_point_one):
            continue
        yield _finding(match.start(), match.group(0), "（二）", "punct.ocr_number", OCR_NUMBER_EXPLANATION, 0.8)


# --------------------------------------------------------------------------
# punct.final_stop

_END_MARKS = "。！？!?…；;：:，,、—·"
# Lines that are not prose paragraphs: numbered headings and items, labels.
_NOT_PROSE = re.compile(
    r"\s*(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+(?:\.\d+)*[、.．\s]"
    r"|第[一二三四五六七八九十百\d]+[、，部章节条篇]|[①-⑳]|【|[一二三四五六七八九十]是|首先|其次|再次|最后"
    r"|作者单位|关键词|摘要|附件|来源|注[：:])"
)
_SENTENCE_INSIDE = re.compile("[。！？]")
_LONG_PARAGRAPH = 46  # longer than any hard-wrapped PDF line
_MIN_PARAGRAPH = 20


def _ends_open(line: str) -> bool:
    """The line ends in a hanzi (or a closing mark after one): no end punctuation."""
    if not line:
        return False
    last = line[-1]
    if _IS_CJK.match(last):
        return True
    return last in "”’）》" and len(line) > 1 and bool(_IS_CJK.match(line[-2]))


def _is_prose(line: str) -> bool:
    if len(line) < _MIN_PARAGRAPH or _NOT_PROSE.match(line):
        return False
    body = line[:-1]
    if _SENTENCE_INSIDE.search(body):
        return True
    return len(line) >= 40 and body.count("，") + body.count(",") >= 2


_ORG_END = re.compile("(?:组|部|委|局|办|处|厅|室|中心|支部|学校|大学|学院|院|站|所|会|队|团|社|司|馆)$")


def _ends_with_a_signature(line: str) -> bool:
    """The words after the last sentence are a unit, a name or a date run into the
    paragraph (…的效能。某区委党校调研组), not a sentence that lost its stop."""
    tail = re.split("[。！？；!?;]", line)[-1]
    if "，" in tail or "," in tail:
        return False
    return len(tail) < 8 or bool(_ORG_END.search(tail))


def _final_stop_findings(text: str) -> Iterable[Finding]:
    lines = [(offset, line.rstrip()) for offset, line in _lines(text)]

    def unpunctuated_short(k: int) -> bool:
        if not 0 <= k < len(lines):
            return False
        line = lines[k][1]
        return bool(line) and len(line) < _LONG_PARAGRAPH and line[-1] not in _END_MARKS

    for k, (offset, line) in enumerate(lines):
        if k == 0 or not _ends_open(line) or not _is_prose(line) or _ends_with_a_signature(line):
            continue  # the first line is the title
        if len(line) < _LONG_PARAGRAPH and (unpunctuated_short(k - 1) or unpunctuated_short(k + 1)):
            continue  # a run of short open lines is hard-wrapped text
        confidence = 0.75 if len(line) >= _LONG_PARAGRAPH else 0.6
        position = offset + len(line)
        yield Finding(
            start=position,
            end=position,
            original="",
            suggestion="。",
            rule="punct.final_stop",
            category=CATEGORY,
            severity="low",
            explanation=FINAL_STOP_EXPLANATION,
            confidence=confidence,
        )
