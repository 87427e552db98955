"""Essay-level proofreading: the canonical text of an essay, the map from its
offsets back to fields, and fixes that land in their own field without
touching the essay's structure."""

import copy
from pathlib import Path

import pytest

from articles.essay import Essay, EssayPoint, EssaySection, parse
from articles.essay.layout import (
    EssayLocation,
    essay_text,
    fix_essay,
    layout,
    proofread_essay,
)
from articles.essay.proofreading import Finding, Rule, apply_corrections, proofread

SAMPLE = Path(__file__).resolve().parents[2] / "demo" / "essays" / "000_jiceng_zuzhi_wenti_duice.txt"


def make_essay():
    return Essay(
        title="关于稳固执政地位的思考",
        subtitle="以某县为例",
        author_org="某县委组织部",
        lead="第一段导语。\n第二段导语\uff0c要坚持“两学一做学习教育常态化",
        sections=[
            EssaySection(
                "一、",
                "适应时代开展的需求",
                "significance",
                "部分引言。",
                points=[EssayPoint("(一)", "要点一", "深入贯彻落实科学开展观。"), EssayPoint("(二)", "要点二", "")],
            ),
            EssaySection("二、", "对策建议", "countermeasures", ""),
        ],
        conclusion="结语一。\n结语二\uff0c带着人民群众前进",
    )


EXPECTED_TEXT = "\n".join(
    [
        "关于稳固执政地位的思考",
        "以某县为例",
        "第一段导语。",
        "第二段导语\uff0c要坚持“两学一做学习教育常态化",
        "一、适应时代开展的需求",
        "部分引言。",
        "(一)要点一",
        "深入贯彻落实科学开展观。",
        "(二)要点二",
        "二、对策建议",
        "结语一。",
        "结语二\uff0c带着人民群众前进",
        "作者单位\uff1a某县委组织部",
    ]
)


def field_value(essay, path):
    """Read a field by its location path (the test's own, independent reader)."""
    target = essay
    for part in path.replace("]", "").split("."):
        name, _, index = part.partition("[")
        target = getattr(target, name)
        if index:
            target = target[int(index)]
    return target


# --------------------------------------------------------------------------
# Layout


def test_essay_text_is_one_paragraph_per_line_in_reading_order():
    assert essay_text(make_essay()) == EXPECTED_TEXT


def test_empty_fields_take_no_line():
    essay = make_essay()
    essay.subtitle = essay.author_org = essay.conclusion = ""
    text = essay_text(essay)
    assert text.startswith("关于稳固执政地位的思考\n第一段导语。\n")
    assert text.endswith("二、对策建议")
    assert "作者单位" not in text


# --------------------------------------------------------------------------
# Location mapping


@pytest.mark.parametrize(
    ("needle", "path", "local"),
    [
        ("稳固", "title", 2),
        ("某县为例", "subtitle", 1),
        ("第二段", "lead", 7),
        ("开展的需求", "sections[0].heading", 4),
        ("引言", "sections[0].body", 2),
        ("要点一", "sections[0].points[0].heading", 0),
        ("科学开展观", "sections[0].points[0].body", 6),
        ("要点二", "sections[0].points[1].heading", 0),
        ("对策", "sections[1].heading", 0),
        ("带着", "conclusion", 9),
        ("组织部", "author_org", 3),
    ],
)
def test_a_span_maps_back_to_its_field(needle, path, local):
    essay = make_essay()
    laid_out = layout(essay)
    start = laid_out.text.index(needle)
    location = laid_out.locate(start, start + len(needle))
    assert location == EssayLocation(path, local, local + len(needle))
    assert field_value(essay, path)[location.start : location.end] == needle
    assert laid_out.offset(path, local) == start


def test_numbers_are_their_own_fields_and_labels_belong_to_none():
    laid_out = layout(make_essay())
    text = laid_out.text
    start = text.index("(一)")
    assert laid_out.locate(start, start + 3).path == "sections[0].points[0].number"
    label = text.index("作者单位")
    assert laid_out.locate(label, label + 2) is None


def test_a_span_across_two_fields_maps_nowhere():
    laid_out = layout(make_essay())
    text = laid_out.text
    across_lines = text.index("思考\n以")
    assert laid_out.locate(across_lines, across_lines + 3) is None
    number_and_heading = text.index("二、对策")
    assert laid_out.locate(number_and_heading, number_and_heading + 4) is None


def test_an_insertion_point_at_a_field_end_belongs_to_that_field():
    essay = make_essay()
    laid_out = layout(essay)
    end_of_title = len(essay.title)
    assert laid_out.locate(end_of_title, end_of_title) == EssayLocation("title", end_of_title, end_of_title)
    heading_start = laid_out.text.index("适应")
    assert laid_out.locate(heading_start, heading_start).path == "sections[0].heading"


# --------------------------------------------------------------------------
# Proofreading


def test_findings_carry_their_field_id_and_a_short_context_within_the_line():
    essay = make_essay()
    text = essay_text(essay)
    findings = proofread_essay(essay)
    by_rule = {f.rule: f for f in findings}
    assert set(by_rule) >= {"bt.gonggu.verb", "quote.unpaired", "political.kexue_fazhan_guan", "bt.dailing.people"}
    for finding in findings:
        assert text[finding.start : finding.end] == finding.original
        location = finding.location
        assert field_value(essay, location.path)[location.start : location.end] == finding.original
        assert finding.id == f"{finding.rule}@{finding.start}"
        assert len(finding.context_before) <= 12 and len(finding.context_after) <= 12
        assert "\n" not in finding.context_before + finding.context_after
    political = by_rule["political.kexue_fazhan_guan"]
    assert political.location == EssayLocation("sections[0].points[0].body", 6, 11)
    assert (political.context_before, political.context_after) == ("深入贯彻落实", "。")
    quote = by_rule["quote.unpaired"]
    assert quote.location.path == "lead" and quote.original == "" and quote.suggestion == "”"
    assert quote.context_before.endswith("“两学一做") and quote.context_after == "学习教育常态化"


def test_findings_spanning_two_fields_are_dropped():
    rule = Rule(
        id="test.across",
        pattern="思考\n以",
        suggestion="x",
        category="back_translation",
        severity="high",
        explanation="跨字段",
    )
    assert any(f.rule == "test.across" for f in proofread(essay_text(make_essay()), [rule]))
    assert proofread_essay(make_essay(), [rule]) == [
        f for f in proofread_essay(make_essay(), []) if f.rule != "test.across"
    ]


def test_the_rules_given_replace_the_shipped_ones():
    rule = Rule(
        id="test.yaodian",
        pattern="要点",
        suggestion="重点",
        category="back_translation",
        severity="low",
        explanation="测试",
    )
    findings = proofread_essay(make_essay(), [rule])
    assert [f.location.path for f in findings if f.rule == "test.yaodian"] == [
        "sections[0].points[0].heading",
        "sections[0].points[1].heading",
    ]
    assert not any(f.rule.startswith("bt.") for f in findings)


# --------------------------------------------------------------------------
# Fixing


def test_fix_essay_applies_each_suggestion_in_its_own_field():
    essay = make_essay()
    before = copy.deepcopy(essay)
    fixed = fix_essay(essay, proofread_essay(essay))
    assert fixed.title == "关于巩固执政地位的思考"
    assert fixed.lead == "第一段导语。\n第二段导语\uff0c要坚持“两学一做”学习教育常态化"
    assert fixed.sections[0].heading == "适应时代发展的需求"
    assert fixed.sections[0].points[0].body == "深入贯彻落实科学发展观。"
    assert fixed.conclusion == "结语一。\n结语二\uff0c带领人民群众前进"
    assert fixed.subtitle == essay.subtitle and fixed.author_org == essay.author_org
    assert essay == before, "the essay passed in is not modified"


def test_fixing_the_fields_equals_fixing_the_text():
    essay = make_essay()
    findings = proofread_essay(essay)
    fixed = fix_essay(essay, findings)
    expected = apply_corrections(essay_text(essay), [f.finding for f in findings if f.is_fixable])
    assert essay_text(fixed) == expected


def test_fix_essay_accepts_bare_engine_findings_with_text_offsets():
    essay = make_essay()
    findings = [f.finding for f in proofread_essay(essay)]
    assert fix_essay(essay, findings) == fix_essay(essay, proofread_essay(essay))


def test_only_the_findings_given_are_applied():
    essay = make_essay()
    political = [f for f in proofread_essay(essay) if f.severity == "political"]
    fixed = fix_essay(essay, political)
    assert fixed.sections[0].points[0].body == "深入贯彻落实科学发展观。"
    assert fixed.title == essay.title and fixed.sections[0].heading == essay.sections[0].heading


def test_a_bare_point_number_is_reported_but_never_breaks_a_field():
    essay = make_essay()
    essay.sections[0].body = "具有十分重要的现实意义一适应时代发展的需求 步入新的阶段。"
    findings = proofread_essay(essay)
    bare = [f for f in findings if f.rule == "structure.bare_point_number"]
    assert bare and "\n" in bare[0].suggestion
    assert not bare[0].is_fixable
    fixed = fix_essay(essay, findings)
    assert fixed.sections[0].body == essay.sections[0].body

    def shape(e):
        return [(s.number, s.kind, [(p.number, p.heading) for p in s.points]) for s in e.sections]

    assert shape(fixed) == shape(essay)


def test_advisory_findings_and_numbers_are_left_alone():
    essay = make_essay()
    essay.sections[1].body = "这句话有多余的右引号”。"
    laid_out = layout(essay)
    number_start = laid_out.text.index("(一)")
    findings = proofread_essay(essay)
    advisory = [f for f in findings if f.suggestion == f.original]
    assert advisory and not any(f.is_fixable for f in advisory)
    number_fix = Finding(number_start, number_start + 3, "(一)", "1.", "test.number", "structure", "low", "x", 0.5)
    fixed = fix_essay(essay, [number_fix, *findings])
    assert fixed.sections[1].body == essay.sections[1].body
    assert fixed.sections[0].points[0].number == "(一)"


def test_a_stale_finding_is_refused_not_applied_blindly():
    essay = make_essay()
    findings = proofread_essay(essay)
    edited = copy.deepcopy(essay)
    edited.sections[0].points[0].body = "已经改过的正文\uff0c不再有那个词。"
    with pytest.raises(ValueError, match=r"sections\[0\]\.points\[0\]\.body"):
        fix_essay(edited, findings)


def test_the_sample_essay_fixed_keeps_its_structure_and_has_nothing_left_to_fix():
    essay = parse(SAMPLE.read_text(encoding="utf-8"))
    findings = proofread_essay(essay)
    fixed = fix_essay(essay, findings)

    def shape(e):
        return [(s.number, s.kind, [p.number for p in s.points]) for s in e.sections]

    assert shape(fixed) == shape(essay)
    assert "科学发展观" in essay_text(fixed) and "科学开展观" not in essay_text(fixed)
    assert not [f for f in proofread_essay(fixed) if f.is_fixable]


def test_a_numeral_starting_a_title_or_heading_is_a_word_not_a_point():
    essay = make_essay()
    essay.title = "一篇关于基层党建的调研"
    essay.sections[1].heading = "一年来取得的成效"
    essay.sections[1].body = "一适应时代的需求 步入新的阶段。"
    findings = proofread_essay(essay)
    bare = [f for f in findings if f.rule == "structure.bare_point_number"]
    assert [f.location.path for f in bare] == ["sections[1].body"]
    fixed = fix_essay(essay, findings)
    assert (fixed.title, fixed.sections[1].heading, fixed.sections[1].body) == (
        essay.title,
        essay.sections[1].heading,
        essay.sections[1].body,
    )
