"""Issue 20, item 6: reviewers' comments on a section or point (审核意见).

Per role: reviewers add, on essays in review that are not their own; the
author (on their draft) and editors mark resolved, who and when recorded;
nobody edits or deletes a comment; comments are never public; hostile text
is escaped; an open comment blocks nothing but is shown at 送审 and 终审.
"""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts import roles
from articles.editing import comments, workflow
from articles.models import Article, SectionComment
from articles.tests.factories import make_draft, make_section
from articles.tests.test_roles import ADMINISTRATOR, AUTHOR, EDITOR, REVIEWER, change_url, logged_in, user_in

pytestmark = pytest.mark.django_db

BAD_INPUT = Path(__file__).resolve().parents[3] / "shared" / "bad-input"


def add_url(article):
    return reverse("admin:articles_article_comment_add", args=[article.pk])


def resolve_url(comment):
    return reverse("admin:articles_article_comment_resolve", args=[comment.article_id, comment.pk])


@pytest.fixture
def essay():
    author = user_in(AUTHOR, "author")
    article = make_draft("待审的文稿", created_by=author)
    section = make_section(article, "存在的问题", number="二、", body="<p>组织生活流于形式。</p>")
    workflow.submit(article, author)
    return article, section, author


def comment_on(article, section, text="这一部分的例子不够具体。"):
    reviewer = user_in(REVIEWER, "first-reviewer")
    return comments.add(Article.objects.get(pk=article.pk), reviewer, text, section.pk)


# --- adding -------------------------------------------------------------------------


def test_a_reviewer_comments_on_a_section(client, essay):
    article, section, _ = essay
    reviewer = user_in(REVIEWER)
    response = logged_in(client, reviewer).post(add_url(article), {"section": section.pk, "text": "请补充数据。"})
    assert response.status_code == 302
    comment = SectionComment.objects.get()
    assert (comment.section, comment.author, comment.stage, comment.text) == (section, reviewer, 1, "请补充数据。")
    assert comment.section_label == "二、存在的问题" and not comment.is_resolved


def test_a_reviewer_comments_on_the_whole_essay(client, essay):
    article, _, _ = essay
    logged_in(client, user_in(REVIEWER)).post(add_url(article), {"section": "", "text": "全文篇幅偏长。"})
    assert SectionComment.objects.get().section is None


@pytest.mark.parametrize("role", [AUTHOR, EDITOR])
def test_authors_and_editors_do_not_add_comments(client, essay, role):
    article, section, _ = essay
    response = logged_in(client, user_in(role, "someone")).post(add_url(article), {"section": section.pk, "text": "x"})
    assert response.status_code == 403
    assert not SectionComment.objects.exists()


def test_nobody_comments_on_their_own_essay_or_outside_review(client, essay):
    article, section, author = essay
    author.groups.add(Group.objects.get(name=REVIEWER))
    assert logged_in(client, author).post(add_url(article), {"text": "自评"}).status_code == 403
    draft = make_draft("草稿")
    assert logged_in(client, user_in(REVIEWER)).post(add_url(draft), {"text": "x"}).status_code == 403
    assert not SectionComment.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"text": ""},
        {"text": "   "},
        {"text": "x" * 2001},
        {"text": "a\x00b"},
        {"text": "x", "section": "abc"},
        {"text": "x", "section": "9" * 30},
        {"text": "x", "section": "-1"},
    ],
    ids=["empty", "blank", "too-long", "nul", "bad-section", "huge-section", "negative-section"],
)
def test_bad_comments_get_a_chinese_400(client, essay, data):
    article, _, _ = essay
    response = logged_in(client, user_in(REVIEWER)).post(add_url(article), data)
    assert response.status_code == 400
    assert "意见" in response.content.decode() or "部分" in response.content.decode()
    assert not SectionComment.objects.exists()


def test_a_section_of_another_essay_is_refused(client, essay):
    article, _, _ = essay
    other = make_section(make_draft("别的文稿"), "别的部分")
    response = logged_in(client, user_in(REVIEWER)).post(add_url(article), {"section": other.pk, "text": "x"})
    assert response.status_code == 400 and not SectionComment.objects.exists()


def test_comment_endpoints_refuse_get_and_anonymous(client, essay):
    article, section, _ = essay
    comment = comment_on(article, section)
    assert client.post(add_url(article), {"text": "x"}).status_code == 302  # to the login page
    assert client.post(resolve_url(comment)).status_code == 302
    assert SectionComment.objects.count() == 1 and not SectionComment.objects.get().is_resolved
    assert logged_in(client, user_in(REVIEWER)).get(add_url(article)).status_code == 405


# --- reading --------------------------------------------------------------------------


def test_the_author_and_later_stages_see_the_comment_next_to_its_section(client, essay):
    article, section, author = essay
    comment_on(article, section)
    workflow.approve(Article.objects.get(pk=article.pk), user_in(REVIEWER, "first-approver"), confirm_secrecy=True)
    for user in (author, user_in(REVIEWER, "second"), user_in(EDITOR, "editor")):
        html = logged_in(client, user).get(change_url(article)).content.decode()
        assert html.count("这一部分的例子不够具体。") == 2  # in the list and next to the section
        assert "二、存在的问题" in html and "待解决" in html


def test_comments_are_never_public(client, essay):
    article, section, _ = essay
    comment_on(article, section)
    workflow.approve(Article.objects.get(pk=article.pk), user_in(REVIEWER, "r1"), confirm_secrecy=True)
    workflow.approve(Article.objects.get(pk=article.pk), user_in(REVIEWER, "r2"), confirm_secrecy=True)
    workflow.approve(Article.objects.get(pk=article.pk), user_in(REVIEWER, "r3"), confirm_secrecy=True)
    article.refresh_from_db()
    assert article.is_public
    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "存在的问题" in html and "这一部分的例子不够具体" not in html


# --- resolving ------------------------------------------------------------------------


def test_the_author_resolves_after_the_essay_comes_back(client, essay):
    article, section, author = essay
    comment = comment_on(article, section)
    # In review the author may not edit the essay, so may not resolve either.
    assert logged_in(client, author).post(resolve_url(comment)).status_code == 403
    workflow.reject(Article.objects.get(pk=article.pk), user_in(REVIEWER, "rejecter"), "请按意见修改。")
    assert client.post(resolve_url(comment)).status_code == 302
    comment.refresh_from_db()
    assert comment.resolved_by == author and comment.resolved_at is not None
    html = client.get(change_url(article)).content.decode()
    assert "已解决：author" in html


def test_an_editor_resolves_at_any_time(client, essay):
    article, section, _ = essay
    comment = comment_on(article, section)
    editor = user_in(EDITOR)
    assert logged_in(client, editor).post(resolve_url(comment)).status_code == 302
    comment.refresh_from_db()
    assert comment.resolved_by == editor


def test_a_reviewer_does_not_resolve(client, essay):
    article, section, _ = essay
    comment = comment_on(article, section)
    assert logged_in(client, user_in(REVIEWER)).post(resolve_url(comment)).status_code == 403
    assert not SectionComment.objects.get().is_resolved


def test_resolving_twice_keeps_the_first_resolver(client, essay):
    article, section, _ = essay
    comment = comment_on(article, section)
    first = user_in(EDITOR, "first")
    logged_in(client, first).post(resolve_url(comment))
    logged_in(client, user_in(ADMINISTRATOR, "second")).post(resolve_url(comment))
    assert SectionComment.objects.get().resolved_by == first


def test_a_comment_of_another_essay_or_in_the_bin_is_404(client, essay):
    article, section, _ = essay
    comment = comment_on(article, section)
    other = make_draft("别的文稿")
    editor = logged_in(client, user_in(EDITOR))
    wrong = reverse("admin:articles_article_comment_resolve", args=[other.pk, comment.pk])
    assert editor.post(wrong).status_code == 404
    workflow.move_to_recycle_bin(Article.objects.get(pk=article.pk), None)
    assert editor.post(resolve_url(comment)).status_code == 404


@pytest.mark.parametrize("role", roles.ROLES)
def test_nobody_may_change_or_delete_a_comment(role):
    user = user_in(role)
    assert not user.has_perm("articles.change_sectioncomment")
    assert not user.has_perm("articles.delete_sectioncomment")


@pytest.mark.parametrize(
    ("role", "add", "resolve"),
    [(AUTHOR, False, True), (EDITOR, False, True), (REVIEWER, True, False), (ADMINISTRATOR, True, True)],
)
def test_the_roles_table(role, add, resolve):
    user = user_in(role)
    assert user.has_perm("articles.view_sectioncomment")
    assert user.has_perm("articles.add_sectioncomment") is add
    assert user.has_perm("articles.resolve_sectioncomment") is resolve


# --- at 送审 and 终审 -----------------------------------------------------------------


def test_an_open_comment_is_shown_at_resubmission_but_does_not_block_it(client, essay):
    article, section, author = essay
    comment_on(article, section)
    workflow.reject(Article.objects.get(pk=article.pk), user_in(REVIEWER, "rejecter"), "请修改。")
    html = logged_in(client, author).get(change_url(article)).content.decode()
    assert "尚有 1 条审核意见未标为已解决" in html and "不妨碍送审" in html
    response = client.post(reverse("admin:articles_article_workflow", args=[article.pk, "submit"]), follow=True)
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW
    assert "尚有 1 条审核意见未标为已解决" in response.content.decode()


def test_an_open_comment_is_shown_at_final_approval(client, essay, settings):
    settings.REVIEW_STAGES = 1
    article, section, _ = essay
    comment_on(article, section)
    final = logged_in(client, user_in(REVIEWER, "final"))
    html = final.get(change_url(article)).content.decode()
    assert "尚有 1 条审核意见未标为已解决" in html and "不妨碍终审通过" in html
    response = final.post(
        reverse("admin:articles_article_workflow", args=[article.pk, "approve"]), {"confirm_secrecy": "on"}, follow=True
    )
    assert Article.objects.get(pk=article.pk).is_public
    assert "终审通过，文稿已发布。尚有 1 条审核意见未标为已解决。" in response.content.decode()


def test_no_warning_once_resolved(client, essay):
    article, section, author = essay
    comment = comment_on(article, section)
    comments.resolve(comment, user_in(EDITOR))
    workflow.reject(Article.objects.get(pk=article.pk), user_in(REVIEWER, "rejecter"), "请修改。")
    html = logged_in(client, author).get(change_url(article)).content.decode()
    assert "未标为已解决" not in html


# --- hostile text ---------------------------------------------------------------------


def hostile_lines():
    lines = []
    for name in ("xss.txt", "naughty.txt"):
        path = BAD_INPUT / name
        if path.is_file():
            lines += [line for line in path.read_text(encoding="utf-8").split("\n")[:-1] if line.strip()]
    return lines


def test_hostile_comments_are_stored_as_typed_and_escaped(client, essay):
    lines = hostile_lines()
    if not lines:
        pytest.skip(f"the shared bad-input lists are not on this machine ({BAD_INPUT})")
    article, section, author = essay
    before = Elements()
    before.feed(logged_in(client, author).get(change_url(article)).content.decode())
    reviewer = logged_in(client, user_in(REVIEWER))
    refused = 0
    for line in lines:
        response = reviewer.post(add_url(article), {"section": section.pk, "text": line})
        assert response.status_code in (302, 400), line
        refused += response.status_code == 400
    stored = SectionComment.objects.count()
    assert stored + refused == len(lines) and stored > len(lines) * 0.95
    html = logged_in(client, author).get(change_url(article)).content.decode()
    elements = Elements()
    elements.feed(html)
    # As many scripts, handlers and foreign elements (the admin's own icons) as before the comments.
    assert (elements.inline_scripts, elements.handlers, elements.foreign) == (
        before.inline_scripts,
        before.handlers,
        before.foreign,
    )
    assert "&lt;script&gt;" in html


class Elements(HTMLParser):
    FOREIGN = {"svg", "math", "iframe", "object", "embed", "frameset", "base", "marquee", "video", "audio"}

    def __init__(self):
        super().__init__()
        self.inline_scripts, self.handlers, self.foreign = 0, [], []

    def handle_starttag(self, tag, attrs):
        names = {name.lower() for name, _ in attrs}
        if tag == "script" and "src" not in names and ("type", "application/json") not in attrs:
            self.inline_scripts += 1
        self.handlers += [(tag, name) for name in names if name.startswith("on")]
        if tag in self.FOREIGN:
            self.foreign.append(tag)
