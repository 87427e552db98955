"""Editors manage proofreading rules in the admin; changes apply at once."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from articles.editing import rules as proofreading
from articles.models import ProofreadingRule

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/proofreadingrule/"


@pytest.fixture
def editor_client(client):
    client.force_login(get_user_model().objects.create_superuser("chief", password="x"))
    return client


def rule_form(**overrides):
    data = {
        "rule_id": "editor.xiaolao",
        "enabled": "on",
        "category": "back_translation",
        "severity": "high",
        "confidence": "0.9",
        "pattern": "效劳",
        "suggestion": "服务",
        "context_before": "",
        "context_after": "",
        "not_before": "",
        "not_after": "",
        "explanation": "回译错词：“效劳”应为“服务”",
        "note": "",
    }
    data.update(overrides)
    return data


def test_the_shipped_rules_are_listed(editor_client):
    response = editor_client.get(CHANGELIST)
    assert response.status_code == 200
    assert "political.kexue_fazhan_guan" in response.content.decode()


def test_an_editor_rule_added_in_the_admin_is_used_by_the_next_proofreading(editor_client):
    ProofreadingRule.objects.update(enabled=False)
    proofreading.clear_rule_cache()
    assert not proofreading.active_rules()
    response = editor_client.post(
        CHANGELIST + "add/", rule_form(rule_id="editor.tuanjie", pattern="团节", suggestion="团结")
    )
    assert response.status_code == 302
    rules = proofreading.active_rules()
    assert [rule.id for rule in rules] == ["editor.tuanjie"]
    assert ProofreadingRule.objects.get(rule_id="editor.tuanjie").origin == ProofreadingRule.Origin.EDITOR


def test_an_invalid_regex_is_a_form_error_not_a_500(editor_client):
    response = editor_client.post(CHANGELIST + "add/", rule_form(pattern="效(劳"))
    assert response.status_code == 200
    assert "不是有效的正则表达式" in response.content.decode()
    assert not ProofreadingRule.objects.filter(rule_id="editor.xiaolao").exists()


def test_disabling_a_rule_through_the_action_takes_effect_without_a_restart(editor_client):
    proofreading.clear_rule_cache()
    rule = ProofreadingRule.objects.get(rule_id="political.kexue_fazhan_guan")
    assert rule.rule_id in {r.id for r in proofreading.active_rules()}
    response = editor_client.post(CHANGELIST, {"action": "disable_rules", "_selected_action": [rule.pk]})
    assert response.status_code == 302
    assert rule.rule_id not in {r.id for r in proofreading.active_rules()}


# --- patterns run on RE2: linear time, what it cannot run refused --------------


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("pattern", "开展(?!活动)", "不支持环视"),
        ("context_before", "(?<![督敦])促", "不支持环视"),
        ("context_after", r"(党)\1", "不支持反向引用"),
        ("not_after", r"\b党建", "不支持 \\w、\\W、\\b、\\B"),
        ("pattern", "效{2000}", "重复次数无效"),
        ("not_before", ".{0,999}的", "过于复杂"),
    ],
)
def test_a_pattern_the_linear_time_engine_cannot_run_is_refused_in_the_form_in_chinese(
    editor_client, field, value, words
):
    response = editor_client.post(CHANGELIST + "add/", rule_form(**{field: value}))
    assert response.status_code == 200
    assert words in " ".join(response.context["adminform"].form.errors[field])
    assert not ProofreadingRule.objects.filter(rule_id="editor.xiaolao").exists()


def test_editing_a_saved_rule_into_a_lookaround_keeps_the_saved_rule(editor_client):
    rule = ProofreadingRule.objects.get(rule_id="bt.fazhan.practice")
    before = (rule.context_after, rule.not_after)
    data = rule_form(
        rule_id=rule.rule_id,
        category=rule.category,
        severity=rule.severity,
        pattern=rule.pattern,
        suggestion=rule.suggestion,
        context_before=rule.context_before,
        explanation=rule.explanation,
        context_after="实践(?!活动)",
    )
    response = editor_client.post(f"{CHANGELIST}{rule.pk}/change/", data)
    assert response.status_code == 200
    assert "不支持环视" in response.content.decode()
    rule.refresh_from_db()
    assert (rule.context_after, rule.not_after) == before


def test_an_editors_catastrophic_pattern_runs_in_linear_time_on_the_import_page_and_the_proofreading_panel(
    editor_client,
):
    from articles.essay.patterns import Pattern
    from articles.essay.proofreading import _compile
    from articles.tests.factories import make_draft, make_section

    # Python's backtracking engine never returns from (.*.*)*ZZZ on a long line.
    response = editor_client.post(CHANGELIST + "add/", rule_form(rule_id="editor.redos", pattern="(.*.*)*ZZZ"))
    assert response.status_code == 302
    rule = next(rule for rule in proofreading.active_rules() if rule.id == "editor.redos")
    assert isinstance(_compile(rule).pattern, Pattern)

    line = "基层党建工作要坚持围绕发展抓党建的思路" * 200
    essay = f"关于基层党建的思考\n{line}\n一、重要意义\n{line}\n二、存在问题\n{line}\n作者单位：某县委组织部"
    page = editor_client.post(reverse("admin:articles_article_import"), {"step": "source", "text": essay})
    assert page.status_code == 200 and "check" in page.context

    article = make_draft(title="长文")
    make_section(article, "重要意义", body=f"<p>{line}</p>")
    panel = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert panel.status_code == 200


def test_a_rule_saved_before_the_move_to_re2_is_skipped_and_shown_as_not_runnable(editor_client, caplog):
    # Saved without the form's checks, as rows written under the old engine were.
    ProofreadingRule.objects.create(
        rule_id="editor.old",
        pattern="开展",
        suggestion="发展",
        category="back_translation",
        severity="high",
        explanation="说明",
        context_after="实践(?!活动)",
    )
    proofreading.clear_rule_cache()
    assert "editor.old" not in {rule.id for rule in proofreading.active_rules()}
    assert "editor.old" in caplog.text
    page = editor_client.get(CHANGELIST, {"q": "editor.old"}).content.decode()
    assert "可以运行" in page and 'alt="False"' in page
