"""三审三校 in the essay admin: the 送审 / 审核通过 / 退回修改 endpoint, the
workflow panel of the change page (with who else is editing, how long the
essay has waited at its stage, the reviewers' comments on its sections), the
comment endpoints, and the 待我审核 filter of the change list (oldest wait first)."""

from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from articles.admin import presence
from articles.admin.common import refuse
from articles.admin.forms import ReviewForm
from articles.admin.history import revision_urls
from articles.editing import comments, deadlines, workflow
from articles.models import Article, ArticleTransition, SectionComment


class ReviewQueueFilter(admin.SimpleListFilter):
    """待我审核: essays waiting at a stage the current user may approve or send back."""

    title = "审核"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        choices = [("mine", "待我审核"), ("all", "全部审核中")]
        return choices if request.user.has_perm("articles.review_article") else [("all", "全部审核中")]

    def queryset(self, request, queryset):
        # Sorted by waiting time (ArticleAdmin.get_ordering), oldest first.
        if self.value() == "mine":
            return queryset.filter(pk__in=[a.pk for a in workflow.review_queue(request.user, queryset)])
        if self.value() == "all":
            return queryset.filter(status=Article.Status.IN_REVIEW)
        return queryset


def labelled_transitions(article, limit=50):
    """The newest transitions, each with ``from_stage_label`` / ``to_stage_label`` (初审 / 复审 / 终审,
    the same words as the buttons; "" when the step was not in review)."""
    steps = list(article.transitions.select_related("user").order_by("-at", "-id")[:limit])
    entered, days = None, deadlines.calendar()
    for step in reversed(steps):  # oldest first: each review step after the step into its stage
        step.from_stage_label = workflow.stage_label(step.from_stage) if step.from_stage else ""
        step.to_stage_label = workflow.stage_label(step.to_stage) if step.to_stage else ""
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
        "review_stage_label": workflow.stage_label(article.review_stage) if article.review_stage else "",
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
            stage = article.review_stage
            article = workflow.approve(
                article, request.user, comment, confirm_political=form.cleaned_data["confirm_political"]
            )
            if article.status == Article.Status.IN_REVIEW:
                message = f"已通过{workflow.stage_label(stage)}，文稿进入{workflow.stage_label(article.review_stage)}。"
            elif article.is_public:
                message = "终审通过，文稿已发布。"
            else:
                message = "终审通过，文稿将在设定的发布时间自动上线。"
        else:
            article = steps[action](article, request.user, comment)
            message = (
                "已送审，等待初审。" if action == ArticleTransition.Action.SUBMIT else "已退回作者修改，意见已记录。"
            )
    except workflow.WorkflowError as error:
        return refuse(model_admin, request, error.message, error.status)
    # After 送审 and after 终审 (the essay left review): the comments still open, which block nothing.
    if action == ArticleTransition.Action.SUBMIT or (
        action == ArticleTransition.Action.APPROVE and article.status != Article.Status.IN_REVIEW
    ):
        still_open = comments.open_count(article)
        if still_open:
            message += f"尚有 {still_open} 条审核意见未标为已解决。"
    model_admin.message_user(request, f"“{article.title}”{message}", messages.SUCCESS)
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
