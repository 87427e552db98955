"""三审三校 in the essay admin: the 送审 / 审核通过 / 退回修改 endpoint, the
workflow panel of the change page (with who else is editing, how long the
essay has waited at its stage, the reviewers' comments on its sections), the
comment endpoints, the 待我审核 filter of the change list (oldest wait first),
the working copy (修改稿) of a live essay and the reviewers' reading view (the
essay as readers will see it, its 校对 findings, a copy's differences from the
live essay, and the buttons)."""

from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from articles.admin import presence
from articles.admin.common import refuse, visible_article
from articles.admin.copies import copy_panel_context
from articles.admin.findings import POLITICAL, proofreading_panel
from articles.admin.forms import ReviewForm
from articles.admin.history import revision_urls
from articles.editing import comments, deadlines, revisions, workflow, working_copy
from articles.models import Article, ArticleTransition, SectionComment

LIVE_EDIT_REFUSAL = (
    "已发布（含定时发布）文稿的内容不能直接修改：请点击“修改（送审后生效）”，"
    "在修改稿中修改并送审，终审通过后替换已发布的版本。紧急情况请撤回文稿。"
)


class ReviewQueueFilter(admin.SimpleListFilter):
    """待我审核: essays waiting at a stage the current user may approve or send back."""

    title = "审核"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        choices = [("mine", "待我审核"), ("all", "全部审核中")]
        return choices if request.user.has_perm("articles.review_article") else [("all", "全部审核中")]

    def queryset(self, request, queryset):
        # Sorted by waiting time (ArticleAdmin.get_ordering), oldest first.
        if self.value() is None:
            # A working copy is listed under its live essay (ArticleAdmin.essay_title),
            # not as a second essay; the review lists show it, as 《标题》的修改稿.
            return queryset.filter(live_original__isnull=True)
        if self.value() == "mine":
            return queryset.filter(pk__in=[a.pk for a in workflow.review_queue(request.user, queryset)])
        if self.value() == "all":
            return queryset.filter(status=Article.Status.IN_REVIEW)
        return queryset


def labelled_transitions(article, limit=50):
    """The newest transitions, each with ``from_stage_label`` / ``to_stage_label`` (初审 / 复审 / 终审,
    the same words as the buttons; "" when the step was not in review)."""
    steps = list(article.transitions.select_related("user").order_by("-at", "-id")[:limit])
    stages = workflow.stages_for(article)
    entered, days = None, deadlines.calendar()
    for step in reversed(steps):  # oldest first: each review step after the step into its stage
        step.from_stage_label = workflow.stage_label(step.from_stage, stages) if step.from_stage else ""
        step.to_stage_label = workflow.stage_label(step.to_stage, stages) if step.to_stage else ""
        # How long the stage this step ended took (working time, articles.editing.deadlines).
        step.stage_took = ""
        if step.from_status == Article.Status.IN_REVIEW and entered is not None:
            took = deadlines.working_time_between(entered, timezone.localtime(step.at), days)
            step.stage_took = deadlines.describe(took)
        entered = timezone.localtime(step.at) if step.to_status == Article.Status.IN_REVIEW else None
    return steps


def comments_context(request, article, actions):
    user = request.user
    listed = comments.of_article(article)
    for comment in listed:
        comment.can_resolve = comments.can_resolve(user, comment, article)
        comment.resolve_url = reverse("admin:articles_article_comment_resolve", args=[article.pk, comment.pk])
    open_comments = [comment for comment in listed if not comment.is_resolved]
    final_approval = Article.Status.IN_REVIEW == article.status and article.review_stage >= workflow.review_stages()
    may_comment = comments.can_comment(user, article)
    return {
        "section_comments": listed,
        "open_comments": open_comments,
        # An open comment blocks nothing, but is shown where it matters most.
        "open_comments_warning": bool(open_comments)
        and (
            ArticleTransition.Action.SUBMIT in actions
            or (ArticleTransition.Action.APPROVE in actions and final_approval)
        ),
        "can_comment": may_comment,
        "comment_url": reverse("admin:articles_article_comment_add", args=[article.pk]) if may_comment else "",
        "comment_sections": [(section.pk, comments.section_label(section)) for section in article.sections.all()]
        if may_comment
        else [],
        "comment_max_length": comments.TEXT_MAX_LENGTH,
    }


def workflow_context(model_admin, request, article):
    user = request.user
    others = []
    if request.method == "GET" and model_admin.has_change_permission(request, article):
        others = presence.record_presence(article.pk, user)
    actions = workflow.available_actions(user, article)
    waiting = deadlines.waiting_of(article)
    return {
        "review_waiting": waiting,
        "review_waiting_text": waiting.text if waiting else "",
        **comments_context(request, article, actions),
        "workflow_actions": actions,
        "workflow_urls": {
            action: reverse("admin:articles_article_workflow", args=[article.pk, action]) for action in actions
        },
        "review_form": ReviewForm() if actions else None,
        "review_stage_label": (
            workflow.stage_label(article.review_stage, workflow.stages_for(article)) if article.review_stage else ""
        ),
        "offer_minor": article.is_working_copy and workflow.offers_fast_path(),
        "correction_stages": workflow.correction_stages(),
        "final_stage": article.review_stage >= workflow.stages_for(article),
        "secrecy_statement": workflow.SECRECY_STATEMENT,
        "transitions": labelled_transitions(article),
        "revisions_url": revision_urls(article)["history"],
        "presence_names": others,
        "presence_message": presence.presence_message(others),
        "presence_url": reverse("admin:articles_article_presence", args=[article.pk]),
        "presence_interval": presence.HEARTBEAT_SECONDS,
        "can_edit_essay": model_admin.has_change_permission(request, article),
    }


def workflow_view(model_admin, request, pk, action):
    """送审 / 审核通过 / 退回修改 (POST, with an optional or required comment)."""
    steps = {
        ArticleTransition.Action.SUBMIT: workflow.submit,
        ArticleTransition.Action.APPROVE: workflow.approve,
        ArticleTransition.Action.REJECT: workflow.reject,
    }
    if action not in steps:
        raise Http404("没有这个操作。")
    article = Article.objects.filter(pk=pk).first()
    if article is None:
        raise Http404("文稿不存在或已删除。")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return refuse(
            model_admin,
            request,
            "意见填写有误：" + " ".join(message for errors in form.errors.values() for message in errors),
            400,
        )
    comment = form.cleaned_data["comment"]
    try:
        if action == ArticleTransition.Action.APPROVE:
            stage, stages = article.review_stage, workflow.stages_for(article)
            article = workflow.approve(
                article,
                request.user,
                comment,
                confirm_political=form.cleaned_data["confirm_political"],
                confirm_secrecy=form.cleaned_data["confirm_secrecy"],
                confirm_copies=form.cleaned_data["confirm_copies"],
            )
            if article.status == Article.Status.IN_REVIEW:
                message = (
                    f"已通过{workflow.stage_label(stage, stages)}，"
                    f"文稿进入{workflow.stage_label(article.review_stage, stages)}。"
                )
            elif article.is_public:
                message = "终审通过，文稿已发布。"
            else:
                message = "终审通过，文稿将在设定的发布时间自动上线。"
        elif action == ArticleTransition.Action.SUBMIT:
            article = workflow.submit(article, request.user, comment, minor=request.POST.get("minor") == "on")
            first = workflow.stage_label(1, workflow.stages_for(article))
            message = f"已送审，等待{first}。"
        else:
            article = steps[action](article, request.user, comment)
            message = "已退回作者修改，意见已记录。"
    except workflow.WorkflowError as error:
        return refuse(model_admin, request, error.message, error.status)
    if article.is_working_copy or (action == ArticleTransition.Action.APPROVE and copy_applied(article, pk)):
        message = _copy_message(action, article, message, pk)
    # After 送审 and after 终审 (the essay left review): the comments still open, which block nothing.
    if action == ArticleTransition.Action.SUBMIT or (
        action == ArticleTransition.Action.APPROVE and article.status != Article.Status.IN_REVIEW
    ):
        still_open = comments.open_count(article)
        if still_open:
            message += f"尚有 {still_open} 条审核意见未标为已解决。"
    model_admin.message_user(request, f"“{article.title}”{message}", messages.SUCCESS)
    if request.POST.get("next") == "queue" and request.user.has_perm("articles.review_article"):
        return HttpResponseRedirect(reverse("admin:articles_article_changelist") + "?review=mine")
    if model_admin.has_view_or_change_permission(request, article):
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
    return HttpResponseRedirect(reverse("admin:articles_article_changelist") + "?review=mine")


def comment_add_view(model_admin, request, pk):
    """A reviewer's comment on a section (``section``: its id, empty for the whole essay)."""
    article = Article.objects.filter(pk=pk).first()
    if article is None:
        raise Http404("文稿不存在或已删除。")
    try:
        comment = comments.add(article, request.user, request.POST.get("text", ""), request.POST.get("section") or None)
    except comments.CommentError as error:
        return refuse(model_admin, request, error.message, error.status)
    where = f"“{comment.section_label}”" if comment.section_label else "全文"
    model_admin.message_user(request, f"已对{where}提出意见，作者和后续审核人都能看到。", messages.SUCCESS)
    return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]) + "#section-comments")


def comment_resolve_view(model_admin, request, pk, comment_id):
    comment = SectionComment.objects.filter(pk=comment_id, article_id=pk, article__deleted_at__isnull=True).first()
    if comment is None:
        raise Http404("没有这条意见。")
    try:
        comments.resolve(comment, request.user)
    except comments.CommentError as error:
        return refuse(model_admin, request, error.message, error.status)
    model_admin.message_user(request, "已将这条意见标为已解决。", messages.SUCCESS)
    return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]) + "#section-comments")


def review_url(article):
    return reverse("admin:articles_article_review", args=[article.pk])


def working_copy_context(model_admin, request, article):
    """The change page's lines about working copies: on a live essay, the button
    修改（送审后生效） or the link to the copy already open; on a copy, what it changes."""
    user = request.user
    context = {"review_url": review_url(article) if _reviewable(article) else ""}
    if article.is_working_copy:
        live = Article.all_objects.filter(pk=article.live_original_id).first()
        context["copy_of"] = live
        context["copy_of_url"] = reverse("admin:articles_article_change", args=[live.pk]) if live else ""
        return context
    if not working_copy.needs_copy(article):
        return context
    copy = working_copy.open_copy(article)
    context["live_locked"] = True
    context["open_copy"] = copy
    context["open_copy_url"] = reverse("admin:articles_article_change", args=[copy.pk]) if copy else ""
    context["open_copy_state"] = workflow.status_label(copy) if copy else ""
    if copy is None and workflow.can_start_change(user, article):
        context["start_copy_url"] = reverse("admin:articles_article_working_copy", args=[article.pk])
    return context


def _reviewable(article):
    return article.status == Article.Status.IN_REVIEW or article.is_working_copy


def working_copy_view(model_admin, request, pk):
    """修改（送审后生效） (POST): create the working copy of a live essay, or open the existing one."""
    article = Article.objects.filter(pk=pk).first()
    if article is None:
        raise Http404("文稿不存在或已删除。")
    try:
        copy, created = workflow.start_change(article, request.user)
    except workflow.WorkflowError as error:
        return refuse(model_admin, request, error.message, error.status)
    if created:
        message = f"已为“{article.title}”创建修改稿。请在修改稿中修改并送审；终审通过之前，网站上仍是原来的版本。"
    else:
        message = f"“{article.title}”已有一份修改稿，已为您打开。"
    model_admin.message_user(request, message, messages.SUCCESS)
    return HttpResponseRedirect(reverse("admin:articles_article_change", args=[copy.pk]))


def review_view(model_admin, request, pk):
    """审阅: the essay as readers will see it (the reading site's essay template), its
    校对 findings, for a working copy the character-level differences from the live
    essay, and — for a reviewer who may act now — 审核通过 / 退回修改 on the same page."""
    article = visible_article(model_admin, request, pk)
    article = Article.objects.prefetch_related("sections", "topics").get(pk=article.pk)
    live = None
    diff = []
    if article.is_working_copy:
        live = Article.all_objects.prefetch_related("sections", "topics").filter(pk=article.live_original_id).first()
        if live is not None:
            diff = revisions.compare_with_live(live, article)
    findings = proofreading_panel(article, ())
    actions = [action for action in workflow.available_actions(request.user, article) if action != "submit"]
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"审阅：{article.title}",
        "opts": model_admin.opts,
        "original": article,
        "article": article,
        "outline": article.outline(),
        "live": live,
        "diff": diff,
        "diff_changed": sum(row.changed for row in diff),
        "findings": findings,
        "political_findings": [item for item in findings if item.severity == POLITICAL],
        "workflow_actions": actions,
        "workflow_urls": {
            action: reverse("admin:articles_article_workflow", args=[article.pk, action]) for action in actions
        },
        "state": workflow.status_label(article),
        "review_stage_label": (
            workflow.stage_label(article.review_stage, workflow.stages_for(article)) if article.review_stage else ""
        ),
        "final_stage": article.review_stage >= workflow.stages_for(article),
        "secrecy_statement": workflow.SECRECY_STATEMENT,
        **copy_panel_context(article),
        "transitions": labelled_transitions(article),
        "change_url": reverse("admin:articles_article_change", args=[article.pk]),
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/articles/article/review.html", context)


def copy_applied(article, pk):
    """Whether an approval of essay ``pk`` returned another essay: a working copy applied to its live essay."""
    return article.pk != int(pk)


def _copy_message(action, article, message, pk):
    if action == ArticleTransition.Action.APPROVE and copy_applied(article, pk):
        return "的修改稿终审通过，修改已生效。" if article.is_public else "的修改稿终审通过，修改已写入文稿。"
    if action == ArticleTransition.Action.REJECT:
        return "的修改稿已退回修改，意见已记录；网站上仍是原来的版本。"
    return message
