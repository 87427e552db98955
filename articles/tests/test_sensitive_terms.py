"""敏感词与人名 (issue 22, item 6): the lists are kept in the admin by 管理员 (and the
安全保密管理员 role), checked on import, in the 校对 panel and at approval,
with the matcher rebuilt only when the lists change."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.roles import SENSITIVE_LIST_PERMISSIONS
from articles.editing import rules as proofreading
from articles.editing import sensitive, workflow
from articles.models import Article, SensitiveTerm
from articles.tests.factories import make_draft
from articles.tests.test_admin_import import paste
from articles.tests.test_admin_proofreading import make_essay
from articles.tests.test_roles import ADMINISTRATOR, AUTHOR, EDITOR, REVIEWER, change_url, logged_in, user_in

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_sensitiveterm_changelist")
ADD = reverse("admin:articles_sensitiveterm_add")
CLEAN_BODY = "<p>正文。</p>"


@pytest.fixture(autouse=True)
def _fresh_matcher():
    sensitive.clear_cache()
    yield
    sensitive.clear_cache()


@pytest.fixture
def lists():
    SensitiveTerm.objects.create(kind="sensitive", text="内部资料", replacement="有关资料")
    SensitiveTerm.objects.create(kind="removed", text="赵某某", note="已免职")
    SensitiveTerm.objects.create(kind="leader", text="张明远", title="省委书记")


def test_administrators_keep_the_lists_and_editors_cannot(client):
    client = logged_in(client, user_in(ADMINISTRATOR, "admin-wang"))
    assert client.get(CHANGELIST).status_code == 200
    response = client.post(ADD, {"kind": "leader", "text": "张明远", "title": "省委书记", "enabled": "on"})
    assert response.status_code == 302
    assert SensitiveTerm.objects.get().title == "省委书记"

    editor = logged_in(client.__class__(), user_in(EDITOR, "zhang"))
    assert editor.get(CHANGELIST).status_code == 403


def test_a_leader_without_a_title_is_a_chinese_message(client):
    client = logged_in(client, user_in(ADMINISTRATOR, "admin-wang"))
    response = client.post(ADD, {"kind": "leader", "text": "张明远", "title": "", "enabled": "on"})
    assert response.status_code == 200
    assert "领导姓名须填写现任职务" in response.content.decode()


def test_the_security_role_permissions_exist():
    held = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(codename__endswith="sensitiveterm")
    }
    assert SENSITIVE_LIST_PERMISSIONS == held


def test_the_panel_shows_the_lists_findings_as_their_own_category_with_context(admin_client, lists):
    article, _section, _point = make_essay(
        lead="<p>会上传达了内部资料，省委副书记张明远出席。</p>", body="<p>在赵某某同志的关心下，支部建设取得成效。</p>"
    )
    page = admin_client.get(change_url(article)).content.decode()
    assert "敏感词与人名" in page
    assert "<del>内部资料</del><ins>有关资料</ins>" in page
    assert "张明远现任“省委书记”，文中写作“省委副书记”" in page
    assert "在已免职人员名单中" in page
    assert "会上传达了" in page  # the context before the finding


def test_import_flags_the_lists(admin_client, lists):
    from articles.tests.test_admin_import import ESSAY

    page = paste(admin_client, ESSAY.replace("深入贯彻落实", "会上传达了内部资料，深入贯彻落实")).content.decode()
    assert "<del>内部资料</del><ins>有关资料</ins>" in page


def test_final_approval_with_a_listed_name_needs_the_confirmation(settings, lists):
    settings.REVIEW_STAGES = 1
    author, reviewer = user_in(AUTHOR, "writer"), user_in(REVIEWER, "reviewer")
    article = make_draft(created_by=author, lead="<p>在赵某某同志的关心下，支部建设取得成效。</p>")
    workflow.submit(article, author)
    with pytest.raises(workflow.WorkflowError, match="政治性问题"):
        workflow.approve(article, reviewer, confirm_secrecy=True)
    workflow.approve(article, reviewer, confirm_political=True, confirm_secrecy=True)
    assert Article.objects.get(pk=article.pk).political_findings_confirmed_by == reviewer


def test_the_matcher_is_rebuilt_only_when_the_lists_change(lists, django_assert_num_queries):
    first = sensitive.active_matcher()
    with django_assert_num_queries(1):  # the version only
        assert sensitive.active_matcher() is first
    term = SensitiveTerm.objects.get(text="内部资料")
    term.replacement = "相关资料"
    term.save()
    second = sensitive.active_matcher()
    assert second is not first
    assert [f.suggestion for f in second.findings("内部资料")] == ["相关资料"]
    term.delete()
    assert sensitive.active_matcher().findings("内部资料") == []
    SensitiveTerm.objects.filter(text="赵某某").update(enabled=False)
    assert sensitive.active_matcher().findings("赵某某") == []


def test_without_lists_the_proofreading_is_unchanged(admin_client):
    article, _section, _point = make_essay(lead="<p>会上传达了内部资料。</p>", body=CLEAN_BODY)
    assert not [f for f in proofreading.proofread_article(article) if f.category == "sensitive"]
