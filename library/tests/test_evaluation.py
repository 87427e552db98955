"""The library groups the team's demo essays the way the gold grouping says (library.evaluation).

The same pipeline as a regroup (``grouping.vectors_of`` over every item of
the public demo essays, then ``grouping.group`` per library), without the
database; ``benchmarks/library.py`` prints the figures through the database.
"""

import pytest

from library import evaluation, grouping
from library.concepts import shipped_lexicon

# load_demo leaves these out of the public library: a draft and a scheduled essay.
NOT_PUBLIC = {"000_jiceng_zuzhi_wenti_duice.txt", "003_jiguan_dangjian_yewu_ronghe.txt"}


@pytest.fixture(scope="module")
def grouped():
    lexicon = shipped_lexicon()
    items = [item for item in evaluation.demo_items() if item.essay not in NOT_PUBLIC]
    vectors = grouping.vectors_of([(item.heading, item.text) for item in items], lexicon)
    gold = evaluation.load_gold()
    result = {}
    for library in ("problems", "countermeasures"):
        indices = [i for i, item in enumerate(items) if item.library == library]
        groups = grouping.group([vectors[i] for i in indices], concepts=frozenset(lexicon.concepts))
        assignment = {m: (n if len(g.members) > 1 else None) for n, g in enumerate(groups) for m in g.members}
        labels = {local: evaluation.gold_theme(gold, items[i]) for local, i in enumerate(indices)}
        result[library] = (evaluation.score(labels, assignment), groups)
    return result


def test_every_gold_item_is_an_item_of_the_demo_essays():
    gold = evaluation.load_gold()
    found = {(i.essay, i.library, i.heading) for i in evaluation.demo_items(set(gold["items"]))}
    wanted = {
        (essay, library, heading) for essay, by in gold["items"].items() for library in by for heading in by[library]
    }
    assert wanted == found
    assert len(gold["items"]) >= 15


@pytest.mark.parametrize("library", ["problems", "countermeasures"])
def test_demo_grouping_meets_the_targets(grouped, library):
    score, groups = grouped[library]
    assert score.items >= 60
    assert score.purity >= 0.85 and score.recall >= 0.85, score
    assert score.singleton_share <= 0.12, score


def test_at_most_a_tenth_of_the_demo_items_are_in_other(grouped):
    singles = sum(score.singletons for score, _ in grouped.values())
    total = sum(score.all_items for score, _ in grouped.values())
    assert singles <= 0.10 * total


def test_demo_keywords_are_concepts_or_whole_words_and_never_filler(grouped):
    lexicon = shipped_lexicon()
    keywords = [word for _, groups in grouped.values() for g in groups if len(g.members) > 1 for word in g.top_words]
    assert keywords
    assert evaluation.keyword_quality(keywords, lexicon.is_keyword) >= 0.9
    assert not set(keywords) & {"存在", "问题", "工作", "方面", "进一步", "有待", "不够", "习惯于", "核办", "作者"}


def test_score_counts_other_as_impure_and_unrecalled():
    labels = {0: "a", 1: "a", 2: "b", 3: "b", 4: "b", 5: ""}
    score = evaluation.score(labels, {0: 1, 1: 1, 2: 2, 3: 2, 4: None, 5: 3})
    assert score.items == 5  # the unlabelled item is not scored...
    assert score.purity == 0.8 and score.recall == 0.8
    assert score.singletons == 2  # ...but counts when alone
