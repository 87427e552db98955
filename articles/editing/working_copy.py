"""Changes to live essays (修改稿): "draft changes on a live page", done as a working copy.

A published (or scheduled) essay is never edited in place. Its change is made
on a hidden draft copy (``Article.live_original`` points to the live essay;
each copied section's ``origin`` to the live section it came from), which goes
through the same 送审 / 初审 / 复审 / 终审 as any draft
(:mod:`articles.editing.workflow`, its one transition table and its people
rules). Meanwhile the live row is untouched: readers keep the approved text,
byte for byte.

The copy is never published: ``Article.objects.published()`` leaves it out
because of its status (a database constraint keeps it draft, review or
approved). Its final approval *applies* it to the live essay (:func:`apply`)
in one transaction through the normal save path (version lock, one revision,
one ``events.changes()`` batch, so cached and stored pages, search and the
library follow): fields copied, sections matched by ``origin`` so that live
section ids — the anchors ``section-<id>`` — stay, new sections created,
removed ones deleted, topics copied. Then the copy is deleted; the live
essay's 流转记录 gets one step, 修改稿通过终审并生效, naming who sent the copy to
review and who approved each stage, when.

If the live essay is withdrawn or archived while a copy is open, the copy
stays a draft change of it; its final approval then applies the text to the
essay in whatever status it is (it is not published again by that: putting
an essay back online is a publishing decision of its own).
"""

import reversion
from django.db import transaction
from django.utils import timezone

from articles import events
from articles.editing.sections import normalize_sections
from articles.models import Article, ArticleTransition, Section

Status = Article.Status
Action = ArticleTransition.Action

# What a working copy carries and, approved, gives back to its live essay.
# Not the slug (the live URL stays), nor the publishing decisions (status,
# publish time, 置顶) nor counters and locks.
CONTENT_FIELDS = (
    "title",
    "subtitle",
    "author",
    "author_org",
    "source",
    "responsible_editor",
    "summary",
    "lead",
    "conclusion",
    "cover",
    "cover_thumbnail",
    "cover_banner",
    "cover_alt",
)
SECTION_FIELDS = ("position", "level", "number", "heading", "kind", "body")

# The statuses whose essays change through a working copy: published,
# scheduled included (workflow.LIVE_STATUSES), and approved (the instant
# between 终审 and publishing).
COPY_STATUSES = frozenset({Status.PUBLISHED, Status.APPROVED})


class CopyError(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def needs_copy(article):
    """Whether ``article``'s content may only change through a working copy."""
    return article.pk is not None and not article.is_working_copy and article.status in COPY_STATUSES


def open_copy(article):
    """The open working copy of ``article``, or None."""
    return Article.objects.filter(live_original=article).first()


def _add_essay(article):
    """The essay and its sections in the open revision (as ``revisions.add_essay``,
    which this module cannot import: revisions → workflow → here)."""
    reversion.add_to_revision(article)
    for section in Section.objects.filter(article=article):
        reversion.add_to_revision(section)


def start(article, user):
    """Create the working copy of live ``article`` for ``user``, or return the one already open.

    Returns ``(copy, created)``. Who may is :func:`articles.editing.workflow.can_start_change`,
    which calls this and records the step.
    """
    with transaction.atomic(), events.changes(), reversion.create_revision():
        live = Article.objects.select_for_update().filter(pk=article.pk).first()
        if live is None:
            raise CopyError("文稿不存在或已删除。", 404)
        existing = open_copy(live)
        if existing is not None:
            return existing, False
        if not needs_copy(live):
            raise CopyError("这篇文稿不是已发布文稿，请直接修改。", 409)
        copy = Article(
            **{name: getattr(live, name) for name in CONTENT_FIELDS},
            status=Status.DRAFT,
            live_original=live,
            created_by=user,
            updated_by=user,
        )
        copy.save()
        copy.topics.set(live.topics.all())
        Section.objects.bulk_create(
            [
                Section(article=copy, origin=section, **{name: getattr(section, name) for name in SECTION_FIELDS})
                for section in live.sections.order_by("position", "id")
            ]
        )
        events.essays_changed([copy.pk])
        reversion.set_user(user)
        reversion.set_comment(f"创建修改稿（修改《{live.title}》）")
        _add_essay(copy)
    return copy, True


def review_summary(copy, stage_label):
    """The copy's review round as one line per step: who, when, what (``stage_label(n)``: 初审 …), comment."""
    steps = list(copy.transitions.select_related("user").order_by("at", "id"))
    start_index = max((i for i, step in enumerate(steps) if step.action == Action.SUBMIT), default=0)
    lines = []
    for step in steps[start_index:]:
        when = timezone.localtime(step.at).strftime("%Y-%m-%d %H:%M")
        who = step.user.get_username() if step.user else "系统"
        line = f"{when} {who} {step.get_action_display()}"
        if step.action == Action.APPROVE and step.from_stage:
            line = f"{when} {who} {stage_label(step.from_stage)}通过"
        if step.comment:
            line += f"：{step.comment}"
        lines.append(line)
    return lines


def apply(copy, user, stage_label):
    """Apply the approved working copy ``copy`` to its live essay and delete the copy.

    Called by the final approval (``workflow.approve``, inside its transaction),
    which records the step. Returns ``(live, status_before, review_lines)``.
    """
    with transaction.atomic(), events.changes(), reversion.create_revision():
        live = Article.all_objects.select_for_update().get(pk=copy.live_original_id)
        status_before = live.status
        for name in CONTENT_FIELDS:
            setattr(live, name, getattr(copy, name))
        live.political_findings_confirmed_by = copy.political_findings_confirmed_by
        live.political_findings_confirmed_at = copy.political_findings_confirmed_at
        live.updated_by = user
        live.save()  # the version lock: a new version, counted from the locked row
        live.topics.set(copy.topics.all())

        kept = set()
        for section in copy.sections.order_by("position", "id"):
            values = {name: getattr(section, name) for name in SECTION_FIELDS}
            target = None
            if section.origin_id is not None and section.origin_id not in kept:
                target = Section.objects.filter(pk=section.origin_id, article=live).first()
            if target is None:
                target = Section(article=live)
            changed = target.pk is None or any(getattr(target, name) != value for name, value in values.items())
            for name, value in values.items():
                setattr(target, name, value)
            if changed:
                target.save()
            kept.add(target.pk)
        Section.objects.filter(article=live).exclude(pk__in=kept).delete()
        normalize_sections(live)

        summary = review_summary(copy, stage_label)
        reversion.set_user(user)
        reversion.set_comment("修改稿通过终审并生效")
        _add_essay(live)
        copy.delete()
    return live, status_before, summary
