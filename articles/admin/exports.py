"""Word / PDF in 公文 layout in the admin: any essay for staff who may view it (drafts
included), and 文稿汇编 (a 汇编 of chosen essays, built by a task, downloaded when ready).

Staff only: the essay downloads check the ArticleAdmin's view permission for
that essay; the 汇编 pages and files need ``view_compilation``. Nothing here
is reachable from the reading site.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.functions import ExtractYear
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils.html import format_html

from articles.admin.common import visible_article
from articles.export import files, tasks, views
from articles.models import Article, Compilation
from topics.admin import TREE_ORDERING
from topics.models import Topic

MAX_COMPILATION_ESSAYS = 500


def export_view(model_admin, request, pk, fmt):
    """下载 Word / PDF of any essay the user may view (drafts too)."""
    if fmt not in files.FORMATS:
        raise Http404("没有这种格式。")
    return views.serve(request, visible_article(model_admin, request, pk), fmt)


def export_links(article):
    """The change page's 下载 Word / PDF links."""
    return format_html(
        '<a href="{}">下载 Word</a> · <a href="{}">下载 PDF</a>（公文格式，草稿也可下载）',
        reverse("admin:articles_article_export", args=[article.pk, "docx"]),
        reverse("admin:articles_article_export", args=[article.pk, "pdf"]),
    )


def queue_build(compilation):
    """Build ``compilation`` in the task worker once the transaction that saved it commits."""
    transaction.on_commit(lambda: tasks.build_compilation.enqueue(compilation_id=compilation.pk), robust=True)


@admin.action(description="把所选文稿编成汇编（Word/PDF）", permissions=["compile"])
def compile_selected(model_admin, request, queryset):
    """A 汇编 of the selected essays that are published, oldest first."""
    ids = list(
        Article.objects.published()
        .filter(pk__in=queryset.values("pk"))
        .order_by("published_at", "id")
        .values_list("pk", flat=True)[: MAX_COMPILATION_ESSAYS + 1]
    )
    if not ids:
        model_admin.message_user(request, "所选文稿中没有已发布的文稿，未生成汇编。", messages.WARNING)
        return None
    if len(ids) > MAX_COMPILATION_ESSAYS:
        model_admin.message_user(request, f"一次最多汇编 {MAX_COMPILATION_ESSAYS} 篇文稿。", messages.ERROR)
        return None
    compilation = Compilation.objects.create(
        title=f"文稿汇编（{len(ids)} 篇）", article_ids=ids, requested_by=request.user
    )
    queue_build(compilation)
    skipped = queryset.count() - len(ids)
    note = f"；{skipped} 篇未发布的文稿未收入" if skipped else ""
    model_admin.message_user(
        request,
        format_html(
            '已开始生成汇编“{}”（{} 篇{}）。<a href="{}">查看进度和下载</a>',
            compilation.title,
            len(ids),
            note,
            reverse("admin:articles_compilation_change", args=[compilation.pk]),
        ),
        messages.SUCCESS,
    )
    return None


class CompilationForm(forms.ModelForm):
    """A 汇编 by topic and/or year: the published essays that match, oldest first."""

    topic = forms.ModelChoiceField(
        label="专题", queryset=Topic.objects.order_by(*TREE_ORDERING), required=False, help_text="含其下的专题。"
    )
    year = forms.IntegerField(label="年份", min_value=1949, max_value=2100, required=False, help_text="按发布时间。")

    class Meta:
        model = Compilation
        fields = ["title", "subtitle", "issuer"]

    def clean(self):
        data = super().clean()
        topic, year = data.get("topic"), data.get("year")
        if self.errors:
            return data
        if topic is None and year is None:
            raise forms.ValidationError("请选择专题或年份（也可以在文稿列表中勾选文稿，用“把所选文稿编成汇编”）。")
        essays = Article.objects.published()
        if topic is not None:
            essays = essays.in_topic(topic)
        if year is not None:
            essays = essays.annotate(year=ExtractYear("published_at")).filter(year=year)
        ids = list(essays.order_by("published_at", "id").values_list("pk", flat=True)[: MAX_COMPILATION_ESSAYS + 1])
        if not ids:
            raise forms.ValidationError("没有符合条件的已发布文稿。")
        if len(ids) > MAX_COMPILATION_ESSAYS:
            raise forms.ValidationError(f"符合条件的文稿超过 {MAX_COMPILATION_ESSAYS} 篇，请缩小范围。")
        self.instance.article_ids = ids
        return data


def _delete_files(compilations):
    for compilation in compilations:
        for name in (compilation.docx_file, compilation.pdf_file):
            if name:
                (files.directory() / name).unlink(missing_ok=True)


@admin.register(Compilation)
class CompilationAdmin(admin.ModelAdmin):
    form = CompilationForm
    list_display = ("title", "status", "progress_bar", "essay_count", "requested_by", "created_at", "downloads")
    list_filter = ("status",)
    readonly_fields = (
        "status",
        "progress_bar",
        "essay_count",
        "requested_by",
        "created_at",
        "finished_at",
        "error",
        "downloads",
    )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["title", "subtitle", "issuer", "topic", "year"]
        return ["title", "subtitle", "issuer", *self.readonly_fields]

    def has_change_permission(self, request, obj=None):
        return False  # a built 汇编 is not edited: make a new one

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _delete_files([obj])

    def delete_queryset(self, request, queryset):
        compilations = list(queryset)
        super().delete_queryset(request, queryset)
        _delete_files(compilations)

    def save_model(self, request, obj, form, change):
        obj.requested_by = request.user
        super().save_model(request, obj, form, change)
        queue_build(obj)

    @admin.display(description="进度")
    def progress_bar(self, compilation):
        return format_html(
            '<progress max="100" value="{}">{}%</progress> {}%',
            compilation.progress,
            compilation.progress,
            compilation.progress,
        )

    @admin.display(description="篇数")
    def essay_count(self, compilation):
        return len(compilation.article_ids or [])

    @admin.display(description="下载")
    def downloads(self, compilation):
        if compilation.status != Compilation.Status.DONE:
            return "生成后可下载（刷新本页查看进度）。" if compilation.status != Compilation.Status.FAILED else "—"
        return format_html(
            '<a href="{}">Word</a> · <a href="{}">PDF</a>',
            reverse("admin:articles_compilation_file", args=[compilation.pk, "docx"]),
            reverse("admin:articles_compilation_file", args=[compilation.pk, "pdf"]),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/file.<str:fmt>",
                self.admin_site.admin_view(self.file_view),
                name="articles_compilation_file",
            ),
            *super().get_urls(),
        ]

    def file_view(self, request, pk, fmt):
        if not self.has_view_permission(request):
            raise PermissionDenied
        compilation = Compilation.objects.filter(pk=pk, status=Compilation.Status.DONE).first()
        name = getattr(compilation, f"{fmt}_file", "") if compilation and fmt in files.FORMATS else ""
        path = files.directory() / name if name else None
        if path is None or not path.is_file():
            raise Http404("汇编还没有生成，或文件已不在。")
        return FileResponse(
            open(path, "rb"),
            as_attachment=True,
            filename=views.download_name(compilation.title, fmt),
            content_type=files.FORMATS[fmt],
        )
