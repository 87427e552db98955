"""What the essay admin's pages share: the page that refuses an operation,
looking up an essay the user may see, switching rule rows on and off."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse

from articles.models import Article


def refuse(model_admin, request, message, status):
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "无法完成操作",
        "opts": model_admin.opts,
        "message": message,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/articles/article/refused.html", context, status=status)


def visible_article(model_admin, request, pk):
    """The essay (not deleted) if the user may at least view it, else 404/403."""
    article = Article.objects.filter(pk=pk).select_related("created_by").first()
    if article is None:
        raise Http404("文稿不存在或已删除。")
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    return article


def set_enabled(model_admin, request, queryset, enabled, noun):
    """Switch the selected rows on or off, row by row (not QuerySet.update): ``updated_at``
    moves, so every worker's cached copy (proofreading rules, formulations) notices."""
    rows = list(queryset.exclude(enabled=enabled))
    for row in rows:
        row.enabled = enabled
        row.save(update_fields=["enabled", "updated_at"])
    word = "启用" if enabled else "停用"
    model_admin.message_user(request, f"已{word} {len(rows)} 条{noun}。", messages.SUCCESS)
