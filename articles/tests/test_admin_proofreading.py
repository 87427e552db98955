"""Proofreading on the essay's change page, and publishing an essay that still
has political-term findings: only with an explicit, recorded confirmation."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Section
from articles.tests.test_admin import (
    ADD,
    CHANGELIST,
    article_data,
    change_url,
    errors_of,
    management,
    run_action,
    section_data,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2024, 7, 1, 9, 0, tzinfo=dt.UTC)
CONFIRM = "我已知悉本文仍有政治性问题，确认发布"
POLITICAL_LEAD = "<p>深入贯彻落实科学开展观，不断夯实党的执政根基。</p>"
CLEAN_LEAD = "<p>深入贯彻落实科学发展观，不断夯实党的执政根基。</p>"


def make_essay(lead=POLITICAL_LEAD, body="<p>必须坚持全心全意为人民效劳的宗旨。</p>", **fields):
    article = Article.objects.create(title=fields.pop("title", "基层党建工作的几点思考"), lead=lead, **fields)
    section = Section.objects.create(
        article=article,
        position=0,
        level=1,
        number="一、",
        heading="基层党建工作的重要意义",
        body=body,
    )
    point = Section.objects.create(
        article=article,
        position=1,
        level=2,
        number="(一)",
        heading="适应时代发展的需求",
        body="<p>正文。</p>",
    )
    return article, section, point


def change_data(article, sections, **overrides):
    """The change form as the browser submits it for ``article`` and its ``sections``."""
    data = article_data(
        title=article.title,
        lead=article.lead,
        conclusion="",
        **management(len(sections), len(sections)),
    )
    for index, section in enumerate(sections):
        data.update(
            section_data(
                index,
                pk=section.pk,
                heading=section.heading,
                level=section.level,
                number=section.number,
                position=section.position,
                body=section.body,
                kind=section.kind,
            )
        )
    data.update(overrides)
    if data["status"] == "published":
        data.setdefault("confirm_secrecy", "on")  # the 保密审查 statement (test_secrecy_review.py)
    return data


# --- the 校对 panel ---------------------------------------------------------------


def test_change_page_lists_findings_with_links(admin_client):
    article, section, _point = make_essay()
    page = admin_client.get(change_url(article)).content.decode()
    assert 'id="proofreading"' in page
    assert "校对：2 处疑似问题" in page
    # Severity as a text label, original → suggestion, explanation, context.
    assert "政治性" in page and ">高<" in page
    assert "<del>科学开展观</del><ins>科学发展观</ins>" in page
    assert "<del>效劳</del><ins>服务</ins>" in page
    assert "政治术语错误：“科学开展观”应为“科学发展观”" in page
    assert "全心全意为人民" in page  # context before the finding
    assert "第一部分 正文" in page  # where it is
    # Links: to the inline row on this page, and to the preview's section.
    assert 'href="#sections-0"' in page
    assert f'href="{article.get_preview_url()}#section-{section.pk}"' in page
    assert 'href="#essay-lead"' in page and 'id="essay-lead"' in page
    # Political findings are listed first.
    assert page.index("科学开展观</del>") < page.index("效劳</del>")


def test_panel_links_follow_the_rows_order_on_the_page(admin_client):
    article, _section, point = make_essay(lead=CLEAN_LEAD, body="<p>正文。</p>")
    point.body = "<p>要为人民效劳。</p>"
    point.save()
    page = admin_client.get(change_url(article)).content.decode()
    assert 'href="#sections-1"' in page
    assert 'id="sections-1"' in page


def test_change_page_without_findings_says_so(admin_client):
    article, _section, _point = make_essay(lead=CLEAN_LEAD, body="<p>正文。</p>")
    page = admin_client.get(change_url(article)).content.decode()
    assert "校对：未发现疑似问题" in page
    assert CONFIRM not in page


def test_add_page_has_no_panel(admin_client):
    page = admin_client.get(ADD).content.decode()
    assert 'id="proofreading"' not in page
    assert CONFIRM not in page


def test_change_page_query_count_does_not_grow_with_findings(admin_client):
    def count_queries(article):
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(change_url(article)).status_code == 200
        return len(captured)

    small, _section, _point = make_essay()
    large, _section, _point = make_essay(title="另一篇")
    for position in range(2, 12):
        Section.objects.create(
            article=large,
            position=position,
            level=2,
            number=f"({position})",
            heading=f"要点{position}",
            body="<p>深入贯彻科学开展观，为人民效劳。</p>",
        )
    count_queries(small)  # warm up: content types, permissions, rules
    assert count_queries(large) == count_queries(small)


# --- publishing through the change form ------------------------------------------


def test_publishing_with_political_findings_needs_the_checkbox(admin_client):
    article, section, point = make_essay()
    response = admin_client.post(change_url(article), change_data(article, [section, point], status="published"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "本文仍有 1 处政治性问题" in page
    assert CONFIRM in page and 'name="confirm_political"' in page
    assert "科学开展观" in page
    assert "confirm_political" in errors_of(response)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.political_findings_confirmed_by is None


@time_machine.travel(NOW, tick=False)
def test_publishing_with_the_checkbox_records_who_confirmed(admin_client, admin_user):
    article, section, point = make_essay()
    data = change_data(article, [section, point], status="published", confirm_political="on")
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.published_at == NOW
    assert article.political_findings_confirmed_by == admin_user
    assert article.political_findings_confirmed_at == NOW
    page = admin_client.get(change_url(article)).content.decode()
    assert "政治性问题确认人" in page and "政治性问题确认时间" in page
    assert admin_user.username in page


def test_political_finding_added_in_the_same_save_needs_the_checkbox(admin_client):
    article, section, point = make_essay(lead=CLEAN_LEAD, body="<p>正文。</p>")
    point.body = "<p>坚持“不忘初衷、牢记使命”。</p>"  # not saved: only in the submission
    response = admin_client.post(change_url(article), change_data(article, [section, point], status="published"))
    assert response.status_code == 200
    assert "confirm_political" in errors_of(response)
    assert "不忘初衷" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_new_section_rows_are_checked_before_publishing(admin_client):
    article, section, point = make_essay(lead=CLEAN_LEAD, body="<p>正文。</p>")
    data = change_data(article, [section, point], status="published", **management(3, 2))
    data.update(section_data(2, heading="新要点", level=2, position=5, body="<p>学习科学开展观。</p>"))
    response = admin_client.post(change_url(article), data)
    assert "confirm_political" in errors_of(response)


def test_political_finding_fixed_in_the_same_save_publishes_without_the_checkbox(admin_client, admin_user):
    article, section, point = make_essay(body="<p>正文。</p>")
    article.political_findings_confirmed_by = admin_user
    article.political_findings_confirmed_at = NOW
    article.save()
    article.lead = CLEAN_LEAD
    response = admin_client.post(change_url(article), change_data(article, [section, point], status="published"))
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    # The earlier confirmation no longer applies.
    assert article.political_findings_confirmed_by is None
    assert article.political_findings_confirmed_at is None


def test_deleted_section_is_not_checked(admin_client):
    article, section, point = make_essay(lead=CLEAN_LEAD, body="<p>学习科学开展观。</p>")
    data = change_data(article, [section, point], status="published", **{"sections-0-DELETE": "on"})
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 302, errors_of(response)


def test_essay_without_political_findings_publishes_without_extra_step(admin_client):
    article, section, point = make_essay(lead=CLEAN_LEAD)  # 效劳 is not political
    response = admin_client.post(change_url(article), change_data(article, [section, point], status="published"))
    assert response.status_code == 302, errors_of(response)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.political_findings_confirmed_by is None
    assert article.political_findings_confirmed_at is None


def test_saving_a_draft_with_political_findings_needs_no_confirmation(admin_client):
    article, section, point = make_essay()
    response = admin_client.post(change_url(article), change_data(article, [section, point], status="draft"))
    assert response.status_code == 302, errors_of(response)


def test_adding_a_published_essay_with_political_findings_needs_the_checkbox(admin_client):
    data = article_data(status="published", lead=POLITICAL_LEAD)
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    assert "confirm_political" in errors_of(response)
    assert CONFIRM in response.content.decode()
    assert not Article.objects.exists()
    response = admin_client.post(ADD, {**data, "confirm_political": "on"})
    assert response.status_code == 302, errors_of(response)
    assert Article.objects.get().political_findings_confirmed_by is not None


def test_change_page_shows_the_confirmation_box_for_stored_political_findings(admin_client):
    article, _section, _point = make_essay()
    page = admin_client.get(change_url(article)).content.decode()
    assert 'id="political-confirmation"' in page
    assert CONFIRM in page


# --- publishing through the action -----------------------------------------------


def test_publish_action_asks_for_confirmation_first(admin_client):
    political, _section, _point = make_essay()
    clean, _section, _point = make_essay(title="干净的文稿", lead=CLEAN_LEAD, body="<p>正文。</p>")
    response = run_action(admin_client, "publish_selected", [political, clean])
    assert response.status_code == 200
    assert [template.name for template in response.templates][0] == "admin/articles/article/publish_confirmation.html"
    page = response.content.decode()
    assert "确认发布" in page
    assert "有 1 篇仍有政治性问题" in page
    assert political.title in page and "科学开展观" in page
    assert f'value="{political.pk}"' in page and f'value="{clean.pk}"' in page
    assert 'name="post" value="yes"' in page
    assert not Article.objects.filter(status=Article.Status.PUBLISHED).exists()


@time_machine.travel(NOW, tick=False)
def test_confirmed_publish_action_publishes_and_records_the_confirmation(admin_client, admin_user):
    political, _section, _point = make_essay()
    clean, _section, _point = make_essay(title="干净的文稿", lead=CLEAN_LEAD, body="<p>正文。</p>")
    response = admin_client.post(
        CHANGELIST,
        {
            "action": "publish_selected",
            "_selected_action": [str(political.pk), str(clean.pk)],
            "post": "yes",
            "confirm_secrecy": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "已发布 2 篇文稿" in response.content.decode()
    assert "其中 1 篇仍有政治性问题，已记录由您确认发布" in response.content.decode()
    political.refresh_from_db()
    clean.refresh_from_db()
    assert political.status == clean.status == Article.Status.PUBLISHED
    assert (political.political_findings_confirmed_by, political.political_findings_confirmed_at) == (admin_user, NOW)
    assert (clean.political_findings_confirmed_by, clean.political_findings_confirmed_at) == (None, None)


def test_publish_action_without_political_findings_needs_no_confirmation(admin_client):
    clean, _section, _point = make_essay(lead=CLEAN_LEAD)
    response = run_action(admin_client, "publish_selected", [clean])
    assert "已发布 1 篇文稿" in response.content.decode()
    clean.refresh_from_db()
    assert clean.status == Article.Status.PUBLISHED
    assert clean.political_findings_confirmed_by is None


def test_already_published_essays_are_not_asked_about(admin_client):
    published, _section, _point = make_essay(status=Article.Status.PUBLISHED, published_at=NOW)
    response = run_action(admin_client, "publish_selected", [published])
    assert "1 篇原本就已发布" in response.content.decode()


def test_publish_action_confirmation_needs_change_permission(client):
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("viewer", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(user)
    political, _section, _point = make_essay()
    client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": [str(political.pk)], "post": "yes"})
    political.refresh_from_db()
    assert political.status == Article.Status.DRAFT


# --- changing the text of a live essay ---------------------------------------------
# A live essay's text is read-only on its page: it changes through a working copy,
# whose final approval asks the same confirmation (articles/tests/test_live_changes.py).


def editor(client):
    from articles.tests.test_roles import EDITOR, user_in

    user = user_in(EDITOR, "editor")
    client.force_login(user)
    return user


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "published_at", [NOW - dt.timedelta(hours=1), NOW + dt.timedelta(days=1)], ids=["live", "scheduled"]
)
def test_a_political_error_cannot_be_saved_into_a_published_essay(client, published_at):
    article, section, point = make_essay(
        lead=CLEAN_LEAD, body="<p>正文。</p>", status=Article.Status.PUBLISHED, published_at=published_at
    )
    editor(client)
    data = change_data(article, [section, point], lead=POLITICAL_LEAD, confirm_political="on")
    response = client.post(change_url(article), data)
    assert response.status_code == 409 and "修改（送审后生效）" in response.content.decode()
    article.refresh_from_db()
    assert (article.lead, article.status, article.published_at) == (CLEAN_LEAD, Article.Status.PUBLISHED, published_at)
