"""The sample essay from the corpus: damaged text that must come out clean and whole.

The essay is not ours to ship: it is read from the shared corpus next to the
repository (``../shared``), and these tests skip in a clone without it.
"""

import re
from pathlib import Path

import pytest

from articles.essay import parse

REPO_ROOT = Path(__file__).resolve().parents[3]
CANDIDATES = (REPO_ROOT.parent / "shared" / "corpus" / "000_732e1f7d4a6dfbca.txt",)


@pytest.fixture(scope="module")
def essay():
    for path in CANDIDATES:
        if path.is_file():
            return parse(path.read_text(encoding="utf-8"))
    pytest.skip("../shared/corpus is absent: the sample essay is not part of the project")


def _all_text(essay):
    parts = [essay.title, essay.subtitle, essay.author_org, essay.lead, essay.conclusion]
    for section in essay.sections:
        parts += [section.number, section.heading, section.body]
        for point in section.points:
            parts += [point.number, point.heading, point.body]
    return parts


def test_title_is_the_clean_copy_without_watermark(essay):
    assert essay.title == "当前基层党建工作存在的问题及对策建议"
    assert essay.subtitle == ""


def test_lead_runs_from_title_to_first_section(essay):
    assert essay.lead.startswith("基层党建工作要坚持")
    assert essay.lead.endswith("组织保障")
    assert "\n" not in essay.lead


def test_three_sections_with_kinds_and_headings(essay):
    assert [(s.number, s.heading, s.kind) for s in essay.sections] == [
        ("一、", "基层党建工作的重要意义", "significance"),
        ("二、", "基层党建工作存在的问题", "problems"),
        ("三、", "加强基层党建的对策建议", "countermeasures"),
    ]


def test_points_have_exact_numbers_and_headings(essay):
    assert [[(p.number, p.heading) for p in s.points] for s in essay.sections] == [
        [("(一)", "适应时代开展的需求"), ("(二)", "稳固执政地位的需求"), ("(三)", "满足群众期盼的要求")],
        [
            ("(一)", "对基层党建工作重要性认识缺乏"),
            ("(二)", "党建工作运行机制和工作方法缺乏创新"),
            ("(三)", "活动内容、方式陈旧,组织生活松懈"),
        ],
        [
            ("(一)", "基层党组织要不断创新工作方法"),
            ("(二)", "充分发挥党组织的教育引导作用"),
            ("(三)", "培养吸收优秀青年干部入党"),
            ("(四)", "抓政治和业务学习,提高党员的综合素质"),
            ("(五)", "发挥基层党组织战斗堡垒作用,必须在表达党员先锋作用上下功夫"),
        ],
    ]


def test_section_intros_end_where_the_bare_numeral_was_glued(essay):
    first, second, third = essay.sections
    assert first.body.startswith("基层党建是各项工作的龙头")
    assert first.body.endswith("现实意义")
    assert second.body.startswith("基层党建是整个党建工作的重中之重")
    assert second.body.endswith("还存在一些缺乏")
    assert third.body == ""


def test_point_bodies_start_and_end_at_the_right_places(essay):
    first, second, third = essay.sections
    assert first.points[0].body.startswith("步入")
    assert first.points[0].body.endswith("提供有利保障")
    assert first.points[1].body.startswith("基层经济社会开展状况")
    assert first.points[1].body.endswith("必然要求")
    assert first.points[2].body.endswith("为人民效劳的宗旨")
    assert second.points[0].body.startswith("当下一局部同志")
    assert second.points[0].body.endswith("正确把握工作方向")
    assert second.points[2].body.startswith("相当一局部")
    assert second.points[2].body.endswith("整体优势")
    assert third.points[0].body.startswith("落实新举措")
    assert third.points[1].body.endswith("增强执行力")
    assert third.points[2].body.startswith("要注意发现")
    assert third.points[4].body.startswith("基层党组织的战斗堡垒作用")
    assert third.points[4].body.endswith("方向开展")
    for section in essay.sections:
        for point in section.points:
            assert "\n" not in point.body  # damaged text: one paragraph per point


def test_enumerations_stay_inside_their_points(essay):
    problems_two = essay.sections[1].points[1].body
    assert problems_two.startswith("一是管理关系脱节")
    assert "二是监督职能缺乏" in problems_two
    measures_five = essay.sections[2].points[4].body
    for marker in ("一是做培育", "二是做先锋", "三是做深化"):
        assert marker in measures_five


def test_page_markers_are_gone_and_split_words_rejoined(essay):
    first, second, third = essay.sections
    assert "社会主义市场经济体制" in first.points[0].body
    assert "人民的物质文化需求" in first.points[2].body
    assert "有的单位抓党建工作完全是流于形式" in second.points[0].body
    assert "创新不多" in second.points[2].body
    assert "经常分析工作面临的新形势" in third.points[0].body
    assert "做到忠诚、干净、担当" in third.points[3].body
    assert "干事业、树正气" in third.points[4].body
    for text in _all_text(essay):
        assert not re.search(r"(^|\n)\d、", text), text[:40]
        assert "天道酬勤" not in text


def test_conclusion_and_author_unit_are_separated(essay):
    assert essay.conclusion.startswith("基层党组织和广阔党员干部")
    assert essay.conclusion.endswith("作用")
    assert "作者单位" not in essay.conclusion
    assert essay.author_org == "海西州纪律检查委员会"


def test_warnings_tell_the_editor_about_watermark_and_page_markers(essay):
    assert any("天道酬勤" in w and "水印" in w for w in essay.warnings)
    assert any("页码" in w for w in essay.warnings)
    assert any("标题重复" in w for w in essay.warnings)
    assert not any("未找到结语" in w for w in essay.warnings)
