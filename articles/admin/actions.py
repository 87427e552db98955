"""The bulk actions of the essays' change list: 发布, 撤回 and 归档所选文稿,
and the confirmation page publishing asks for when political findings remain."""

from dataclasses import replace

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.template.response import TemplateResponse

from articles.editing import rules as proofreading
from articles.editing import workflow
from articles.models import Article


@admin.action(description="发布所选文稿", permissions=["publish"])
def publish_selected(model_admin, request, queryset):
    """Publish the selected drafts; political findings need a confirmation page first."""
    # A working copy is never published: its final approval applies it to its live essay.
    articles = [article for article in queryset.prefetch_related("sections") if not article.is_working_copy]
    pending = [article for article in articles if article.status != Article.Status.PUBLISHED]
    political = {article.pk: proofreading.political_findings(article) for article in pending}
    flagged = [(article, political[article.pk]) for article in pending if political[article.pk]]
    secrecy_confirmed = request.POST.get("confirm_secrecy") == "on"
    if pending and (not secrecy_confirmed or (flagged and request.POST.get("post") != "yes")):
        # 保密审查 is stated on the intermediate page, for every publishing.
        refused = request.POST.get("post") == "yes" and not secrecy_confirmed
        return _publish_confirmation(model_admin, request, articles, flagged, refused=refused)
    published = scheduled = already = confirmed = 0
    with transaction.atomic():
        for article in articles:
            if article.status == Article.Status.PUBLISHED:
                already += 1
                continue
            workflow.publish(article, request.user, confirm_secrecy=True)
            confirmed += bool(political[article.pk])
            if workflow.record_political_confirmation(article, request.user, confirmed=bool(political[article.pk])):
                article.save(update_fields=workflow.CONFIRMATION_FIELDS)
            if article.is_public:
                published += 1
            else:
                scheduled += 1
    parts = []
    if published:
        parts.append(f"已发布 {published} 篇文稿")
    if scheduled:
        parts.append(f"{scheduled} 篇已设为定时发布，到发布时间自动上线")
    if confirmed:
        parts.append(f"其中 {confirmed} 篇仍有政治性问题，已记录由您确认发布")
    if already:
        parts.append(f"{already} 篇原本就已发布，未作改动")
    level = messages.SUCCESS if published or scheduled else messages.INFO
    model_admin.message_user(request, "；".join(parts) + "。", level)


@admin.action(description="撤回所选文稿", permissions=["publish"])
def unpublish_selected(model_admin, request, queryset):
    return _take_off_the_site(
        model_admin,
        request,
        queryset,
        workflow.unpublish,
        lambda article: article.status not in (Article.Status.DRAFT, Article.Status.IN_REVIEW),
        "已撤回 {} 篇文稿，改为草稿",
        "{} 篇原本就是草稿，未作改动",
    )


@admin.action(description="归档所选文稿", permissions=["publish"])
def archive_selected(model_admin, request, queryset):
    return _take_off_the_site(
        model_admin,
        request,
        queryset,
        workflow.archive,
        lambda article: article.status == Article.Status.PUBLISHED,
        "已归档 {} 篇文稿",
        "{} 篇不是已发布状态，未作改动",
    )


def _take_off_the_site(model_admin, request, queryset, move, applies, done, left):
    """Withdraw or archive the selected essays that ``applies`` to, in one transaction, and say what was done.

    Immediate, but never silent: the reason is asked first (an intermediate
    page) and recorded with each step in the essays' 流转记录.
    """
    form = WithdrawalReasonForm(request.POST if request.POST.get("post") == "yes" else None)
    if not form.is_valid():
        return _reason_page(model_admin, request, queryset, form)
    reason = form.cleaned_data["reason"]
    moved = skipped = 0
    with transaction.atomic():
        for article in queryset:
            if not applies(article):
                skipped += 1
                continue
            move(article, request.user, reason)
            moved += 1
    parts = [done.format(moved)] if moved else []
    if skipped:
        parts.append(left.format(skipped))
    model_admin.message_user(request, "；".join(parts) + "。", messages.SUCCESS if moved else messages.INFO)


def _publish_confirmation(model_admin, request, articles, flagged, *, refused=False):
    """Django's intermediate-page pattern: list what needs confirming, post back with ``post=yes``."""

    def preview_href(article, finding):
        url = article.get_preview_url()
        return f"{url}#{finding.anchor}" if finding.anchor else url

    context = {
        **model_admin.admin_site.each_context(request),
        "title": "确认发布",
        "opts": model_admin.opts,
        "articles": articles,
        "flagged": [
            (article, [replace(finding, preview_href=preview_href(article, finding)) for finding in findings])
            for article, findings in flagged
        ],
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action_name": "publish_selected",
        "secrecy_statement": workflow.SECRECY_STATEMENT,
        "secrecy_refused": refused,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(
        request, "admin/articles/article/publish_confirmation.html", context, status=400 if refused else 200
    )


class WithdrawalReasonForm(forms.Form):
    reason = forms.CharField(
        label="原因",
        max_length=workflow.COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": "请填写原因：撤回和归档会立即生效，原因记入流转记录。"},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("请填写原因：撤回和归档会立即生效，原因记入流转记录。")
        if "\x00" in reason:
            raise forms.ValidationError("原因中含有无效字符。")
        return reason


def _reason_page(model_admin, request, queryset, form):
    """撤回 / 归档所选文稿: the intermediate page that asks for the reason."""
    action = request.POST.get("action", "")
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "撤回所选文稿" if action == "unpublish_selected" else "归档所选文稿",
        "opts": model_admin.opts,
        "articles": list(queryset),
        "form": form,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action_name": action,
    }
    request.current_app = model_admin.admin_site.name
    status = 400 if form.is_bound else 200
    return TemplateResponse(request, "admin/articles/article/withdrawal_reason.html", context, status=status)
