"""Grouping items into themes (library.grouping): strings in, groups out."""

from library.concepts import shipped_lexicon
from library.grouping import (
    HEADING_REPEAT,
    IDF_FULL_AT,
    best_matches,
    cosine,
    features,
    group,
    vectors_of,
    weigh,
)

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


def vecs(texts):
    return vectors_of([(text, "") for text in texts])


def groups_of(texts, **kwargs):
    vectors = vecs(texts)
    return group(vectors, concepts=frozenset(shipped_lexicon().concepts), **kwargs), vectors


def test_features_are_concepts_and_whole_words_never_fragments_or_filler():
    [found] = features([("当前基层党建工作存在的问题是三会一课流于形式", "")])
    assert "组织生活" in found  # 三会一课 is a wording of the concept
    assert "流于形式" in found
    assert not {"问题", "工作", "存在", "的", "基层党建"} & set(found)
    [found] = features([("", "考核办法中冲在前面的人习惯于凭经验办事")])
    assert not {"核办", "中冲", "习惯于"} & set(found)
    assert all(len(token) > 1 for token in found)


def test_heading_words_count_more_than_body_words():
    [found] = features([("经费保障不足", "活动阵地简陋")])
    assert found.count("经费保障") == HEADING_REPEAT and found.count("活动阵地") == 1


def test_vectors_are_unit_length_and_empty_for_no_words():
    vectors = weigh([["甲乙", "丙丁", "甲乙"], [], ["丙丁"]])
    assert abs(sum(w * w for w in vectors[0].values()) - 1) < 1e-9
    assert vectors[1] == {}


def test_a_concept_outweighs_a_word_in_a_small_library_and_words_earn_weight_at_scale():
    small = weigh([["考核评价", "软化"], ["考核评价", "量化"]], concepts={"考核评价"})
    assert small[0]["考核评价"] > 2 * small[0]["软化"]
    many = [["考核评价", "软化"]] + [["考核评价", f"词{i}"] for i in range(IDF_FULL_AT)]
    large = weigh(many, concepts={"考核评价"})
    # 考核评价 is in every item: at scale, the rare word tells more.
    assert large[0]["软化"] > large[0]["考核评价"]


def test_wordings_weigh_next_to_nothing_in_a_small_library():
    [vector] = weigh([["考核评价", "考评"]], concepts={"考核评价"}, wordings={"考评"})
    assert vector["考评"] < 0.01 < 0.99 < vector["考核评价"]


def test_cosine():
    assert cosine({"a": 1.0}, {"a": 1.0}) == 1.0
    assert cosine({"a": 1.0}, {"b": 1.0}) == 0.0
    assert cosine({}, {"a": 1.0}) == 0.0


def test_similar_items_group_and_dissimilar_do_not():
    texts = ATTITUDE + ORGANIZATION + FUNDING
    groups, _ = groups_of(texts)
    memberships = sorted(sorted(g.members) for g in groups)
    assert memberships == [[0, 1, 2], [3, 4, 5], [6]]


def test_the_issues_obvious_pairs_group_together():
    # Issue 23: these stayed apart (each a theme of one item) under TF-IDF.
    texts = [
        "党建工作考核“软化”",
        "考核评价有待完善",
        "党组织书记力量薄弱",
        "带头人队伍整体素质有待提升",
    ]
    groups, _ = groups_of(texts)
    memberships = sorted(sorted(g.members) for g in groups)
    assert memberships == [[0, 1], [2, 3]]


def test_a_group_names_the_concept_its_items_share():
    groups, _ = groups_of(ATTITUDE + ORGANIZATION)
    attitude = next(g for g in groups if 0 in g.members)
    assert attitude.concept == "思想认识"
    assert "思想认识" in attitude.top_words
    assert attitude.central in attitude.members
    organization = next(g for g in groups if 3 in g.members)
    assert organization.concept == "组织生活"
    assert "流于形式" in organization.top_words


def test_keywords_are_what_several_items_share():
    groups, _ = groups_of(["考核评价机制不健全，指标笼统", "考评结果运用不够，与薪酬脱节"])
    [both] = groups
    assert "考核评价" in both.top_words
    assert not {"笼统", "薪酬"} & set(both.top_words)  # each in one item only


def test_items_without_words_belong_to_no_group():
    groups, _ = groups_of(["的了和", *ATTITUDE])
    assert all(0 not in g.members for g in groups)


def test_empty_input_gives_no_groups():
    assert group([]) == []


def test_seeds_keep_an_editors_grouping_and_take_similar_free_items():
    vectors = vecs(ATTITUDE + ORGANIZATION)
    # The editor put one organisation item with the attitude items.
    groups = group(vectors, seeds=[("editor-theme", [0, 1, 3])])
    seeded = next(g for g in groups if g.key == "editor-theme")
    assert {0, 1, 3} <= set(seeded.members)
    assert 2 in seeded.members  # a free attitude item joins the seed
    other = next(g for g in groups if 4 in g.members)
    assert other.key is None and 3 not in other.members


def test_two_seeds_are_never_merged():
    vectors = vecs(ATTITUDE)
    groups = group(vectors, seeds=[("a", [0]), ("b", [1])])
    keys = {g.key for g in groups}
    assert {"a", "b"} <= keys
    assert all(len({0, 1} & set(g.members)) <= 1 for g in groups)


def test_an_empty_seed_survives():
    groups = group(vecs(ATTITUDE), seeds=[("kept", [])])
    assert any(g.key == "kept" for g in groups)


def test_progress_is_reported():
    calls = []
    group(vecs(ATTITUDE + ORGANIZATION), progress=calls.append)
    assert sum(calls) == 6


def test_best_matches_suggests_the_problem_a_countermeasure_answers():
    problems = vecs(ATTITUDE[:1] + ORGANIZATION[:1] + FUNDING)
    vectors = vecs(ATTITUDE[:1] + ORGANIZATION[:1] + FUNDING + ["严格落实三会一课制度，规范组织生活"])
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
