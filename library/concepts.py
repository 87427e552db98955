"""The library's concept lexicon: the genre's few concepts and their many wordings. No Django here.

Problems in these essays are stated with a small set of concepts in many
wordings: 思想认识 / 重视不够 / 认识不到位, 考核 / 考评 / 评价, 带头人 /
书记 / 班子. An item is represented by the concepts it names and by the
whole dictionary words it uses besides (:meth:`Lexicon.features`), never by
character fragments: the text is cut by the search segmenter (rjieba with
the field's dictionary, ``articles/search/dictionary/terms.txt``) with every
wording of the lexicon added as a word of its own, so that 重业务轻党建 or
批评与自我批评 is one token that names one concept.

The shipped lexicon is ``library/concepts.txt``; editors add concepts and
wordings, or switch concepts off, in the admin (``library.models.Concept``,
synced from the file after every migrate, like the proofreading formulations).
Filler words of the genre (存在, 问题, 工作, 方面 …) are in
``library/stopwords.txt``: they never become features or keywords.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from articles.search.segmentation import (
    DICTIONARY_PATH,
    STOPWORDS,
    Dictionary,
    Segmenter,
    normalize,
)

CONCEPTS_PATH = Path(__file__).resolve().parent / "concepts.txt"
STOPWORDS_PATH = Path(__file__).resolve().parent / "stopwords.txt"

_HAN_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff“”]{2,20}")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_LINE_BREAKS = re.compile("[\r\n]")
MAX_WORDINGS = 200


@dataclass(frozen=True)
class Concept:
    """One concept: its name (shown as a keyword), theme names per library, its wordings."""

    name: str
    problem_label: str = ""
    countermeasure_label: str = ""
    wordings: tuple = ()


def is_wording(text: str) -> bool:
    """A wording is 2 to 20 Chinese characters (quotation marks allowed), no spaces or punctuation."""
    return bool(_HAN_WORD.fullmatch(text or ""))


def parse_wordings(text: str) -> tuple:
    """The wordings of a space- or comma-separated list, in order, without repeats."""
    words = re.split(r"[\s,，、；;]+", text or "")
    return tuple(dict.fromkeys(word for word in words if word))


def parse(text: str) -> list[Concept]:
    """Read ``concepts.txt``: ``概念名 | 问题主题名 | 对策主题名 = 说法 说法 …``; ``#`` starts a comment."""
    concepts = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        head, _, wordings = line.partition("=")
        names = [part.strip() for part in head.split("|")] + ["", ""]
        name = names[0]
        if not is_wording(name):
            raise ValueError(f"概念词表第 {number} 行：概念名“{name}”应为 2 到 20 个汉字。")
        words = parse_wordings(wordings)
        bad = [word for word in words if not is_wording(word)]
        if bad:
            raise ValueError(f"概念词表第 {number} 行：说法“{bad[0]}”应为 2 到 20 个汉字。")
        concepts.append(Concept(name, names[1], names[2], tuple(dict.fromkeys((name, *words)))))
    return concepts


@functools.cache
def shipped_concepts() -> tuple:
    return tuple(parse(CONCEPTS_PATH.read_text(encoding="utf-8")))


@functools.cache
def stopwords() -> frozenset:
    """Genre filler (``stopwords.txt``) and the search's function words: never a feature or a keyword."""
    words = set(STOPWORDS)
    for line in STOPWORDS_PATH.read_text(encoding="utf-8").splitlines():
        words.update(line.split("#", 1)[0].split())
    return frozenset(words)


class Lexicon:
    """Concepts ready for use: a segmenter that keeps every wording whole, wording → concept."""

    def __init__(self, concepts: Iterable[Concept]):
        self.concepts = {}
        self.concept_of = {}
        for concept in concepts:
            if concept.name in self.concepts:
                continue
            self.concepts[concept.name] = concept
            for wording in concept.wordings:
                # A wording claimed by two concepts belongs to the first (the shipped order).
                self.concept_of.setdefault(normalize(wording), concept.name)
        base = Dictionary.parse(DICTIONARY_PATH.read_text(encoding="utf-8"))
        extra = {w: (w,) for w in self.concept_of if w not in base.compounds and w not in base.terms}
        self.segmenter = Segmenter(Dictionary(terms=base.terms, compounds={**base.compounds, **extra}))
        self.stopwords = stopwords()
        self._cache = {}

    def features(self, text: str) -> list[str]:
        """The concepts named and the other whole dictionary words of ``text``, in order.

        A concept is its name, followed by the wording used (which tells
        sub-themes apart in a large library); a word is kept when it is a
        dictionary word of two or more characters and not filler. A word jieba
        only guessed (its HMM joins characters across words: 中冲, 核办) is
        left out.
        """
        return self.features_of([text])[0]

    def features_of(self, texts) -> list[list[str]]:
        """:meth:`features` of each of ``texts``, with one call into the segmenter."""
        joined = "\n".join(_LINE_BREAKS.sub(" ", normalize(text or "")) for text in texts)
        result = [[]]
        cache = self._cache
        for token in self.segmenter.cut(joined, True):
            if token == "\n":
                result.append([])
                continue
            entry = cache.get(token)
            if entry is None:
                entry = self._entry(token)
                if len(cache) < 200_000:  # essays reuse a small vocabulary; the bound guards against junk
                    cache[token] = entry
            result[-1].extend(entry)
        return result

    def _entry(self, token):
        concept = self.concept_of.get(token)
        if concept is not None:
            # The wording too: what tells sub-themes apart at scale.
            return (concept,) if token == concept or token in self.stopwords else (concept, token)
        if (
            len(token) > 1
            and token not in self.stopwords
            and _HAN_RUN.fullmatch(token)
            and self.segmenter.is_word(token)
        ):
            return (token,)
        return ()

    def is_keyword(self, word: str) -> bool:
        """A keyword a person would choose: a concept, or a whole dictionary word that is not filler."""
        if word in self.concepts:
            return True
        return len(word) > 1 and word not in self.stopwords and self.segmenter.is_word(word)

    def label(self, name: str, library: str) -> str:
        """The theme name a concept gives in ``library`` ("problems" / "countermeasures"), or ""."""
        concept = self.concepts.get(name)
        if concept is None:
            return ""
        return concept.countermeasure_label if library == "countermeasures" else concept.problem_label


@functools.lru_cache(maxsize=4)
def lexicon_of(concepts: tuple) -> Lexicon:
    """A :class:`Lexicon` per set of concepts (building the segmenter takes about 0.3 s)."""
    return Lexicon(concepts)


def shipped_lexicon() -> Lexicon:
    return lexicon_of(shipped_concepts())
