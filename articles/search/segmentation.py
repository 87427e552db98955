"""Chinese word segmentation for search: text in, tokens out. No Django here.

The index and the query go through the same steps, so that a word a reader
types finds the same word in an essay:

1. :func:`normalize` folds width and case (full-width ASCII, lower case) and drops
   lone surrogates, so nothing a client sends can upset the segmenter or
   the database (NUL and other control characters never reach either: see 2).
2. The text is cut into *runs* of Chinese characters and runs of ASCII
   letters and digits; everything else (punctuation, spaces, emoji) separates
   tokens and is never a token itself. A token is therefore always one word
   of the database's own text parser (PostgreSQL ``simple``, SQLite FTS5
   ``unicode61``) and reaches the index unchanged.
3. Chinese runs are segmented by **rjieba** (jieba-rs: jieba's dictionary and
   algorithm, compiled; about 30 times faster than jieba and no dictionary
   cache file to write) with the project's terms from
   ``dictionary/terms.txt`` added once per process.

Index tokens are the words of the precise segmentation plus, for every word
of three or more characters, the dictionary words inside it (基层党建 also
yields 基层 and 党建), so that the two-character word a reader types finds
the longer word it is part of.

Queries are parsed into :class:`Clause` s, all of which must match: a
compound from the dictionary matches itself or all its parts; a single
character matches every word that starts with it; a quoted phrase
(``"党建工作"`` or ``“党建工作”``) is narrowed down by its words and must
then appear literally in the essay's text.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DICTIONARY_PATH = Path(__file__).resolve().parent / "dictionary" / "terms.txt"

# Longer runs are not words (a pasted hash, a row of x's): dropped.
MAX_TOKEN_LENGTH = 32
# What a query may hold; the rest is ignored rather than refused.
MAX_QUERY_LENGTH = 200
MAX_CLAUSES = 10
# Frequency given to the fixed terms so that jieba keeps them whole in any
# context (十三五 in “在十三五中” would otherwise be cut 十三/五中). Compounds
# keep jieba's own suggestion: a higher one makes 组织建设 steal the 组 of
# 党组织建设, and a compound that is cut apart is still found by its parts.
TERM_FREQUENCY = 3000
CACHE_LIMIT = 200_000

# Function words carry nothing a reader searches for; they are left out of
# the index and of unquoted queries (a quoted phrase is matched literally).
STOPWORDS = frozenset(
    "的 了 和 与 及 或 是 在 对 把 被 为 等 之 也 而 并 将 从 以 于 其 这 那 就 都 又 着 过 地 得 "
    "个 们 向 由 则 但 即 如 所 该 各 此 要 有 不 上 中 下 我们 他们 以及 并且 或者 因此 所以 但是 "
    "如果 一个 一些 这些 那些 进行 通过 对于 关于 其中".split()
)

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(rf"([{_HAN}]+)|([0-9a-z]+)")
_SURROGATES = re.compile("[\ud800-\udfff]")
# Full-width ASCII (ＡＢＣ１２３) and the ideographic space fold to ASCII, as
# NFKC would; NFKC itself is too slow to run over every essay and changes
# nothing else that search needs.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# Full-width letters and digits only: the full-width punctuation of Chinese
# text (，：；) separates words either way and is not worth a translate pass.
_NEEDS_FOLDING = re.compile("[０-９Ａ-Ｚａ-ｚ\u3000]")
_LINE_BREAKS = re.compile("[\r\n]")
# Straight and curly double quotes and the CJK corner brackets delimit phrases.
_PHRASE = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』')


# Words of search syntaxes a reader may type out of habit (党建 AND 党员).
ASCII_STOPWORDS = frozenset({"and", "or", "not", "near"})

# ---------------------------------------------------------------- normalising


def normalize(text: str) -> str:
    """Width- and case-folded text.

    Lone surrogates (``'\\ud800'``, or ``%ED%A0%80`` decoded leniently)
    cannot be handed to the segmenter (it takes UTF-8): they become spaces.
    """
    if not text:
        return ""
    # Other control and format characters need no replacing: they are not
    # in a run (see _runs), so they separate tokens like a space does.
    text = _SURROGATES.sub(" ", text)
    if _NEEDS_FOLDING.search(text):
        text = text.translate(_FULL_WIDTH)
    return text.lower()


def phrase_literal(phrase: str) -> str:
    """A quoted phrase as it must appear in an essay's text: exactly as written.

    Only what cannot be in stored text goes (control characters, surrogates)
    and white space is collapsed; full-width punctuation stays, so
    “党建，工作” finds the essay's own 党建，工作.
    """
    phrase = _SURROGATES.sub(" ", phrase or "")
    phrase = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in phrase)
    return " ".join(phrase.split())


def _runs(normalized: str):
    """``(text, is_han)`` for each run of Chinese characters or ASCII letters/digits."""
    for match in _RUN.finditer(normalized):
        han, ascii_run = match.groups()
        yield (han, True) if han else (ascii_run, False)


# ---------------------------------------------------------------- dictionary


@dataclass(frozen=True)
class Dictionary:
    """The project's terms: fixed terms, and compounds with their parts."""

    terms: tuple[str, ...]
    compounds: dict  # word -> tuple of parts

    @classmethod
    def parse(cls, text: str) -> Dictionary:
        """Read ``terms.txt``: ``术语`` or ``复合词 = 组成词 组成词``; ``#`` starts a comment."""
        terms, compounds = [], {}
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            word, _, parts = (item.strip() for item in line.partition("="))
            word = normalize(word).strip()
            if not _is_single_han_run(word):
                raise ValueError(f"词典第 {number} 行：“{word}”不是一个连续的中文词。")
            if parts:
                pieces = tuple(normalize(parts).split())
                if "".join(pieces) != word or not all(_is_single_han_run(p) for p in pieces):
                    raise ValueError(f"词典第 {number} 行：组成词连起来应当正好是“{word}”。")
                compounds[word] = pieces
            else:
                terms.append(word)
        return cls(terms=tuple(terms), compounds=compounds)


def _is_single_han_run(word: str) -> bool:
    match = _RUN.fullmatch(word)
    return bool(match and match.group(1))


class Segmenter:
    """rjieba with the project's dictionary. Build once per process: :func:`get_segmenter`."""

    def __init__(self, dictionary: Dictionary):
        import rjieba

        self.dictionary = dictionary
        # Caches keyed by jieba's tokens (the same few thousand words recur).
        self._inner, self._runs, self._entries = {}, {}, {}
        self._jieba = rjieba.Jieba()
        for term in dictionary.terms:
            self._jieba.add_word(term, TERM_FREQUENCY, None)
        for compound in dictionary.compounds:
            self._jieba.add_word(compound, None, None)

    def cut(self, run: str, hmm: bool = True) -> list[str]:
        return self._jieba.cut(run, hmm)

    def words(self, normalized: str) -> list[str]:
        """The words of normalised text, in order: Chinese words and runs of ASCII letters/digits.

        The text is cut whole (jieba splits it at punctuation itself); a
        token that is not one run (``u盘``, ``e-mail``) is split into runs.
        """
        found = []
        for token in self._jieba.cut(normalized, True):
            runs = self._runs.get(token)
            if runs is None:
                runs = tuple(run for run, _ in _runs(token))
                self._remember(self._runs, token, runs)
            found.extend(runs)
        return found

    def index_tokens(self, normalized: str) -> list[str]:
        """Index tokens of normalised text: its words (no stopwords) each followed by its inner words."""
        return self.index_tokens_of([normalized])[0]

    def index_tokens_of(self, texts) -> list[list[str]]:
        """:meth:`index_tokens` of several normalised texts, with one call into the segmenter.

        The texts are joined by line breaks, which jieba returns as tokens of
        their own (line breaks inside a text become spaces first).
        """
        joined = "\n".join(_LINE_BREAKS.sub(" ", text) for text in texts)
        result = [[]]
        entries = self._entries
        for token in self._jieba.cut(joined, True):
            if token == "\n":
                result.append([])
                continue
            entry = entries.get(token)
            if entry is None:
                entry = self._entry(token)
                self._remember(entries, token, entry)
            result[-1].extend(entry)
        return result

    def _entry(self, token):
        entry = []
        for run, is_han in _runs(token):
            if run in STOPWORDS or len(run) > MAX_TOKEN_LENGTH:
                continue
            entry.append(run)
            if is_han:
                entry.extend(self.inner_words(run))
        return tuple(entry)

    @staticmethod
    def _remember(cache, key, value):
        # Essays reuse a small vocabulary; the bound only guards against junk.
        if len(cache) < CACHE_LIMIT:
            cache[key] = value

    def inner_words(self, word: str) -> tuple:
        """Dictionary words of two or more characters inside ``word`` (not ``word`` itself)."""
        if len(word) < 3:
            return ()
        found = self._inner.get(word)
        if found is None:
            seen = []
            for inner in self._jieba.cut_all(word):
                if 2 <= len(inner) < len(word) and inner not in seen:
                    seen.append(inner)
            found = tuple(seen)
            self._remember(self._inner, word, found)
        return found

    def is_word(self, word: str) -> bool:
        return self._jieba.has_word(word)

    def frequency(self, word: str) -> int:
        """jieba's frequency of ``word`` (what keeps it whole when it is not in the dictionary)."""
        return self._jieba.suggest_freq(word)


_segmenter = None
_lock = threading.Lock()


def get_segmenter() -> Segmenter:
    """The process's segmenter, built on first use (about 0.2 s) and shared by all threads."""
    global _segmenter
    if _segmenter is None:
        with _lock:
            if _segmenter is None:
                text = DICTIONARY_PATH.read_text(encoding="utf-8")
                _segmenter = Segmenter(Dictionary.parse(text))
    return _segmenter


# ---------------------------------------------------------------- index side


def index_tokens(text: str, segmenter: Segmenter | None = None) -> list[str]:
    """The tokens to index for ``text``, in reading order (inner words after their word)."""
    return (segmenter or get_segmenter()).index_tokens(normalize(text))


def index_tokens_of(texts, segmenter: Segmenter | None = None) -> list[list[str]]:
    """:func:`index_tokens` for each of ``texts`` (faster than one call each)."""
    return (segmenter or get_segmenter()).index_tokens_of([normalize(text) for text in texts])


# ---------------------------------------------------------------- query side


@dataclass(frozen=True)
class Token:
    text: str
    prefix: bool = False  # matches every indexed word starting with ``text``


@dataclass(frozen=True)
class Clause:
    """One word of the query: any one of ``alternatives`` (each a group of tokens, all required).

    党员教育 (a compound) is ``((党员教育,), (党员, 教育))``: the word itself,
    or both its parts anywhere in the essay.
    """

    alternatives: tuple  # tuple[tuple[Token, ...], ...]
    in_phrase: bool = False  # narrows a phrase down; not highlighted on its own

    @property
    def words(self) -> list[str]:
        seen = []
        for group in self.alternatives:
            for token in group:
                if token.text not in seen:
                    seen.append(token.text)
        return seen


@dataclass(frozen=True)
class ParsedQuery:
    """All ``clauses`` must match, and the essay's text must contain every one of ``phrases``."""

    clauses: tuple  # tuple[Clause, ...]
    phrases: tuple = ()  # literal texts (see phrase_literal)
    truncated: bool = False  # the query was longer than we search for

    def __bool__(self):
        return bool(self.clauses or self.phrases)

    @property
    def highlight_terms(self) -> list[str]:
        """What to mark in titles and snippets: phrases and words, longest first."""
        terms = list(self.phrases)
        for clause in self.clauses:
            if not clause.in_phrase:
                terms.extend(word for word in clause.words if word not in terms)
        return sorted(terms, key=len, reverse=True)


def parse_query(query: str, segmenter: Segmenter | None = None) -> ParsedQuery:
    """Turn what a reader typed into clauses built only from our own tokens.

    Never raises: operators of any search syntax (``& | ! : * ( ) ' \\ NEAR
    AND OR NOT``) are punctuation or ignored words here, and a query with
    nothing searchable gives an empty (falsy) :class:`ParsedQuery`.
    """
    segmenter = segmenter or get_segmenter()
    query = query or ""
    truncated = len(query) > MAX_QUERY_LENGTH
    query = query[:MAX_QUERY_LENGTH]
    clauses, phrases, rest = [], [], []
    position = 0
    for match in _PHRASE.finditer(query):
        rest.append(query[position : match.start()])
        position = match.end()
        literal = phrase_literal(next(group for group in match.groups() if group is not None))
        words = _clauses(literal, segmenter, in_phrase=True)
        if words or _has_runs(literal):
            phrases.append(literal)
            clauses.extend(words)
    rest.append(query[position:])
    clauses.extend(_clauses(" ".join(rest), segmenter, in_phrase=False))
    unique = list(dict.fromkeys(clauses))
    phrases = list(dict.fromkeys(phrases))
    if len(unique) > MAX_CLAUSES:
        unique, truncated = unique[:MAX_CLAUSES], True
    return ParsedQuery(tuple(unique), tuple(phrases[:MAX_CLAUSES]), truncated)


def _has_runs(text: str) -> bool:
    return any(True for _ in _runs(normalize(text)))


def _clauses(text: str, segmenter: Segmenter, *, in_phrase: bool) -> list:
    clauses = []
    for word in segmenter.words(normalize(text)):
        if word.isascii():
            if len(word) <= MAX_TOKEN_LENGTH and word not in ASCII_STOPWORDS:
                clauses.append(Clause(((Token(word),),), in_phrase))
            continue
        # In a phrase, a single character may be glued to its neighbour in
        # the essay (党建工 is 党建/工作 there): the literal check covers it.
        if in_phrase and len(word) == 1:
            continue
        clause = _word_clause(word, segmenter, in_phrase)
        if clause is not None:
            clauses.append(clause)
    return clauses


def _word_clause(word: str, segmenter: Segmenter, in_phrase: bool) -> Clause | None:
    if word in STOPWORDS or len(word) > MAX_TOKEN_LENGTH:
        return None
    if len(word) == 1:
        # 党 alone: every word starting with it (党建, 党员, 党组织 …).
        return Clause(((Token(word, prefix=True),),), in_phrase)
    parts = segmenter.dictionary.compounds.get(word)
    if parts is None and not segmenter.is_word(word):
        # A word jieba guessed (HMM): an essay may have it cut another way.
        pieces = [piece for piece in segmenter.cut(word, hmm=False) if piece not in STOPWORDS]
        parts = tuple(pieces) if len(pieces) > 1 else None
    if parts:
        return Clause(((Token(word),), tuple(Token(part) for part in parts)), in_phrase)
    return Clause(((Token(word),),), in_phrase)


# ---------------------------------------------------------------- display

# Where a title may break across lines: between its words, as the search cuts
# them, and nowhere inside a date, a number with its unit or a short quoted
# term. The reading site writes a <wbr> at each place and styles titles with
# ``word-break: keep-all`` (articles/templatetags/titles.py), so a phone
# shows “工作存在的 / 问题” rather than “工作存 / 在的问题”.

DISPLAY_CACHE_SIZE = 8192
# Opening marks stay with the word after them, closing marks and the
# punctuation a line must not start with stay with the word before them.
_OPENING = "“‘（《「『【〔〈([{"
_CLOSING = "”’）》」』】〕〉)]}，。、；：？！…·%％,.;:?!"
_DASHES = "—–―-"
_NUMERALS = "〇一二三四五六七八九十百千两"
_UNITS = "年月日号时点个项条名次届期岁篇章节批轮万亿余多"
_UNBROKEN = re.compile(
    # 2026年12月3日, 2025年度, 第3次, 1.5万, 85%, 第十四届: one unit each.
    rf"(?:第?\d+(?:[.．]\d+)?(?:年度|[{_UNITS}%％])?)+"
    rf"|第[{_NUMERALS}]+[{_UNITS}]?"
    # Short quoted terms and titles of documents: “三会一课”, 《条例》.
    r"|“[^“”]{1,8}”|‘[^‘’]{1,8}’|「[^「」]{1,8}」|《[^《》]{1,10}》"
)


def _breaks_between(before: str, after: str) -> bool:
    """May a line break fall between these two characters (when they are in different words)?"""
    if before.isspace() or after.isspace():
        return False  # a space is a break of its own
    if before in _DASHES and after in _DASHES:
        return False  # ——
    before_ok = before.isalnum() or before in _CLOSING or before in _DASHES
    after_ok = after.isalnum() or after in _OPENING or after in _DASHES
    return before_ok and after_ok


@functools.lru_cache(maxsize=DISPLAY_CACHE_SIZE)
def display_breaks(text: str, segmenter: Segmenter | None = None) -> tuple[int, ...]:
    """The offsets in ``text`` where a line may break between two words (never 0 or ``len(text)``).

    Cached per text: titles repeat on every list page.
    """
    if not text or len(text) < 2:
        return ()
    try:
        words = (segmenter or get_segmenter()).cut(text, True)
    except (UnicodeError, ValueError):  # a lone surrogate cannot be handed to jieba
        return ()
    if "".join(words) != text:
        return ()
    kept = [False] * (len(text) + 1)
    for match in _UNBROKEN.finditer(text):
        for offset in range(match.start() + 1, match.end()):
            kept[offset] = True
    breaks, offset = [], 0
    for word in words[:-1]:
        offset += len(word)
        if not kept[offset] and _breaks_between(text[offset - 1], text[offset]):
            breaks.append(offset)
    return tuple(breaks)


def display_words(text: str) -> list[str]:
    """``text`` cut at :func:`display_breaks`: the pieces a line may not break inside."""
    pieces, start = [], 0
    for offset in display_breaks(text):
        pieces.append(text[start:offset])
        start = offset
    if text:
        pieces.append(text[start:])
    return pieces
