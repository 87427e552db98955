"""The library's labelled evaluation at demo size. No Django here.

``articles/demo/library_gold.json`` maps each problem and countermeasure
item of the team's essays 008–023 (by its heading as the library extracts it)
to the theme a reader would put it in. :func:`demo_items` lists the items of
the demo essays the way ``library.regrouping`` does; :func:`score` compares
found themes with the gold ones. ``benchmarks/library.py`` prints the figures,
``library/tests/test_evaluation.py`` keeps them above the targets.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from library.extraction import first_sentence, split_items

DEMO_DIR = Path(__file__).resolve().parents[1] / "articles" / "demo"
GOLD_PATH = DEMO_DIR / "library_gold.json"
LIBRARY_KINDS = ("problems", "causes", "countermeasures")


@dataclass(frozen=True)
class DemoItem:
    essay: str  # file name
    library: str  # "problems" (problems and causes) or "countermeasures"
    heading: str
    text: str


def load_gold(path=GOLD_PATH):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def gold_theme(gold, item):
    """The gold theme of ``item`` ("" for an item of an essay outside the evaluation set)."""
    return gold["items"].get(item.essay, {}).get(item.library, {}).get(item.heading, "")


def essay_items(name, text):
    """The items of one essay's raw text, as the library extracts them (``regrouping.desired_items``)."""
    from articles.essay import parse

    essay = parse(text)
    items = []
    for section in essay.sections:
        if section.kind not in LIBRARY_KINDS:
            continue
        library = "countermeasures" if section.kind == "countermeasures" else "problems"
        for point in section.points:
            for part in split_items(point.body):
                heading = point.heading if part.ordinal == 0 else first_sentence(part.text)
                items.append(DemoItem(name, library, heading[:300], part.text))
    return items


def demo_items(names=None):
    """Items of the demo essays (all, or the files ``names``)."""
    items = []
    for path in sorted((DEMO_DIR / "essays").glob("*.txt")):
        if names is None or path.name in names:
            items.extend(essay_items(path.name, path.read_text(encoding="utf-8")))
    return items


@dataclass
class Score:
    items: int  # labelled items scored
    themes: int  # themes (of two or more items) holding labelled items
    purity: float
    recall: float
    singletons: int  # items alone in their theme (the 其他 bucket), of all items
    all_items: int

    @property
    def singleton_share(self):
        return self.singletons / self.all_items if self.all_items else 0.0


def score(labels, assignment):
    """Purity and recall of ``assignment`` (item index → theme, None for 其他) against ``labels`` (index → gold).

    Purity: share of labelled items whose theme's majority gold theme is their
    own (an item in 其他 counts as impure). Recall: for each gold theme, the
    share of its items in the one found theme holding most of them (其他 holds
    none). Both weighted by items. Singletons: items in 其他 or a one-item theme.
    """
    sizes = Counter(theme for theme in assignment.values() if theme is not None)
    found = defaultdict(Counter)
    by_gold = defaultdict(Counter)
    total = 0
    for index, gold in labels.items():
        if not gold:
            continue
        total += 1
        theme = assignment.get(index)
        if theme is None or sizes[theme] < 2:
            by_gold[gold]["其他"] += 0
            continue
        found[theme][gold] += 1
        by_gold[gold][theme] += 1
    purity = sum(max(counter.values()) for counter in found.values()) / (total or 1)
    recall = sum(max(counter.values(), default=0) for counter in by_gold.values()) / (total or 1)
    singletons = sum(1 for theme in assignment.values() if theme is None or sizes[theme] < 2)
    return Score(total, len(found), purity, recall, singletons, len(assignment))


def keyword_quality(keywords, is_keyword):
    """Share of ``keywords`` (a list, repeats counted) that ``is_keyword`` accepts (whole word, not filler)."""
    return sum(1 for word in keywords if is_keyword(word)) / len(keywords) if keywords else 1.0
