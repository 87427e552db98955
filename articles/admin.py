"""Editors' back office for essays: one page per essay, sections inline.

Thin on purpose: publishing goes through :mod:`articles.editing.workflow`, image
checks and renditions through :mod:`articles.editing.images`, proofreading through
:mod:`articles.editing.rules`, the 导入文稿 page lives in
:mod:`articles.admin_import`.

Publishing an essay that still has political-term findings (科学开展观 …),
and changing the text of one that is live (published or scheduled), needs
an explicit confirmation, on the change form (a checkbox), in the publish
action and when restoring a revision (intermediate pages); who confirmed it
and when is kept on the article. Every save that changes a live essay is a
step of its 流转记录 (修改已发布文稿). Status, publish time and pinning are
read-only to those without the publish permission (workflow.FIELD_PERMISSIONS).

三审三校 (articles.editing.workflow): 送审, 审核通过 and 退回修改 are POST endpoints
of the change page; 待我审核 is a changelist filter. Every save is a revision
(articles.editing.revisions: 版本记录, side-by-side comparison, 恢复版本). Deleting
moves an essay to the 回收站. The change form carries the essay's ``version``
so that a stale copy cannot overwrite a newer one (optimistic locking), and
shows who else has the page open (presence in the cache, heartbeat from
``static/admin-extra/presence.js``).
"""

import time
from dataclasses import dataclass

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from articles import admin_import, events, richtext
from articles.editing import images, rules as proofreading, revisions, workflow
from articles.editing.sections import normalize_sections
from articles.essay import Essay, EssayPoint, EssaySection
from articles.models import Article, ArticleTransition, ProofreadingRule, Section
from articles.search import admin_search_results
from articles.editing.storage import EditorImageStorage
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
        help_text="发布文稿时，以及修改已发布（含定时发布）文稿的内容时需要；确认人和时间会记录在文稿上。",
    )

    # Optimistic locking: the essay's version when the page was opened.
    lock_version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    class Meta:
        model = Article
        fields = "__all__"

    # Set by clean() when the essay changed since the page was opened:
    # {"current": version, "by": user name, "compare_url": ...}.
    conflict = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The stored status: the form's own may be read-only, or changed by this save.
        self.status_before = self.instance.status if self.instance.pk else None
        if self.instance.pk:
            self.fields["lock_version"].initial = self.instance.version
        if "status" in self.fields:
            # Review stages are entered through 送审 and the review buttons,
            # not by picking a status (articles.editing.workflow).
            direct = {Article.Status.DRAFT, Article.Status.PUBLISHED, Article.Status.ARCHIVED, self.instance.status}
            self.fields["status"].choices = [
                choice for choice in self.fields["status"].choices if choice[0] in direct
            ]

    # The political findings of the essay as submitted: a list when the save
    # needs the confirmation (workflow.political_confirmation_applies: it
    # publishes the essay or changes a live one's text), None otherwise.
    political_findings = None

    def clean_lead(self):
        return _require_alt_text(self.cleaned_data.get("lead"))

    def clean_conclusion(self):
        return _require_alt_text(self.cleaned_data.get("conclusion"))

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        # Only a new upload is checked; the stored cover (a FieldFile) or the
        # "clear" checkbox (False) pass through unchanged.
        if isinstance(cover, UploadedFile):
            return images.clean_upload(cover)
        return cover

    def clean(self):
        cleaned = super().clean()
        self._check_lock(cleaned.get("lock_version"))
        if cleaned.get("cover") and not (cleaned.get("cover_alt") or "").strip() and "cover_alt" in self.fields:
            self.add_error("cover_alt", "请填写封面图说明：用一句话写明图片内容，供视障读者的读屏软件朗读。")
        self._check_political_findings(cleaned)
        return cleaned

    def _check_political_findings(self, cleaned):
        status_after = cleaned.get("status") if "status" in self.fields else self.status_before
        if not workflow.is_live(status_after):
            return
        essay = submitted_essay(self)
        # clean() runs before the instance takes the submitted values: it is still the stored essay.
        text_changed = not self.instance.pk or proofreading.essay_text(essay) != proofreading.article_text(self.instance)
        if not workflow.political_confirmation_applies(self.status_before, status_after, text_changed):
            return
        self.political_findings = [
            PanelFinding.from_essay_finding(finding, essay)
            for finding in proofreading.proofread_essay(essay)
            if finding.severity == POLITICAL
        ]
        if not self.political_findings or cleaned.get("confirm_political"):
            return
        count = len(self.political_findings)
        if workflow.is_live(self.status_before):
            message = (
                f"本文仍有 {count} 处政治性问题，而本文已发布（或定时发布），保存后修改内容将直接面向读者：请先修改，"
                f"或勾选“{CONFIRM_POLITICAL_LABEL}”后再保存。"
            )
        else:
            message = f"本文仍有 {count} 处政治性问题：请先修改，或勾选“{CONFIRM_POLITICAL_LABEL}”后再保存为已发布。"
        self.add_error("confirm_political", message)


    def _check_lock(self, opened):
        """Refuse to overwrite an essay saved by someone else since this page was opened.

        The row is read under a lock (the admin saves in one transaction), so
        two saves of the same version cannot both pass. The form comes back
        with the editor's text and the current version in its hidden field:
        after merging, saving again is a deliberate overwrite. A form posted
        without the field (API-style clients, old tests) is not checked.
        """
        if not self.instance.pk or opened is None:
            return
        current = (
            Article.all_objects.select_for_update().filter(pk=self.instance.pk)
            .values_list("version", "updated_by_id", "updated_at").first()
        )
        if current is None or current[0] == opened:
            return
        version, by_id, at = current
        by_user = get_user_model().objects.filter(pk=by_id).first() if by_id else None
        by = by_user.get_username() if by_user else ""
        opened_revision = revisions.version_for_lock(self.instance, opened)
        latest = revisions.versions_of(self.instance).first()
        compare_url = revision_urls(self.instance)["history"]
        if opened_revision is not None and latest is not None and opened_revision.pk != latest.pk:
            compare_url = f"{revision_urls(self.instance)['compare']}?a={opened_revision.pk}&b={latest.pk}"
        self.conflict = {"by": by or "其他人", "at": at, "compare_url": compare_url}
        data = self.data.copy()
        data[self.add_prefix("lock_version")] = str(version)
        self.data = data
        raise ValidationError(
            f"保存失败：您打开本页之后，{by or '其他人'} 已修改并保存了这篇文稿。"
            "为免覆盖对方的修改，本次没有保存；您填写的内容仍在下方，"
            "请对照当前版本合并后再次保存（再次保存将以您的内容为准）。",
            code="stale",
        )


def revision_urls(article):
    return {
        "history": reverse("admin:articles_article_revisions", args=[article.pk]),
        "compare": reverse("admin:articles_article_revisions_compare", args=[article.pk]),
    }


class ReviewForm(forms.Form):
    """The comment box of 审核通过 / 退回修改 / 送审."""

    comment = forms.CharField(
        label="审核意见", required=False, max_length=workflow.COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )
    confirm_political = forms.BooleanField(label=CONFIRM_POLITICAL_LABEL, required=False)


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


# Presence: who has an essay's change page open, kept in the cache.
PRESENCE_TTL = 60  # seconds without a heartbeat before someone is no longer shown
HEARTBEAT_SECONDS = 20  # presence.js's interval (data attribute on the page)


def _presence_key(article_id):
    return f"articles:presence:{article_id}"


def record_presence(article_id, user):
    """Note that ``user`` has the essay open; returns the names of the others who do."""
    key, now = _presence_key(article_id), time.time()
    present = {
        uid: entry for uid, entry in (cache.get(key) or {}).items()
        if now - entry["seen"] < PRESENCE_TTL
    }
    present[user.pk] = {"name": user.get_full_name() or user.get_username(), "seen": now}
    cache.set(key, present, PRESENCE_TTL * 2)
    return sorted(entry["name"] for uid, entry in present.items() if uid != user.pk)


def presence_message(names):
    return f"{'、'.join(names)} 正在编辑此文稿" if names else ""


def submitted_essay(form):
    """The essay as the change form submits it, for proofreading before saving.

    The sections come from the inline's rows in the same POST (deleted and
    empty rows left out, in the order ``normalize_sections`` will
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


def _require_alt_text(html):
    """Rich text whose every image has alternative text, or a ValidationError in Chinese."""
    missing = richtext.images_without_alt(html or "")
    if missing:
        raise ValidationError(richtext.MISSING_ALT_MESSAGE.format(count=missing), code="missing_alt")
    return html


class SectionForm(forms.ModelForm):
    def clean_body(self):
        return _require_alt_text(self.cleaned_data.get("body"))


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionForm
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
class ArticleAdmin(events.ChangesInOneBatch, admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [SectionInline]
    list_display = (
        "title", "publication_state", "published_at", "author_org", "is_pinned",
        "topic_names", "site_links",
    )
    list_filter = (ReviewQueueFilter, "status", "topics", "author_org", "published_at")
    search_fields = ("title", "lead", "author", "author_org")

    def get_search_results(self, request, queryset, search_term):
        # The same Chinese word search as the reading site, drafts included.
        return admin_search_results(queryset, search_term)
    date_hierarchy = "published_at"
    list_select_related = False  # no foreign key is shown; topics are prefetched
    filter_horizontal = ("topics",)
    readonly_fields = (
        "preview_link", "view_count", "created_at", "created_by", "updated_at", "updated_by",
        "political_findings_confirmed_by", "political_findings_confirmed_at", "workflow_state",
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
                "status", "workflow_state", "published_at", "is_pinned", "preview_link", "view_count",
                ("created_by", "created_at"), ("updated_by", "updated_at"),
                ("political_findings_confirmed_by", "political_findings_confirmed_at"),
            ),
        }),
    )
    actions = ["publish_selected", "unpublish_selected", "archive_selected"]
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
        return workflow.status_label(article)

    @admin.display(description="流程")
    def workflow_state(self, article):
        if not article.pk:
            return "新文稿保存后为草稿，再送审。"
        stages = workflow.review_stages()
        return f"{workflow.status_label(article)}（本站审核共 {stages} 个环节）"

    # --- permissions: roles (articles.editing.workflow) ---------------------------

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or workflow.can_delete(request.user, obj)

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def get_readonly_fields(self, request, obj=None):
        # Status, publish time and pinning are publishing decisions
        # (workflow.FIELD_PERMISSIONS); everyone else goes through review.
        fields = list(super().get_readonly_fields(request, obj))
        return fields + workflow.fields_user_may_not_change(request.user)

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
        # A form shown again with an error holds the submitted values: a slug
        # left empty (filled in from the title only when saving) has no URL yet.
        return article.get_absolute_url() if article.is_public and article.slug else None

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
        context["lock_version_field"] = form["lock_version"]
        context["lock_conflict"] = form.conflict
        if change and obj is not None:
            context.update(self._workflow_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _workflow_context(self, request, article):
        user = request.user
        others = []
        if request.method == "GET" and self.has_change_permission(request, article):
            others = record_presence(article.pk, user)
        actions = workflow.available_actions(user, article)
        return {
            "workflow_actions": actions,
            "workflow_urls": {
                action: reverse("admin:articles_article_workflow", args=[article.pk, action])
                for action in actions
            },
            "review_form": ReviewForm() if actions else None,
            "review_stage_label": workflow.stage_label(article.review_stage) if article.review_stage else "",
            "transitions": article.transitions.select_related("user").order_by("-at", "-id")[:50],
            "revisions_url": revision_urls(article)["history"],
            "presence_names": others,
            "presence_message": presence_message(others),
            "presence_url": reverse("admin:articles_article_presence", args=[article.pk]),
            "presence_interval": HEARTBEAT_SECONDS,
            "can_edit_essay": self.has_change_permission(request, article),
        }

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

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        # One revision per save: the essay, its sections and topic links.
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment("新建文稿" if object_id is None else "修改文稿")
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        # Read-only fields are not in the form; should a form ever offer one
        # anyway (a list_editable column, a custom form), the change is
        # ignored the same way.
        for name in workflow.refused_field_changes(request.user, form.changed_data):
            field = Article._meta.get_field(name)
            setattr(obj, name, form.initial[name] if change else field.get_default())
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        if getattr(form, "political_findings", None) is not None:  # publishing, or a live essay's text changed
            workflow.record_political_confirmation(obj, request.user, confirmed=bool(form.political_findings))
        super().save_model(request, obj, form, change)
        if obj.status == Article.Status.PUBLISHED and (
            "status" in form.changed_data or obj.published_at is None
        ):
            # Same rule as the action: an empty publish time becomes now.
            workflow.publish(obj, request.user)
        if "cover" in form.changed_data or bool(obj.cover) != bool(obj.cover_thumbnail):
            try:
                images.make_cover_renditions(obj)
            except ValidationError as error:
                message = "文稿已保存，但封面缩略图生成失败：" + " ".join(error.messages)
                self.message_user(request, message, messages.WARNING)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        normalize_sections(form.instance)
        revisions.add_essay(form.instance)  # with the renumbered sections
        if change:
            self._record_steps(request, form, formsets)

    def _record_steps(self, request, form, formsets):
        """The 流转记录 of a save: the change of a live essay, then a status set by hand."""
        # A form other than ArticleAdminForm (a list_editable row) does not know the stored status.
        article, status_before = form.instance, getattr(form, "status_before", None)
        if workflow.is_live(status_before):
            changed = [
                form.fields[name].label for name in form.changed_data
                if name in _ESSAY_FIELDS and _really_changed(form, article, name)
            ]
            changed += [formset.model._meta.verbose_name_plural for formset in formsets if formset.has_changed()]
            if changed:
                findings = form.political_findings or ()
                workflow.record_live_edit(
                    article, request.user, status_before, changed, confirmed_findings=len(findings),
                )
        if "status" in form.changed_data and article.status not in (status_before, Article.Status.PUBLISHED):
            # 管理员 changed the status by hand: still a step worth recording
            # (publishing records itself, in workflow.publish).
            action = {
                Article.Status.ARCHIVED: ArticleTransition.Action.ARCHIVE,
            }.get(article.status, ArticleTransition.Action.UNPUBLISH)
            workflow.record_transition(article, request.user, action, status_before, article.review_stage)

    def get_deleted_objects(self, objs, request):
        """Deleting moves essays to the 回收站 and deletes nothing else: the
        confirmation lists the essays only, and needs no permission to delete
        their sections, transitions or 问题库 items (they stay, for restoring)."""
        essays = [
            format_html('{}：<a href="{}">{}</a>', self.opts.verbose_name,
                        reverse("admin:articles_article_change", args=[essay.pk]), essay)
            for essay in objs
        ]
        return essays, {self.opts.verbose_name_plural: len(essays)}, set(), []

    def delete_model(self, request, obj):
        workflow.move_to_recycle_bin(obj, request.user)

    def delete_queryset(self, request, queryset):
        refused = 0
        for article in queryset:
            if workflow.can_delete(request.user, article):
                workflow.move_to_recycle_bin(article, request.user)
            else:
                refused += 1
        if refused:
            self.message_user(request, f"有 {refused} 篇文稿不是您可以删除的，未作改动。", messages.WARNING)

    # --- actions ------------------------------------------------------

    @admin.action(description="发布所选文稿", permissions=["publish"])
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
                workflow.publish(article, request.user)
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
        self.message_user(request, "；".join(parts) + "。", level)

    @admin.action(description="撤回所选文稿", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        withdrawn = already = 0
        with transaction.atomic():
            for article in queryset:
                if article.status in (Article.Status.DRAFT, Article.Status.IN_REVIEW):
                    already += 1
                    continue
                workflow.unpublish(article, request.user)
                withdrawn += 1
        parts = []
        if withdrawn:
            parts.append(f"已撤回 {withdrawn} 篇文稿，改为草稿")
        if already:
            parts.append(f"{already} 篇原本就是草稿，未作改动")
        level = messages.SUCCESS if withdrawn else messages.INFO
        self.message_user(request, "；".join(parts) + "。", level)

    @admin.action(description="归档所选文稿", permissions=["publish"])
    def archive_selected(self, request, queryset):
        archived = skipped = 0
        with transaction.atomic():
            for article in queryset:
                if article.status != Article.Status.PUBLISHED:
                    skipped += 1
                    continue
                workflow.archive(article, request.user)
                archived += 1
        parts = [f"已归档 {archived} 篇文稿"] if archived else []
        if skipped:
            parts.append(f"{skipped} 篇不是已发布状态，未作改动")
        self.message_user(request, "；".join(parts) + "。", messages.SUCCESS if archived else messages.INFO)

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
        view = self.admin_site.admin_view
        return [
            upload, essay_import,
            path("recycle-bin/", view(self.recycle_bin_view), name="articles_article_recycle_bin"),
            path(
                "recycle-bin/<int:pk>/restore/", view(require_POST(self.recycle_restore_view)),
                name="articles_article_recycle_restore",
            ),
            path(
                "recycle-bin/<int:pk>/purge/", view(require_POST(self.recycle_purge_view)),
                name="articles_article_recycle_purge",
            ),
            path(
                "<int:pk>/workflow/<str:action>/", view(require_POST(self.workflow_view)),
                name="articles_article_workflow",
            ),
            path("<int:pk>/revisions/", view(self.revisions_view), name="articles_article_revisions"),
            path(
                "<int:pk>/revisions/compare/", view(self.revisions_compare_view),
                name="articles_article_revisions_compare",
            ),
            path(
                "<int:pk>/revisions/<int:version_id>/restore/", view(require_POST(self.revision_restore_view)),
                name="articles_article_revision_restore",
            ),
            path(
                "<int:pk>/presence/", view(require_POST(self.presence_view)),
                name="articles_article_presence",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        # PostgreSQL refuses NUL in text: a filter or search value holding one
        # would end in a database error. Nobody types it; refuse it plainly.
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            return self._refuse(request, "查询参数中含有无效字符。", 400)
        return super().changelist_view(request, extra_context)

    # --- workflow, revisions, recycle bin, presence --------------------------

    def _refuse(self, request, message, status):
        context = {**self.admin_site.each_context(request), "title": "无法完成操作", "opts": self.opts,
                   "message": message}
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/article/refused.html", context, status=status)

    def _visible_article(self, request, pk):
        """The essay (not deleted) if the user may at least view it, else 404/403."""
        article = Article.objects.filter(pk=pk).select_related("created_by").first()
        if article is None:
            raise Http404("文稿不存在或已删除。")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def workflow_view(self, request, pk, action):
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
            return self._refuse(request, "意见填写有误：" + " ".join(
                message for errors in form.errors.values() for message in errors
            ), 400)
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
                message = "已送审，等待初审。" if action == ArticleTransition.Action.SUBMIT else "已退回作者修改，意见已记录。"
        except workflow.WorkflowError as error:
            return self._refuse(request, error.message, error.status)
        self.message_user(request, f"“{article.title}”{message}", messages.SUCCESS)
        if self.has_view_or_change_permission(request, article):
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        return HttpResponseRedirect(reverse("admin:articles_article_changelist") + "?review=mine")

    def revisions_view(self, request, pk):
        """版本记录: every saved revision, with who saved it and why."""
        article = self._visible_article(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"版本记录：{article.title}", "opts": self.opts, "original": article,
            "versions": list(revisions.versions_of(article)[:200]),
            "can_restore": request.user.has_perm("articles.restore_article"),
            "compare_url": revision_urls(article)["compare"],
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def revisions_compare_view(self, request, pk):
        """Two revisions side by side, marked character by character."""
        article = self._visible_article(request, pk)
        versions = revisions.versions_of(article)
        try:
            old = versions.get(pk=int(request.GET.get("a", "")))
            new = versions.get(pk=int(request.GET.get("b", "")))
        except (ValueError, TypeError, versions.model.DoesNotExist):
            return self._refuse(request, "请选择这篇文稿的两个版本进行比较。", 400)
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        rows = revisions.compare(old, new)
        context = {
            **self.admin_site.each_context(request),
            "title": f"版本比较：{article.title}", "opts": self.opts, "original": article,
            "old": old, "new": new, "rows": [row for row in rows if row.changed],
            "unchanged": sum(not row.changed for row in rows),
            "revisions_url": revision_urls(article)["history"],
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/article/revisions_compare.html", context)

    def revision_restore_view(self, request, pk, version_id):
        article = self._visible_article(request, pk)
        if not request.user.has_perm("articles.restore_article"):
            return self._refuse(request, "只有管理员可以恢复历史版本。", 403)
        version = revisions.versions_of(article).filter(pk=version_id).first()
        if version is None:
            raise Http404("没有这个版本。")
        try:
            revisions.restore(
                article, version, request.user, confirm_political=request.POST.get("confirm_political") == "on",
            )
        except revisions.ConfirmationNeeded as refusal:
            context = {
                **self.admin_site.each_context(request),
                "title": "确认恢复版本", "opts": self.opts, "original": article, "version": version,
                "message": refusal.message, "confirm_label": CONFIRM_POLITICAL_LABEL,
                "findings": [PanelFinding.from_article_finding(finding) for finding in refusal.findings],
                "revisions_url": revision_urls(article)["history"],
            }
            request.current_app = self.admin_site.name
            return TemplateResponse(request, "admin/articles/article/revision_restore_confirmation.html", context)
        self.message_user(request, "已恢复到所选版本；恢复前的内容仍保存在版本记录中。", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def recycle_bin_view(self, request):
        """回收站: deleted essays, newest deletion first."""
        if not request.user.has_perm("articles.view_recycle_bin"):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "回收站", "opts": self.opts,
            "articles": Article.all_objects.deleted().select_related("deleted_by").order_by("-deleted_at")[:500],
            "can_restore": request.user.has_perm("articles.restore_article"),
            "can_purge": request.user.is_superuser,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/articles/article/recycle_bin.html", context)

    def recycle_restore_view(self, request, pk):
        if not request.user.has_perm("articles.restore_article"):
            return self._refuse(request, "只有管理员可以从回收站恢复文稿。", 403)
        article = get_object_or_404(Article.all_objects.deleted(), pk=pk)
        workflow.restore_from_recycle_bin(article, request.user)
        self.message_user(request, f"“{article.title}”已从回收站恢复。", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def recycle_purge_view(self, request, pk):
        if not request.user.is_superuser:
            return self._refuse(request, "只有超级管理员可以彻底删除文稿。", 403)
        article = get_object_or_404(Article.all_objects.deleted(), pk=pk)
        title = article.title
        article.delete()
        self.message_user(request, f"“{title}”已彻底删除，无法再恢复。", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_recycle_bin"))

    def presence_view(self, request, pk):
        """Heartbeat of presence.js: note the editor, answer who else is here."""
        article = Article.objects.filter(pk=pk).first()
        if article is None:
            return JsonResponse({"error": "文稿不存在或已删除。"}, status=404)
        if not self.has_change_permission(request, article):
            return JsonResponse({"error": "没有修改这篇文稿的权限。"}, status=403)
        others = record_presence(article.pk, request.user)
        return JsonResponse({"others": others, "message": presence_message(others)})

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


# What a change of a live essay lists: the essay's own fields (the status has a step of its own).
_ESSAY_FIELDS = {field.name for field in Article._meta.get_fields() if field.concrete or field.many_to_many} - {"status"}


def _really_changed(form, article, name):
    """Whether the saved essay differs from the opened one in field ``name`` (the
    form may report a change that saving undid: an emptied slug made again from
    the same title). Many-to-many fields are taken as the form reports them."""
    field = Article._meta.get_field(name)
    if field.many_to_many:
        return True
    return field.value_from_object(article) != form.initial.get(name)


def _upload_error(message, status=400):
    return JsonResponse({"error": {"message": message}}, status=status)



@admin.register(ProofreadingRule)
class ProofreadingRuleAdmin(admin.ModelAdmin):
    """Editors switch rules off, adjust them or add their own; the
    proofreader picks up the change on its next run, without a restart."""

    list_display = ("rule_id", "category", "severity", "pattern", "suggestion", "enabled", "runnable", "origin")
    list_display_links = ("rule_id",)
    list_editable = ("enabled",)
    list_filter = ("enabled", "category", "severity", "origin")
    search_fields = ("rule_id", "pattern", "suggestion", "explanation", "note")
    readonly_fields = ("origin", "shipped_version", "updated_at")
    fieldsets = (
        (None, {"fields": ("rule_id", "enabled", "category", "severity", "confidence")}),
        ("匹配", {
            "fields": ("pattern", "suggestion", "context_before", "context_after", "not_before", "not_after"),
            "description": "“错误写法”和四个上下文条件都是正则表达式，由 RE2 引擎运行（耗时只随文稿长度增长，"
                           "不会卡住）：不支持环视 (?=…)(?!…)(?<=…)(?<!…)、反向引用 \\1 和 \\b、\\w；"
                           "\\s 包括全角空格，\\d 包括全角数字，汉字可写 \\p{Han}。"
                           "“前文须匹配”须紧贴在错误写法之前成立，“后文须匹配”须紧接其后成立（都在 40 个字以内），"
                           "“不得匹配”的条件一旦成立就不提示。",
        }),
        ("说明", {"fields": ("explanation", "note")}),
        ("来源", {"fields": ("origin", "shipped_version", "updated_at")}),
    )
    actions = ("enable_rules", "disable_rules")

    @admin.display(description="可以运行", boolean=True)
    def runnable(self, rule):
        # A rule saved before the engine moved to RE2 (a look-around, say) is
        # skipped by every proofreading; this column is where editors see it.
        try:
            proofreading.validate_rule_row(rule)
        except ValidationError:
            return False
        return True

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
