"""Script and encoding damage (articles/essay/script.py): each detector fires
on the damage and stays silent on right text."""

import pytest

from articles.essay.proofreading import apply_corrections, proofread
from articles.essay.script import is_traditional_char, script_findings, to_simplified


def by_rule(text, rule):
    return [f for f in script_findings(text) if f.rule == rule]


def fixed(text, rule):
    return apply_corrections(text, by_rule(text, rule))


# ---- script.traditional ----------------------------------------------------

TRADITIONAL = "發揮基層黨組織戰鬥堡壘作用，推進軟體產業與網路資訊發展。"


def test_traditional_text_becomes_simplified_with_taiwan_terms():
    assert fixed(TRADITIONAL, "script.traditional") == "发挥基层党组织战斗堡垒作用，推进软件产业与网络信息发展。"


def test_taiwan_phrase_table_does_not_turn_this_genres_words_into_others():
    # OpenCC's tw2sp would give 内核 创建 文档 进程 集成 指针 here.
    text = "堅持黨的領導核心，建立制度，學習文件，嚴格程序，整合資源，完善考核指標。"
    assert (
        fixed(text, "script.traditional") == "坚持党的领导核心，建立制度，学习文件，严格程序，整合资源，完善考核指标。"
    )


def test_taiwan_zhe_is_the_particle_only_after_verbs():
    text = "隨著社會發展，帶著問題調研，著重抓好落實，顯著成效，有著名專家的著作，顯著力度。"
    assert fixed(text, "script.traditional") == (
        "随着社会发展，带着问题调研，着重抓好落实，显著成效，有著名专家的著作，显著力度。"
    )


def test_traditional_findings_share_one_explanation_so_they_are_one_group():
    findings = by_rule(TRADITIONAL, "script.traditional")
    assert len(findings) >= 2
    assert len({(f.explanation, f.category, f.severity) for f in findings}) == 1
    assert all(f.category == "script" and f.confidence >= 0.7 for f in findings)


def test_only_the_sentences_holding_traditional_characters_are_converted():
    text = "我们要加强学习。黨員幹部要帶頭學習黨章黨規。"
    findings = by_rule(text, "script.traditional")
    assert findings and all(f.start >= text.index("黨") for f in findings)
    assert fixed(text, "script.traditional") == "我们要加强学习。党员干部要带头学习党章党规。"


@pytest.mark.parametrize(
    "text",
    [
        "开展活动，缺乏积极性，广阔的舞台。",
        "发挥党组织战斗堡垒作用，推进软件产业发展。",
        "朱镕基同志曾说过，要干实事。",  # one character outside GB2312 is a name, not a script
        "乾坤朗朗，著作等身，干部群众。",
        "一個人的力量有限。",  # too few traditional characters to offer a conversion
    ],
)
def test_simplified_text_is_not_converted(text):
    assert by_rule(text, "script.traditional") == []


def test_is_traditional_char():
    assert is_traditional_char("黨") and is_traditional_char("體")
    assert not is_traditional_char("党") and not is_traditional_char("镕") and not is_traditional_char("a")
    assert to_simplified("軟體") == "软件"


# ---- script.pinyin_reading --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("增强战(zhàn)斗力", "增强战斗力"),
        ("戰(zhàn)斗力", "戰斗力"),
        ("激发創(chuàng)造力", "激发創造力"),
        ("提高领（lǐng）导水平", "提高领导水平"),
        ("坚持党(dang3)的领导", "坚持党的领导"),
        ("充分发(fā)挥作(zuò)用", "充分发挥作用"),
    ],
)
def test_pinyin_readings_are_removed(text, expected):
    assert fixed(text, "script.pinyin_reading") == expected


@pytest.mark.parametrize(
    "text",
    [
        "(一)加强学习",
        "我们要(一)加强学习",
        "会议(2022年)召开",
        "人工智能(AI)快速发展",
        "数字政务(app)上线",
        "三会一课(hui)",  # a syllable that is not this character's reading
        "党建(party building)",
    ],
)
def test_real_bracketed_content_is_kept(text):
    assert by_rule(text, "script.pinyin_reading") == []


# ---- script.garbled -----------------------------------------------------------


@pytest.mark.parametrize(
    "damaged",
    [
        "基层党建工作".encode().decode("gbk", errors="replace"),  # UTF-8 read as GBK
        "加强基层党组织建设".encode("gbk").decode("utf-8", errors="replace"),  # GBK read as UTF-8
        "党建引领".encode().decode("latin-1"),  # UTF-8 read as Latin-1
        "?;鶎狱h",
        "锟斤拷锟斤拷",
    ],
)
def test_garbled_runs_are_marked_not_guessed(damaged):
    text = f"深入推进{damaged}的各项任务。"
    [finding] = by_rule(text, "script.garbled")
    assert damaged.strip("\ufffd") in text[finding.start : finding.end] or finding.original in damaged
    assert not finding.is_fixable  # advisory: the editor restores it from the source
    assert finding.severity == "high"
    # The garbage is covered (the replacement marks at its edges included).
    assert text[: finding.start].endswith("深入推进") or text[: finding.start].startswith("深入推进")


@pytest.mark.parametrize(
    "text",
    [
        "踔厉奋发、笃行不怠，赓续红色血脉，擘画发展蓝图。",
        "朱镕基、李瑞环同志的讲话。",
        "温度为25°C，约占3×4，José说，COVID-19疫情，naïve。",
        "怎么办?我们要认真研究。",
        "發揮黨組織戰鬥堡壘作用，推進軟體產業發展。",  # traditional is not garbage
    ],
)
def test_rare_but_right_text_is_not_garbled(text):
    assert by_rule(text, "script.garbled") == []


# ---- script.capital_numeral -------------------------------------------------


def test_capital_one_outside_money_becomes_one():
    text = "统壹思想，壹是要加强学习。"
    assert fixed(text, "script.capital_numeral") == "统一思想，一是要加强学习。"


@pytest.mark.parametrize("text", ["奖励人民币壹万元整。", "合计壹仟伍佰元。", "金额：壹佰元。", "捐给壹基金。"])
def test_capital_one_in_money_is_kept(text):
    assert by_rule(text, "script.capital_numeral") == []


# ---- script.masked --------------------------------------------------------------


def test_masked_term_is_restored_when_only_one_term_fits():
    [finding] = by_rule("深入学习邓**理论和三个代表重要思想。", "script.masked")
    assert (finding.original, finding.suggestion) == ("**", "小平")


@pytest.mark.parametrize(
    ("text", "mask"), [("学习党的*大精神。", "*"), ("学习____理论。", "____"), ("学习＊＊思想。", "＊＊")]
)
def test_masked_word_that_cannot_be_guessed_is_marked(text, mask):
    [finding] = by_rule(text, "script.masked")
    assert finding.original == mask and not finding.is_fixable


@pytest.mark.parametrize("text", ["注*：数据来自统计局。", "填写姓名：____", "a*b=c", "××同志在××会议上"])
def test_footnote_marks_and_blanks_are_not_masks(text):
    assert by_rule(text, "script.masked") == []


# ---- through the proofreader ---------------------------------------------------


def test_proofread_reports_script_findings_as_built_in_checks():
    findings = proofread("發揮黨組織戰鬥堡壘作用，增强创(chuàng)造力。")
    assert {f.rule for f in findings} == {"script.traditional", "script.pinyin_reading"}
    assert proofread("發揮黨組織戰鬥堡壘作用。", builtin_checks=False) == []
