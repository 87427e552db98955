"""Changes to live essays go through review (issue 20, items 1 and 3): the working copy (修改稿).

A published or scheduled essay is never edited in place: its change is a hidden
draft copy that goes through 送审 → 初审 → 复审 → 终审 like any draft, while
readers keep the approved text byte for byte; the final approval applies the
copy to the live row (section ids — anchors — stable). Withdrawal stays
immediate and needs a reason. Reviewers read the essay rendered, with its
findings and the copy's differences, and act on the same page.
"""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from articles.editing import revisions, workflow, working_copy
from articles.models import Article, ArticleTransition, Section
from articles.tests.factories import make_article, make_draft, make_topic
from articles.tests.test_admin import article_data
from articles.tests.test_admin_proofreading import change_data
from articles.tests.test_roles import (
    ADMINISTRATOR,
    AUTHOR,
    EDITOR,
    REVIEWER,
    change_url,
    logged_in,
    user_in,
    workflow_url,
)

pytestmark = pytest.mark.django_db

A = ArticleTransition.Action
S = Article.Status


@pytest.fixture
def editor():
    return user_in(EDITOR, "editor")


@pytest.fixture
def reviewers():
    return [user_in(REVIEWER, f"reviewer{i}") for i in (1, 2, 3)]


def live_essay(**fields):
    """A published essay of the genre: lead, two parts, a point, a topic."""
    fields.setdefault("lead", "<p>基层党建工作要坚持围绕中心、服务大局的工作思路。</p>")
    article = make_article(title="加强农村基层党组织建设的几点思考", author="李明", **fields)
    article.topics.set([make_topic("组织建设")])
    for position, (level, number, heading, body) in enumerate(
        [
            (1, "一、", "重要意义", "<p>基层党组织是党在基层全部工作和战斗力的基础。</p>"),
            (2, "（一）", "夯实执政根基的需要", "<p>党的工作最坚实的力量支撑在基层。</p>"),
            (1, "二、", "存在的问题", "<p>有的党组织活动内容单一，吸引力不强。</p>"),
        ]
    ):
        Section.objects.create(
            article=article, position=position, level=level, number=number, heading=heading, body=body
        )
    return article


def public_page(client, article):
    client.logout()
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content


def run_action(client, action, articles, **extra):
    data = {"action": action, "_selected_action": [str(a.pk) for a in articles], **extra}
    return client.post(reverse("admin:articles_article_changelist"), data)


def working_copy_url(article):
    return reverse("admin:articles_article_working_copy", args=[article.pk])


def review_url(article):
    return reverse("admin:articles_article_review", args=[article.pk])


def edit_copy(client, user, copy, **changes):
    """The copy's change form as an editor submits it: ``heading_<i>`` changes section i's heading."""
    sections = list(copy.sections.order_by("position", "id"))
    for index, section in enumerate(sections):
        if f"heading_{index}" in changes:
            section.heading = changes.pop(f"heading_{index}")
    data = change_data(copy, sections, **changes)
    data.setdefault("lock_version", copy.version)
    response = logged_in(client, user).post(change_url(copy), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


# --- the problem, reproduced: a POST to a live essay used to go live at once -----------------


def test_an_editors_post_to_a_live_essay_changes_nothing_readers_see(client, editor):
    article = live_essay()
    before = public_page(client, article)
    response = logged_in(client, editor).post(
        change_url(article), article_data(title="改过的标题", lead="<p>未经审核的导语。</p>", author_org="某单位")
    )
    assert response.status_code in (403, 409)
    article.refresh_from_db()
    assert (article.title, article.status) == ("加强农村基层党组织建设的几点思考", S.PUBLISHED)
    assert "未经审核" not in article.lead and article.author_org == "海西州纪律检查委员会"
    assert public_page(client, article) == before
    assert not article.transitions.filter(action=A.EDIT_LIVE).exists()


def test_an_administrator_cannot_edit_a_live_essay_directly_either(client):
    article = live_essay()
    admin = user_in(ADMINISTRATOR, "chief")
    response = logged_in(client, admin).post(change_url(article), article_data(title="管理员直接改的标题"))
    assert response.status_code == 409
    assert "修改（送审后生效）" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "加强农村基层党组织建设的几点思考"


def test_an_administrator_still_pins_a_live_essay_from_its_page(client):
    article = live_essay()
    admin = user_in(ADMINISTRATOR, "chief")
    published = article.published_at.astimezone(dt.UTC)
    response = logged_in(client, admin).post(
        change_url(article),
        {
            "status": "published",
            "published_at_0": published.strftime("%Y-%m-%d"),
            "published_at_1": published.strftime("%H:%M:%S"),
            "is_pinned": "on",
            "status_reason": "",
            "sections-TOTAL_FORMS": "3",
            "sections-INITIAL_FORMS": "3",
            "sections-MIN_NUM_FORMS": "0",
            "sections-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_pinned and article.status == S.PUBLISHED and article.title == "加强农村基层党组织建设的几点思考"


def test_the_live_essays_page_is_read_only_with_the_button(client, editor):
    article = live_essay()
    page = logged_in(client, editor).get(change_url(article)).content.decode()
    assert "修改（送审后生效）" in page and 'name="_save"' not in page
    assert 'name="lead"' not in page and 'name="sections-0-heading"' not in page


# --- the working copy ------------------------------------------------------------------------


def test_a_working_copy_is_a_hidden_draft_of_the_live_essay(editor):
    article = live_essay()
    copy, created = workflow.start_change(article, editor)
    assert created and copy.is_working_copy and copy.live_original == article
    assert (copy.status, copy.title, copy.lead, copy.created_by) == (S.DRAFT, article.title, article.lead, editor)
    assert copy.slug != article.slug and copy.published_at is None
    assert list(copy.topics.all()) == list(article.topics.all())
    live_sections = list(article.sections.order_by("position"))
    copied = list(copy.sections.order_by("position"))
    assert [s.origin_id for s in copied] == [s.pk for s in live_sections]
    assert [(s.heading, s.body, s.level) for s in copied] == [(s.heading, s.body, s.level) for s in live_sections]
    assert list(copy.transitions.values_list("action", "user")) == [(A.OPEN_COPY, editor.pk)]
    again, created = workflow.start_change(article, user_in(EDITOR, "editor2"))
    assert (again, created) == (copy, False)


def test_one_open_working_copy_per_live_essay_is_a_database_constraint(editor):
    article = live_essay()
    workflow.start_change(article, editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(title="第二份修改稿", live_original=article)


def test_a_working_copy_is_never_published(editor):
    copy, _ = workflow.start_change(live_essay(), editor)
    with pytest.raises(workflow.WorkflowError):
        workflow.publish(copy, editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=copy.pk).update(status=S.PUBLISHED)


@pytest.mark.parametrize(
    ("role", "own", "allowed"),
    [
        (EDITOR, False, True),
        (ADMINISTRATOR, False, True),
        (AUTHOR, True, True),
        (AUTHOR, False, False),
        (REVIEWER, False, False),
    ],
)
def test_who_may_start_a_change_of_a_live_essay(client, role, own, allowed):
    user = user_in(role)
    article = live_essay(created_by=user if own else None)
    response = logged_in(client, user).post(working_copy_url(article))
    copy = working_copy.open_copy(article)
    if allowed:
        assert response.status_code == 302 and response["Location"] == change_url(copy)
    else:
        assert response.status_code == 403 and copy is None


def test_a_draft_needs_no_working_copy(client, editor):
    draft = make_draft(created_by=editor)
    assert logged_in(client, editor).post(working_copy_url(draft)).status_code == 409
    assert not Article.objects.filter(live_original=draft).exists()


def test_the_author_of_a_live_essay_edits_and_submits_their_copy(client):
    author = user_in(AUTHOR, "writer")
    article = live_essay(created_by=author)
    copy, _ = workflow.start_change(article, author)
    edit_copy(client, author, copy, lead="<p>作者修改后的导语。</p>")
    workflow.submit(copy, author)
    copy.refresh_from_db()
    assert copy.status == S.IN_REVIEW and "作者修改后" in copy.lead
    article.refresh_from_db()
    assert "作者修改后" not in article.lead


# --- review of a copy: rejected → live untouched; approved → live replaced --------------------


def test_a_rejected_change_leaves_the_live_page_byte_identical(client, editor, reviewers):
    article = live_essay()
    before = public_page(client, article)
    copy, _ = workflow.start_change(article, editor)
    edit_copy(client, editor, copy, title="改过的标题", lead="<p>改过的导语。</p>", heading_0="改过的小标题")
    workflow.submit(copy, editor)
    assert public_page(client, article) == before
    workflow.approve(copy, reviewers[0], confirm_secrecy=True)
    workflow.reject(copy, reviewers[1], "第二部分的提法需要斟酌。")
    copy.refresh_from_db()
    assert (copy.status, copy.review_stage) == (S.DRAFT, 0)
    assert copy.transitions.last().comment == "第二部分的提法需要斟酌。"
    assert public_page(client, article) == before
    article.refresh_from_db()
    assert article.title == "加强农村基层党组织建设的几点思考"


def test_the_final_approval_applies_the_copy_with_stable_anchors(client, editor, reviewers):
    article = live_essay()
    version, slug, published_at = article.version, article.slug, article.published_at
    first, point, second = article.sections.order_by("position")
    before = public_page(client, article)  # stored and cached: must not survive the change
    assert "改过的导语" not in before.decode()
    copy, _ = workflow.start_change(article, editor)
    copy_sections = list(copy.sections.order_by("position"))
    data = change_data(
        copy, copy_sections, title="加强农村基层党组织建设的思考", lead="<p>改过的导语。</p>", author_org="某县委组织部"
    )
    data.update(
        {
            "lock_version": copy.version,
            "sections-0-heading": "重要意义和作用",
            "sections-2-DELETE": "on",  # 二、存在的问题 removed
            "sections-TOTAL_FORMS": "4",
            "sections-3-position": "9",
            "sections-3-level": "1",
            "sections-3-number": "二、",
            "sections-3-heading": "对策建议",
            "sections-3-kind": "countermeasures",
            "sections-3-body": "<p>建强支部，选优配强带头人。</p>",
        }
    )
    response = logged_in(client, editor).post(change_url(copy), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    workflow.submit(copy, editor, "请审阅修改")
    for reviewer in reviewers[:2]:
        workflow.approve(copy, reviewer, confirm_secrecy=True)
    assert public_page(client, article) == before  # two stages passed: still the old text
    live = workflow.approve(copy, reviewers[2], "同意", confirm_secrecy=True)

    assert live.pk == article.pk
    article.refresh_from_db()
    assert (article.title, article.author_org, article.slug) == ("加强农村基层党组织建设的思考", "某县委组织部", slug)
    assert (article.status, article.published_at, article.version > version) == (S.PUBLISHED, published_at, True)
    sections = list(article.sections.order_by("position"))
    assert [(s.number, s.heading) for s in sections] == [
        ("一、", "重要意义和作用"),
        ("（一）", "夯实执政根基的需要"),
        ("二、", "对策建议"),
    ]
    assert [s.pk for s in sections[:2]] == [first.pk, point.pk]  # anchors section-<id> stay
    assert not Section.objects.filter(pk=second.pk).exists() and sections[2].pk not in (first.pk, point.pk, second.pk)
    assert not Article.all_objects.filter(pk=copy.pk).exists()
    step = article.transitions.get(action=A.APPLY_COPY)
    assert (step.user, step.from_status, step.to_status) == (reviewers[2], S.PUBLISHED, S.PUBLISHED)
    for name in ("editor", "reviewer1", "reviewer2", "reviewer3", "初审通过", "复审通过", "终审通过", "请审阅修改"):
        assert name in step.comment
    assert revisions.versions_of(article).first().revision.get_comment() == "修改稿通过终审并生效"

    after = public_page(client, article).decode()  # the next request, through the page cache and stored page
    assert "改过的导语" in after and "对策建议" in after and "存在的问题" not in after
    assert f'id="section-{first.pk}"' in after


def test_the_same_reviewer_cannot_approve_two_stages_of_a_copy(editor, reviewers):
    copy, _ = workflow.start_change(live_essay(), editor)
    workflow.submit(copy, editor)
    workflow.approve(copy, reviewers[0], confirm_secrecy=True)
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.approve(copy, reviewers[0], confirm_secrecy=True)
    assert refused.value.status == 403


def test_the_editor_who_made_the_copy_does_not_review_it(editor):
    article = live_essay()
    copy, _ = workflow.start_change(article, editor)
    workflow.submit(copy, editor)
    admin = user_in(ADMINISTRATOR, "chief")
    with pytest.raises(workflow.WorkflowError):
        workflow.approve(copy, editor, confirm_secrecy=True)
    workflow.approve(copy, admin)  # 管理员 reviews like a reviewer: not their own copy
    copy.refresh_from_db()
    assert copy.review_stage == 2


def test_the_copy_goes_through_the_configured_number_of_stages(client, settings, editor, reviewers):
    settings.REVIEW_STAGES = 2
    article = live_essay()
    copy, _ = workflow.start_change(article, editor)
    edit_copy(client, editor, copy, title="两审后的标题")
    workflow.submit(copy, editor)
    workflow.approve(copy, reviewers[0], confirm_secrecy=True)
    workflow.approve(copy, reviewers[1], confirm_secrecy=True)
    article.refresh_from_db()
    assert article.title == "两审后的标题"


def test_an_approval_with_political_findings_needs_the_confirmation(client, settings, editor, reviewers):
    settings.REVIEW_STAGES = 1
    article = live_essay()
    copy, _ = workflow.start_change(article, editor)
    edit_copy(client, editor, copy, lead="<p>深入贯彻落实科学开展观。</p>")
    workflow.submit(copy, editor)
    with pytest.raises(workflow.WorkflowError):
        workflow.approve(copy, reviewers[0], confirm_secrecy=True)
    article.refresh_from_db()
    assert "科学开展观" not in article.lead
    workflow.approve(copy, reviewers[0], confirm_political=True, confirm_secrecy=True)
    article.refresh_from_db()
    assert "科学开展观" in article.lead and article.political_findings_confirmed_by == reviewers[0]


# --- no public leak ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [S.DRAFT, S.IN_REVIEW, S.APPROVED])
def test_a_copys_text_is_on_no_public_page(client, editor, status):
    from library.models import LibraryItem
    from library.regrouping import regroup

    article = live_essay()
    copy, _ = workflow.start_change(article, editor)
    marker = "修改稿独有的试验文字"
    Article.objects.filter(pk=copy.pk).update(status=status, title=f"{marker}标题", lead=f"<p>{marker}。</p>")
    Section.objects.filter(article=copy, level=2).update(heading=f"{marker}要点", body=f"<p>一是{marker}。</p>")
    copy.refresh_from_db()
    copy.save()  # through the normal save path: events, search, library
    regroup()
    client.logout()
    for url in (
        "/",
        reverse("articles:list"),
        reverse("articles:list") + "?q=试验文字",
        reverse("articles:feed_rss"),
        reverse("articles:feed_atom"),
        "/sitemap.xml",
        reverse("library:problems"),
        reverse("library:countermeasures"),
        article.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert marker not in response.content.decode(), url
    assert client.get(copy.get_absolute_url()).status_code == 404
    assert client.get(copy.get_preview_url()).status_code in (302, 404)
    assert not LibraryItem.objects.filter(text__contains=marker).exists()
    assert copy not in Article.objects.published()


# --- withdrawal: immediate, with a reason -----------------------------------------------------


def test_withdrawing_needs_a_reason_which_is_recorded(admin_client):
    article = live_essay()
    response = run_action(admin_client, "unpublish_selected", [article])
    assert response.status_code == 200 and "原因（必填）" in response.content.decode()
    article.refresh_from_db()
    assert article.status == S.PUBLISHED
    response = run_action(admin_client, "unpublish_selected", [article], post="yes", reason="   ")
    assert response.status_code == 400
    response = run_action(admin_client, "unpublish_selected", [article], post="yes", reason="数据有误，紧急撤回。")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == S.DRAFT
    step = article.transitions.get()
    assert (step.action, step.comment) == (A.UNPUBLISH, "数据有误，紧急撤回。")


def test_archiving_from_the_page_needs_a_reason(admin_client):
    article = live_essay()
    published = article.published_at.astimezone(dt.UTC)
    data = {
        "status": "archived",
        "published_at_0": published.strftime("%Y-%m-%d"),
        "published_at_1": published.strftime("%H:%M:%S"),
        "sections-TOTAL_FORMS": "3",
        "sections-INITIAL_FORMS": "3",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(change_url(article), data)
    assert response.status_code == 200 and "须填写原因" in response.content.decode()
    article.refresh_from_db()
    assert article.status == S.PUBLISHED
    response = admin_client.post(change_url(article), {**data, "status_reason": "活动已结束，归档。"})
    assert response.status_code == 302
    step = article.transitions.get(action=A.ARCHIVE)  # (the form's publish time drops microseconds: a step too)
    assert (step.comment, step.from_status, step.to_status) == ("活动已结束，归档。", S.PUBLISHED, S.ARCHIVED)


def test_a_withdrawn_essays_open_copy_applies_without_publishing_it(editor, reviewers):
    article = live_essay()
    copy, _ = workflow.start_change(article, editor)
    Article.objects.filter(pk=copy.pk).update(lead="<p>撤回后批准的导语。</p>")
    workflow.unpublish(article, user_in(ADMINISTRATOR, "chief"), "紧急撤回")
    workflow.submit(copy, editor)
    for reviewer in reviewers:
        workflow.approve(copy, reviewer, confirm_secrecy=True)
    article.refresh_from_db()
    assert article.status == S.DRAFT and "撤回后批准" in article.lead
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_restoring_an_old_revision_onto_a_live_essay_is_refused(admin_client):
    import reversion

    article = live_essay()
    with reversion.create_revision():
        article.save()
    version = revisions.versions_of(article).first()
    url = reverse("admin:articles_article_revision_restore", args=[article.pk, version.pk])
    response = admin_client.post(url)
    assert response.status_code == 409 and "修改（送审后生效）" in response.content.decode()


# --- the reviewers' reading view -------------------------------------------------------------


def test_the_reading_view_shows_the_rendered_essay_findings_diff_and_buttons(client, editor, reviewers):
    article = live_essay()
    copy, _ = workflow.start_change(article, editor)
    edit_copy(client, editor, copy, lead="<p>坚持科学开展观，服务群众。</p>", heading_2="存在的主要问题")
    workflow.submit(copy, editor)
    page = logged_in(client, reviewers[0]).get(review_url(copy)).content.decode()
    assert '<div class="essay__lead rich"><p>坚持科学开展观' in page  # rendered, not escaped HTML
    assert "&lt;p&gt;" not in page
    assert 'class="toc' in page and "目录" in page  # the reading site's TOC
    copy_section = copy.sections.get(heading="存在的主要问题")
    assert f'id="section-{copy_section.pk}"' in page
    assert "科学开展观" in page and "政治" in page  # the 校对 findings
    assert "与已发布版本的差异" in page and "<ins>" in page and "<del>" in page
    assert "审核通过（初审）" in page and "退回修改" in page


def test_approving_from_the_reading_view_returns_to_the_queue(client, editor, reviewers):
    copy, _ = workflow.start_change(live_essay(), editor)
    workflow.submit(copy, editor)
    response = logged_in(client, reviewers[0]).post(workflow_url(copy, "approve"), {"comment": "", "next": "queue"})
    assert response.status_code == 302 and response["Location"].endswith("?review=mine")
    copy.refresh_from_db()
    assert copy.review_stage == 2


def test_the_reading_view_is_staff_only_and_404_for_the_public(client, editor):
    from django.contrib.auth import get_user_model

    copy, _ = workflow.start_change(live_essay(), editor)
    assert client.get(review_url(copy)).status_code == 404
    reader = get_user_model().objects.create_user("reader", password="x")
    assert logged_in(client, reader).get(review_url(copy)).status_code == 404
    assert logged_in(client, editor).get(review_url(copy)).status_code == 200
    assert logged_in(client, editor).get(reverse("admin:articles_article_review", args=[999999])).status_code == 404


def test_the_review_queue_and_the_change_page_link_to_the_reading_view(client, editor, reviewers):
    copy, _ = workflow.start_change(live_essay(), editor)
    workflow.submit(copy, editor)
    queue = logged_in(client, reviewers[0]).get(reverse("admin:articles_article_changelist") + "?review=mine")
    html = queue.content.decode()
    assert "《加强农村基层党组织建设的几点思考》的修改稿" in html and review_url(copy) in html
    assert review_url(copy) in client.get(change_url(copy)).content.decode()


def test_the_essay_list_shows_the_copy_under_its_live_essay(client, editor):
    article = live_essay()
    copy, _ = workflow.start_change(article, editor)
    html = logged_in(client, editor).get(reverse("admin:articles_article_changelist")).content.decode()
    assert "（修改稿：草稿）" in html and change_url(copy) in html
    assert "的修改稿" not in html  # not a second essay
    page = client.get(change_url(article)).content.decode()
    assert "打开修改稿（草稿）" in page and change_url(copy) in page


# --- the optional fast path for small corrections (LIVE_CORRECTION_STAGES) ---------------------


def test_a_small_correction_passes_the_configured_stages_and_is_recorded(client, settings, editor, reviewers):
    settings.LIVE_CORRECTION_STAGES = 1
    article = live_essay()
    copy, _ = workflow.start_change(article, editor)
    edit_copy(client, editor, copy, lead="<p>改正了一个错别字的导语。</p>")
    page = logged_in(client, editor).get(change_url(copy)).content.decode()
    assert "只需经过 1 个审核环节" in page
    response = client.post(workflow_url(copy, "submit"), {"comment": "错别字", "minor": "on"})
    assert response.status_code == 302
    copy.refresh_from_db()
    assert copy.minor_change and workflow.status_label(copy) == "审核中（终审）"
    assert copy.transitions.get(action=A.SUBMIT).comment == "小修改：经 1 个审核环节后生效。错别字"
    workflow.approve(copy, reviewers[0], confirm_secrecy=True)
    article.refresh_from_db()
    assert "错别字" in article.lead
    step = article.transitions.get(action=A.APPLY_COPY)
    assert "终审通过" in step.comment and "小修改" in step.comment


def test_without_the_mark_a_copy_passes_every_stage(settings, editor, reviewers):
    settings.LIVE_CORRECTION_STAGES = 1
    copy, _ = workflow.start_change(live_essay(), editor)
    workflow.submit(copy, editor)
    workflow.approve(copy, reviewers[0], confirm_secrecy=True)
    copy.refresh_from_db()
    assert (copy.status, copy.review_stage) == (S.IN_REVIEW, 2)


def test_the_mark_means_nothing_on_a_new_essay_or_when_not_configured(settings, editor, reviewers):
    draft = make_draft(created_by=editor)
    workflow.submit(draft, editor, minor=True)
    draft.refresh_from_db()
    assert not draft.minor_change
    copy, _ = workflow.start_change(live_essay(), editor)  # LIVE_CORRECTION_STAGES defaults to REVIEW_STAGES
    workflow.submit(copy, editor, minor=True)
    copy.refresh_from_db()
    assert not copy.minor_change and "小修改" not in copy.transitions.get(action=A.SUBMIT).comment


def test_a_deleted_copy_does_not_come_back_beside_a_newer_one(admin_client, editor):
    article = live_essay()
    first, _ = workflow.start_change(article, editor)
    workflow.move_to_recycle_bin(first, editor)
    second, created = workflow.start_change(article, editor)
    assert created and second != first
    response = admin_client.post(reverse("admin:articles_article_recycle_restore", args=[first.pk]))
    assert response.status_code == 409
    assert Article.all_objects.get(pk=first.pk).is_deleted
