"""三审三校: how an essay moves from draft to the reader, and who may move it.

    draft ──submit──▶ review(1) ──approve──▶ review(2) … review(N) ──approve──▶ approved ──▶ published
      ▲                  │ reject (with a comment)                                        │
      └──────────────────┘◀──────────────────── unpublish ◀──────────────────────────────┤
                                                                                  archive ▼
                                                                                      archived

N is ``settings.REVIEW_STAGES`` (1 to 3). The last approval (终审) publishes
the essay at its publish time (``publish``: empty means now, a
future time means scheduled); "approved" is recorded as its own step so the
history reads 终审通过 → 发布. 管理员 (``publish_article``) may also publish,
unpublish and archive directly: that is the existing 发布所选文稿 action.

A live essay (published, scheduled or just approved) is never edited in
place, 管理员 included: its change is a working copy (修改稿,
:mod:`articles.editing.working_copy`) that moves through the same steps; the
final approval of a copy applies it to the live essay instead of publishing
(``_apply_copy``). A copy sent as 小修改 passes ``LIVE_CORRECTION_STAGES``
stages (``stages_for``). Withdrawal (unpublish, archive) stays immediate; the
admin asks for its reason and records it.

A small explicit table rather than a state-machine library (django-fsm-2):
the number of stages is a setting, and the rules that matter are not about
states but about people (not your own essay, not two stages of one essay),
which need the transition history anyway. Every step is an
:class:`~articles.models.ArticleTransition` row.

Roles are Django groups whose permissions are declared in
:mod:`accounts.roles`; the functions here check permissions, never group
names, so a superuser or a custom group works the same way.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import audit
from articles import events
from articles.editing import rules as proofreading
from articles.editing import working_copy
from articles.models import Article, ArticleTransition

Status = Article.Status
Action = ArticleTransition.Action

# Which status an action starts from.
TRANSITIONS = {
    Action.SUBMIT: {Status.DRAFT},
    Action.APPROVE: {Status.IN_REVIEW},
    Action.REJECT: {Status.IN_REVIEW},
    Action.PUBLISH: {Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.ARCHIVED},
    Action.UNPUBLISH: {Status.PUBLISHED, Status.APPROVED, Status.ARCHIVED},
    Action.ARCHIVE: {Status.PUBLISHED},
}

COMMENT_MAX_LENGTH = 2000

# Statuses in which an essay is on the site, or will be at its publish time
# without anyone acting again (scheduled): changing it changes what readers read.
LIVE_STATUSES = frozenset({Status.PUBLISHED})

# Fields of an essay that need more than the right to edit it (can_edit), by
# the permission they need. The one place that says so: the admin's read-only
# fields and the guard on every admin save (``refused_field_changes``) both
# read it. Publish time and pinning are publishing decisions: a backdated or
# future publish time, or 置顶, would otherwise pass review unnoticed or
# withdraw a live essay silently.
FIELD_PERMISSIONS = {
    "articles.publish_article": ("status", "published_at", "is_pinned"),
}
PUBLISHING_FIELDS = FIELD_PERMISSIONS["articles.publish_article"]


# 保密审查 (党务公开条例 Art. 15): whoever makes an essay public — the final
# approval, or publishing — states that the secrecy review was done.
SECRECY_STATEMENT = "已完成保密审查：本文不涉及国家秘密、工作秘密和其他不宜公开的内容，同意公开发布。"
SECRECY_NOTE = "已确认保密审查"


class WorkflowError(Exception):
    """A refused step, with a message for people (Chinese) and an HTTP status for clients."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def review_stages():
    return min(max(int(getattr(settings, "REVIEW_STAGES", 3)), 1), 3)


def correction_stages():
    """How many stages a working copy marked 小修改 passes (``LIVE_CORRECTION_STAGES``, 1..review_stages())."""
    stages = review_stages()
    return min(max(int(getattr(settings, "LIVE_CORRECTION_STAGES", stages)), 1), stages)


def offers_fast_path():
    return correction_stages() < review_stages()


def stages_for(article):
    """The number of stages ``article`` passes: fewer for a working copy sent as 小修改."""
    if article.is_working_copy and article.minor_change:
        return correction_stages()
    return review_stages()


def stage_label(stage, stages=None):
    """初审 / 复审 / 终审, whatever the number of stages (the last is always 终审)."""
    stages = stages or review_stages()
    if stage >= stages:
        return "终审"
    return "初审" if stage == 1 else "复审"


def is_live(status):
    """Published, scheduled included (``LIVE_STATUSES``)."""
    return status in LIVE_STATUSES


def political_confirmation_applies(status_before, status_after, text_changed):
    """Whether a save must be confirmed when political-term findings remain in the essay.

    Every save that publishes an essay, and every save that changes the text
    of a live one (scheduled included: it goes online by itself), whoever
    saves it. ``status_before`` is None for a new essay.
    """
    if not is_live(status_after):
        return False
    return not is_live(status_before) or text_changed


def status_label(article):
    if article.status == Status.IN_REVIEW:
        return f"审核中（{stage_label(article.review_stage, stages_for(article))}）"
    if article.status == Status.PUBLISHED and not article.is_public:
        return "定时发布"
    return article.get_status_display()


# --- who may do what --------------------------------------------------------


def _is_owner(user, article):
    return article.created_by_id is not None and article.created_by_id == user.pk


def can_edit(user, article):
    """Editing the text: 编辑 and 管理员 any essay, 撰稿人 their own drafts.

    Nobody edits a live essay (published, scheduled or just approved) in
    place, 管理员 included: its change is a working copy that goes through
    review (:func:`start_change`); the emergency is withdrawal.
    """
    if article.is_deleted or not user.has_perm("articles.change_article"):
        return False
    if working_copy.needs_copy(article):
        return False
    if user.has_perm("articles.edit_any_article"):
        return True
    return _is_owner(user, article) and article.status == Status.DRAFT


def can_start_change(user, article):
    """Starting a change of a live essay (修改稿): those who could edit it were it
    a draft — 编辑 and 管理员 any essay, 撰稿人 their own."""
    if article.is_deleted or article.is_working_copy or not user.has_perm("articles.change_article"):
        return False
    if not working_copy.needs_copy(article):
        return False
    return user.has_perm("articles.edit_any_article") or _is_owner(user, article)


def fields_user_may_not_change(user):
    """The essay fields ``user`` sees read-only (``FIELD_PERMISSIONS``), in table order."""
    return [name for permission, names in FIELD_PERMISSIONS.items() if not user.has_perm(permission) for name in names]


def fields_user_may_change_on_live(user):
    """What ``user`` may still change on a live essay's own page: the publishing decisions
    (``FIELD_PERMISSIONS``) they hold. Its content changes through a working copy."""
    return [name for permission, names in FIELD_PERMISSIONS.items() if user.has_perm(permission) for name in names]


def refused_field_changes(user, changed):
    """Which of the ``changed`` field names ``user`` may not change."""
    refused = set(fields_user_may_not_change(user))
    return [name for name in changed if name in refused]


def can_delete(user, article):
    if not user.has_perm("articles.delete_article"):
        return False
    if user.has_perm("articles.edit_any_article"):
        return True
    return _is_owner(user, article) and article.status == Status.DRAFT


def submit_refusal(user, article):
    """Why ``user`` may not send ``article`` to review, or None."""
    if not user.has_perm("articles.submit_article"):
        return WorkflowError("您没有送审文稿的权限。", 403)
    if not user.has_perm("articles.edit_any_article") and not _is_owner(user, article):
        return WorkflowError("只能送审自己撰写的文稿。", 403)
    if article.status not in TRANSITIONS[Action.SUBMIT]:
        return WorkflowError(f"文稿当前状态为“{status_label(article)}”，只有草稿可以送审。", 409)
    return None


def approvers_this_round(article):
    """Who approved a stage since the essay was last sent to review."""
    approvers = set()
    for step in article.transitions.order_by("at", "id").only("action", "user_id"):
        if step.action == Action.SUBMIT:
            approvers = set()
        elif step.action == Action.APPROVE and step.user_id is not None:
            approvers.add(step.user_id)
    return approvers


def review_refusal(user, article, *, approvers=None):
    """Why ``user`` may not approve or reject ``article`` now, or None."""
    if not user.has_perm("articles.review_article"):
        return WorkflowError("您没有审核文稿的权限。", 403)
    if article.status != Status.IN_REVIEW:
        return WorkflowError(f"文稿当前状态为“{status_label(article)}”，不在审核中。", 409)
    if _is_owner(user, article):
        return WorkflowError("不能审核自己撰写的文稿。", 403)
    approvers = approvers_this_round(article) if approvers is None else approvers
    if user.pk in approvers:
        return WorkflowError("您已审核通过本文的上一环节，同一文稿的不同审核环节须由不同的人完成。", 403)
    return None


def review_queue(user, queryset=None):
    """待我审核: essays in review at a stage ``user`` may act on."""
    if not user.has_perm("articles.review_article"):
        return Article.objects.none()
    queryset = Article.objects.in_review() if queryset is None else queryset.filter(status=Status.IN_REVIEW)
    candidates = list(queryset.exclude(created_by=user).order_by("updated_at", "id"))
    return [article for article in candidates if review_refusal(user, article) is None]


# --- the steps ----------------------------------------------------------------


def _clean_comment(comment):
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise WorkflowError(f"意见不能超过 {COMMENT_MAX_LENGTH} 字。")
    return comment


def _raise(refusal):
    if refusal is not None:
        raise refusal


def _locked(article):
    """Re-read the row under a lock: two reviewers clicking at once act one after the other."""
    fresh = Article.objects.select_for_update().filter(pk=article.pk).first()
    if fresh is None:
        raise WorkflowError("文稿不存在或已删除。", 404)
    return fresh


def _step(article, user, action, status, stage, comment):
    before = (article.status, article.review_stage)
    article.status, article.review_stage, article.updated_by = status, stage, user
    article.save(update_fields=["status", "review_stage", "updated_by", "updated_at"])
    return record_transition(article, user, action, *before, comment=comment)


def submit(article, user, comment="", *, minor=False):
    """送审: draft → review at stage 1.

    ``minor`` (小修改) applies to a working copy only, and only when the site
    allows a shorter path (``LIVE_CORRECTION_STAGES``): the copy then passes
    that many stages. It is said in the step's comment, so the 流转记录 shows it.
    """
    comment = _clean_comment(comment)
    with transaction.atomic(), events.changes():
        article = _locked(article)
        _raise(submit_refusal(user, article))
        minor = bool(minor and article.is_working_copy and offers_fast_path())
        if article.minor_change != minor:
            article.minor_change = minor
            article.save(update_fields=["minor_change"])
        if minor:
            note = f"小修改：经 {correction_stages()} 个审核环节后生效"
            comment = f"{note}。{comment}" if comment else note
        _step(article, user, Action.SUBMIT, Status.IN_REVIEW, 1, comment)
    return article


def _require_secrecy_review(confirmed):
    if not confirmed:
        raise WorkflowError(f"发布前须完成保密审查：请勾选“{SECRECY_STATEMENT}”后再操作。", 400)


def approve(article, user, comment="", *, confirm_political=False, confirm_secrecy=False, confirm_copies=False):
    """审核通过: on to the next stage, or — at 终审 — approved and published at its publish time.

    The last stage publishes, so it needs the same explicit confirmation as
    publishing when the proofreader still reports political-term findings,
    and the 保密审查 statement (``confirm_secrecy``) as every publishing does.
    """
    comment = _clean_comment(comment)
    with transaction.atomic(), events.changes():
        article = _locked(article)
        _raise(review_refusal(user, article))
        stage, stages = article.review_stage, stages_for(article)
        if stage < stages:
            _step(article, user, Action.APPROVE, Status.IN_REVIEW, stage + 1, comment)
            return article
        _require_secrecy_review(confirm_secrecy)
        findings = proofreading.political_findings(article)
        if findings and not confirm_political:
            raise WorkflowError(
                f"本文仍有 {len(findings)} 处政治性问题：请退回修改，或勾选“我已知悉本文仍有政治性问题，确认发布”后再终审通过。"
            )
        comment = _copies_confirmed(article, confirm_copies, comment)
        _step(article, user, Action.APPROVE, Status.APPROVED, 0, "；".join(filter(None, [comment, SECRECY_NOTE])))
        if findings:
            article.political_findings_confirmed_by = user
            article.political_findings_confirmed_at = timezone.now()
            article.save(update_fields=["political_findings_confirmed_by", "political_findings_confirmed_at"])
        if article.is_working_copy:
            # The change goes live: the same 保密审查 statement as publishing, in the audit log.
            live = _apply_copy(article, user)
            audit.record(audit.Action.SECRECY_REVIEW, user=user, obj=live, detail=SECRECY_STATEMENT)
            return live
        publish(article, user, confirm_secrecy=confirm_secrecy)
    return article


def _apply_copy(copy, user):
    """The final approval of a working copy: its text replaces the live essay's (``working_copy.apply``),
    recorded on the live essay as 修改稿通过终审并生效 with the copy's review steps. Returns the live essay."""
    stages = stages_for(copy)
    live, status_before, steps = working_copy.apply(copy, user, lambda stage: stage_label(stage, stages))
    comment = "修改稿的审核：" + "；".join(steps) if steps else ""
    record_transition(live, user, Action.APPLY_COPY, status_before, live.review_stage, comment=comment)
    return live


def start_change(article, user):
    """修改（送审后生效）: the working copy of live ``article`` (created, or the one already
    open), recorded as 创建修改稿 on the copy. Returns ``(copy, created)``."""
    if not can_start_change(user, article):
        if not working_copy.needs_copy(article):
            raise WorkflowError("这篇文稿不是已发布文稿，不需要修改稿，请直接修改。", 409)
        raise WorkflowError("您没有修改这篇文稿的权限。", 403)
    with transaction.atomic(), events.changes():
        try:
            copy, created = working_copy.start(article, user)
        except working_copy.CopyError as error:
            raise WorkflowError(error.message, error.status) from error
        if created:
            record_transition(copy, user, Action.OPEN_COPY, Status.DRAFT, comment=f"修改《{article.title}》")
    return copy, created


def _copies_confirmed(article, confirmed, comment):
    """文稿查重 at final approval: from COPY_CHECK_CONFIRM_PERCENT on the approver must confirm;
    the confirmation is recorded in the approval's comment (who and when are the transition's)."""
    from articles.copies.check import check_article

    report = check_article(article)
    if not report.needs_confirmation:
        return comment
    if not confirmed:
        raise WorkflowError(
            f"查重：{report.summary()}请先查看查重报告，退回修改，或勾选“我已查看查重报告，确认发布”后再终审通过。"
        )
    note = f"查重重复率 {report.percent:g}%（{report.summary()}），审核人已查看查重报告并确认发布"
    return f"{comment}\n{note}" if comment else note


def reject(article, user, comment):
    """退回修改: back to draft, with the reviewer's reason (required)."""
    comment = _clean_comment(comment)
    if not comment:
        raise WorkflowError("退回时请填写意见，告诉作者需要修改什么。")
    with transaction.atomic(), events.changes():
        article = _locked(article)
        _raise(review_refusal(user, article))
        _step(article, user, Action.REJECT, Status.DRAFT, 0, comment)
    return article


def available_actions(user, article):
    """The workflow buttons the change page shows ``user`` for ``article``."""
    actions = []
    if article.is_deleted:
        return actions
    if submit_refusal(user, article) is None:
        actions.append(Action.SUBMIT)
    if review_refusal(user, article) is None:
        actions += [Action.APPROVE, Action.REJECT]
    return actions


# ------------------------------------------------------------ status transitions
# Every change of status goes through these, and each is recorded as an
# ArticleTransition. Saving only these fields keeps a publish from
# overwriting an edit made in the meantime from another stale copy of the
# row; updated_at must be listed for auto_now to be written.
_PUBLICATION_FIELDS = ["status", "published_at", "updated_by", "updated_at"]


def _move(article, user, status, action, comment=""):
    """Put ``article`` in ``status`` (out of any review round) and record the step if the status changed.

    One transaction and one batch (``articles.events``): the status and its
    流转记录 entry are written together, and readers' pages follow at once.
    """
    with transaction.atomic(), events.changes():
        # The stored row, locked: two clicks at once (publish and withdraw,
        # or publishing twice) act one after the other, and each records the
        # step from the status the other one left, not from a stale copy.
        stored = (
            Article.all_objects.select_for_update()
            .filter(pk=article.pk)
            .values_list("status", "review_stage", "published_at")
            .first()
        )
        if stored is None:
            raise WorkflowError("文稿不存在或已被彻底删除。", 404)
        if article.is_working_copy and status not in (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED):
            raise WorkflowError("修改稿不能单独发布或归档：它经终审通过后替换所修改的已发布文稿。", 409)
        before = stored[:2]
        article.status = status
        article.review_stage = 0
        if status == Status.PUBLISHED and article.published_at is None:
            article.published_at = stored[2] or timezone.now()
        article.updated_by = user
        article.save(update_fields=[*_PUBLICATION_FIELDS, "review_stage"])
        if before[0] != status:
            record_transition(article, user, action, *before, comment=comment)
    return article


def publish(article, user, *, confirm_secrecy=False):
    """Publish ``article`` on behalf of ``user``, who states the 保密审查 was done
    (``confirm_secrecy``; without it a WorkflowError, 400, and nothing changes).

    An empty publish time becomes now; a time already set is kept, so a
    future time means scheduled publishing (``Article.objects.published()``
    shows the essay when its time comes). Publishing twice changes nothing
    but ``updated_by``.
    """
    _require_secrecy_review(confirm_secrecy)
    with transaction.atomic():
        article = _move(article, user, Status.PUBLISHED, Action.PUBLISH, SECRECY_NOTE)
        audit.record(audit.Action.SECRECY_REVIEW, user=user, obj=article, detail=SECRECY_STATEMENT)
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
    return _move(article, user, Status.DRAFT, Action.UNPUBLISH, comment)


def archive(article, user, comment=""):
    """Take a published essay off the site but keep it apart from drafts (已归档)."""
    return _move(article, user, Status.ARCHIVED, Action.ARCHIVE, comment)


def record_transition(article, user, action, from_status, from_stage=0, *, comment="", to_status=None):
    """Write down one step of ``article`` (who, when, from, to, comment).

    The step ends in the essay's current status unless ``to_status`` says otherwise.
    """
    step = ArticleTransition.objects.create(
        article=article,
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        from_status=from_status,
        from_stage=from_stage,
        to_status=to_status or article.status,
        to_stage=article.review_stage if to_status is None else 0,
        comment=comment,
    )
    audit.record_transition(step)  # the audit log has every step too (accounts.audit)
    return step


def record_live_edit(article, user, status, changed, *, confirmed_findings=0):
    """Write down a save that changed a live essay (``status``: published, scheduled
    included): who, when, which fields (``changed``: their names for people), and
    whether the saver confirmed remaining political-term findings.

    A live essay's content is read-only on its page (it changes through a working
    copy), so what is left to record here is a publisher moving its publish time
    or 置顶 (修改已发布文稿).
    """
    comment = "修改了：" + "、".join(changed)
    if confirmed_findings:
        comment += f"。仍有 {confirmed_findings} 处政治性问题，由修改人确认发布"
    return record_transition(article, user, Action.EDIT_LIVE, status, comment=comment, to_status=status)


def move_to_recycle_bin(article, user):
    """Delete an essay the way editors mean it: it leaves every list, and can come back."""
    with transaction.atomic(), events.changes():
        article.deleted_at = timezone.now()
        article.deleted_by = user
        article.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        record_transition(article, user, Action.DELETE, article.status, article.review_stage)
    return article


def restore_from_recycle_bin(article, user):
    """Bring an essay back from the recycle bin, as it was (a published one goes back online).

    A working copy comes back only while its live essay has no other open copy.
    """
    if article.is_working_copy and Article.objects.filter(live_original_id=article.live_original_id).exists():
        raise WorkflowError("这篇文稿已有另一份修改稿，不能再恢复这份修改稿。", 409)
    with transaction.atomic(), events.changes():
        article.deleted_at = None
        article.deleted_by = None
        article.updated_by = user
        article.save(update_fields=["deleted_at", "deleted_by", "updated_by", "updated_at"])
        record_transition(article, user, Action.UNDELETE, article.status, article.review_stage)
    return article
