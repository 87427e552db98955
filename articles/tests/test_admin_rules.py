"""Editors manage proofreading rules in the admin; changes apply at once."""

import pytest
from django.contrib.auth import get_user_model

from articles import proofreading
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
    response = editor_client.post(CHANGELIST + "add/", rule_form(rule_id="editor.tuanjie", pattern="团节", suggestion="团结"))
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
    response = editor_client.post(
        CHANGELIST, {"action": "disable_rules", "_selected_action": [rule.pk]}
    )
    assert response.status_code == 302
    assert rule.rule_id not in {r.id for r in proofreading.active_rules()}
