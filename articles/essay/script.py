"""Script and encoding damage in pasted essays: what a text carries when it
went through a traditional-script site, a pinyin annotator or a broken
encoding round trip.

- ``script.traditional`` -- traditional characters converted to simplified
  with OpenCC (``t2s``: phrase level, 乾坤/干部 and 著作/随着 told apart),
  then the Taiwan terms of :data:`REGIONAL_TERMS` (軟體→软件, 網路→网络,
  資訊→信息 …). Not OpenCC's ``tw2sp``: its Taiwan phrase table is made for
  computing texts and turns this genre's words into others (核心→内核,
  建立→创建, 文件→文档, 程序→进程, 整合→集成, 指标→指针: more than 60 wrong
  swaps on 33,000 characters of the team's essays). Offered only when the
  text really holds traditional characters, and only in the sentences that
  hold them; every finding shares one explanation, so the import page
  offers the whole conversion as one group (accept or reject in one click).
- ``script.pinyin_reading`` -- a reading in brackets after a character
  (``戰(zhàn)斗力``, ``創(chuàng)造力``): removed, but only when the syllable is a
  reading of that very character (pypinyin), so ``(一)`` ``(2022年)``
  ``(AI)`` are never touched.
- ``script.garbled`` -- runs of mojibake (UTF-8 read as GBK and back, lost
  bytes shown as ``?`` or U+FFFD): marked, never guessed. A character is odd
  when it is outside GB2312 level 1 and is not a traditional character; a
  run of odd characters close together is garbage.
- ``script.capital_numeral`` -- ``壹`` where ``一`` was meant (a converter's
  over-correction): money amounts (壹仟元, 人民币壹万) are left alone.
- ``script.masked`` -- words masked by a site's filter (``邓**理论``,
  ``党的*大``, ``____理论``): a known term is restored when only one fits,
  otherwise the place is marked for the editor.

:func:`script_findings` runs them all. Pure Python, no Django import.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from .findings import Finding

__all__ = ["CATEGORY", "CATEGORY_LABEL", "REGIONAL_TERMS", "is_traditional_char", "script_findings", "to_simplified"]

CATEGORY = "script"
CATEGORY_LABEL = "文字编码"

TRADITIONAL_EXPLANATION = "繁体字转为简体字（OpenCC，含台湾用语）"
PINYIN_EXPLANATION = "删除汉字后残留的拼音注音"
GARBLED_EXPLANATION = "乱码（编码转换错误），请对照原文补正"
CAPITAL_EXPLANATION = "“壹”为大写数字，仅用于金额，此处应为“一”"
MASKED_EXPLANATION = "文字被网站屏蔽，请补全"
MASKED_FILLED_EXPLANATION = "被网站屏蔽的文字，按常用提法补全"

# A text is offered the conversion when it holds at least this many
# traditional characters (one odd character is a name or a quotation).
MIN_TRADITIONAL = 3

_CJK = "\u4e00-\u9fff\u3400-\u4dbf"
_IS_CJK = re.compile(f"[{_CJK}]")


def script_findings(text: str) -> list[Finding]:
    """Every script and encoding finding in ``text`` (overlaps are resolved by the caller)."""
    garbled = list(_garbled_findings(text))
    skip = [(f.start, f.end) for f in garbled]
    return [
        *garbled,
        *_traditional_findings(text, skip),
        *_pinyin_findings(text),
        *_capital_numeral_findings(text),
        *_masked_findings(text),
    ]


# --------------------------------------------------------------------------
# Character classes


@lru_cache(maxsize=1)
def _converters():
    import opencc  # imported on first use: most texts never need it

    return (opencc.OpenCC("t2s"),)


@lru_cache(maxsize=65536)
def _gb2312_level(char: str) -> int:
    """1 or 2 for GB2312 level-1/level-2 hanzi, 0 for any other character."""
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return 0
    if len(encoded) != 2 or encoded[0] < 0xB0:
        return 0
    return 1 if encoded[0] < 0xD8 else 2


@lru_cache(maxsize=8192)
def is_traditional_char(char: str) -> bool:
    """A CJK character outside GB2312 that OpenCC turns into another character."""
    if not _IS_CJK.match(char) or _gb2312_level(char):
        return False
    return _converters()[0].convert(char) != char


@lru_cache(maxsize=8192)
def _common_traditional(char: str) -> bool:
    """A traditional character standing for a common (GB2312 level-1) one: 黨 for 党, not 鍩 for 锘."""
    return is_traditional_char(char) and _gb2312_level(_converters()[0].convert(char)) == 1


# Taiwan terms, spelt as OpenCC's t2s leaves them, and the mainland term.
# Only words that have no other meaning here: 透过 (透过现象看本质), 社群,
# 品质, 线上 are right mainland words too and stay.
REGIONAL_TERMS = {
    "软体": "软件",
    "硬体": "硬件",
    "网际网路": "互联网",
    "网路": "网络",
    "资讯": "信息",
    "数位": "数字",
    "部落格": "博客",
    "列印": "打印",
    "资料库": "数据库",
    "萤幕": "屏幕",
    "滑鼠": "鼠标",
    "伺服器": "服务器",
    "人工智慧": "人工智能",
    "智慧型手机": "智能手机",
    "行动支付": "移动支付",
    "简讯": "短信",
}
# 著 written for the particle 着 (Taiwan usage): after these words only, so
# 著作, 显著, 名著 stay.
_ZHE_AFTER = "随带沿跟顺朝照按本接靠凭领围绕担当记味握抓盯守护肩挑怀揣扛抱定有"
_ZHE = re.compile(f"(?<=[{_ZHE_AFTER}])著(?![名作称述录])|(?<![显昭卓土名])著(?=[重力眼手])")
_REGIONAL = re.compile("|".join(sorted(map(re.escape, REGIONAL_TERMS), key=len, reverse=True)))


def to_simplified(text: str) -> str:
    """``text`` in simplified script: OpenCC ``t2s`` phrase by phrase, then the Taiwan terms and 著 for 着."""
    simplified = _converters()[0].convert(text)
    simplified = _REGIONAL.sub(lambda match: REGIONAL_TERMS[match.group(0)], simplified)
    return _ZHE.sub("着", simplified)


# --------------------------------------------------------------------------
# script.traditional

# Sentences: a conversion is proposed only inside the ones holding a
# traditional character, so simplified text around a quotation stays as it is.
# Clauses of at most 200 characters, so that aligning a clause with its
# conversion (difflib, quadratic) stays cheap on a text without punctuation.
_SENTENCE = re.compile(r"[^。！？；!?;\n，,、：:]{1,200}[。！？；!?;，,、：:]?")


def _traditional_findings(text: str, skip: list[tuple[int, int]]) -> Iterable[Finding]:
    count = sum(1 for char in text if ord(char) >= 0x3400 and _common_traditional(char))
    if count < MIN_TRADITIONAL:
        return
    skip_ends = sorted(end for _start, end in skip)
    skip_starts = sorted(start for start, _end in skip)
    for sentence in _SENTENCE.finditer(text):
        chunk = sentence.group(0)
        if not any(_common_traditional(char) for char in chunk):
            continue
        # Garbage is marked, not converted: skip a clause that any garbled run touches.
        first_end = bisect.bisect_right(skip_ends, sentence.start())
        if first_end < len(skip_ends) and bisect.bisect_left(skip_starts, sentence.end()) > first_end:
            continue
        for start, end, suggestion in _conversion_spans(chunk):
            yield Finding(
                start=sentence.start() + start,
                end=sentence.start() + end,
                original=chunk[start:end],
                suggestion=suggestion,
                rule="script.traditional",
                category=CATEGORY,
                severity="medium",
                explanation=TRADITIONAL_EXPLANATION,
                confidence=0.95,
            )


# Changed spans closer than this (with only hanzi between) become one finding:
# a word, not a character at a time.
_MERGE_GAP = 2


def _conversion_spans(chunk: str) -> list[tuple[int, int, str]]:
    """The spans of ``chunk`` that :func:`to_simplified` changes, with their replacement.

    OpenCC's t2s keeps the length almost always, so the spans are found
    character by character (linear); the Taiwan terms and 著 are then matched
    on the t2s text at the same positions. A clause whose length t2s changes
    is aligned with difflib (at most 200 characters).
    """
    simplified = _converters()[0].convert(chunk)
    if len(simplified) != len(chunk):
        return _aligned_spans(chunk, to_simplified(chunk))
    replaced: dict[int, tuple[int, str]] = {}  # start → (end, replacement) in simplified's positions
    for match in _REGIONAL.finditer(simplified):
        replaced[match.start()] = (match.end(), REGIONAL_TERMS[match.group(0)])
    for match in _ZHE.finditer(simplified):
        replaced.setdefault(match.start(), (match.end(), "着"))
    changes = sorted(
        [(i, i + 1) for i, (a, b) in enumerate(zip(chunk, simplified, strict=True)) if a != b]
        + [(start, end) for start, (end, _text) in replaced.items()]
    )
    spans: list[list[int]] = []
    for start, end in changes:
        if spans:
            last = spans[-1]
            gap = chunk[last[1] : start]
            if start <= last[1] or (len(gap) <= _MERGE_GAP and all(_IS_CJK.match(char) for char in gap)):
                last[1] = max(last[1], end)
                continue
        spans.append([start, end])
    result = []
    for start, end in spans:
        pieces, position = [], start
        while position < end:
            if position in replaced:
                stop, replacement = replaced[position]
                pieces.append(replacement)
                position = stop
            else:
                pieces.append(simplified[position])
                position += 1
        end = max(end, position)
        result.append((start, end, "".join(pieces)))
    return result


def _aligned_spans(old: str, new: str) -> list[tuple[int, int, str]]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    spans: list[list] = []  # [old_start, old_end, new_start, new_end]
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if spans:
            last = spans[-1]
            gap = old[last[1] : i1]
            if len(gap) <= _MERGE_GAP and all(_IS_CJK.match(char) for char in gap):
                last[1], last[3] = i2, j2
                continue
        spans.append([i1, i2, j1, j2])
    return [(i1, i2, new[j1:j2]) for i1, i2, j1, j2 in spans if i1 < i2]


# --------------------------------------------------------------------------
# script.pinyin_reading

_TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_READING = re.compile(rf"(?<=[{_CJK}])[(（]\s*([a-zA-Z{_TONE_MARKS}ɑ]{{1,7}}[1-5]?)\s*[)）]")


def _plain_syllable(reading: str) -> str:
    reading = reading.lower().rstrip("12345").replace("ü", "v").replace("ɑ", "a")
    decomposed = unicodedata.normalize("NFD", reading)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain.replace("u\u0308", "v")


@lru_cache(maxsize=8192)
def _readings(char: str) -> frozenset[str]:
    from pypinyin import Style, pinyin

    syllables = pinyin(char, heteronym=True, style=Style.NORMAL, errors="ignore")
    return frozenset(s.replace("ü", "v") for s in (syllables[0] if syllables else []))


def _pinyin_findings(text: str) -> Iterable[Finding]:
    for match in _READING.finditer(text):
        char = text[match.start() - 1]
        reading = match.group(1)
        # Traditional characters: compare the reading of their simplified form too.
        candidates = set(_readings(char))
        if is_traditional_char(char):
            candidates |= _readings(_converters()[0].convert(char))
        if _plain_syllable(reading) not in candidates:
            continue
        toned = any(mark in reading for mark in _TONE_MARKS) or reading[-1].isdigit()
        yield Finding(
            start=match.start(),
            end=match.end(),
            original=match.group(0),
            suggestion="",
            rule="script.pinyin_reading",
            category=CATEGORY,
            severity="medium",
            explanation=PINYIN_EXPLANATION,
            confidence=0.95 if toned else 0.75,
        )


# --------------------------------------------------------------------------
# script.garbled


@lru_cache(maxsize=65536)
def _oddness(char: str) -> int:
    """2: surely garbage; 1: odd here; 0: ordinary text."""
    code = ord(char)
    if char == "\ufffd" or 0xE000 <= code <= 0xF8FF:
        return 2
    if _IS_CJK.match(char):
        if _gb2312_level(char) == 1:
            return 0
        # A real traditional character stands for a common one (黨 for 党);
        # mojibake's traditional-looking ones for rare ones (鍩 for 锘).
        if _common_traditional(char):
            return 0
        return 1
    if "\u3040" <= char <= "\u30ff" or "\uac00" <= char <= "\ud7af":
        return 1  # kana and hangul inside Chinese text: GBK mojibake
    if 0x80 <= code <= 0x24F and char not in "·×÷°±²³¹":
        return 1  # UTF-8 read as Latin-1 (å…š), GBK read as UTF-8 (ǿ)
    if char == "?":
        return 1
    return 0


# Characters a garbled run may hold between its odd ones.
_RUN_FILLER = re.compile(r"[^\s，。、；：？！“”（）《》]")
_MAX_GAP = 2
_KNOWN_GARBAGE = re.compile("(?:锟斤拷)+|(?:烫){3,}|(?:屯){3,}|\ufffd+")


def _garbled_findings(text: str) -> Iterable[Finding]:
    marked: list[tuple[int, int] | None] = [match.span() for match in _KNOWN_GARBAGE.finditer(text)]
    # Only the odd characters' positions are visited: ordinary text costs one regex scan.
    odd_chars = "".join(char for char in set(text) if _oddness(char))
    if odd_chars:
        odd_positions = [match.start() for match in re.finditer(f"[{re.escape(odd_chars)}]", text)]
        run_start = run_end = -1
        odd_count = weight = 0
        for index in odd_positions:
            odd = _oddness(text[index])
            gap = text[run_end:index]
            if run_start >= 0 and len(gap) <= _MAX_GAP and all(_RUN_FILLER.match(char) for char in gap):
                run_end, odd_count, weight = index + 1, odd_count + 1, weight + odd
                continue
            if run_start >= 0:
                marked.append(_judge(text, run_start, run_end, odd_count, weight))
            run_start, run_end, odd_count, weight = index, index + 1, 1, odd
        if run_start >= 0:
            marked.append(_judge(text, run_start, run_end, odd_count, weight))
    for start, end in _merged((span for span in marked if span), gap=_MAX_GAP):
        yield Finding(
            start=start,
            end=end,
            original=text[start:end],
            suggestion=text[start:end],  # advisory: the original cannot be guessed
            rule="script.garbled",
            category=CATEGORY,
            severity="high",
            explanation=GARBLED_EXPLANATION,
            confidence=0.9,
        )


def _judge(text: str, start: int, end: int, odd_count: int, weight: int) -> tuple[int, int] | None:
    """The run when it is garbage: three odd characters close together, or
    two when one of them is a replacement mark or a question mark inside hanzi."""
    if odd_count >= 3 and (end - start) <= 2 * odd_count + 1:
        hanzi = sum(1 for char in text[start:end] if _IS_CJK.match(char))
        if hanzi or weight >= 4:
            return _grow(text, start, end)
    if odd_count == 2 and weight >= 2 and "?" in text[start:end]:
        rare = sum(1 for char in text[start:end] if _IS_CJK.match(char) and _oddness(char))
        if rare:
            return _grow(text, start, end)
    return None


def _grow(text: str, start: int, end: int) -> tuple[int, int]:
    # Take in the separators and stray letters glued to the run (?;鶎狱h).
    while start > 0 and text[start - 1] in "?;":
        start -= 1
    while end < len(text) and (text[end] in "?;" or (text[end].isascii() and text[end].isalpha())):
        end += 1
    # … and a hanzi glued between the run and a stray letter.
    if end + 1 < len(text) and _IS_CJK.match(text[end]) and text[end + 1].isascii() and text[end + 1].isalpha():
        end += 2
    return start, end


def _merged(spans: Iterable[tuple[int, int]], gap: int = 0) -> list[tuple[int, int]]:
    result: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if result and start <= result[-1][1] + gap:
            result[-1] = (result[-1][0], max(end, result[-1][1]))
        else:
            result.append((start, end))
    return result


# --------------------------------------------------------------------------
# script.capital_numeral

_CAPITAL_ONE = re.compile("壹")
_MONEY_BEFORE = re.compile(r"(?:人民币|金额|大写|合计|计|共|小写|￥|¥|[零壹贰叁肆伍陆柒捌玖拾佰仟万亿])\s*$")
_MONEY_AFTER = re.compile(r"^\s*(?:[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整]|基金)")


def _capital_numeral_findings(text: str) -> Iterable[Finding]:
    for match in _CAPITAL_ONE.finditer(text):
        start = match.start()
        before = text[max(0, start - 6) : start]
        after = text[match.end() : match.end() + 3]
        if _MONEY_BEFORE.search(before) or _MONEY_AFTER.match(after):
            continue
        yield Finding(
            start=start,
            end=match.end(),
            original="壹",
            suggestion="一",
            rule="script.capital_numeral",
            category=CATEGORY,
            severity="medium",
            explanation=CAPITAL_EXPLANATION,
            confidence=0.85,
        )


# --------------------------------------------------------------------------
# script.masked

# Terms a site's word filter masks in this genre; a mask is filled only when
# exactly one of them fits the characters around it and the mask's length.
MASKABLE_TERMS = (
    "习近平新时代中国特色社会主义思想",
    "习近平总书记",
    "习近平同志",
    "毛泽东思想",
    "邓小平理论",
    "三个代表",
    "科学发展观",
    "中国共产党",
    "马克思列宁主义",
    "马克思主义",
    "社会主义",
    "共产党员",
    "党中央",
)
_MASK = re.compile(r"\*{1,6}|＊{1,6}|_{2,}|＿{2,}")


# A real essay has a few masks; past this many they are marked, not filled,
# so that a page of stars costs linear time.
_MAX_FILLS = 100


def _masked_findings(text: str) -> Iterable[Finding]:
    for count, match in enumerate(_MASK.finditer(text)):
        start, end = match.start(), match.end()
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        # A mask sits inside a word: hanzi on at least one side, and a
        # star touching hanzi on both sides (a lone * is a footnote mark).
        if not (_IS_CJK.match(before or " ") or _IS_CJK.match(after or " ")):
            continue
        if match.group(0)[0] in "*＊" and not (_IS_CJK.match(before or " ") and _IS_CJK.match(after or " ")):
            continue
        fill = _fill(text, start, end) if count < _MAX_FILLS else ""
        yield Finding(
            start=start,
            end=end,
            original=match.group(0),
            suggestion=fill if fill else match.group(0),
            rule="script.masked",
            category=CATEGORY,
            severity="high",
            explanation=MASKED_FILLED_EXPLANATION if fill else MASKED_EXPLANATION,
            confidence=0.8 if fill else 0.9,
        )


@lru_cache(maxsize=64)
def _fillers(width: int) -> dict[str, tuple[tuple[str, str, str], ...]]:
    """(head, middle, tail) of every known term with ``width`` masked characters
    and at least two kept, by the character just before the mask ('' when none is kept)."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    for term in MASKABLE_TERMS:
        for i in range(len(term) - width + 1):
            head, middle, tail = term[:i], term[i : i + width], term[i + width :]
            if len(head) + len(tail) >= 2:
                found.setdefault(head[-1:], []).append((head, middle, tail))
    return {key: tuple(value) for key, value in found.items()}


def _fill(text: str, start: int, end: int) -> str:
    """The masked characters when exactly one known term fits, else ''."""
    fillers = _fillers(end - start)
    before = text[start - 1 : start]
    fits = set()
    for head, middle, tail in (*fillers.get(before, ()), *fillers.get("", ())):
        if text[max(0, start - len(head)) : start] == head and text[end : end + len(tail)] == tail:
            fits.add(middle)
    return fits.pop() if len(fits) == 1 else ""
