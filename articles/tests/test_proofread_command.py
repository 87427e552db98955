"""``manage.py proofread`` and ``manage.py sync_proofreading_rules`` as an
administrator runs them."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import ProofreadingRule, Section
from articles.tests.factories import make_article, make_section


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except CommandError as error:
        err.write(str(error))
        code = 1
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def damaged(db):
    article = make_article(title="基层党建的几点思考", lead="<p>要坚持“两学一做学习教育常态化。</p>")
    make_section(article, "适应时代开展的需求", number="一、", position=1, body="<p>引言。</p>")
    make_section(
        article,
        "要点",
        level=Section.Level.POINT,
        number="(一)",
        position=2,
        body="<p>深入贯彻落实科学开展观。</p>",
    )
    return article


@pytest.fixture
def clean(db):
    return make_article(title="一篇没有错误的文稿", lead="<p>基层党组织要发挥战斗堡垒作用。</p>")


def test_an_article_is_reported_in_chinese_with_labels_and_context(damaged):
    code, out, _ = run("proofread", "--article", str(damaged.pk))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"#{damaged.pk}《基层党建的几点思考》\uff1a3 处"
    assert "[中] 导语\uff1a…要坚持“两学一做【补”】学习教育常态化。…" in out
    assert "[高] 第一部分 标题\uff1a…一、适应时代【开展→发展】的需求…" in out
    assert "[政治性错误] 第一部分\uff08一\uff09正文\uff1a…深入贯彻落实【科学开展观→科学发展观】。…" in out
    assert lines[-1] == "共校对 1 篇\uff0c发现 3 处可能的错误\uff08政治性 1 处\uff09。"


def test_json_prints_one_object_per_article(damaged, clean):
    code, out, _ = run("proofread", "--all", "--json")
    assert code == 0
    reports = [json.loads(line) for line in out.splitlines()]
    assert [(r["id"], r["title"]) for r in reports] == [(damaged.pk, damaged.title), (clean.pk, clean.title)]
    assert reports[1]["findings"] == []
    political = [f for f in reports[0]["findings"] if f["severity"] == "political"]
    [finding] = political
    section = damaged.sections.get(level=Section.Level.POINT)
    assert finding["section_id"] == section.pk and finding["anchor"] == section.anchor
    assert (finding["original"], finding["suggestion"], finding["field"]) == ("科学开展观", "科学发展观", "body")


def test_all_reports_every_article_and_a_clean_one_says_so(damaged, clean):
    code, out, _ = run("proofread", "--all")
    assert code == 0
    assert f"#{clean.pk}《一篇没有错误的文稿》\uff1a未发现问题。" in out
    assert "共校对 2 篇" in out


def test_a_rule_switched_off_is_not_reported(damaged):
    row = ProofreadingRule.objects.get(rule_id="political.kexue_fazhan_guan")
    row.enabled = False
    row.save()
    _, out, _ = run("proofread", "--article", str(damaged.pk))
    assert "科学开展观" not in out and "政治性 0 处" in out


def test_an_unknown_article_is_refused_in_chinese(damaged):
    code, out, err = run("proofread", "--article", str(damaged.pk), "--article", "999999")
    assert code == 1
    assert "文稿不存在\uff1a999999" in err
    assert out == ""


@pytest.mark.django_db
def test_nothing_to_proofread_is_refused_in_chinese():
    code, _, err = run("proofread")
    assert code == 1 and "--all" in err and "请用" in err


@pytest.mark.django_db
def test_sync_command_prints_the_report_and_keeps_editors_choices():
    row = ProofreadingRule.objects.get(rule_id="political.kexue_fazhan_guan")
    row.enabled = False
    row.shipped_version = "old"  # as if the file had been upgraded since
    row.save()
    code, out, _ = run("sync_proofreading_rules")
    assert code == 0
    assert "校对规则文件版本" in out and "新增 0 条" in out
    assert "常见提法：新增 0 条，停用 0 条。" in out  # the spinner's formulations too
    row.refresh_from_db()
    assert row.enabled is False and row.shipped_version != "old"


@pytest.mark.django_db
def test_sync_command_refuses_a_broken_file_in_chinese(tmp_path):
    path = tmp_path / "rules.json"
    path.write_text("{not json", encoding="utf-8")
    code, _, err = run("sync_proofreading_rules", "--file", str(path))
    assert code == 1 and "规则文件无效" in err
