"""The proofreading service: shipped rules synced into the database without
overruling editors, the enabled rules reaching every process without a
restart, and stored articles proofread field by field."""

import json
import logging

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from articles.editing import rules as proofreading
from articles.editing.formulations import active_lexicon
from articles.editing.rules import (
    active_rules,
    political_findings,
    proofread_article,
    proofread_with_site_rules,
    sync_shipped_rules,
    validate_rule_row,
)
from articles.editing.sensitive import active_matcher
from articles.essay import Essay, EssaySection
from articles.essay.proofreading import load_rules
from articles.models import Article, ProofreadingRule, Section
from articles.tests.factories import make_article, make_section
from articles.text import html_to_text

RULE_A = {
    "id": "test.a",
    "pattern": "效劳",
    "suggestion": "服务",
    "category": "back_translation",
    "severity": "high",
    "explanation": "回译错词",
    "confidence": 0.9,
}
RULE_B = {
    "id": "test.b",
    "pattern": "根底",
    "suggestion": "基础",
    "category": "back_translation",
    "severity": "medium",
    "explanation": "回译错词",
    "note": "随规则文件发布的说明",
}


@pytest.fixture
def rule_file(tmp_path):
    """Write a rule file; returns a function (version, rules) → path."""

    def write(version, *rules):
        path = tmp_path / f"rules-{version}.json"
        path.write_text(json.dumps({"version": version, "rules": list(rules)}, ensure_ascii=False), encoding="utf-8")
        return path

    return write


@pytest.fixture
def empty_rules(db):
    ProofreadingRule.objects.all().delete()


def snapshot():
    return {
        row.rule_id: (row.pattern, row.enabled, row.note, row.origin, row.shipped_version, row.updated_at)
        for row in ProofreadingRule.objects.all()
    }


# --------------------------------------------------------------------------
# Sync


@pytest.mark.django_db
def test_migrate_leaves_every_shipped_rule_in_the_database():
    shipped = {rule.id for rule in load_rules()}
    rows = ProofreadingRule.objects.filter(origin=ProofreadingRule.Origin.SHIPPED)
    assert set(rows.values_list("rule_id", flat=True)) == shipped
    assert sync_shipped_rules().created == []


def test_sync_creates_shipped_rules(empty_rules, rule_file):
    report = sync_shipped_rules(rule_file("1", RULE_A, RULE_B))
    assert report.version == "1"
    assert sorted(report.created) == ["test.a", "test.b"]
    b = ProofreadingRule.objects.get(rule_id="test.b")
    assert (b.origin, b.shipped_version, b.enabled, b.pattern, b.suggestion) == ("shipped", "1", True, "根底", "基础")
    assert b.note == "随规则文件发布的说明" and b.severity == "medium" and b.confidence == 0.9


def test_sync_twice_writes_nothing_the_second_time(empty_rules, rule_file):
    path = rule_file("1", RULE_A, RULE_B)
    sync_shipped_rules(path)
    before = snapshot()
    report = sync_shipped_rules(path)
    assert report.created == report.updated == report.disabled == []
    assert sorted(report.unchanged) == ["test.a", "test.b"]
    assert snapshot() == before


def test_same_version_is_not_rewritten_even_if_the_file_changed(empty_rules, rule_file):
    sync_shipped_rules(rule_file("1", RULE_A))
    sync_shipped_rules(rule_file("1", {**RULE_A, "pattern": "效力"}))
    assert ProofreadingRule.objects.get(rule_id="test.a").pattern == "效劳"


def test_an_editors_choices_survive_a_version_bump(empty_rules, rule_file):
    sync_shipped_rules(rule_file("1", RULE_A, RULE_B))
    row = ProofreadingRule.objects.get(rule_id="test.a")
    row.enabled = False
    row.note = "本单位文稿里“效劳”是对的"
    row.save()
    report = sync_shipped_rules(rule_file("2", {**RULE_A, "pattern": "效劳|效力", "confidence": 0.8}, RULE_B))
    assert report.updated == ["test.a"] and report.unchanged == ["test.b"]
    row.refresh_from_db()
    assert (row.pattern, row.confidence, row.shipped_version) == ("效劳|效力", 0.8, "2")
    assert row.enabled is False
    assert row.note == "本单位文稿里“效劳”是对的"
    assert ProofreadingRule.objects.get(rule_id="test.b").shipped_version == "2"


def test_editors_rules_are_never_touched(empty_rules, rule_file):
    mine = ProofreadingRule.objects.create(
        rule_id="test.a",
        pattern="我的写法",
        suggestion="我的建议",
        category="punctuation",
        severity="low",
        explanation="编辑添加",
        origin=ProofreadingRule.Origin.EDITOR,
    )
    other = ProofreadingRule.objects.create(
        rule_id="editor.own",
        pattern="某词",
        suggestion="另一词",
        category="back_translation",
        severity="low",
        explanation="编辑添加",
    )
    before = snapshot()
    report = sync_shipped_rules(rule_file("1", RULE_A, RULE_B))
    assert report.skipped == ["test.a"] and report.created == ["test.b"]
    assert report.disabled == []
    after = snapshot()
    assert after[mine.rule_id] == before[mine.rule_id]
    assert after[other.rule_id] == before[other.rule_id]


def test_rules_removed_from_the_file_are_disabled_once_not_deleted(empty_rules, rule_file):
    sync_shipped_rules(rule_file("1", RULE_A, RULE_B))
    report = sync_shipped_rules(rule_file("2", RULE_A))
    assert report.disabled == ["test.b"]
    assert "test.b" in str(report)
    removed = ProofreadingRule.objects.get(rule_id="test.b")
    assert removed.enabled is False and removed.shipped_version == ""
    # An editor who wants it back keeps it: the next sync does not disable it again.
    removed.enabled = True
    removed.save()
    assert sync_shipped_rules(rule_file("3", RULE_A)).disabled == []
    assert ProofreadingRule.objects.get(rule_id="test.b").enabled is True


def test_an_invalid_rule_file_writes_nothing(empty_rules, rule_file):
    sync_shipped_rules(rule_file("1", RULE_A))
    before = snapshot()
    with pytest.raises(ValueError, match="test.bad"):
        sync_shipped_rules(rule_file("2", {**RULE_B, "id": "test.bad", "pattern": "根("}))
    assert snapshot() == before


def test_a_rule_too_long_for_its_column_is_refused_on_every_database(empty_rules, rule_file):
    with pytest.raises(ValueError, match="not_after"):
        sync_shipped_rules(rule_file("1", RULE_A, {**RULE_B, "not_after": "很" * 1001}))
    assert not ProofreadingRule.objects.exists()


# --------------------------------------------------------------------------
# Active rules


@pytest.mark.django_db
def test_active_rules_are_the_enabled_rows():
    ProofreadingRule.objects.filter(rule_id="political.kexue_fazhan_guan").update(enabled=False)
    ids = {rule.id for rule in active_rules()}
    assert ids == set(ProofreadingRule.objects.filter(enabled=True).values_list("rule_id", flat=True))
    assert "political.kexue_fazhan_guan" not in ids


@pytest.mark.django_db
def test_an_unchanged_rule_table_costs_one_query(django_assert_num_queries):
    first = active_rules()
    with django_assert_num_queries(1):
        assert active_rules() == first


@pytest.mark.django_db
def test_a_change_through_the_orm_takes_effect_without_a_restart():
    text_rule = "political.kexue_fazhan_guan"
    assert text_rule in {rule.id for rule in active_rules()}
    row = ProofreadingRule.objects.get(rule_id=text_rule)
    row.enabled = False
    row.save()
    assert text_rule not in {rule.id for rule in active_rules()}

    row.enabled = True
    row.suggestion = "科学发展观(测试)"
    row.save()
    rules = {rule.id: rule for rule in active_rules()}
    assert rules[text_rule].suggestion == "科学发展观(测试)"

    ProofreadingRule.objects.create(
        rule_id="editor.new",
        pattern="某某词",
        suggestion="某词",
        category="back_translation",
        severity="low",
        explanation="编辑添加",
    )
    assert "editor.new" in {rule.id for rule in active_rules()}
    ProofreadingRule.objects.filter(rule_id="editor.new").update(enabled=False)  # no save(): no updated_at
    assert "editor.new" not in {rule.id for rule in active_rules()}


@pytest.mark.django_db
def test_a_row_with_a_broken_regex_is_skipped_and_logged(caplog):
    ProofreadingRule.objects.create(
        rule_id="editor.broken",
        pattern="科学(开展",
        suggestion="x",
        category="back_translation",
        severity="low",
        explanation="坏规则",
    )
    with caplog.at_level(logging.WARNING, logger="articles.editing.rules"):
        ids = {rule.id for rule in active_rules()}
    assert "editor.broken" not in ids and "political.kexue_fazhan_guan" in ids
    assert "editor.broken" in caplog.text
    essay = Essay(title="标题", sections=[EssaySection("一、", "部分", body="贯彻落实科学开展观。")])
    assert [f.rule for f in proofread_with_site_rules(essay)] == ["political.kexue_fazhan_guan"]


@pytest.mark.django_db
def test_proofread_essay_uses_the_rules_editors_left_enabled():
    essay = Essay(title="标题", sections=[EssaySection("一、", "部分", body="贯彻落实科学开展观。")])
    assert [f.rule for f in proofread_with_site_rules(essay)] == ["political.kexue_fazhan_guan"]
    row = ProofreadingRule.objects.get(rule_id="political.kexue_fazhan_guan")
    row.enabled = False
    row.save()
    assert proofread_with_site_rules(essay) == []


# --------------------------------------------------------------------------
# Validating a row (the admin form's full_clean)


def rule_row(**fields):
    values = {
        "rule_id": "editor.x",
        "pattern": "效劳",
        "suggestion": "服务",
        "category": "back_translation",
        "severity": "high",
        "explanation": "说明",
        "confidence": 0.9,
    }
    return ProofreadingRule(**{**values, **fields})


@pytest.mark.django_db
def test_a_valid_row_passes_full_clean():
    rule_row().full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"pattern": "科学(开展"}, "pattern", "不是有效的正则表达式"),
        ({"context_after": "[的"}, "context_after", "不是有效的正则表达式"),
        ({"not_before": "(?<=a+)"}, "not_before", "不支持环视"),
        ({"context_before": r"(党)\1"}, "context_before", "不支持反向引用"),
        ({"pattern": "效?"}, "pattern", "不能匹配空字符串"),
        ({"category": "political_term", "severity": "high"}, "severity", "政治性错误"),
        ({"confidence": 1.5}, "confidence", "0 到 1"),
    ],
)
def test_an_unusable_row_is_refused_with_a_chinese_message_on_its_field(fields, field, words):
    with pytest.raises(ValidationError) as caught:
        rule_row(**fields).full_clean()
    assert words in " ".join(caught.value.message_dict[field])


def test_errors_on_fields_a_form_lacks_become_form_wide():
    with pytest.raises(ValidationError) as caught:
        validate_rule_row(rule_row(pattern="科学(开展"), exclude={"pattern"})
    messages = caught.value.message_dict
    assert "pattern" not in messages
    assert messages[NON_FIELD_ERRORS][0].startswith("错误写法（正则表达式）\uff1a")


# --------------------------------------------------------------------------
# Stored articles


def test_html_becomes_one_paragraph_per_line_with_entities_decoded():
    html = "<p>第一段 &amp; \n更多</p><h3>小标题</h3><ul><li>一是</li><li>二是</li></ul><p></p><p>末段&nbsp;文字<br>换行</p>"
    assert html_to_text(html) == "第一段 & 更多\n小标题\n一是\n二是\n末段 文字\n换行"
    assert html_to_text("") == ""


@pytest.fixture
def article(db):
    article = make_article(
        title="关于稳固执政地位的思考",
        lead="<p>第一段导语。</p><p>要坚持“两学一做学习教育&amp;常态化</p>",
        conclusion="<p>结语\uff1a带着人民群众前进。</p>",
    )
    make_section(article, "适应时代开展的需求", number="一、", position=1, body="<p>部分引言。</p>")
    make_section(
        article,
        "要点",
        level=Section.Level.POINT,
        number="(一)",
        position=2,
        body="<p>第一段。</p><p>深入贯彻落实<strong>科学开展观</strong>。</p>",
    )
    make_section(article, "对策建议", number="二、", position=3, body="")
    make_section(
        article,
        "稳固成果",
        level=Section.Level.POINT,
        number="(三)",
        position=4,
        body="<p>无误。</p>",
    )
    return article


def test_an_articles_findings_point_into_the_plain_text_of_their_field(article):
    sections = list(article.sections.all())
    all_findings = proofread_article(article)
    findings = {f.rule: f for f in all_findings if f.field != "heading" or f.section_id == sections[0].pk}
    texts = {
        ("title", None): article.title,
        ("lead", None): html_to_text(article.lead),
        ("conclusion", None): html_to_text(article.conclusion),
        **{("heading", s.pk): s.heading for s in sections},
        **{("body", s.pk): html_to_text(s.body) for s in sections},
    }
    # A heading's context shows its number, as the heading line reads.
    numbers = {("heading", s.pk): s.number for s in sections}
    for finding in all_findings:
        key = (finding.field, finding.section_id)
        text = texts[key]
        assert text[finding.start : finding.end] == finding.original
        assert (numbers.get(key, "") + text[: finding.start]).endswith(finding.context_before)
        assert text[finding.end :].startswith(finding.context_after)

    title = findings["bt.gonggu.verb"]
    assert (title.field, title.label, title.section_id, title.anchor) == ("title", "标题", None, "")

    quote = findings["quote.unpaired"]
    assert (quote.field, quote.label, quote.suggestion) == ("lead", "导语", "”")
    assert quote.start == quote.end == len("第一段导语。\n要坚持“两学一做")
    assert quote.context_before == "要坚持“两学一做"
    assert quote.context_after == "学习教育&常态化"

    heading = findings["bt.fazhan.domain_subject"]
    assert (heading.label, heading.section_id, heading.anchor) == (
        "第一部分 标题",
        sections[0].pk,
        f"section-{sections[0].pk}",
    )
    assert (heading.start, heading.end) == (4, 6)

    political = findings["political.kexue_fazhan_guan"]
    assert political.label == "第一部分\uff08一\uff09正文"
    assert political.section_id == sections[1].pk and political.anchor == sections[1].anchor
    assert (political.start, political.end) == (len("第一段。\n深入贯彻落实"), len("第一段。\n深入贯彻落实科学开展观"))
    assert (political.context_before, political.context_after) == ("深入贯彻落实", "。")
    assert political.is_political and political.severity_label == "政治性错误"

    point_heading = next(f for f in all_findings if f.section_id == sections[3].pk)
    assert point_heading.label == "第二部分\uff08三\uff09标题"
    assert (point_heading.context_before, point_heading.context_after) == ("(三)", "成果")

    conclusion = findings["bt.dailing.people"]
    assert (conclusion.label, conclusion.start) == ("结语", 3)


def test_political_findings_are_only_the_political_ones(article):
    findings = political_findings(article)
    assert [f.rule for f in findings] == ["political.kexue_fazhan_guan"]
    assert json.loads(json.dumps(findings[0].to_dict(), ensure_ascii=False))["id"].endswith(
        f"political.kexue_fazhan_guan@{findings[0].start}"
    )


def test_prefetched_sections_cost_no_query(article, django_assert_num_queries):
    rules, lexicon, matcher = active_rules(), active_lexicon(), active_matcher()
    article = Article.objects.prefetch_related("sections").get(pk=article.pk)
    with django_assert_num_queries(0):
        assert proofread_article(article, rules, lexicon=lexicon, matcher=matcher)


def test_points_before_any_section_are_labelled_by_their_number(db):
    article = make_article(lead="")
    point = make_section(
        article,
        "要点",
        level=Section.Level.POINT,
        number="(二)",
        position=1,
        body="<p>科学开展观。</p>",
    )
    [finding] = proofread_article(article)
    assert (finding.label, finding.section_id) == ("\uff08二\uff09正文", point.pk)


def test_the_cache_can_be_cleared(db, django_assert_num_queries):
    active_rules()
    proofreading.clear_rule_cache()
    with django_assert_num_queries(2):
        active_rules()
