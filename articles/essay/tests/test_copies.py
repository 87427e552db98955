"""The pure core of 文稿查重: what normalising hides, alignment, the score, signatures."""

import random

from articles.essay import copies

SOURCE = (
    "一、基层党建工作的重要意义\n"
    "（一）适应时代发展的需求。基层党组织是党在社会基层组织中的战斗堡垒，是党的全部工作和战斗力的基础，"
    "承担着服务群众、凝聚人心的重要职责。\n"
    "（二）巩固执政地位的需求。各级党组织要把抓好党建作为最大的政绩，带领广大群众共同致富，"
    "让村里的合作社办得红红火火，让留守老人吃上热乎饭。\n"
    "1. 村级组织活动场所要做到有人管事、有钱办事、有场所议事，真正成为群众的主心骨。"
)
UNRELATED = (
    "社区志愿服务是社区治理的重要力量。退休教师、医生和在校学生踊跃报名，周末的便民摊点前总是排着长队；"
    "从义诊义剪到垃圾分类宣传，从老人陪伴到儿童课后托管，项目贴近居民生活。建立积分兑换制度，"
    "与辖区企业合作提供培训，让志愿服务细水长流。"
)


def test_punctuation_whitespace_and_numbering_do_not_hide_a_copy():
    changed = SOURCE.replace("，", ",").replace("。", ". ").replace("（一）", "1、").replace("一、基层", "一．基层")
    changed = changed.replace("1. 村级", "(3)村级")
    assert copies.normalise(changed).chars == copies.normalise(SOURCE).chars


def test_a_page_footer_of_a_document_site_is_dropped():
    damaged = SOURCE.replace("战斗堡垒，", "战斗堡垒，\n第1页共7页\n")
    assert copies.normalise(damaged).chars == copies.normalise(SOURCE).chars


def test_the_spinners_known_swaps_map_back_to_the_original_wording():
    spun = SOURCE.replace("服务", "效劳").replace("发展", "开展").replace("巩固", "稳固").replace("带领", "带着")
    assert spun != SOURCE
    assert copies.normalise(spun).chars == copies.normalise(SOURCE).chars


def test_swap_groups_are_not_chained_into_one_class():
    swaps = copies.shipped_swaps()
    assert swaps.get("效劳") == "服务"
    # 模范 and 地方 share no group: chaining the team's table would make them equal.
    assert swaps.get("模范") != swaps.get("地方")


def test_an_identical_copy_scores_100_and_an_unrelated_text_0():
    essay = copies.normalise(SOURCE)
    assert copies.score(essay, [("same", essay.chars)]).percent == 100.0
    assert copies.score(essay, [("other", copies.normalise(UNRELATED).chars)]).percent == 0.0


def test_reordered_sentences_are_found_passage_by_passage():
    sentences = [s for s in SOURCE.split("。") if s.strip()]
    reordered = "。".join(reversed(sentences)) + "。"
    result = copies.score(copies.normalise(reordered), [("source", copies.normalise(SOURCE).chars)])
    assert result.percent >= 95
    assert len(result.sources[0].passages) >= len(sentences) - 1


def test_quoted_official_wording_is_not_counted_as_copied():
    quote = "“坚持和加强党的全面领导，坚持以人民为中心的发展思想，坚持全面深化改革开放”"
    essay = copies.normalise("我们必须" + quote + "。" + UNRELATED)
    source = copies.normalise("文件指出" + quote + "，这是根本遵循。")
    result = copies.score(essay, [("document", source.chars)])
    assert result.sources and result.sources[0].longest >= 30  # the quotation is aligned …
    assert result.percent == 0.0  # … but never counted


def test_standard_formulations_are_not_counted_as_copied():
    formulation = "全心全意为人民服务的根本宗旨"
    text = "我们始终坚持" + formulation + "，为群众办实事。"
    plain = copies.normalise(text)
    with_lexicon = copies.normalise(text, formulations=[formulation])
    assert with_lexicon.countable == plain.countable - len(formulation)
    source = "文件要求" + formulation + "不动摇"
    assert copies.score(with_lexicon, [("s", copies.normalise(source).chars)]).percent == 0.0


def test_a_passage_shorter_than_the_minimum_is_not_a_copy():
    assert copies.MIN_PASSAGE == 13
    essay = "甲乙丙丁戊己庚辛壬癸子丑寅卯"  # 14 characters
    assert copies.align(essay, "xx" + essay[:12] + "yy") == []
    assert copies.align(essay, "xx" + essay[:13] + "yy") == [copies.Passage(0, 2, 13)]


def test_shares_per_source_and_the_longest_passage():
    first, second = SOURCE[:120], SOURCE[120:]
    essay = copies.normalise(SOURCE)
    result = copies.score(essay, [("first", copies.normalise(first).chars), ("second", copies.normalise(second).chars)])
    shares = {match.key: match.percent for match in result.sources}
    assert set(shares) == {"first", "second"}
    assert 95 <= result.percent <= 100
    assert abs(shares["first"] + shares["second"] - result.percent) < 2
    assert result.longest == max(match.longest for match in result.sources)


def test_copied_passages_are_highlighted_in_the_original_text():
    copy = UNRELATED[:20] + SOURCE[40:100] + UNRELATED[20:60]
    essay = copies.normalise(copy)
    result = copies.score(essay, [("source", copies.normalise(SOURCE).chars)])
    pieces = copies.highlighted(essay, [(p.start, p.end) for p in result.sources[0].passages])
    assert "".join(piece for piece, _ in pieces) == copy
    marked = "".join(piece for piece, copied in pieces if copied)
    assert marked.strip("，。、") in SOURCE[40:100]
    assert len(marked) >= 50


def test_signatures_are_stable_and_near_copies_share_most_bands():
    essay = copies.normalise(SOURCE)
    signature = copies.signature(essay)
    assert len(signature) == copies.PERMUTATIONS
    assert all(-(2**31) <= value < 2**31 for value in signature)
    assert signature == copies.signature(copies.normalise(SOURCE))
    spun = copies.normalise(SOURCE.replace("服务", "效劳").replace("，", ","))
    shared = sum(a == b for a, b in zip(signature, copies.signature(spun), strict=True))
    assert shared == copies.PERMUTATIONS
    other = copies.signature(copies.normalise(UNRELATED))
    assert sum(a == b for a, b in zip(signature, other, strict=True)) <= 2


def test_a_copy_with_a_fifth_of_its_words_swapped_is_still_mostly_found():
    swaps = copies.shipped_swaps()
    reverse = {}
    for word, head in swaps.canonical.items():
        if word != head:
            reverse.setdefault(head, word)
    rng = random.Random(7)
    spun = SOURCE
    for head in sorted(reverse):
        if head in spun and rng.random() < 0.8:
            spun = spun.replace(head, reverse[head])
    essay = copies.normalise(spun)
    assert copies.score(essay, [("s", copies.normalise(SOURCE).chars)]).percent >= 90


def test_empty_and_hostile_text_do_not_break_it():
    for text in ("", "。。。", "\x00\ud800", "a" * 5000, "（一）（二）1、2、"):
        essay = copies.normalise(text)
        assert copies.score(essay, [("s", copies.normalise(SOURCE).chars)]).percent == 0.0
        copies.signature(essay)


def test_long_passages_are_measured_to_the_exact_character():
    rng = random.Random(3)
    for _ in range(100):
        shared = "".join(rng.choice("党建工作") for _ in range(rng.randint(13, 3000)))
        essay = "甲乙" + shared + "丙"
        source = "子" + shared + "丑"
        assert copies.align(essay, source) == [copies.Passage(2, 1, len(shared))]
