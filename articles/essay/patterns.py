"""Proofreading rule patterns, run on RE2 in time linear in the text.

Rule patterns are written by editors in the admin, so no pattern may make a
proofreading run for ever: Python's backtracking engine takes exponential
time on patterns such as ``(.*.*)*ZZZ``. Every rule pattern — shipped or
an editor's — is therefore compiled by RE2 (google-re2), which never
backtracks. What RE2 cannot run (look-arounds, back-references, atomic
groups …) is refused with a Chinese message, and so is a pattern whose
compiled program is big enough for the linear constant to hurt (RE2 stays
linear, but ``.{0,999}Z`` scans 200,000 characters in about ten seconds):
:data:`MAX_PATTERN_LENGTH` characters and :data:`MAX_PROGRAM_SIZE`
instructions at most.

Patterns keep Python's spelling, which the shipped rules and editors use.
Where RE2 spells or means a thing differently, the pattern is rewritten
before compiling so that it means what it means in Python:

- ``\\uXXXX`` and ``\\UXXXXXXXX`` become RE2's ``\\x{XXXX}``; ``\\Z`` (Python's
  end of text) becomes ``\\z``; ``x{,n}`` becomes ``x{0,n}`` (RE2 would read
  it as literal text); an escaped non-ASCII character (``\\，``) loses its
  needless backslash.
- ``\\s`` and ``\\d`` are ASCII-only in RE2. They become Python's sets: every
  character ``str.isspace()`` accepts (the ideographic space U+3000 among
  them) and every decimal digit (``\\p{Nd}``: full-width digits too).
  ``\\S`` outside square brackets becomes the complement; inside brackets it
  cannot be expressed and is refused.
- ``\\w``, ``\\W``, ``\\b`` and ``\\B`` are ASCII-only in RE2 and have no cheap
  Unicode form (``[\\p{L}\\p{N}_]`` alone is 1,300 instructions); in Chinese
  text they would silently match nothing, so they are refused with a hint
  (``\\p{Han}`` for a Chinese character).

Offsets: RE2 matches UTF-8 bytes. :class:`Text` encodes a text once and
converts offsets both ways, so that matching at an offset costs nothing
extra (google-re2 re-encodes the whole text on every call with a ``str``)
and findings carry character offsets.

Pure Python apart from google-re2, no Django import.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from functools import lru_cache
from itertools import accumulate

import re2

__all__ = ["MAX_PATTERN_LENGTH", "MAX_PROGRAM_SIZE", "Pattern", "PatternError", "Text", "compile_pattern"]

# The admin's fields hold 1,000 characters (ProofreadingRule); the engine
# checks again for rules from a file or built in code.
MAX_PATTERN_LENGTH = 1000
# RE2 instructions. The shipped rules need at most about 800 (a hundred-word
# alternation); the patterns that scanned slowly in our measurements had 4,000
# and more. At this bound the worst pattern we found by random search scanned
# 200,000 characters of Chinese in about 3 s, the shipped ones in
# milliseconds.
MAX_PROGRAM_SIZE = 2000


class PatternError(ValueError):
    """A pattern the engine will not run; the message is for editors (Chinese)."""


# --- translation: Python's spelling → RE2 ---------------------------------

# Exactly the characters for which str.isspace() is true, Python's \s.
_SPACE = r"\t\n\x{b}\f\r\x{1c}-\x{1f} \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
_HEX = frozenset("0123456789abcdefABCDEF")
_LOOKAROUND = ("(?=", "(?!", "(?<=", "(?<!")
_PYTHON_REPEAT = re.compile(r"\{,(\d*)\}")

_LOOKAROUND_MESSAGE = (
    "不支持环视（(?=…)、(?!…)、(?<=…)、(?<!…)）：请改用“前文须匹配”“后文须匹配”"
    "“前文不得匹配”“后文不得匹配”这几个条件来表达前后文。"
)
_BACKREFERENCE_MESSAGE = "不支持反向引用（\\1、(?P=名称)）：校对只运行不会回溯的正则表达式（RE2）。"
_WORD_MESSAGE = (
    "不支持 \\w、\\W、\\b、\\B：在 RE2 里它们只认英文字母、数字和下划线，对中文不起作用。"
    "汉字请写 \\p{Han}，词的前后请用“前文/后文”条件表达。"
)
_NEGATED_IN_CLASS_MESSAGE = "方括号内不能使用 \\S、\\D：请改写成 [^…] 的形式，例如 [^\\s，。]。"


def _translate(source: str) -> str:
    """``source`` in RE2's syntax, with Python's meaning (see the module docstring)."""
    out = []
    i, n = 0, len(source)
    in_class = False
    while i < n:
        char = source[i]
        if char == "\\":
            escape, i = _translate_escape(source, i, in_class)
            out.append(escape)
            continue
        if in_class:
            if char == "]":
                in_class = False
            elif source.startswith("[:", i):  # RE2's [[:alpha:]], copied whole
                end = source.find(":]", i + 2)
                if end != -1:
                    out.append(source[i : end + 2])
                    i = end + 2
                    continue
            out.append(char)
            i += 1
            continue
        if char == "[":
            in_class = True
            start = i + 1 + (source[i + 1 : i + 2] == "^")
            # A ] right after [ or [^ is a literal, in Python as in RE2.
            end = start + (source[start : start + 1] == "]")
            out.append(source[i:end])
            i = end
            continue
        if char == "(":
            if source.startswith(_LOOKAROUND, i):
                raise PatternError(_LOOKAROUND_MESSAGE)
            if source.startswith("(?P=", i):
                raise PatternError(_BACKREFERENCE_MESSAGE)
        if char == "{":
            repeat = _PYTHON_REPEAT.match(source, i)
            if repeat and out:
                out.append("{0," + repeat.group(1) + "}")
                i = repeat.end()
                continue
        out.append(char)
        i += 1
    return "".join(out)


def _translate_escape(source: str, i: int, in_class: bool) -> tuple[str, int]:
    """The RE2 form of the escape at ``source[i]`` (a backslash), and where the next token starts."""
    if i + 1 >= len(source):
        return "\\", i + 1  # RE2 reports the trailing backslash
    letter = source[i + 1]
    if letter in "uU":
        digits = 4 if letter == "u" else 8
        code = source[i + 2 : i + 2 + digits]
        if len(code) == digits and set(code) <= _HEX:
            return f"\\x{{{code}}}", i + 2 + digits
    if letter == "Z" and not in_class:
        return r"\z", i + 2
    if letter == "s":
        return (_SPACE if in_class else f"[{_SPACE}]"), i + 2
    if letter == "d":
        return r"\p{Nd}", i + 2
    if letter == "D":
        return r"\P{Nd}", i + 2
    if letter == "S":
        if in_class:
            raise PatternError(_NEGATED_IN_CLASS_MESSAGE)
        return f"[^{_SPACE}]", i + 2
    if letter in "wWbB":
        raise PatternError(_WORD_MESSAGE)
    if letter in "123456789" and not in_class:
        # Python reads three octal digits as a character, anything else as a group number.
        if not re.match(r"[0-7]{3}", source[i + 1 : i + 4]):
            raise PatternError(_BACKREFERENCE_MESSAGE)
    if letter in "pPx" and source[i + 2 : i + 3] == "{":
        # \p{Han}, \x{3000}: copied whole, so that their braces are not read as a repetition.
        end = source.find("}", i + 3)
        if end != -1:
            return source[i : end + 1], end + 1
    if not letter.isascii():
        return letter, i + 2  # a Chinese mark needs no escape, and RE2 refuses one
    return source[i : i + 2], i + 2


# --- RE2's errors, in Chinese ---------------------------------------------------

_RE2_ERRORS = {
    "missing )": "缺少 )",
    "unexpected )": "多余的 )",
    "missing ]": "缺少 ]",
    "invalid character class": "无效的字符类",
    "invalid character class range": "无效的字符范围或字符类名",
    "invalid escape sequence": "无效的转义序列",
    "trailing \\": "末尾多了一个反斜杠",
    "no argument for repetition operator": "重复符号前没有内容",
    "invalid repetition size": "重复次数无效（须 {m,n} 中 m≤n 且不超过 1000）",
    "bad repetition operator": "无效的重复符号",
    "invalid perl operator": "不支持的写法",
    "invalid UTF-8": "包含无效的字符",
    "invalid named capture group": "无效的命名分组",
}
_TOO_COMPLEX = "正则表达式过于复杂，校对时会很慢：请简化，例如减小 {m,n} 里的次数、少用大范围的字符类，或拆成几条规则。"


def _chinese_error(error: re2.error) -> str:
    message = error.args[0] if error.args else b""
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    code, _, argument = message.partition(": ")
    if code.startswith("pattern too large"):
        return _TOO_COMPLEX
    reason = _RE2_ERRORS.get(code, "无法解析")
    return f"不是有效的正则表达式（{reason}{'：' + argument if argument else ''}）。"


# --- compiling ------------------------------------------------------------------

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # a refused pattern is the editor's business, not stderr's
# RE2 keeps a cache of automaton states per compiled pattern, up to max_mem.
# At MAX_PROGRAM_SIZE, 2 MiB scanned as fast as the default 8 MiB in our
# measurements and bounds what a few hundred editors' patterns can hold.
_OPTIONS.max_mem = 2 << 20


class Pattern:
    """A compiled rule pattern, matched against a :class:`Text` at byte offsets."""

    __slots__ = ("source", "regexp")

    def __init__(self, source: str, regexp):
        self.source = source
        self.regexp = regexp

    def matches_empty(self) -> bool:
        """Whether the pattern matches the empty string (a rule must not: it would hit everywhere)."""
        return self.regexp.match(b"") is not None

    def spans(self, text: Text):
        """(start, end) byte offsets of the non-overlapping matches, left to right."""
        for match in self.regexp.finditer(text.data):
            yield match.span()

    def matches_at(self, text: Text, offset: int, window: int) -> bool:
        """Whether the pattern matches starting at byte ``offset``, within ``window`` characters.

        ``$`` and ``\\z`` still mean the end of the text, not of the window.
        """
        limit = text.byte_offset(text.char_index(offset) + window)
        return self.regexp.match(text.data, offset, limit) is not None

    def ends_at(self, text: Text, offset: int, window: int) -> bool:
        """Whether the pattern (compiled with ``anchor_end``) matches ending at byte ``offset``,
        starting at most ``window`` characters before it.

        ``^`` still means the start of the text, not of the window: the
        character before the window is handed over as context, not searched.
        """
        first = max(0, text.char_index(offset) - window)
        context = text.byte_offset(first - 1) if first else 0
        start = text.byte_offset(first)
        return self.regexp.search(text.data[context:offset], start - context) is not None


def compile_pattern(source: str, *, anchor_end: bool = False) -> Pattern:
    """``source`` (Python's spelling) compiled by RE2; ``anchor_end`` makes it match only at the end.

    Raises :class:`PatternError` (a ``ValueError`` with a Chinese message)
    for a pattern that is too long, uses what RE2 cannot run, does not parse,
    or compiles to more than :data:`MAX_PROGRAM_SIZE` instructions.
    """
    if not isinstance(source, str):
        raise PatternError("正则表达式必须是文本。")
    return _compile(source, anchor_end)


@lru_cache(maxsize=1024)
def _compile(source: str, anchor_end: bool) -> Pattern:
    if len(source) > MAX_PATTERN_LENGTH:
        raise PatternError(f"正则表达式过长（{len(source)} 个字符，上限 {MAX_PATTERN_LENGTH} 个）。")
    translated = _translate(source)
    try:
        # Compiled alone first: an unbalanced ")" must not close the wrapper.
        regexp = re2.compile(translated, _OPTIONS)
        if anchor_end:
            regexp = re2.compile(f"(?:{translated})\\z", _OPTIONS)
    except re2.error as error:
        raise PatternError(_chinese_error(error)) from None
    if regexp.programsize > MAX_PROGRAM_SIZE:
        raise PatternError(_TOO_COMPLEX)
    return Pattern(source, regexp)


# --- texts ----------------------------------------------------------------------

_SURROGATES = re.compile("[\ud800-\udfff]")


def _utf8_length(char: str) -> int:
    # A lone surrogate counts 3, as the U+FFFD that stands in for it.
    return 1 if char < "\x80" else 2 if char < "\u0800" else 3 if char < "\U00010000" else 4


class Text:
    """A text encoded once as UTF-8, with byte ↔ character offset conversion."""

    __slots__ = ("text", "data", "_starts")

    def __init__(self, text: str):
        self.text = text
        try:
            self.data = text.encode("utf-8")
        except UnicodeEncodeError:
            # A lone surrogate cannot be encoded; U+FFFD has the same length in both counts.
            self.data = _SURROGATES.sub("\ufffd", text).encode("utf-8")
        self._starts = None  # byte offset of each character, built on first need

    def _table(self) -> array:
        if self._starts is None:
            self._starts = array("q", accumulate(map(_utf8_length, self.text), initial=0))
        return self._starts

    def char_index(self, offset: int) -> int:
        """The character offset of byte ``offset`` (a character boundary)."""
        if len(self.data) == len(self.text):
            return offset
        return bisect_left(self._table(), offset)

    def byte_offset(self, index: int) -> int:
        """The byte offset of character ``index``, clamped to the text."""
        index = min(max(index, 0), len(self.text))
        if len(self.data) == len(self.text):
            return index
        return self._table()[index]
