"""An essay's 版本记录 (revisions, side-by-side comparison, 恢复版本) and the
回收站 of deleted essays (restore, purge)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from accounts import audit
from articles.admin.common import refuse, visible_article
from articles.admin.findings import CONFIRM_POLITICAL_LABEL
from articles.editing import revisions, workflow
from articles.models import Article


def revision_urls(article):
    return {
        "history": reverse("admin:articles_article_revisions", args=[article.pk]),
        "compare": reverse("admin:articles_article_revisions_compare", args=[article.pk]),
    }


def revisions_view(model_admin, request, pk):
    """版本记录: every saved revision, with who saved it and why."""
    article = visible_article(model_admin, request, pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"版本记录：{article.title}",
        "opts": model_admin.opts,
        "original": article,
        "versions": list(revisions.versions_of(article)[:200]),
        "can_restore": request.user.has_perm("articles.restore_article"),
        "compare_url": revision_urls(article)["compare"],
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/articles/article/revisions.html", context)


def revisions_compare_view(model_admin, request, pk):
    """Two revisions side by side, marked character by character."""
    article = visible_article(model_admin, request, pk)
    versions = revisions.versions_of(article)
    try:
        old = versions.get(pk=int(request.GET.get("a", "")))
        new = versions.get(pk=int(request.GET.get("b", "")))
    except (ValueError, TypeError, versions.model.DoesNotExist):
        return refuse(model_admin, request, "请选择这篇文稿的两个版本进行比较。", 400)
    if old.revision.date_created > new.revision.date_created:
        old, new = new, old
    rows = revisions.compare(old, new)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"版本比较：{article.title}",
        "opts": model_admin.opts,
        "original": article,
        "old": old,
        "new": new,
        "rows": [row for row in rows if row.changed],
        "unchanged": sum(not row.changed for row in rows),
        "revisions_url": revision_urls(article)["history"],
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/articles/article/revisions_compare.html", context)


def revision_restore_view(model_admin, request, pk, version_id):
    article = visible_article(model_admin, request, pk)
    if not request.user.has_perm("articles.restore_article"):
        return refuse(model_admin, request, "只有管理员可以恢复历史版本。", 403)
    version = revisions.versions_of(article).filter(pk=version_id).first()
    if version is None:
        raise Http404("没有这个版本。")
    try:
        revisions.restore(
            article,
            version,
            request.user,
            confirm_political=request.POST.get("confirm_political") == "on",
        )
    except revisions.ConfirmationNeeded as refusal:
        context = {
            **model_admin.admin_site.each_context(request),
            "title": "确认恢复版本",
            "opts": model_admin.opts,
            "original": article,
            "version": version,
            "message": refusal.message,
            "confirm_label": CONFIRM_POLITICAL_LABEL,
            "findings": refusal.findings,
            "revisions_url": revision_urls(article)["history"],
        }
        request.current_app = model_admin.admin_site.name
        return TemplateResponse(request, "admin/articles/article/revision_restore_confirmation.html", context)
    except workflow.WorkflowError as error:
        return refuse(model_admin, request, error.message, error.status)
    model_admin.message_user(request, "已恢复到所选版本；恢复前的内容仍保存在版本记录中。", messages.SUCCESS)
    return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))


def recycle_bin_view(model_admin, request):
    """回收站: deleted essays, newest deletion first."""
    if not request.user.has_perm("articles.view_recycle_bin"):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "回收站",
        "opts": model_admin.opts,
        "articles": Article.all_objects.deleted().select_related("deleted_by").order_by("-deleted_at")[:500],
        "can_restore": request.user.has_perm("articles.restore_article"),
        "can_purge": request.user.is_superuser,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/articles/article/recycle_bin.html", context)


def recycle_restore_view(model_admin, request, pk):
    if not request.user.has_perm("articles.restore_article"):
        return refuse(model_admin, request, "只有管理员可以从回收站恢复文稿。", 403)
    article = get_object_or_404(Article.all_objects.deleted(), pk=pk)
    try:
        workflow.restore_from_recycle_bin(article, request.user)
    except workflow.WorkflowError as error:
        return refuse(model_admin, request, error.message, error.status)
    model_admin.message_user(request, f"“{article.title}”已从回收站恢复。", messages.SUCCESS)
    return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))


def recycle_purge_view(model_admin, request, pk):
    if not request.user.is_superuser:
        return refuse(model_admin, request, "只有超级管理员可以彻底删除文稿。", 403)
    article = get_object_or_404(Article.all_objects.deleted(), pk=pk)
    title = article.title
    audit.record(audit.Action.ESSAY_PURGE, request=request, obj=article, detail="从回收站彻底删除")
    article.delete()
    model_admin.message_user(request, f"“{title}”已彻底删除，无法再恢复。", messages.SUCCESS)
    return HttpResponseRedirect(reverse("admin:articles_article_recycle_bin"))
