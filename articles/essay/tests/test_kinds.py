"""guess_kind: what a section is about, from its heading."""

import pytest

from articles.essay import KINDS, guess_kind


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("基层党建工作的重要意义", "significance"),
        ("加强基层党建的重要性", "significance"),
        ("加强国企基层党建的必要性", "significance"),
        ("基层党建工作的现状", "situation"),
        ("基本情况", "situation"),
        ("取得的主要成效", "situation"),
        ("主要做法", "situation"),
        ("基层党建工作存在的问题", "problems"),
        ("存在的不足", "problems"),
        ("面临的困难和挑战", "problems"),
        ("问题产生的原因", "causes"),
        ("原因分析", "causes"),
        ("加强基层党建的对策建议", "countermeasures"),
        ("问题及对策建议", "countermeasures"),
        ("解决问题的措施", "countermeasures"),
        ("推进融合的路径", "countermeasures"),
        ("几点举措", "countermeasures"),
        ("着力解决突出问题", "other"),
        ("结语", "other"),
        ("", "other"),
    ],
)
def test_guess_kind(heading, kind):
    assert guess_kind(heading) == kind


def test_guess_kind_only_returns_known_kinds():
    assert {guess_kind(h) for h in ["意义", "现状", "问题", "原因", "对策", "其他"]} == set(KINDS)


def test_guess_kind_tolerates_non_strings():
    assert guess_kind(None) == "other"
