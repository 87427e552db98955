"""Reviewers' comments on a section or point of an essay (审核意见), and who may do what with them.

A reviewer comments on an essay in review: on one section or point, or on
the whole essay. The author and every later stage read the comments; the
author (on their draft) or an editor marks one resolved, and who and when is
kept. Nobody changes or deletes a comment (``accounts.roles`` gives no role
that right). Comments are never public: no reading page, feed or export
reads this model. An open comment blocks nothing; 送审 and 终审 show it.
"""

from django.db import transaction
from django.utils import timezone

from articles.editing import workflow
from articles.models import Article, Section, SectionComment

TEXT_MAX_LENGTH = workflow.COMMENT_MAX_LENGTH


class CommentError(workflow.WorkflowError):
    """A refused comment or resolution (Chinese message, HTTP status)."""


def can_comment(user, article):
    """Reviewers comment on essays in review that are not their own."""
    return (
        user.has_perm("articles.add_sectioncomment")
        and article.status == Article.Status.IN_REVIEW
        and not article.is_deleted
        and not (article.created_by_id is not None and article.created_by_id == user.pk)
    )


def can_resolve(user, comment, article=None):
    """The author (on their draft) or an editor: whoever may edit the essay now."""
    article = article or comment.article
    return (
        not comment.is_resolved
        and user.has_perm("articles.resolve_sectioncomment")
        and workflow.can_edit(user, article)
    )


def section_label(section):
    return f"{section.number}{section.heading}"[:330]


def clean_text(text):
    text = (text or "").strip()
    if not text:
        raise CommentError("请填写意见内容。")
    if "\x00" in text:
        raise CommentError("意见中含有无效字符，请删除后再提交。")
    if len(text) > TEXT_MAX_LENGTH:
        raise CommentError(f"意见不能超过 {TEXT_MAX_LENGTH} 字。")
    return text


def add(article, user, text, section_id=None):
    """A reviewer's comment on ``section_id`` of ``article`` (None: the whole essay)."""
    text = clean_text(text)
    if not can_comment(user, article):
        raise CommentError("只有审核人可以对审核中的文稿提出意见，且不能评自己撰写的文稿。", 403)
    section = None
    if section_id not in (None, ""):
        wrong = CommentError("所选的部分不属于这篇文稿，请刷新页面后重试。")
        try:
            pk = int(section_id)
        except (ValueError, TypeError):
            raise wrong from None
        # Out of the id column's range, PostgreSQL would refuse the query itself.
        section = Section.objects.filter(pk=pk, article=article).first() if 0 < pk < 2**31 else None
        if section is None:
            raise wrong
    return SectionComment.objects.create(
        article=article,
        section=section,
        section_label=section_label(section) if section else "",
        author=user,
        text=text,
        stage=article.review_stage,
    )


def resolve(comment, user):
    """Mark ``comment`` resolved by ``user``, now (a second click changes nothing)."""
    with transaction.atomic():
        comment = SectionComment.objects.select_for_update().select_related("article").get(pk=comment.pk)
        if comment.is_resolved:
            return comment
        if not can_resolve(user, comment):
            raise CommentError("只有可以修改这篇文稿的作者或编辑才能把意见标为已解决。", 403)
        comment.resolved_by, comment.resolved_at = user, timezone.now()
        comment.save(update_fields=["resolved_by", "resolved_at"])
    return comment


def of_article(article):
    """The essay's comments, open ones first, each with ``stage_label``."""
    comments = list(
        article.section_comments.select_related("author", "resolved_by", "section").order_by(
            "resolved_at", "created_at", "id"
        )
    )
    for comment in comments:
        comment.stage_label = workflow.stage_label(comment.stage) if comment.stage else ""
    # Open comments first: resolved_at is NULL for them, which databases sort differently.
    return sorted(comments, key=lambda c: (c.is_resolved, c.created_at, c.pk))


def open_count(article):
    return article.section_comments.filter(resolved_at__isnull=True).count()
