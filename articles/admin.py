"""Editors' back office for essays: one page per essay, sections inline.

Thin on purpose: publishing goes through :mod:`articles.services`, image
checks and renditions through :mod:`articles.images`.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Prefetch
from django.http import JsonResponse
from django.urls import path
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from articles import images, services
from articles.models import Article, Section
from articles.storage import EditorImageStorage
from topics.admin import TREE_ORDERING, tree_label
from topics.models import Topic


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, topic):
        return tree_label(topic)


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = "__all__"

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        # Only a new upload is checked; the stored cover (a FieldFile) or the
        # "clear" checkbox (False) pass through unchanged.
        if isinstance(cover, UploadedFile):
            return images.clean_upload(cover)
        return cover


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = (("position", "level", "kind", "number"), "heading", "body")
    ordering = ("position", "id")
    verbose_name = "部分或要点"
    verbose_name_plural = "正文的部分与要点"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        position = formset.form.base_fields["position"]
        # A row added at the bottom of the page should stay at the bottom.
        position.initial = obj.sections.count() if obj is not None and obj.pk else 0
        position.help_text = (
            "按数字从小到大排列，保存后自动重排为 0、1、2……。"
            "数字相同时先建的在前，所以新加的一条填某条的顺序号，就排在那一条之后。"
        )
        position.widget.attrs["style"] = "width:5em"
        return formset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [SectionInline]
    list_display = (
        "title", "publication_state", "published_at", "author_org", "is_pinned",
        "topic_names", "site_links",
    )
    list_filter = ("status", "topics", "author_org", "published_at")
    search_fields = ("title", "lead", "author", "author_org")
    date_hierarchy = "published_at"
    list_select_related = False  # no foreign key is shown; topics are prefetched
    filter_horizontal = ("topics",)
    readonly_fields = (
        "preview_link", "view_count", "created_at", "created_by", "updated_at", "updated_by",
    )
    fieldsets = (
        ("基本信息", {
            "fields": (
                "title", "subtitle", "slug", ("author", "author_org"),
                ("source", "responsible_editor"), "topics", "summary",
            ),
        }),
        ("正文", {
            "fields": ("lead",),
            "description": "导语在前；各部分与要点在下方逐条编辑，结语在其后。",
        }),
        # No heading: it continues 正文 below the sections inline
        # (templates/admin/articles/article/change_form.html).
        (None, {"fields": ("conclusion",)}),
        ("封面", {"fields": ("cover", "cover_alt")}),
        ("发布", {
            "fields": (
                "status", "published_at", "is_pinned", "preview_link", "view_count",
                ("created_by", "created_at"), ("updated_by", "updated_at"),
            ),
        }),
    )
    actions = ["publish_selected", "unpublish_selected"]
    save_on_top = True

    def get_queryset(self, request):
        # One query for the topics of the whole page, in the order of the tree.
        topics = Topic.objects.order_by(*TREE_ORDERING).only("id", "name")
        return super().get_queryset(request).prefetch_related(Prefetch("topics", queryset=topics))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "topics":
            kwargs.setdefault(
                "queryset", Topic.objects.select_related("parent").order_by(*TREE_ORDERING)
            )
            kwargs.setdefault("form_class", TopicChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # --- list columns -------------------------------------------------

    @admin.display(description="状态", ordering="status")
    def publication_state(self, article):
        if article.status == Article.Status.PUBLISHED and not article.is_public:
            return "定时发布"
        return article.get_status_display()

    @admin.display(description="专题")
    def topic_names(self, article):
        return "、".join(topic.name for topic in article.topics.all()) or "—"

    @admin.display(description="查看")
    def site_links(self, article):
        if article.is_public:
            url, label = article.get_absolute_url(), "在网站上查看"
        else:
            url, label = article.get_preview_url(), "预览"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, label)

    @admin.display(description="预览")
    def preview_link(self, article):
        if not article.pk:
            return "保存后可预览。"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">在新窗口中预览</a>(草稿和定时发布的文稿也能看到)',
            article.get_preview_url(),
        )

    def view_on_site(self, article):
        # Django's “在站点上查看” button only for what a reader can actually see.
        return article.get_absolute_url() if article.is_public else None

    # --- saving -------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        if obj.status == Article.Status.PUBLISHED and (
            "status" in form.changed_data or obj.published_at is None
        ):
            # Same rule as the action: an empty publish time becomes now.
            services.publish(obj, request.user)
        if "cover" in form.changed_data or bool(obj.cover) != bool(obj.cover_thumbnail):
            try:
                images.make_cover_renditions(obj)
            except ValidationError as error:
                message = "文稿已保存，但封面缩略图生成失败：" + " ".join(error.messages)
                self.message_user(request, message, messages.WARNING)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.normalize_sections(form.instance)

    # --- actions ------------------------------------------------------

    @admin.action(description="发布所选文稿", permissions=["change"])
    def publish_selected(self, request, queryset):
        published = scheduled = already = 0
        with transaction.atomic():
            for article in queryset:
                if article.status == Article.Status.PUBLISHED:
                    already += 1
                    continue
                services.publish(article, request.user)
                if article.is_public:
                    published += 1
                else:
                    scheduled += 1
        parts = []
        if published:
            parts.append(f"已发布 {published} 篇文稿")
        if scheduled:
            parts.append(f"{scheduled} 篇已设为定时发布，到发布时间自动上线")
        if already:
            parts.append(f"{already} 篇原本就已发布，未作改动")
        level = messages.SUCCESS if published or scheduled else messages.INFO
        self.message_user(request, ";".join(parts) + "。", level)

    @admin.action(description="撤回所选文稿", permissions=["change"])
    def unpublish_selected(self, request, queryset):
        withdrawn = already = 0
        with transaction.atomic():
            for article in queryset:
                if article.status == Article.Status.DRAFT:
                    already += 1
                    continue
                services.unpublish(article, request.user)
                withdrawn += 1
        parts = []
        if withdrawn:
            parts.append(f"已撤回 {withdrawn} 篇文稿，改为草稿")
        if already:
            parts.append(f"{already} 篇原本就是草稿，未作改动")
        level = messages.SUCCESS if withdrawn else messages.INFO
        self.message_user(request, ";".join(parts) + "。", level)

    # --- image upload for the rich-text editor --------------------------

    def get_urls(self):
        upload = path(
            "upload-image/",
            never_cache(require_POST(self.upload_image_view)),
            name="articles_article_upload_image",
        )
        return [upload, *super().get_urls()]

    def upload_image_view(self, request):
        """CKEditor 5's upload endpoint for essays (``CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME``).

        Answers JSON in CKEditor's format: ``{"url": ...}`` or
        ``{"error": {"message": ...}}`` with 403 or 400, never a redirect to
        the login page (the editor could not show it) and never a 500.
        """
        user = request.user
        allowed = user.is_active and user.is_staff and (
            self.has_add_permission(request) or self.has_change_permission(request)
        )
        if not allowed:
            return _upload_error("没有上传图片的权限，请以编辑身份登录。", status=403)
        upload = request.FILES.get("upload")
        if upload is None:
            return _upload_error("没有收到图片文件。")
        storage = EditorImageStorage()
        try:
            # The browser's file name is not used (see EditorImageStorage).
            name = storage.save("upload", upload)
        except ValidationError as error:
            return _upload_error(" ".join(error.messages))
        return JsonResponse({"url": storage.url(name)})


def _upload_error(message, status=400):
    return JsonResponse({"error": {"message": message}}, status=status)

