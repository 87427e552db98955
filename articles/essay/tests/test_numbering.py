"""Chinese numerals, numbering styles and the search for bare point numbers."""

import pytest

from articles.essay.numbering import (
    AR_DOT,
    AR_DUN,
    AR_PAREN,
    CN_PAREN,
    cn_to_int,
    find_bare_point,
    int_to_cn,
    match_section,
)


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("十九", 19), ("二十", 20), ("二十三", 23), ("九十九", 99)],
)
def test_chinese_numerals_both_ways(numeral, value):
    assert cn_to_int(numeral) == value
    assert int_to_cn(value) == numeral


@pytest.mark.parametrize("junk", ["", "一一", "十十", "一十", "二三", "十二三", "百", "二十十"])
def test_malformed_numerals_are_not_numbers(junk):
    assert cn_to_int(junk) is None


def test_every_number_round_trips():
    assert all(cn_to_int(int_to_cn(value)) == value for value in range(1, 100))


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("一、重要意义", (1, "重要意义")),
        ("二. 主要问题", (2, "主要问题")),
        ("三．对策", (3, "对策")),
        ("十一、结语", (11, "结语")),
        ("一、二季度成效明显", None),
        ("一是加强学习", None),
        ("第一、加强学习", None),
    ],
)
def test_section_numbers(paragraph, expected):
    assert match_section(paragraph) == expected


@pytest.mark.parametrize(
    ("style", "paragraph", "label", "rest"),
    [
        (CN_PAREN, "（一）加强学习", "(一)", "加强学习"),
        (CN_PAREN, "(十二) 加强学习", "(十二)", "加强学习"),
        (AR_PAREN, "（1）加强学习", "(1)", "加强学习"),
        (AR_DOT, "1．加强学习", "1.", "加强学习"),
        (AR_DOT, "2. 加强学习", "2.", "加强学习"),
        (AR_DUN, "3、加强学习", "3、", "加强学习"),
    ],
)
def test_point_numbers_are_normalised(style, paragraph, label, rest):
    value, text = style.match(paragraph)
    assert (style.label(value), text) == (label, rest)


def test_decimal_is_not_a_numbered_point():
    assert AR_DOT.match("1.5万名党员参加学习。") is None


def _heading(paragraph, value):
    at = find_bare_point(paragraph, value)
    return None if at is None else paragraph[at + len(int_to_cn(value)) :]


def test_bare_numeral_after_a_quantity_word_of_the_same_numeral():
    # 一些 is a quantity; the heading starts at the later 一.
    assert _heading("但目前仍存在一些不足一对党建工作的重视程度不够", 1) == "对党建工作的重视程度不够"


def test_bare_numeral_glued_to_the_previous_sentence():
    assert _heading("持续增强凝聚力三选好配强村级带头人", 3) == "选好配强村级带头人"


def test_bare_heading_may_contain_a_comma():
    paragraph = "不断提高素质五强化政治功能,必须在规范组织生活上下功夫"
    assert _heading(paragraph, 5) == "强化政治功能,必须在规范组织生活上下功夫"


def test_bare_numeral_at_paragraph_start():
    assert _heading("一完善激励保障机制", 1) == "完善激励保障机制"


@pytest.mark.parametrize(
    ("paragraph", "value"),
    [
        ("我们要做到一是加强学习", 1),  # enumeration
        ("统一思想认识", 1),  # part of a word
        ("认真落实三会一课制度", 1),
        ("深入开展两学一做学习", 1),
        ("奋力开启十三五新征程", 3),
        ("全面落实三严三实要求", 3),
        ("每个支部确定三个重点", 3),  # quantity
        ("是第二批试点单位", 2),  # ordinal
        ("党建工作二加强学习。坚持每月学习", 2),  # heading would hold a sentence end
        ("党建工作二" + "加强学习" * 15, 2),  # too long for a heading
        ("党建工作一", 1),  # nothing after it
        ("党建工作一，加强学习", 1),  # heading cannot start with punctuation
    ],
)
def test_bare_numerals_that_are_not_point_numbers(paragraph, value):
    assert find_bare_point(paragraph, value) is None


def test_bare_numeral_nearest_the_end_wins():
    assert _heading("二完善机制二健全制度", 2) == "健全制度"
