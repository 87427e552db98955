"""Splitting a point's text into items (library.extraction): plain strings, no database."""

import pytest

from articles.text import html_to_text as plain_text
from library.extraction import Item, first_sentence, split_items


def texts(items):
    return [item.text for item in items]


def test_plain_prose_is_one_item_with_ordinal_zero():
    assert split_items("有的党组织书记重业务、轻党建，认为党建工作是软任务。") == [
        Item(0, "有的党组织书记重业务、轻党建，认为党建工作是软任务。")
    ]


def test_empty_text_has_no_items():
    assert split_items("") == []
    assert split_items("   \n ") == []
    assert split_items(None) == []


def test_yi_shi_er_shi_enumeration_splits_into_items():
    items = split_items("一是组织覆盖不够全面；二是书记队伍结构有待优化；三是后备力量储备不足。")
    assert [item.ordinal for item in items] == [1, 2, 3]
    assert texts(items) == ["组织覆盖不够全面", "书记队伍结构有待优化", "后备力量储备不足。"]


def test_preamble_before_the_first_marker_is_not_an_item():
    items = split_items("完善招聘体系，拓宽通道。一是开展分层分类培训；二是建立考核办法。")
    assert texts(items) == ["开展分层分类培训", "建立考核办法。"]


def test_markers_after_a_comma_or_line_break_count():
    items = split_items("主要表现在：一是学习不深入，\n二是活动走过场，三是制度执行不严格")
    assert texts(items) == ["学习不深入", "活动走过场", "制度执行不严格"]


def test_di_yi_di_er_enumeration():
    items = split_items("第一，加强思想教育，提高认识。第二，健全制度机制。第三、强化考核问责。")
    assert texts(items) == ["加强思想教育，提高认识。", "健全制度机制。", "强化考核问责。"]


def test_shouxian_qici_zuihou_enumeration_without_zaici():
    items = split_items("首先，要提高政治站位。其次，要压实主体责任。最后，要加强督促检查。")
    assert texts(items) == ["要提高政治站位。", "要压实主体责任。", "要加强督促检查。"]


def test_a_lone_second_marker_is_prose():
    text = "党建工作二是指的另一件事，与一无关。"
    assert split_items(text) == [Item(0, text)]


def test_markers_out_of_order_are_prose():
    text = "二是人员不足；一是经费不够。"
    assert split_items(text) == [Item(0, text)]


def test_a_marker_inside_a_word_is_not_a_marker():
    # 统一是 contains 一是 but not after a sentence boundary.
    text = "思想统一是前提，行动二是关键。"
    assert split_items(text) == [Item(0, text)]


def test_one_marker_only_is_prose():
    text = "一是组织覆盖不够全面，新兴领域党组织组建难。"
    assert split_items(text) == [Item(0, text)]


def test_parts_too_short_are_dropped_and_one_left_means_prose():
    text = "一是好；二是组织生活走过场，流于形式。"
    assert split_items(text) == [Item(0, text)]


def test_the_longest_enumeration_wins():
    items = split_items("首先，一是甲乙丙丁；二是戊己庚辛；三是子丑寅卯。其次，略。")
    assert len(items) == 3


def test_item_text_is_bounded():
    items = split_items("一是" + "长" * 5000 + "；二是短短短短短。")
    assert len(items[0].text) == 2000


def test_ten_markers():
    numerals = "一二三四五六七八九十"
    text = "；".join(f"{n}是第{n}项内容较长" for n in numerals)
    assert [item.ordinal for item in split_items(text)] == list(range(1, 11))


@pytest.mark.parametrize(
    "html, expected",
    [
        ("<p>甲乙</p><p>丙丁</p>", "甲乙\n丙丁"),
        ("<p>A&amp;B&nbsp;C</p>", "A&B C"),
        ("<p>一行<br>二行</p>", "一行\n二行"),
        ("", ""),
        ("<ul><li>一</li><li>二</li></ul>", "一\n二"),
    ],
)
def test_plain_text(html, expected):
    assert plain_text(html) == expected


def test_first_sentence_is_a_heading():
    assert first_sentence("组织覆盖不够全面。部分新兴领域党组织组建难") == "组织覆盖不够全面"
    assert first_sentence("，开头有标点；后面") == "开头有标点"
    assert first_sentence("长" * 100, limit=10) == "长" * 9 + "…"
    assert first_sentence("") == ""
