"""保密审查 (党务公开条例 Art. 15): the final approval and every publishing need the approver's
statement that the secrecy review was done; without it a 4xx and nothing changes; with it
the statement is in the 流转记录 and in the audit log."""

import pytest
from django.urls import reverse

from accounts import audit
from accounts.models import AuditEntry
from articles.editing import workflow
from articles.models import Article, ArticleTransition
from articles.tests.factories import make_draft
from articles.tests.test_admin import CHANGELIST, article_data
from articles.tests.test_roles import ADMINISTRATOR, AUTHOR, REVIEWER, in_review, logged_in, user_in, workflow_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def final_stage(settings):
    settings.REVIEW_STAGES = 1
    return in_review(stage=1, created_by=user_in(AUTHOR, "writer"), lead="<p>干净的导语。</p>")


def secrecy_entries():
    return AuditEntry.objects.filter(action=audit.Action.SECRECY_REVIEW)


def test_the_final_approval_without_the_statement_is_refused_with_a_400(final_stage):
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.approve(final_stage, user_in(REVIEWER, "checker"))
    assert refused.value.status == 400 and "保密审查" in refused.value.message
    final_stage.refresh_from_db()
    assert final_stage.status == Article.Status.IN_REVIEW
    assert not secrecy_entries().exists()


def test_an_earlier_stage_needs_no_statement(settings):
    settings.REVIEW_STAGES = 3
    article = in_review(stage=1, created_by=user_in(AUTHOR, "writer"))
    article = workflow.approve(article, user_in(REVIEWER, "checker"))
    assert (article.status, article.review_stage) == (Article.Status.IN_REVIEW, 2)


def test_the_final_approval_with_the_statement_publishes_and_records_it_twice_over(final_stage):
    reviewer = user_in(REVIEWER, "checker")
    workflow.approve(final_stage, reviewer, "同意", confirm_secrecy=True)
    final_stage.refresh_from_db()
    assert final_stage.status == Article.Status.PUBLISHED
    approval = final_stage.transitions.get(action=ArticleTransition.Action.APPROVE)
    assert approval.comment == f"同意；{workflow.SECRECY_NOTE}"
    [entry] = secrecy_entries()
    assert (entry.username, entry.object_id, entry.detail) == (
        "checker",
        str(final_stage.pk),
        workflow.SECRECY_STATEMENT,
    )


def test_publishing_without_the_statement_is_refused():
    article = make_draft()
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.publish(article, None)
    assert refused.value.status == 400
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_the_approve_button_refuses_without_the_checkbox_and_publishes_with_it(client, final_stage):
    logged_in(client, user_in(REVIEWER, "checker"))
    page = client.get(reverse("admin:articles_article_change", args=[final_stage.pk])).content.decode()
    assert 'name="confirm_secrecy"' in page and workflow.SECRECY_STATEMENT in page
    assert client.post(workflow_url(final_stage, "approve"), {"comment": "同意"}).status_code == 400
    response = client.post(workflow_url(final_stage, "approve"), {"comment": "同意", "confirm_secrecy": "on"})
    assert response.status_code == 302
    final_stage.refresh_from_db()
    assert final_stage.status == Article.Status.PUBLISHED


def test_saving_as_published_in_the_form_needs_the_checkbox(client):
    logged_in(client, user_in(ADMINISTRATOR, "chief"))
    response = client.post(reverse("admin:articles_article_add"), article_data(status="published", confirm_secrecy=""))
    assert response.status_code == 200
    assert "保存为已发布前须完成保密审查" in response.content.decode()
    assert not Article.objects.exists()
    response = client.post(reverse("admin:articles_article_add"), article_data(status="published"))
    assert response.status_code == 302
    assert Article.objects.get().status == Article.Status.PUBLISHED
    assert secrecy_entries().get().username == "chief"


def test_the_publish_action_asks_for_the_statement_first(client):
    article = make_draft(lead="<p>干净的导语。</p>")
    logged_in(client, user_in(ADMINISTRATOR, "chief"))
    data = {"action": "publish_selected", "_selected_action": [str(article.pk)]}
    page = client.post(CHANGELIST, data)
    assert page.status_code == 200 and 'name="confirm_secrecy"' in page.content.decode()
    refused = client.post(CHANGELIST, {**data, "post": "yes"})
    assert refused.status_code == 400 and "保密审查" in refused.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    client.post(CHANGELIST, {**data, "post": "yes", "confirm_secrecy": "on"})
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert secrecy_entries().count() == 1
