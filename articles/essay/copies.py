"""Copy detection (文稿查重): how much of an essay is found in other texts. No Django here.

Three steps, each usable alone:

1. :func:`normalise` turns a text into the string that is compared, with a
   map back to the original characters. What must not hide a copy goes:
   what a document site adds (page markers, watermarks: the essay cleaning's
   own repairs, :func:`articles.essay.cleaning.find_repairs`), punctuation,
   whitespace, numbering (一、 （一） 1. 1、 (1) 第一，) — and the spinner's known
   swaps are mapped back to one word of their group (:class:`SwapTable`:
   the team's neighbour table and the proofreader's back-translation rules),
   so that a spun copy compares equal to its source. Characters inside
   “…” quotations (official wording, at most :data:`MAX_QUOTATION` long)
   and inside the genre's standard formulations are *excluded*: they are
   compared, but never counted as copied.
2. :func:`signature` — the words of the normalised text (the search
   segmenter's, field dictionary included), shingles of :data:`SHINGLE_WORDS`
   words and a MinHash of :data:`PERMUTATIONS` values: the bands of a
   locality-sensitive index (one value per band), so that a check looks
   up candidates instead of comparing with every essay.
3. :func:`align` — exact passages of at least :data:`MIN_PASSAGE`
   normalised characters shared by the essay and one candidate;
   :func:`score` — the share of the essay's countable characters inside
   passages from any source, per source, and the longest passage.

Why 13 characters: it is the run length the paper-checking services cite
(“连续 13 个字相同”), about one clause of this genre; shorter runs are mostly
set phrases every essay shares (全面从严治党向纵深发展 is 11), and a spinner
that swaps one word in five still leaves runs of 13 once the swaps are
mapped back.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from articles.search.segmentation import get_segmenter

from .cleaning import find_repairs
from .spinner import NEIGHBOURS_PATH, RULES_DIR

MIN_PASSAGE = 13
SHINGLE_WORDS = 4
PERMUTATIONS = 64
MAX_QUOTATION = 100
# Positions remembered per 13-character key of a source: a key seen more
# often is boilerplate of that text, and a passage found at any of them is
# as long as at the first ones.
MAX_POSITIONS = 8

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_KEPT = re.compile(rf"[{_HAN}0-9a-z]")
_NOT_KEPT = re.compile(rf"[^{_HAN}0-9a-z]+")
_NUMERAL = "一二三四五六七八九十百零〇"
# Numbering of parts and points wherever it stands: 一、 （一） (1) 1. 1、 1． ① 第一，
_NUMBERING = re.compile(
    rf"[（(]\s*(?:[{_NUMERAL}]{{1,3}}|\d{{1,3}})\s*[)）]"
    rf"|(?<![{_HAN}0-9])(?:[{_NUMERAL}]{{1,3}}|\d{{1,3}})\s*[、.．](?!\d)"
    rf"|第[{_NUMERAL}]{{1,3}}[，,、]"
    r"|[①-⑳]"
)
_QUOTATION = re.compile(rf"“([^“”]{{1,{MAX_QUOTATION}}})”")
# Full-width forms to ASCII and ASCII capitals to small letters: one character for one.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {code: code + 32 for code in range(0x41, 0x5B)}
_FOLD |= {code: code - 0xFEE0 + 32 for code in range(0xFF21, 0xFF3B)}
_SITE_REPAIRS = frozenset({"boilerplate", "page_footer", "page_marker", "watermark", "anticopy", "citation"})
PROOFREADING_RULES_PATH = RULES_DIR / "proofreading.json"


# ---------------------------------------------------------------- the spinner's swaps


class SwapTable:
    """Word → the word it is compared as: the first word of the first group that lists it.

    Not the union of the groups: chained, the team's table joins 模范, 制度
    and 地方 into one class of 42 words, and an essay compared through it
    would look like every other. A spinner replaces a word by a neighbour
    of its own group, which maps back to the group's first word.
    """

    def __init__(self, groups: Iterable[Iterable[str]] = ()):
        self.canonical: dict[str, str] = {}
        for group in groups:
            words = [word for word in group if word]
            if not words:
                continue
            head = self.canonical.setdefault(words[0], words[0])
            for word in words[1:]:
                self.canonical.setdefault(word, head)
        self.longest = max((len(word) for word in self.canonical), default=0)
        self._pattern: re.Pattern | None = None

    def get(self, word: str) -> str:
        return self.canonical.get(word, word)

    def replace(self, chars: str) -> list[tuple[int, int, str]]:
        """(start, end, word) of every listed word in ``chars``, longest first from the left.

        One scan of a trie pattern (:func:`longest_pattern`): from the left, at
        each position the longest listed word of two or more characters,
        then on behind it.
        """
        table = self.canonical
        found = []
        for match in self.pattern.finditer(chars):
            word = match.group()
            if table[word] != word:
                found.append((match.start(), match.end(), table[word]))
        return found

    @property
    def pattern(self) -> re.Pattern:
        if self._pattern is None:
            self._pattern = longest_pattern(word for word in self.canonical if len(word) >= 2)
        return self._pattern


def longest_pattern(words: Iterable[str]) -> re.Pattern:
    """A pattern matching, at a position, the longest of ``words`` that starts there.

    The words as a trie, each node's continuations tried before stopping at
    it (a greedy optional group), so the regular expression engine walks the
    trie in C.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True

    def pattern(node) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        inner = "(?:" + "|".join(branches) + ")" if len(branches) > 1 else branches[0]
        return f"(?:{inner})?" if "" in node else inner

    if not trie:
        return re.compile("(?!)")
    # The first characters as a set first: most positions start no word, and
    # a set is one lookup where the alternation would try every branch.
    first = "[" + "".join(re.escape(char) for char in sorted(trie) if char) + "]"
    return re.compile(f"(?={first}){pattern(trie)}")


def _neighbour_groups(path: Path):
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            yield line.split()


def _rule_pairs(path: Path):
    """(right, wrong) of the shipped back-translation rules whose pattern is a plain word."""
    import json

    for rule in json.loads(path.read_text(encoding="utf-8")).get("rules", []):
        pattern, suggestion = rule.get("pattern", ""), rule.get("suggestion", "")
        if rule.get("category") == "back_translation" and re.fullmatch(rf"[{_HAN}]+", pattern or ""):
            if re.fullmatch(rf"[{_HAN}]+", suggestion or ""):
                yield [suggestion, pattern]


@lru_cache(maxsize=1)
def shipped_swaps() -> SwapTable:
    """The proofreader's back-translation pairs first (their right word leads), then the team's table."""
    return SwapTable([*_rule_pairs(PROOFREADING_RULES_PATH), *_neighbour_groups(NEIGHBOURS_PATH)])


# ---------------------------------------------------------------- normalising


@dataclass(frozen=True)
class Normalised:
    """The compared form of a text: ``chars[i]`` stands for ``original[offsets[i]:ends[i]]``."""

    original: str
    chars: str
    offsets: tuple[int, ...]
    ends: tuple[int, ...]
    excluded: frozenset[int]  # indexes into chars that never count (quotations, formulations)
    words: tuple[str, ...]

    @property
    def countable(self) -> int:
        return len(self.chars) - len(self.excluded)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original characters of ``chars[start:end]``."""
        return self.offsets[start], self.ends[end - 1]

    @property
    def digest(self) -> str:
        """Equal for texts that differ only in what normalising drops (an identical essay)."""
        return hashlib.sha1(self.chars.encode("utf-8")).hexdigest()


def _dropped_spans(text: str) -> list[tuple[int, int]]:
    spans = [(r.start, r.end) for r in find_repairs(text) if r.kind in _SITE_REPAIRS]
    spans += [match.span() for match in _NUMBERING.finditer(text)]
    return sorted(spans)


def normalise(
    text: str,
    *,
    formulations: Iterable[str] = (),
    swaps: SwapTable | None = None,
    cut: Callable[[str], list[str]] | None = None,
) -> Normalised:
    """The compared form of ``text`` (see the module docstring).

    ``formulations`` are the standard formulations (the proofreader's
    lexicon) whose characters are not counted; ``swaps`` defaults to
    :func:`shipped_swaps`; ``cut`` (text → words) to the search segmenter.
    """
    swaps = swaps or shipped_swaps()
    cut = cut or get_segmenter().cut
    text = text or ""
    # Same length as ``text`` (offsets stay valid): width and ASCII case
    # folded, dropped spans blanked out with a character that is not kept.
    folded = text.translate(_FOLD)
    dropped = _dropped_spans(text)
    if dropped:
        pieces, position = [], 0
        for start, end in dropped:
            if end > position:
                start = max(start, position)
                pieces += [folded[position:start], " " * (end - start)]
                position = end
        folded = "".join(pieces) + folded[position:]
    # The kept characters and their offsets, found on the code points with numpy.
    codes = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    offsets = np.flatnonzero(_kept_mask(codes))
    kept = _NOT_KEPT.sub("", folded)
    # The swaps, on the characters (not on the segmenter's words: a swap can
    # change how the words around it are cut, 促发展 / 促 开展); a replacement
    # of another length spreads over the word it replaces.
    chars, index, last = [], [], []  # index: the kept character each compared one stands for
    position = 0
    for start, end, word in [*swaps.replace(kept), (len(kept), len(kept), "")]:
        chars += [kept[position:start], word]
        index.extend(range(position, start))
        if len(word) == end - start:
            index.extend(range(start, end))
        elif word:
            index.extend(start + min(i, end - start - 1) for i in range(len(word)))
            last.append((len(index) - 1, end - 1))  # the word's last character ends where the old one did
        position = end
    compared = "".join(chars)
    index_array = np.array(index, dtype=np.intp)
    new_offsets = offsets[index_array]
    new_ends = new_offsets + 1
    if last:
        where, source = np.array(last, dtype=np.intp).T
        new_ends[where] = offsets[source] + 1
    excluded = set()
    if "“" in text:
        quoted = np.zeros(len(text), dtype=bool)
        for match in _QUOTATION.finditer(text):
            quoted[match.start(1) : match.end(1)] = True
        excluded = set(np.flatnonzero(quoted[new_offsets]).tolist())
    excluded |= _formulation_positions(compared, _compared_formulations(frozenset(formulations), swaps))
    words = tuple(cut(compared)) if compared else ()
    return Normalised(text, compared, tuple(new_offsets.tolist()), tuple(new_ends.tolist()), frozenset(excluded), words)


def _kept_mask(codes):
    """Which code points are compared: Han characters, ASCII digits and small letters (``_KEPT``)."""
    return (
        ((codes >= 0x4E00) & (codes <= 0x9FFF))
        | ((codes >= 0x3400) & (codes <= 0x4DBF))
        | ((codes >= 0xF900) & (codes <= 0xFAFF))
        | ((codes >= 0x30) & (codes <= 0x39))
        | ((codes >= 0x61) & (codes <= 0x7A))
    )


def swapped(text: str, swaps: SwapTable) -> str:
    """``text`` with the swaps of :meth:`SwapTable.replace` made (the form formulations are looked for in)."""
    out, position = [], 0
    for start, end, word in swaps.replace(text):
        out += [text[position:start], word]
        position = end
    return "".join(out) + text[position:]


@lru_cache(maxsize=4)
def _compared_formulations(formulations: frozenset[str], swaps: SwapTable) -> frozenset[str]:
    return frozenset(swapped(entry, swaps) for entry in formulations)


@lru_cache(maxsize=4)
def _by_prefix(formulations: frozenset[str]) -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for entry in formulations:
        if len(entry) >= 2:
            table.setdefault(entry[:2], []).append(entry)
    return {key: tuple(sorted(value, key=len, reverse=True)) for key, value in table.items()}


def _formulation_positions(chars: str, formulations: frozenset[str]) -> set[int]:
    if not formulations:
        return set()
    table, found = _by_prefix(formulations), set()
    for i in range(len(chars) - 1):
        for entry in table.get(chars[i : i + 2], ()):
            if chars.startswith(entry, i):
                found.update(range(i, i + len(entry)))
                break
    return found


# ---------------------------------------------------------------- signatures

_MERSENNE = (1 << 61) - 1
_MAX_HASH = (1 << 32) - 1


@lru_cache(maxsize=1)
def _permutations():

    generator = np.random.RandomState(20261208)  # fixed: stored bands must stay comparable
    a = generator.randint(1, _MERSENNE, size=PERMUTATIONS, dtype=np.uint64)
    b = generator.randint(0, _MERSENNE, size=PERMUTATIONS, dtype=np.uint64)
    return a, b


@lru_cache(maxsize=65536)
def _word_hash(word: str) -> int:
    return zlib.crc32(word.encode("utf-8"))


def shingles(words: Iterable[str], size: int = SHINGLE_WORDS):
    """32-bit hashes of the runs of ``size`` consecutive words, distinct (numpy array).

    A run's hash combines its words' CRC-32s as a polynomial (stable across
    processes, unlike ``hash()``), one vectorised pass for the whole text.
    """

    hashes = np.fromiter((_word_hash(word) for word in words), dtype=np.uint64)
    if len(hashes) == 0:
        return hashes
    if len(hashes) < size:
        size = len(hashes)
    combined = np.zeros(len(hashes) - size + 1, dtype=np.uint64)
    for i in range(size):  # wraps modulo 2**64; the low 32 bits are kept
        combined = combined * np.uint64(1_000_003) + hashes[i : len(hashes) - size + 1 + i]
    return np.unique(combined & np.uint64(_MAX_HASH))


def signature(normalised: Normalised) -> list[int]:
    """The MinHash of the text's shingles: :data:`PERMUTATIONS` values, one per band.

    The same universal hashing as ``datasketch.MinHash`` ((a·h + b) mod 2⁶¹−1,
    cut to 32 bits), on numpy; datasketch itself would bring scipy along
    for nothing here. Unsigned 32-bit values.
    """
    values = shingles(normalised.words)
    if len(values) == 0:
        return []
    a, b = _permutations()
    mins = (((np.outer(values, a) + b) % np.uint64(_MERSENNE)) & np.uint64(_MAX_HASH)).min(axis=0)
    return mins.tolist()


def band_keys(normalised: Normalised) -> list[int]:
    """The signature as the index stores it: band ``i``'s value ``v`` is the key ``i·2³² + v``.

    One integer per band, so a lookup is one indexed ``IN`` over a single
    column; two texts share a key exactly when they share that band.
    """
    return [band << 32 | value for band, value in enumerate(signature(normalised))]


# ---------------------------------------------------------------- alignment


@dataclass(frozen=True)
class Passage:
    """``essay.chars[start:start+length] == source.chars[source_start:source_start+length]``."""

    start: int
    source_start: int
    length: int

    @property
    def end(self):
        return self.start + self.length


def align(essay: str, source: str, min_length: int = MIN_PASSAGE) -> list[Passage]:
    """The maximal exact passages of at least ``min_length`` characters, in the essay's order.

    Greedy from the left: at each position the longest passage starting
    there (among the source's places of its first ``min_length``
    characters); after a passage the scan goes on behind it. Linear in the
    two lengths for texts of this genre.
    """
    if len(essay) < min_length or len(source) < min_length:
        return []
    places: dict[str, list[int]] = {}
    for j in range(len(source) - min_length + 1):
        found = places.setdefault(source[j : j + min_length], [])
        if len(found) < MAX_POSITIONS:
            found.append(j)
    passages, i, last = [], 0, len(essay) - min_length
    while i <= last:
        candidates = places.get(essay[i : i + min_length])
        if not candidates:
            i += 1
            continue
        best_j, best = candidates[0], 0
        for j in candidates:
            length = _common_length(essay, i, source, j, min_length)
            if length > best:
                best_j, best = j, length
        passages.append(Passage(i, best_j, best))
        i += best
    return passages


def _common_length(a: str, i: int, b: str, j: int, known: int) -> int:
    """How many characters ``a[i:]`` and ``b[j:]`` share from the start (the first ``known`` do).

    Galloping over slices, then halving: string comparison runs in C, so a
    passage of 2,000 characters costs a dozen comparisons, not 2,000 steps.
    """
    limit = min(len(a) - i, len(b) - j)
    length, step = known, 16
    while length + step <= limit and a[i + length : i + length + step] == b[j + length : j + length + step]:
        length += step
        step *= 2
    while step > 1:
        step //= 2
        if length + step <= limit and a[i + length : i + length + step] == b[j + length : j + length + step]:
            length += step
    return length


# ---------------------------------------------------------------- the score


@dataclass
class SourceMatch:
    key: object  # whatever the caller names the source by
    passages: list[Passage]
    covered: int  # countable essay characters inside this source's passages
    percent: float = 0.0

    @property
    def longest(self) -> int:
        return max((p.length for p in self.passages), default=0)


@dataclass
class Score:
    percent: float  # share of countable characters found in any source, 0–100
    covered: int
    countable: int
    longest: int  # normalised characters of the longest passage
    sources: list[SourceMatch] = field(default_factory=list)  # by share, largest first
    covered_positions: frozenset[int] = frozenset()


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def score(essay: Normalised, sources: Iterable[tuple[object, str]], min_length: int = MIN_PASSAGE) -> Score:
    """How much of ``essay`` is found in ``sources`` (pairs of key and normalised characters)."""
    union: set[int] = set()
    matches = []
    for key, chars in sources:
        passages = align(essay.chars, chars, min_length)
        if not passages:
            continue
        positions = {i for p in passages for i in range(p.start, p.end)} - essay.excluded
        union |= positions
        matches.append(SourceMatch(key, passages, len(positions), _percent(len(positions), essay.countable)))
    matches.sort(key=lambda match: (-match.covered, -match.longest))
    return Score(
        percent=_percent(len(union), essay.countable),
        covered=len(union),
        countable=essay.countable,
        longest=max((match.longest for match in matches), default=0),
        sources=matches,
        covered_positions=frozenset(union),
    )


def highlighted(normalised: Normalised, passages: Iterable[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The original text cut into (piece, copied) runs; ``passages`` are (start, end) in ``chars``."""
    spans = sorted(normalised.span(start, end) for start, end in passages if end > start)
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces, position, text = [], 0, normalised.original
    for start, end in merged:
        if start > position:
            pieces.append((text[position:start], False))
        pieces.append((text[start:end], True))
        position = end
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces
