"""三审三校: submit, the review stages, rejection, final approval publishing, the endpoints."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from articles.editing import workflow
from articles.models import Article, ArticleTransition
from articles.tests.factories import make_article, make_draft
from articles.tests.test_admin import article_data, management
from articles.tests.test_roles import (
    ADMINISTRATOR,
    AUTHOR,
    EDITOR,
    REVIEWER,
    change_url,
    in_review,
    logged_in,
    user_in,
    workflow_url,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 7, 1, 9, 0, tzinfo=dt.UTC)
A = ArticleTransition.Action
S = Article.Status


@pytest.fixture
def author():
    return user_in(AUTHOR, "writer")


@pytest.fixture
def reviewers():
    return [user_in(REVIEWER, f"reviewer{i}") for i in (1, 2, 3)]


def steps(article):
    return list(article.transitions.values_list("action", "from_status", "from_stage", "to_status", "to_stage"))


@time_machine.travel(NOW, tick=False)
def test_three_stages_by_three_people_publish_the_essay(author, reviewers):
    article = make_draft(created_by=author)
    workflow.submit(article, author, "请审阅")
    for reviewer in reviewers:
        workflow.approve(article, reviewer, "同意", confirm_secrecy=True)
    article.refresh_from_db()
    assert (article.status, article.published_at, article.review_stage) == (S.PUBLISHED, NOW, 0)
    assert list(Article.objects.published()) == [article]
    assert steps(article) == [
        (A.SUBMIT, S.DRAFT, 0, S.IN_REVIEW, 1),
        (A.APPROVE, S.IN_REVIEW, 1, S.IN_REVIEW, 2),
        (A.APPROVE, S.IN_REVIEW, 2, S.IN_REVIEW, 3),
        (A.APPROVE, S.IN_REVIEW, 3, S.APPROVED, 0),
        (A.PUBLISH, S.APPROVED, 0, S.PUBLISHED, 0),
    ]
    first = article.transitions.first()
    assert (first.user, first.comment, first.at) == (author, "请审阅", NOW)


def test_the_number_of_stages_is_a_setting(settings, author, reviewers):
    settings.REVIEW_STAGES = 1
    article = make_draft(created_by=author)
    workflow.submit(article, author)
    assert workflow.stage_label(1) == "终审"
    workflow.approve(article, reviewers[0], confirm_secrecy=True)
    article.refresh_from_db()
    assert article.status == S.PUBLISHED


def test_stage_names_follow_the_number_of_stages(settings):
    assert [workflow.stage_label(n, 3) for n in (1, 2, 3)] == ["初审", "复审", "终审"]
    assert [workflow.stage_label(n, 2) for n in (1, 2)] == ["初审", "终审"]


def test_final_approval_honours_a_future_publish_time(settings, author, reviewers):
    settings.REVIEW_STAGES = 1
    later = NOW + dt.timedelta(days=3)
    with time_machine.travel(NOW, tick=False):
        article = make_article(created_by=author, status=S.DRAFT, published_at=later)
        workflow.submit(article, author)
        workflow.approve(article, reviewers[0], confirm_secrecy=True)
        article.refresh_from_db()
        assert article.status == S.PUBLISHED and article.published_at == later
        assert not Article.objects.published().exists()
    with time_machine.travel(later + dt.timedelta(minutes=1), tick=False):
        assert list(Article.objects.published()) == [article]


def test_one_person_cannot_approve_two_stages(author, reviewers):
    article = make_draft(created_by=author)
    workflow.submit(article, author)
    workflow.approve(article, reviewers[0], confirm_secrecy=True)
    with pytest.raises(workflow.WorkflowError, match="不同的人") as error:
        workflow.approve(article, reviewers[0], confirm_secrecy=True)
    assert error.value.status == 403
    article.refresh_from_db()
    assert article.review_stage == 2


def test_nobody_approves_their_own_essay(reviewers):
    article = make_draft(created_by=reviewers[0])
    article.status, article.review_stage = S.IN_REVIEW, 1
    article.save()
    with pytest.raises(workflow.WorkflowError, match="自己撰写"):
        workflow.approve(article, reviewers[0], confirm_secrecy=True)


def test_rejection_returns_to_draft_with_the_comment_and_starts_a_new_round(author, reviewers):
    article = make_draft(created_by=author)
    workflow.submit(article, author)
    workflow.approve(article, reviewers[0], confirm_secrecy=True)
    workflow.reject(article, reviewers[1], "第二部分的数据需要核实")
    article.refresh_from_db()
    assert (article.status, article.review_stage) == (S.DRAFT, 0)
    last = article.transitions.last()
    assert (last.action, last.user, last.comment) == (A.REJECT, reviewers[1], "第二部分的数据需要核实")
    # After resubmitting, the first reviewer may take 初审 again.
    workflow.submit(article, author)
    workflow.approve(article, reviewers[0], confirm_secrecy=True)
    article.refresh_from_db()
    assert article.review_stage == 2


def test_rejection_needs_a_comment(author, reviewers):
    article = make_draft(created_by=author)
    workflow.submit(article, author)
    with pytest.raises(workflow.WorkflowError, match="请填写意见"):
        workflow.reject(article, reviewers[0], "   ")


def test_only_drafts_are_submitted_and_only_essays_in_review_are_reviewed(author, reviewers):
    article = make_draft(created_by=author)
    with pytest.raises(workflow.WorkflowError) as error:
        workflow.approve(article, reviewers[0], confirm_secrecy=True)
    assert error.value.status == 409
    workflow.submit(article, author)
    with pytest.raises(workflow.WorkflowError, match="只有草稿"):
        workflow.submit(article, author)


def test_final_approval_with_political_findings_needs_a_confirmation(settings, author, reviewers):
    settings.REVIEW_STAGES = 1
    article = make_draft(created_by=author, lead="<p>深入贯彻落实科学开展观。</p>")
    workflow.submit(article, author)
    with pytest.raises(workflow.WorkflowError, match="政治性问题"):
        workflow.approve(article, reviewers[0], confirm_secrecy=True)
    workflow.approve(article, reviewers[0], confirm_political=True, confirm_secrecy=True)
    article.refresh_from_db()
    assert article.status == S.PUBLISHED
    assert article.political_findings_confirmed_by == reviewers[0]


def test_the_review_queue_lists_what_the_reviewer_may_act_on(author, reviewers):
    waiting = make_draft(created_by=author, title="待初审")
    passed_by_me = make_draft(created_by=author, title="我已初审")
    mine = make_draft(created_by=reviewers[0], title="我写的")
    make_draft(created_by=author, title="草稿")
    for article in (waiting, passed_by_me):
        workflow.submit(article, author)
    workflow.approve(passed_by_me, reviewers[0], confirm_secrecy=True)
    mine.status, mine.review_stage = S.IN_REVIEW, 1
    mine.save()
    assert [a.title for a in workflow.review_queue(reviewers[0])] == ["待初审"]
    assert {a.title for a in workflow.review_queue(reviewers[1])} == {"待初审", "我已初审", "我写的"}
    assert workflow.review_queue(author) == Article.objects.none() or not list(workflow.review_queue(author))


# --- the admin --------------------------------------------------------------------


def test_waiting_for_me_is_a_changelist_filter(client, author, reviewers):
    waiting = in_review(created_by=author, title="等我审核的文稿")
    in_review(created_by=reviewers[0], title="我自己写的文稿")
    page = (
        logged_in(client, reviewers[0])
        .get(reverse("admin:articles_article_changelist") + "?review=mine")
        .content.decode()
    )
    assert waiting.title in page and "我自己写的文稿" not in page
    assert "待我审核" in page


def test_approving_from_the_change_page_moves_on_with_a_chinese_message(client, author, reviewers):
    article = in_review(created_by=author)
    response = logged_in(client, reviewers[0]).post(workflow_url(article, "approve"), {"comment": "同意"}, follow=True)
    assert response.status_code == 200
    assert "已通过初审，文稿进入复审。" in response.content.decode()
    page = client.get(change_url(article)).content.decode()
    assert "流转记录" in page and "审核通过" in page and "同意" in page


def test_the_transitions_name_stages_as_the_buttons_do(client, author, reviewers, settings):
    settings.REVIEW_STAGES = 3
    article = in_review(created_by=author)
    for reviewer in reviewers[:2]:
        logged_in(client, reviewer).post(workflow_url(article, "approve"), {"comment": "同意"})
    page = client.get(change_url(article)).content.decode()
    table = page[page.index("流转记录") :]
    assert "（初审） → 审核中（复审）" in table and "（复审） → 审核中（终审）" in table
    assert "第1审" not in page and "第3审" not in page


def test_rejecting_without_a_comment_is_a_400_with_a_reason(client, author, reviewers):
    article = in_review(created_by=author)
    response = logged_in(client, reviewers[0]).post(workflow_url(article, "reject"), {"comment": ""})
    assert response.status_code == 400
    assert "请填写意见" in response.content.decode()
    article.refresh_from_db()
    assert article.status == S.IN_REVIEW


def test_the_author_submits_from_the_change_page(client, author):
    article = make_draft(created_by=author)
    page = logged_in(client, author).get(change_url(article)).content.decode()
    assert 'value="送审"' in page
    response = client.post(workflow_url(article, "submit"), {"comment": ""}, follow=True)
    assert "已送审，等待初审。" in response.content.decode()


@pytest.mark.parametrize("action", ["submit", "approve", "reject"])
def test_workflow_endpoints_refuse_get(client, author, action):
    article = make_draft(created_by=author)
    assert logged_in(client, author).get(workflow_url(article, action)).status_code == 405


@pytest.mark.parametrize(
    ("path", "data", "status"),
    [
        ("999999/workflow/approve/", {}, 404),
        ("{pk}/workflow/destroy/", {}, 404),
        ("{pk}/workflow/approve/", {"comment": "长" * 2001}, 400),
        ("{pk}/workflow/approve/", {"comment": ["a", "b"], "confirm_political": "<script>"}, 302),
        # Not an id: the admin's own catch-all answers (a redirect, never a 500).
        ("abc/workflow/approve/", {}, 302),
    ],
)
def test_workflow_endpoints_answer_bad_input_without_a_500(client, author, reviewers, path, data, status):
    article = in_review(created_by=author)
    url = reverse("admin:articles_article_changelist") + path.format(pk=article.pk)
    response = logged_in(client, reviewers[0]).post(url, data)
    assert response.status_code == status


def test_workflow_endpoints_send_anonymous_users_to_log_in(client, author):
    article = in_review(created_by=author)
    response = client.post(workflow_url(article, "approve"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_workflow_endpoints_are_csrf_protected(author, reviewers):
    from django.test import Client

    article = in_review(created_by=author)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewers[0])
    assert client.post(workflow_url(article, "approve")).status_code == 403
    article.refresh_from_db()
    assert article.review_stage == 1


def test_an_editor_sees_others_essays_but_cannot_review_them(client, author):
    article = in_review(created_by=author)
    response = logged_in(client, user_in(EDITOR)).post(workflow_url(article, "approve"))
    assert response.status_code == 403
    assert "没有审核文稿的权限" in response.content.decode()


def test_review_states_cannot_be_picked_on_the_change_form(admin_client):
    article = make_draft()
    response = admin_client.post(change_url(article), article_data(status="review"))
    assert response.status_code == 200  # a form error, not a silent jump into review
    article.refresh_from_db()
    assert article.status == S.DRAFT


@pytest.mark.parametrize(
    ("before", "after", "text_changed", "applies"),
    [
        (None, S.DRAFT, True, False),
        (None, S.PUBLISHED, True, True),
        (S.DRAFT, S.PUBLISHED, False, True),
        (S.ARCHIVED, S.PUBLISHED, False, True),
        (S.PUBLISHED, S.PUBLISHED, True, True),
        (S.PUBLISHED, S.PUBLISHED, False, False),
        (S.PUBLISHED, S.DRAFT, True, False),
        (S.IN_REVIEW, S.IN_REVIEW, True, False),
    ],
)
def test_the_political_confirmation_applies_to_publishing_and_to_changing_a_live_essays_text(
    before,
    after,
    text_changed,
    applies,
):
    assert workflow.political_confirmation_applies(before, after, text_changed) is applies


# --- changes to a live essay --------------------------------------------------------
# They go through review of their own (a working copy: articles/tests/test_live_changes.py).
# This test was written first, on the code where such a save went live at once.


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "published_at", [NOW - dt.timedelta(hours=1), NOW + dt.timedelta(days=1)], ids=["live", "scheduled"]
)
@pytest.mark.parametrize("role", [EDITOR, ADMINISTRATOR])
def test_a_save_of_a_published_essay_does_not_go_live(client, published_at, role):
    article = make_article(title="已发布的文稿", published_at=published_at, lead="<p>原来的导语。</p>")
    response = logged_in(client, user_in(role)).post(
        change_url(article), article_data(title="改过的标题", lead="<p>未经审核的导语。</p>")
    )
    assert 400 <= response.status_code < 500
    article.refresh_from_db()
    assert (article.title, article.lead, article.status) == ("已发布的文稿", "<p>原来的导语。</p>", S.PUBLISHED)
    assert not article.transitions.filter(action=A.EDIT_LIVE).exists()


def test_saves_of_drafts_are_not_transitions(client):
    editor = user_in(EDITOR)
    article = make_draft(created_by=editor)
    logged_in(client, editor).post(change_url(article), article_data(title="改过的标题"))
    assert not article.transitions.exists()


def test_an_administrator_archiving_a_published_essay_records_the_reason(admin_client):
    article = make_article(title="已发布的文稿")
    response = admin_client.post(
        change_url(article),
        {
            "status": "archived",
            "status_reason": "专题活动结束",
            "published_at_0": "2024-07-01",
            "published_at_1": "08:00:00",
            **management(0),
        },
    )
    assert response.status_code == 302
    assert list(article.transitions.values_list("action", "from_status", "to_status", "comment")) == [
        (A.EDIT_LIVE, S.PUBLISHED, S.PUBLISHED, "修改了：发布时间"),
        (A.ARCHIVE, S.PUBLISHED, S.ARCHIVED, "专题活动结束"),
    ]
