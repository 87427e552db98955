"""Editors' back office for essays: one page per essay, sections inline.

Thin on purpose: publishing goes through :mod:`articles.services`, image
checks and renditions through :mod:`articles.images`, proofreading through
:mod:`articles.proofreading`, the 导入文稿 page lives in
:mod:`articles.admin_import`.

Publishing an essay that still has political-term findings (科学开展观 …)
needs an explicit confirmation, on the change form (a checkbox) and in the
publish action (an intermediate page); who confirmed it and when is kept on
the article.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Prefetch
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from articles import admin_import, images, proofreading, services
from articles.essay import Essay, EssayPoint, EssaySection
from articles.models import Article, ProofreadingRule, Section
from articles.storage import EditorImageStorage
from topics.admin import TREE_ORDERING, tree_label
from topics.models import Topic


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, topic):
        return tree_label(topic)


POLITICAL = ProofreadingRule.Severity.POLITICAL
CONFIRM_POLITICAL_LABEL = "我已知悉本文仍有政治性问题，确认发布"
# The admin's form prefix for the sections inline: the reverse accessor.
SECTIONS_PREFIX = Section._meta.get_field("article").remote_field.get_accessor_name()


class ArticleAdminForm(forms.ModelForm):
    confirm_political = forms.BooleanField(
        label=CONFIRM_POLITICAL_LABEL, required=False,
        help_text="只在保存为“已发布”时需要；确认人和时间会记录在文稿上。",
    )

    class Meta:
        model = Article
        fields = "__all__"

    # The political findings of the essay as submitted: a list when the form
    # is saved as published (checked in clean()), None otherwise.
    political_findings = None

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        # Only a new upload is checked; the stored cover (a FieldFile) or the
        # "clear" checkbox (False) pass through unchanged.
        if isinstance(cover, UploadedFile):
            return images.clean_upload(cover)
        return cover

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Article.Status.PUBLISHED:
            essay = submitted_essay(self)
            self.political_findings = [
                PanelFinding.from_essay_finding(finding, essay)
                for finding in proofreading.proofread_essay(essay)
                if finding.severity == POLITICAL
            ]
            if self.political_findings and not cleaned.get("confirm_political"):
                self.add_error("confirm_political", (
                    f"本文仍有 {len(self.political_findings)} 处政治性问题：请先修改，"
                    f"或勾选“{CONFIRM_POLITICAL_LABEL}”后再保存为已发布。"
                ))
        return cleaned


def submitted_essay(form):
    """The essay as the change form submits it, for proofreading before saving.

    The sections come from the inline's rows in the same POST (deleted and
    empty rows left out, in the order ``services.normalize_sections`` will
    give them); without inline data, from the stored article.
    """
    cleaned, html_to_text = form.cleaned_data, proofreading.html_to_text
    essay = Essay(
        title=cleaned.get("title") or "", subtitle=cleaned.get("subtitle") or "",
        author_org=cleaned.get("author_org") or "",
        lead=html_to_text(cleaned.get("lead") or ""), conclusion=html_to_text(cleaned.get("conclusion") or ""),
    )
    for level, number, heading, body in _submitted_sections(form):
        if level == Section.Level.SECTION:
            essay.sections.append(EssaySection(number, heading, body=html_to_text(body)))
            continue
        if not essay.sections:
            essay.sections.append(EssaySection("", ""))  # points before any section
        essay.sections[-1].points.append(EssayPoint(number, heading, html_to_text(body)))
    return essay


def _submitted_sections(form):
    data, prefix = form.data, SECTIONS_PREFIX
    try:
        total = min(int(data[f"{prefix}-TOTAL_FORMS"]), 1000)
    except (KeyError, TypeError, ValueError):
        stored = form.instance.sections.all() if form.instance.pk else []
        return [(row.level, row.number, row.heading, row.body) for row in stored]
    rows = []
    for index in range(total):
        row = {
            name: data.get(f"{prefix}-{index}-{name}", "")
            for name in ("heading", "body", "number", "level", "position", "DELETE")
        }
        heading, body = row["heading"].strip(), row["body"]
        if row["DELETE"] or not (heading or proofreading.html_to_text(body)):
            continue
        try:
            position = int(row["position"] or 0)
        except ValueError:
            position = 0
        level = Section.Level.POINT if row["level"] == str(Section.Level.POINT) else Section.Level.SECTION
        rows.append((position, index, level, row["number"], heading, body))
    # Ties keep the form's order, as normalize_sections' (position, id) does.
    return [row[2:] for row in sorted(rows)]


@dataclass
class PanelFinding:
    """A finding as the change page shows it (校对 panel, publish confirmation)."""

    label: str
    original: str
    suggestion: str
    context_before: str
    context_after: str
    explanation: str
    severity: str
    confidence: float
    fixable: bool
    href: str = ""  # on the change page
    preview_href: str = ""

    @property
    def severity_label(self):
        return admin_import.SEVERITY_LABELS.get(self.severity, self.severity)

    @property
    def confidence_percent(self):
        return round(self.confidence * 100)

    @classmethod
    def from_article_finding(cls, finding, href="", preview_href=""):
        return cls(
            finding.label, finding.original, finding.suggestion, finding.context_before,
            finding.context_after, finding.explanation, finding.severity, finding.confidence,
            finding.fixable, href, preview_href,
        )

    @classmethod
    def from_essay_finding(cls, finding, essay):
        return cls(
            admin_import.place_label(essay, finding.location.path), finding.original, finding.suggestion,
            finding.context_before, finding.context_after, finding.explanation, finding.severity,
            finding.confidence, finding.is_fixable,
        )


# Where a finding outside the sections is edited on the change page
# (ids of the change form's inputs, and wrappers in change_form.html).
_FIELD_ANCHORS = {
    "title": "#id_title", "subtitle": "#id_subtitle", "author_org": "#id_author_org",
    "lead": "#essay-lead", "conclusion": "#essay-conclusion",
}


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
        "political_findings_confirmed_by", "political_findings_confirmed_at",
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
                ("political_findings_confirmed_by", "political_findings_confirmed_at"),
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
            '<a href="{}" target="_blank" rel="noopener">在新窗口中预览</a>（草稿和定时发布的文稿也能看到）',
            article.get_preview_url(),
        )

    def view_on_site(self, article):
        # Django's “在站点上查看” button only for what a reader can actually see.
        return article.get_absolute_url() if article.is_public else None

    # --- proofreading on the change page ---------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        panel = None
        if change and obj is not None:
            panel = self._proofreading_panel(obj, context.get("inline_admin_formsets", ()))
            context["proofreading_panel"] = panel
        # What the confirmation box lists: the submitted essay's political
        # findings after a save as published, else the stored essay's.
        if form.political_findings is not None:
            context["political_findings"] = form.political_findings
        elif panel is not None:
            context["political_findings"] = [item for item in panel if item.severity == POLITICAL]
        context["confirm_political_field"] = form["confirm_political"]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _proofreading_panel(self, article, inline_admin_formsets):
        """The stored essay's findings, linked to the inline row or field they are in."""
        rows = {}
        for inline in inline_admin_formsets:
            if inline.formset.prefix == SECTIONS_PREFIX:
                # The rendered rows' order: Django gives row i the id "sections-i".
                rows = {form.instance.pk: i for i, form in enumerate(inline.formset.forms) if form.instance.pk}
        preview = article.get_preview_url()
        items = []
        for finding in proofreading.proofread_article(article):
            if finding.section_id is not None:
                row = rows.get(finding.section_id)
                href = f"#{SECTIONS_PREFIX}-{row}" if row is not None else ""
                preview_href = f"{preview}#{finding.anchor}"
            else:
                href, preview_href = _FIELD_ANCHORS.get(finding.field, ""), preview
            items.append(PanelFinding.from_article_finding(finding, href, preview_href))
        rank = {key: n for n, key in enumerate(admin_import.SEVERITY_LABELS)}
        return sorted(items, key=lambda item: rank.get(item.severity, 9))  # stable: reading order within

    # --- saving -------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        if form.political_findings is not None:  # saved as published
            _record_confirmation(obj, request.user, confirmed=bool(form.political_findings))
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
        """Publish the selected drafts; political findings need a confirmation page first."""
        articles = list(queryset.prefetch_related("sections"))
        pending = [article for article in articles if article.status != Article.Status.PUBLISHED]
        political = {article.pk: proofreading.political_findings(article) for article in pending}
        flagged = [(article, political[article.pk]) for article in pending if political[article.pk]]
        if flagged and request.POST.get("post") != "yes":
            return self._publish_confirmation(request, articles, flagged)
        published = scheduled = already = confirmed = 0
        with transaction.atomic():
            for article in articles:
                if article.status == Article.Status.PUBLISHED:
                    already += 1
                    continue
                services.publish(article, request.user)
                confirmed += bool(political[article.pk])
                if _record_confirmation(article, request.user, confirmed=bool(political[article.pk])):
                    article.save(update_fields=_CONFIRMATION_FIELDS)
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

    def _publish_confirmation(self, request, articles, flagged):
        """Django's intermediate-page pattern: list what needs confirming, post back with ``post=yes``."""
        def preview_href(article, finding):
            url = article.get_preview_url()
            return f"{url}#{finding.anchor}" if finding.anchor else url

        context = {
            **self.admin_site.each_context(request),
            "title": "确认发布",
            "opts": self.opts,
            "articles": articles,
            "flagged": [
                (article, [
                    PanelFinding.from_article_finding(finding, preview_href=preview_href(article, finding))
                    for finding in findings
                ])
                for article, findings in flagged
            ],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action_name": "publish_selected",
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/article/publish_confirmation.html", context)

    # --- extra pages: import, image upload for the rich-text editor -------

    def get_urls(self):
        upload = path(
            "upload-image/",
            never_cache(require_POST(self.upload_image_view)),
            name="articles_article_upload_image",
        )
        essay_import = path(
            "import/",
            self.admin_site.admin_view(self.import_view),
            name="articles_article_import",
        )
        return [upload, essay_import, *super().get_urls()]

    def import_view(self, request):
        """导入文稿 (see :mod:`articles.admin_import`)."""
        return admin_import.import_view(self, request)

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


_CONFIRMATION_FIELDS = ["political_findings_confirmed_by", "political_findings_confirmed_at"]


def _record_confirmation(article, user, *, confirmed):
    """Set (or clear) who knowingly published ``article`` with political findings.

    Returns True when the fields changed (the caller saves them).
    """
    unset = article.political_findings_confirmed_by_id is None and article.political_findings_confirmed_at is None
    if not confirmed and unset:
        return False
    by, at = (user, timezone.now()) if confirmed else (None, None)
    article.political_findings_confirmed_by, article.political_findings_confirmed_at = by, at
    return True


def _upload_error(message, status=400):
    return JsonResponse({"error": {"message": message}}, status=status)



@admin.register(ProofreadingRule)
class ProofreadingRuleAdmin(admin.ModelAdmin):
    """Editors switch rules off, adjust them or add their own; the
    proofreader picks up the change on its next run, without a restart."""

    list_display = ("rule_id", "category", "severity", "pattern", "suggestion", "enabled", "origin")
    list_display_links = ("rule_id",)
    list_editable = ("enabled",)
    list_filter = ("enabled", "category", "severity", "origin")
    search_fields = ("rule_id", "pattern", "suggestion", "explanation", "note")
    readonly_fields = ("origin", "shipped_version", "updated_at")
    fieldsets = (
        (None, {"fields": ("rule_id", "enabled", "category", "severity", "confidence")}),
        ("匹配", {
            "fields": ("pattern", "suggestion", "context_before", "context_after", "not_before", "not_after"),
            "description": "“错误写法”和四个上下文条件都是 Python 正则表达式；"
                           "“前文须匹配”须紧贴在错误写法之前成立，“后文须匹配”须紧接其后成立，"
                           "“不得匹配”的条件一旦成立就不提示。",
        }),
        ("说明", {"fields": ("explanation", "note")}),
        ("来源", {"fields": ("origin", "shipped_version", "updated_at")}),
    )
    actions = ("enable_rules", "disable_rules")

    @admin.action(description="启用所选规则", permissions=["change"])
    def enable_rules(self, request, queryset):
        self._set_enabled(request, queryset, True)

    @admin.action(description="停用所选规则", permissions=["change"])
    def disable_rules(self, request, queryset):
        self._set_enabled(request, queryset, False)

    def _set_enabled(self, request, queryset, enabled):
        # Save row by row (not QuerySet.update) so updated_at moves and every
        # worker's cached rule set notices the change.
        rows = list(queryset.exclude(enabled=enabled))
        for row in rows:
            row.enabled = enabled
            row.save(update_fields=["enabled", "updated_at"])
        word = "启用" if enabled else "停用"
        self.message_user(request, f"已{word} {len(rows)} 条规则。", messages.SUCCESS)
