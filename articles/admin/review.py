"""三审三校 in the essay admin: the 送审 / 审核通过 / 退回修改 endpoint, the
workflow panel of the change page (with who else is editing), and the
待我审核 filter of the change list."""

from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse

from articles.admin import presence
from articles.admin.common import refuse
from articles.admin.forms import ReviewForm
from articles.admin.history import revision_urls
from articles.editing import workflow
from articles.models import Article, ArticleTransition


class ReviewQueueFilter(admin.SimpleListFilter):
    """待我审核: essays waiting at a stage the current user may approve or send back."""

    title = "审核"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        choices = [("mine", "待我审核"), ("all", "全部审核中")]
        return choices if request.user.has_perm("articles.review_article") else [("all", "全部审核中")]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.filter(pk__in=[a.pk for a in workflow.review_queue(request.user, queryset)])
        if self.value() == "all":
            return queryset.filter(status=Article.Status.IN_REVIEW)
        return queryset


def labelled_transitions(article, limit=50):
    """The newest transitions, each with ``from_stage_label`` / ``to_stage_label`` (初审 / 复审 / 终审,
    the same words as the buttons; "" when the step was not in review)."""
    steps = list(article.transitions.select_related("user").order_by("-at", "-id")[:limit])
    for step in steps:
        step.from_stage_label = workflow.stage_label(step.from_stage) if step.from_stage else ""
        step.to_stage_label = workflow.stage_label(step.to_stage) if step.to_stage else ""
    return steps


def workflow_context(model_admin, request, article):
    user = request.user
    others = []
    if request.method == "GET" and model_admin.has_change_permission(request, article):
        others = presence.record_presence(article.pk, user)
    actions = workflow.available_actions(user, article)
    return {
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
                article,
                request.user,
                comment,
                confirm_political=form.cleaned_data["confirm_political"],
                confirm_copies=form.cleaned_data["confirm_copies"],
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
    model_admin.message_user(request, f"“{article.title}”{message}", messages.SUCCESS)
    if model_admin.has_view_or_change_permission(request, article):
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
    return HttpResponseRedirect(reverse("admin:articles_article_changelist") + "?review=mine")
