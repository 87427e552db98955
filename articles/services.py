"""Operations that span models: publishing, importing essays, keeping sections consistent,
the recycle bin. The review workflow (送审、审核) is in :mod:`articles.workflow`."""

import reversion
from django.db import transaction
from django.utils import timezone

from articles import renditions
from articles.models import Article, ArticleTransition, Section
from articles.richtext import paragraphs_to_html
from config import pagecache

Action = ArticleTransition.Action

# Saving only these keeps a publish from overwriting an edit made in the
# meantime from another stale copy of the row; updated_at must be listed for
# auto_now to be written.
_PUBLICATION_FIELDS = ["status", "published_at", "updated_by", "updated_at"]


def publish(article, user):
    """Publish ``article`` on behalf of ``user``.

    An empty publish time becomes now; a time already set is kept, so a
    future time means scheduled publishing (``Article.objects.published()``
    shows the essay when its time comes). Publishing twice changes nothing
    but ``updated_by``.
    """
    before = (article.status, article.review_stage)
    article.status = Article.Status.PUBLISHED
    article.review_stage = 0
    if article.published_at is None:
        article.published_at = timezone.now()
    article.updated_by = user
    article.save(update_fields=[*_PUBLICATION_FIELDS, "review_stage"])
    if before[0] != article.status:
        record_transition(article, user, Action.PUBLISH, *before)
    return article


CONFIRMATION_FIELDS = ["political_findings_confirmed_by", "political_findings_confirmed_at"]


def record_political_confirmation(article, user, *, confirmed):
    """Set (or clear) who knowingly let ``article`` go live with political-term findings, and when.

    Returns True when the fields changed (the caller saves them).
    """
    unset = article.political_findings_confirmed_by_id is None and article.political_findings_confirmed_at is None
    if not confirmed and unset:
        return False
    by, at = (user, timezone.now()) if confirmed else (None, None)
    article.political_findings_confirmed_by, article.political_findings_confirmed_at = by, at
    return True


def unpublish(article, user, comment=""):
    """Take ``article`` back to draft; its publish time is kept for next time."""
    before = (article.status, article.review_stage)
    article.status = Article.Status.DRAFT
    article.review_stage = 0
    article.updated_by = user
    article.save(update_fields=[*_PUBLICATION_FIELDS, "review_stage"])
    if before[0] != article.status:
        record_transition(article, user, Action.UNPUBLISH, *before, comment=comment)
    return article


def archive(article, user, comment=""):
    """Take a published essay off the site but keep it apart from drafts (已归档)."""
    before = (article.status, article.review_stage)
    article.status = Article.Status.ARCHIVED
    article.review_stage = 0
    article.updated_by = user
    article.save(update_fields=[*_PUBLICATION_FIELDS, "review_stage"])
    record_transition(article, user, Action.ARCHIVE, *before, comment=comment)
    return article


def record_transition(article, user, action, from_status, from_stage=0, *, comment="", to_status=None):
    """Write down one step of ``article`` (who, when, from, to, comment).

    The step ends in the essay's current status unless ``to_status`` says otherwise.
    """
    return ArticleTransition.objects.create(
        article=article, user=user if user is not None and user.is_authenticated else None,
        action=action, from_status=from_status, from_stage=from_stage,
        to_status=to_status or article.status, to_stage=article.review_stage if to_status is None else 0,
        comment=comment,
    )


def record_live_edit(article, user, status, changed, *, confirmed_findings=0):
    """Write down a save that changed a live essay (``status``: published, scheduled
    included): who, when, which fields (``changed``: their names for people), and
    whether the saver confirmed remaining political-term findings.

    Such a change reaches readers without another review, so it is at least
    shown in the essay's 流转记录 (修改已发布文稿).
    """
    comment = "修改了：" + "、".join(changed)
    if confirmed_findings:
        comment += f"。仍有 {confirmed_findings} 处政治性问题，由修改人确认发布"
    return record_transition(article, user, Action.EDIT_LIVE, status, comment=comment, to_status=status)


def move_to_recycle_bin(article, user):
    """Delete an essay the way editors mean it: it leaves every list, and can come back."""
    with transaction.atomic():
        article.deleted_at = timezone.now()
        article.deleted_by = user
        article.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        record_transition(article, user, Action.DELETE, article.status, article.review_stage)
    return article


def restore_from_recycle_bin(article, user):
    """Bring an essay back from the recycle bin, as it was (a published one goes back online)."""
    with transaction.atomic():
        article.deleted_at = None
        article.deleted_by = None
        article.updated_by = user
        article.save(update_fields=["deleted_at", "deleted_by", "updated_by", "updated_at"])
        record_transition(article, user, Action.UNDELETE, article.status, article.review_stage)
    return article


def normalize_sections(article):
    """Renumber the sections of ``article`` 0..n-1 and propagate kinds.

    The current order is (position, id), so a new section given the position
    of an existing one lands right after it. Every point (level 2) takes the
    kind of the nearest section (level 1) before it; points before any
    section keep their own kind. Only changed rows are written, in one
    ``bulk_update``. Returns the sections in order.
    """
    sections = list(Section.objects.filter(article=article).order_by("position", "id"))
    changed = []
    section_kind = None
    for index, section in enumerate(sections):
        dirty = False
        if section.position != index:
            section.position = index
            dirty = True
        if section.level == Section.Level.SECTION:
            section_kind = section.kind
        elif section_kind is not None and section.kind != section_kind:
            section.kind = section_kind
            dirty = True
        if dirty:
            changed.append(section)
    if changed:
        Section.objects.bulk_update(changed, ["position", "kind"])
        # bulk_update sends no signal: cached and stored pages must still go stale.
        pagecache.invalidate()
        renditions.forget([article.pk])
    return sections


def _fit(model, field_name, value):
    """Cut ``value`` to the column's length (parsed titles can run long)."""
    return value[: model._meta.get_field(field_name).max_length]


def import_essay(essay, *, topics=(), publish_now=False, user=None, source=""):
    """Store a parsed :class:`articles.essay.Essay` as an Article with its sections.

    All or nothing: the article and every section are written in one
    transaction, and become the essay's first revision (inside an enclosing
    ``reversion.create_revision()`` they join that one). The essay's
    plain-text paragraphs become ``<p>`` paragraphs; points take the kind of
    their section.
    """
    with transaction.atomic(), reversion.create_revision():
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment("导入文稿")
        article = Article(
            title=_fit(Article, "title", essay.title),
            subtitle=_fit(Article, "subtitle", essay.subtitle),
            author_org=_fit(Article, "author_org", essay.author_org),
            source=_fit(Article, "source", source or essay.author_org),
            lead=paragraphs_to_html(essay.lead),
            conclusion=paragraphs_to_html(essay.conclusion),
            created_by=user,
            updated_by=user,
        )
        article.save()
        if topics:
            article.topics.set(topics)
        rows = []
        for part in essay.sections:
            rows.append(Section(
                article=article, position=len(rows), level=Section.Level.SECTION,
                number=part.number, heading=_fit(Section, "heading", part.heading), kind=part.kind,
                body=paragraphs_to_html(part.body),
            ))
            for point in part.points:
                rows.append(Section(
                    article=article, position=len(rows), level=Section.Level.POINT,
                    number=point.number, heading=_fit(Section, "heading", point.heading), kind=part.kind,
                    body=paragraphs_to_html(point.body),
                ))
        Section.objects.bulk_create(rows)
        pagecache.invalidate()  # bulk_create sends no signal
        if publish_now:
            publish(article, user)
        from articles import revisions  # revisions builds on services

        revisions.add_essay(article)
    return article
