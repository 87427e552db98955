"""Grouping items into themes (library.grouping): strings in, groups out."""

from library.grouping import best_matches, cosine, group, tfidf, tokenize

ATTITUDE = [
    "对党建工作重要性认识不足，重业务轻党建",
    "部分党组织书记对党建工作重要性认识不到位，重业务轻党建",
    "思想上对党建工作重要性认识不足，存在重业务轻党建倾向",
]
ORGANIZATION = [
    "组织生活不规范，三会一课流于形式",
    "三会一课制度落实不到位，组织生活流于形式",
    "组织生活质量不高，三会一课走过场、流于形式",
]
FUNDING = ["村级党组织活动经费保障不足，阵地设施陈旧"]


def groups_of(texts, **kwargs):
    vectors = tfidf(tokenize(texts))
    return group(vectors, **kwargs), vectors


def test_tokenize_drops_genre_filler_and_single_characters():
    [tokens] = tokenize(["当前基层党建工作存在的问题是三会一课流于形式"])
    assert "三会一课" in tokens and "流于形式" in tokens
    assert not {"问题", "工作", "存在", "的"} & set(tokens)
    assert all(len(token) > 1 for token in tokens)


def test_tfidf_vectors_are_unit_length_and_empty_for_no_words():
    vectors = tfidf([["甲乙", "丙丁", "甲乙"], [], ["丙丁"]])
    assert abs(sum(w * w for w in vectors[0].values()) - 1) < 1e-9
    assert vectors[1] == {}
    # The rarer term weighs more.
    assert vectors[0]["甲乙"] > vectors[0]["丙丁"]


def test_cosine():
    assert cosine({"a": 1.0}, {"a": 1.0}) == 1.0
    assert cosine({"a": 1.0}, {"b": 1.0}) == 0.0
    assert cosine({}, {"a": 1.0}) == 0.0


def test_similar_items_group_and_dissimilar_do_not():
    texts = ATTITUDE + ORGANIZATION + FUNDING
    groups, _ = groups_of(texts)
    memberships = sorted(sorted(g.members) for g in groups)
    assert memberships == [[0, 1, 2], [3, 4, 5], [6]]


def test_a_group_is_labelled_by_telling_words_and_a_central_item():
    groups, _ = groups_of(ATTITUDE + ORGANIZATION)
    attitude = next(g for g in groups if 0 in g.members)
    assert "重要性" in attitude.top_words and "重要" not in attitude.top_words
    assert "业务" in attitude.top_words
    assert attitude.central in attitude.members
    organization = next(g for g in groups if 3 in g.members)
    assert "三会一课" in organization.top_words or "流于形式" in organization.top_words


def test_items_without_words_belong_to_no_group():
    groups, _ = groups_of(["的了和", *ATTITUDE])
    assert all(0 not in g.members for g in groups)


def test_empty_input_gives_no_groups():
    assert group([]) == []


def test_seeds_keep_an_editors_grouping_and_take_similar_free_items():
    texts = ATTITUDE + ORGANIZATION
    vectors = tfidf(tokenize(texts))
    # The editor put one organisation item with the attitude items.
    groups = group(vectors, seeds=[("editor-theme", [0, 1, 3])])
    seeded = next(g for g in groups if g.key == "editor-theme")
    assert {0, 1, 3} <= set(seeded.members)
    assert 2 in seeded.members  # a free attitude item joins the seed
    other = next(g for g in groups if 4 in g.members)
    assert other.key is None and 3 not in other.members


def test_two_seeds_are_never_merged():
    vectors = tfidf(tokenize(ATTITUDE))
    groups = group(vectors, seeds=[("a", [0]), ("b", [1])])
    keys = {g.key for g in groups}
    assert {"a", "b"} <= keys
    assert all(len({0, 1} & set(g.members)) <= 1 for g in groups)


def test_an_empty_seed_survives():
    groups = group(tfidf(tokenize(ATTITUDE)), seeds=[("kept", [])])
    assert any(g.key == "kept" for g in groups)


def test_progress_is_reported():
    calls = []
    group(tfidf(tokenize(ATTITUDE + ORGANIZATION)), progress=calls.append)
    assert sum(calls) == 6


def test_best_matches_suggests_the_problem_a_countermeasure_answers():
    problems = tfidf(tokenize(ATTITUDE[:1] + ORGANIZATION[:1] + FUNDING))
    vectors = tfidf(tokenize(ATTITUDE[:1] + ORGANIZATION[:1] + FUNDING + ["严格落实三会一课制度，规范组织生活"]))
    matches = best_matches(vectors[-1], vectors[:3])
    assert matches and matches[0][0] == 1
    assert best_matches({}, problems) == []


def test_reweighting_keeps_concentrated_words_and_damps_spread_ones():
    from library.grouping import Cluster, _reweighted

    vectors = [{"甲": 0.6, "噪": 0.8}, {"甲": 0.6, "噪": 0.8}, {"乙": 0.6, "噪": 0.8}, {"乙": 0.6, "噪": 0.8}]
    clusters = {0: Cluster(members=[0, 1]), 1: Cluster(members=[2, 3])}
    weighted = _reweighted(vectors, clusters)
    assert weighted[0]["甲"] > weighted[0]["噪"]
    assert abs(sum(w * w for w in weighted[0].values()) - 1) < 1e-9
