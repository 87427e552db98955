"""Term impacts: how strongly one essay is about each of its words (pure Python).

A word such as 党建 occurs in nearly every essay of this site. Ranking all of
them for every search is too slow at 100,000 essays (PostgreSQL would read
each essay's whole ``tsvector`` back from TOAST), so the PostgreSQL backend
keeps, per essay, the words it is most about with a precomputed *impact*
(a "champion list" in information-retrieval terms): the essays that lead a
common word's list are found by one index walk, then ranked exactly.

The impact is BM25's term part with the weight classes of the index: a word
counts 10 times in the title, 4 in a heading (or a topic name), 2 in the
summary, lead or conclusion and once in a body; it saturates with repetition
(``K1``) and is normalised by the essay's length (``B``, ``AVERAGE_LENGTH``).
A word mentioned only once in a body (weighted count below
``MINIMUM_WEIGHT``) is left out: such an essay never leads the list of a
common word, and a rare word is ranked exactly anyway.
"""

from __future__ import annotations

from collections import Counter

WEIGHTS = (10, 4, 2, 1)  # title, headings, summary/lead/conclusion, bodies
K1 = 1.2
B = 0.75
AVERAGE_LENGTH = 1500  # tokens in a typical essay of the genre
MINIMUM_WEIGHT = 2
MAX_TERMS = 48  # per essay
MAX_TERM_LENGTH = 32  # as the index's tokens (segmentation.MAX_TOKEN_LENGTH)


def impacts(title, headings, lead, body) -> list[tuple[str, float]]:
    """``[(term, impact)]`` for one essay, strongest first, at most :data:`MAX_TERMS`.

    Each argument is the list of index tokens of one weight class.
    """
    weighted = Counter()
    length = 0
    for tokens, weight in zip((title, headings, lead, body), WEIGHTS, strict=True):
        length += len(tokens)
        for token in tokens:
            weighted[token] += weight
    norm = K1 * (1 - B + B * max(length, 1) / AVERAGE_LENGTH)
    scored = [
        (term, round(count * (K1 + 1) / (count + norm), 4))
        for term, count in weighted.items()
        if count >= MINIMUM_WEIGHT and len(term) <= MAX_TERM_LENGTH
    ]
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:MAX_TERMS]
