"""Term impacts (pure Python): what an essay is most about, as the champion lists see it."""

from articles.search.impacts import MAX_TERMS, impacts


def as_dict(pairs):
    return dict(pairs)


def test_a_title_word_outweighs_a_word_repeated_in_the_body():
    scores = as_dict(impacts(["网格化管理"], [], [], ["党建", "党建", "党建", "工作"]))
    assert scores["网格化管理"] > scores["党建"]


def test_a_single_mention_in_a_body_is_left_out():
    scores = as_dict(impacts([], [], [], ["党建", "党建", "工作"]))
    assert "党建" in scores and "工作" not in scores


def test_repetition_saturates_and_length_lowers_the_impact():
    short = as_dict(impacts([], [], [], ["党建"] * 4))["党建"]
    long = as_dict(impacts([], [], [], ["党建"] * 4 + ["其他"] * 3000))["党建"]
    many = as_dict(impacts([], [], [], ["党建"] * 40))["党建"]
    assert long < short < many < 2.2  # BM25 with K1 = 1.2 never reaches K1 + 1


def test_strongest_first_and_at_most_max_terms():
    body = [f"词{n}" for n in range(100) for _ in range(2 + n % 5)]
    result = impacts([], [], [], body)
    assert len(result) == MAX_TERMS
    values = [impact for _, impact in result]
    assert values == sorted(values, reverse=True)


def test_an_empty_essay_has_no_impacts():
    assert impacts([], [], [], []) == []
