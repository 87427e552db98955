"""The 校对 panel applies fixes: accept or reject each finding or a whole rule on the
essay's change page; accepted fixes are saved as a new revision, rejections remembered."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from articles.admin.findings import finding_key, panel_findings
from articles.editing import formulations
from articles.essay import spinner
from articles.models import Article, DismissedFinding, Formulation, Section
from articles.tests.test_admin import change_url, errors_of
from articles.tests.test_admin_proofreading import CLEAN_LEAD, editor, make_essay
from articles.text import html_to_text

pytestmark = pytest.mark.django_db


def apply_url(article):
    return reverse("admin:articles_article_proofreading_apply", args=[article.pk])


def finding(article, original, suggestion):
    (found,) = [f for f in panel_findings(article) if f.original == original and f.suggestion == suggestion]
    return found


def test_the_panel_offers_accept_and_reject_for_each_finding_and_rule(admin_client):
    article, _section, _point = make_essay(lead=CLEAN_LEAD)
    page = admin_client.get(change_url(article)).content.decode()
    item = finding(article, "效劳", "服务")
    assert f'<form id="proofreading-form" method="post" action="{apply_url(article)}"' in page
    assert f'name="finding:{item.id}" form="proofreading-form"' in page
    assert f'name="rule:{item.rule}" form="proofreading-form"' in page
    assert '<option value="accept">采纳</option>' in page and '<option value="reject">忽略</option>' in page
    assert "处理所选校对建议" in page


def test_accepting_a_fix_saves_the_essay_as_a_new_revision(admin_client, admin_user):
    article, section, _point = make_essay(lead=CLEAN_LEAD)
    item = finding(article, "效劳", "服务")
    response = admin_client.post(apply_url(article), {"lock_version": article.version, f"finding:{item.id}": "accept"})
    assert response.status_code == 302 and response["Location"].endswith("#proofreading")
    section.refresh_from_db()
    assert section.body == "<p>必须坚持全心全意为人民服务的宗旨。</p>"
    saved = Article.objects.get(pk=article.pk)
    assert saved.version == article.version + 1
    assert saved.updated_by == admin_user
    (version,) = Version.objects.get_for_object(saved)[:1]
    assert "效劳→服务" in version.revision.comment and version.revision.user == admin_user
    assert not [f for f in panel_findings(saved) if f.original == "效劳"]
    page = admin_client.get(change_url(saved)).content.decode()
    assert "已保存为新的版本" in page


def test_rejecting_a_finding_remembers_it_and_changes_nothing(admin_client, admin_user):
    article, section, _point = make_essay(lead=CLEAN_LEAD)
    item = finding(article, "效劳", "服务")
    admin_client.post(apply_url(article), {"lock_version": article.version, f"finding:{item.id}": "reject"})
    section.refresh_from_db()
    assert "效劳" in section.body
    assert Article.objects.get(pk=article.pk).version == article.version
    dismissed = DismissedFinding.objects.get(article=article)
    assert dismissed.key == finding_key(item) and dismissed.dismissed_by == admin_user
    assert not [f for f in panel_findings(article) if f.original == "效劳"]
    # Text elsewhere changing does not bring it back.
    article.refresh_from_db()
    article.lead = "<p>开头多了一句话。</p>" + CLEAN_LEAD
    article.save()
    assert not [f for f in panel_findings(article) if f.original == "效劳"]


def test_a_whole_rule_is_accepted_in_one_choice(admin_client):
    article, section, point = make_essay(lead=CLEAN_LEAD, body="<p>要为人民<strong>效劳</strong>。</p>")
    point.body = "<p>全心全意为人民效劳。</p>"
    point.save()
    items = [f for f in panel_findings(article) if f.original == "效劳"]
    assert len(items) == 2 and len({f.rule for f in items}) == 1
    admin_client.post(apply_url(article), {"lock_version": article.version, f"rule:{items[0].rule}": "accept"})
    section.refresh_from_db()
    point.refresh_from_db()
    # The markup around the word stays.
    assert section.body == "<p>要为人民<strong>服务</strong>。</p>"
    assert point.body == "<p>全心全意为人民服务。</p>"
    assert Article.objects.get(pk=article.pk).version == article.version + 1  # one save


def test_a_stale_panel_changes_nothing(admin_client):
    article, section, _point = make_essay(lead=CLEAN_LEAD)
    item = finding(article, "效劳", "服务")
    response = admin_client.post(
        apply_url(article), {"lock_version": article.version - 1, f"finding:{item.id}": "accept"}, follow=True
    )
    section.refresh_from_db()
    assert "效劳" in section.body
    assert "校对建议未处理" in response.content.decode()


def test_a_missing_version_is_a_clear_400(admin_client):
    article, _section, _point = make_essay(lead=CLEAN_LEAD)
    response = admin_client.post(apply_url(article), {"lock_version": "x"})
    assert response.status_code == 400
    assert "缺少文稿版次" in response.content.decode()


def test_nothing_chosen_says_so(admin_client):
    article, _section, _point = make_essay(lead=CLEAN_LEAD)
    response = admin_client.post(apply_url(article), {"lock_version": article.version}, follow=True)
    assert "没有选择要采纳或忽略的校对建议" in response.content.decode()
    assert Article.objects.get(pk=article.pk).version == article.version


def test_a_live_essay_is_refused_and_not_changed(admin_client):
    article, section, _point = make_essay(
        lead=CLEAN_LEAD, status=Article.Status.PUBLISHED, published_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    )
    item = finding(article, "效劳", "服务")
    page = admin_client.get(change_url(article)).content.decode()
    assert 'id="proofreading-form"' not in page
    response = admin_client.post(apply_url(article), {"lock_version": article.version, f"finding:{item.id}": "accept"})
    assert response.status_code == 409
    assert "已发布或定时发布的文稿不能在校对面板中直接修改" in response.content.decode()
    section.refresh_from_db()
    assert "效劳" in section.body


def test_a_user_who_may_not_change_the_essay_is_refused(client, admin_user):
    article, section, _point = make_essay(lead=CLEAN_LEAD, created_by=admin_user)
    from articles.tests.test_roles import REVIEWER, user_in

    client.force_login(user_in(REVIEWER, "reviewer"))
    item = finding(article, "效劳", "服务")
    response = client.post(apply_url(article), {"lock_version": article.version, f"finding:{item.id}": "accept"})
    assert response.status_code == 403
    section.refresh_from_db()
    assert "效劳" in section.body


def test_the_demo_drafts_spinner_damage_is_found_and_fixed(client):
    call_command("load_demo", verbosity=0)
    draft = Article.objects.exclude(status=Article.Status.PUBLISHED).get(title__contains="基层党组织")
    findings = panel_findings(draft)

    def around(f):
        return f.context_before + f.original + f.context_after

    service = [f for f in findings if f.original == "效劳" and "党群效劳中心" in around(f)]
    economy = [f for f in findings if f.original == "开展" and "带着群众开展经济" in around(f)]
    assert [f.suggestion for f in service] == ["服务"]
    assert [f.suggestion for f in economy] == ["发展"]
    editor(client)
    response = client.post(
        apply_url(draft),
        {"lock_version": draft.version, f"finding:{service[0].id}": "accept", f"finding:{economy[0].id}": "accept"},
    )
    assert response.status_code == 302
    text = "\n".join(html_to_text(s.body) for s in Section.objects.filter(article=draft))
    assert "党群服务中心" in text and "群众发展经济" in text


def test_formulations_are_synced_after_migrate_and_editors_extend_them(admin_client):
    assert Formulation.objects.filter(text="党群服务中心", origin=Formulation.Origin.SHIPPED).exists()
    article, section, _point = make_essay(lead=CLEAN_LEAD, body="<p>支部印发了党员比照表。</p>")
    assert not [f for f in panel_findings(article) if f.rule == "spinner.swap"]
    response = admin_client.post(
        reverse("admin:articles_formulation_add"), {"text": "党员对照表", "enabled": "on", "note": ""}
    )
    assert response.status_code == 302, errors_of(response)
    assert Formulation.objects.get(text="党员对照表").origin == Formulation.Origin.EDITOR
    found = [f for f in panel_findings(article) if f.rule == "spinner.swap"]
    assert [(f.original, f.suggestion) for f in found] == [("比照", "对照")]
    assert "党员对照表" in found[0].explanation
    # Switched off: no longer restored.
    Formulation.objects.filter(text="党员对照表").update(enabled=False)
    assert not [f for f in panel_findings(article) if f.rule == "spinner.swap"]


def test_a_formulation_must_be_chinese_characters(admin_client):
    response = admin_client.post(reverse("admin:articles_formulation_add"), {"text": "ab，c", "enabled": "on"})
    assert response.status_code == 200
    assert "提法须是 2 到 20 个汉字" in response.content.decode()
    assert not Formulation.objects.filter(text="ab，c").exists()


def test_sync_is_idempotent_and_keeps_editors_choices():
    Formulation.objects.filter(text="党群服务中心").update(enabled=False)
    report = formulations.sync_shipped_formulations()
    assert not report.changed
    assert not Formulation.objects.get(text="党群服务中心").enabled
    report = formulations.sync_shipped_formulations(["党群服务中心"])
    assert "服务群众" in report.disabled
    assert not Formulation.objects.get(text="服务群众").enabled
    # A second run does not switch it off again after an editor switched it back on.
    Formulation.objects.filter(text="服务群众").update(enabled=True)
    assert not formulations.sync_shipped_formulations(["党群服务中心"]).changed


def test_the_editors_lexicon_keeps_the_window_collocations_and_extends_them():
    # The database rows are the formulations; the shipped window collocations
    # (genre_collocations.txt) and genre words come along, and an editor's
    # entry also counts as a collocation within the window.
    formulations.clear_lexicon_cache()
    lexicon = formulations.active_lexicon()
    assert lexicon.window == spinner.shipped_lexicon().window and "发挥作用" in lexicon.window
    assert lexicon.words == spinner.shipped_lexicon().words
    assert "巡逻" not in spinner._index(lexicon.formulations, lexicon.window).follows["党员"]
    Formulation.objects.create(text="党员义务巡逻", origin=Formulation.Origin.EDITOR)
    lexicon = formulations.active_lexicon()
    assert "党员义务巡逻" in lexicon.formulations
    assert "巡逻" in spinner._index(lexicon.formulations, lexicon.window).follows["党员"]


SPUN_ESSAY = """关于加强社区党建工作的思考
社区是党联系群众的最后一公里，要找准工作的动身点和落脚点。
一、主要做法
要认真总结阅历，推动工作落到实处。
二、下一步打算
各支部认真撰写比照检查材料。
作者单位：某街道党工委
"""


def test_the_import_page_offers_the_spinner_findings_as_one_group(admin_client):
    from articles.tests.test_admin_import import paste, submit_review

    review = paste(admin_client, SPUN_ESSAY)
    groups = [group for group in review.context["check"].groups if "spinner.swap" in group.rules]
    assert len(groups) == 1 and groups[0].category_label == "回译错词"
    assert {(item.finding.original, item.finding.suggestion) for item in groups[0].items} >= {
        ("动身", "出发"),
        ("阅历", "经验"),
        ("比照", "对照"),
    }
    page = review.content.decode()
    assert "疑为伪原创工具的近义词替换" in page and "常见提法：出发点" in page
    # Rejected in one choice: the draft keeps the words as pasted.
    submit_review(admin_client, review, rules={"spinner.swap": "reject"})
    article = Article.objects.get()
    text = "\n".join(html_to_text(row.body) for row in article.sections.all())
    assert "总结阅历" in text and "比照检查" in text
