"""What the essay admin's extra pages share: the page that refuses an
operation, and looking up an essay the user may see."""

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
