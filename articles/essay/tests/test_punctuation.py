"""Punctuation to GB/T 15834 (articles/essay/punctuation.py): each check
fires on the damage and leaves right text and Latin/numeric runs alone."""

import pytest

from articles.essay.proofreading import apply_corrections, proofread
from articles.essay.punctuation import normalized_marks, punctuation_findings


def by_rule(text, rule):
    return [f for f in punctuation_findings(text) if f.rule == rule]


def fixed(text, *rules):
    return apply_corrections(text, [f for f in punctuation_findings(text) if f.rule in rules])


# ---- punct.halfwidth ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("加强学习,提高素质;改进作风:求真务实", "加强学习，提高素质；改进作风：求真务实"),
        ("怎么办?我们要干!", "怎么办？我们要干！"),
        ("工作, 我们要抓紧", "工作，我们要抓紧"),
        ("他说:“要学习。”", "他说：“要学习。”"),
        ("学习党章(2017年修订)的要求", "学习党章（2017年修订）的要求"),
        ('开展"两学一做"学习教育', "开展“两学一做”学习教育"),
    ],
)
def test_halfwidth_marks_between_hanzi_become_fullwidth(text, expected):
    assert fixed(text, "punct.halfwidth") == expected


@pytest.mark.parametrize(
    "text",
    [
        "增长1.5个百分点，上午10:30开会。",
        "详见https://www.example.cn/a?b=1,c=2页面。",
        '抗击"COVID-19"疫情。',
        "人工智能(AI)发展迅速。",
        "(一)加强学习",
        "1.加强学习,提高素质",  # the comma after 习 is between hanzi: only it changes
        "党建工作，稳步推进。",
    ],
)
def test_latin_numeric_runs_and_right_marks_are_left_alone(text):
    changed = [f for f in by_rule(text, "punct.halfwidth") if not (f.original == "," and text[f.start - 1] == "习")]
    assert changed == []


# ---- punct.corner_quote / punct.closing_quote ----------------------------------


def test_corner_quotes_become_curly():
    assert fixed("落實「三會一課」制度，『兩學一做』", "punct.corner_quote") == "落實“三會一課”制度，‘兩學一做’"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("开展〝两学一做〞学习教育", "开展“两学一做”学习教育"),
        ('坚持“两学一做"学习教育', "坚持“两学一做”学习教育"),
        ('他强调“要抓好落实"。', "他强调“要抓好落实”。"),
    ],
)
def test_odd_closing_marks_become_right_quotes(text, expected):
    assert fixed(text, "punct.closing_quote", "punct.halfwidth") == expected


def test_a_fixed_closer_is_not_also_reported_as_lost():
    text = '坚持“两学一做"学习教育，落实「三会一课」制度。'
    rules = [f.rule for f in proofread(text)]
    assert "quote.unpaired" not in rules
    assert normalized_marks(text) == "坚持“两学一做”学习教育，落实“三会一课”制度。"


# ---- punct.ocr_number -------------------------------------------------------------


def test_ocr_dash_becomes_point_one():
    text = "(-)加强组织建设\n内容。\n(=)加强队伍建设\n内容。"
    assert fixed(text, "punct.ocr_number") == "（一）加强组织建设\n内容。\n（二）加强队伍建设\n内容。"


@pytest.mark.parametrize("text", ["公式(=)不成立", "(=)加强队伍建设", "温差(-)5度", "a(-)b"])
def test_ocr_numbers_only_when_certain(text):
    assert by_rule(text, "punct.ocr_number") == []


# ---- punct.final_stop ----------------------------------------------------------------

PARAGRAPH = "基层党组织是党在社会基层组织中的战斗堡垒，是党的全部工作和战斗力的基础，必须坚持不懈抓好抓实"


def test_a_prose_paragraph_without_its_final_stop_gets_an_insertion_point():
    text = f"关于加强基层党建的思考\n{PARAGRAPH}\n一、重要意义\n正文在这里。"
    [finding] = by_rule(text, "punct.final_stop")
    assert finding.start == finding.end == text.index("\n一、")
    assert finding.suggestion == "。" and finding.original == ""


@pytest.mark.parametrize(
    "text",
    [
        f"{PARAGRAPH}\n正文。",  # the first line is the title
        "标题\n一、坚持党建引领，推动基层治理体系和治理能力现代化，全面提升组织力和凝聚力\n正文。",
        "标题\n（一）坚持党建引领，推动基层治理体系和治理能力现代化，全面提升组织力和凝聚力\n正文。",
        "标题\n一是加强政治建设，筑牢思想根基，持续深化理论武装，推动学习走深走实\n正文。",
        "标题\n主要做法如下：\n正文。",
        "标题\n坚持党建引领，推动基层治理现代化\n正文。",  # a heading without a number
        f"标题\n{PARAGRAPH}。\n正文。",
        "标题\n作者单位：某县委组织部，某某乡党委，某某村党支部等单位联合调研组",
        f"标题\n{PARAGRAPH}。某区委党校调研组",  # a signature run into the last paragraph
        f"标题\n{PARAGRAPH}。二〇二三年五月",
    ],
)
def test_titles_headings_items_and_finished_paragraphs_are_left_alone(text):
    assert by_rule(text, "punct.final_stop") == []


def test_hard_wrapped_lines_are_not_paragraphs():
    wrapped = (
        "标题\n基层党组织是党在社会基层组织中的战斗堡垒，是党的\n"
        "全部工作和战斗力的基础。必须坚持不懈抓好抓实，推动\n"
        "基层党建工作全面进步全面过硬，为高质量发展提供坚强\n"
        "组织保证。"
    )
    assert by_rule(wrapped, "punct.final_stop") == []


def test_clean_essays_have_no_punctuation_findings():
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    paths = sorted((root / "benchmarks" / "proofreading" / "clean").glob("*.txt"))
    assert paths
    for path in paths:
        assert punctuation_findings(path.read_text(encoding="utf-8")) == [], path.name
