"""Editors' back office for essays: one page per essay, sections inline.

Thin on purpose: publishing goes through :mod:`articles.editing.workflow`, image
checks and renditions through :mod:`articles.editing.images`, proofreading through
:mod:`articles.editing.rules`, the 导入文稿 page lives in
:mod:`articles.admin.importing`. This module holds the ModelAdmin; its forms,
actions and extra pages are the other modules of :mod:`articles.admin`.

Publishing an essay that still has political-term findings (科学开展观 …)
needs an explicit confirmation, on the change form (a checkbox), in the
publish action and at the final approval; who confirmed it and when is kept
on the article. A live essay (published, scheduled) is read-only on its page,
管理员 included: 修改（送审后生效） opens its working copy (修改稿,
articles.editing.working_copy), reviewed like a draft and applied on final
approval; a forged POST of its content is refused (409). What remains on a
live essay's page are the publishing decisions — status, publish time,
pinning — for those with the publish permission (workflow.FIELD_PERMISSIONS),
and withdrawing or archiving there needs a reason (status_reason).

三审三校 (articles.editing.workflow): 送审, 审核通过 and 退回修改 are POST endpoints
of the change page; 待我审核 is a changelist filter. Every save is a revision
(articles.editing.revisions: 版本记录, side-by-side comparison, 恢复版本). Deleting
moves an essay to the 回收站. The change form carries the essay's ``version``
so that a stale copy cannot overwrite a newer one (optimistic locking), and
shows who else has the page open (presence in the cache, heartbeat from
``static/admin-extra/presence.js``).
"""

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from articles import events
from articles.admin import exports, history, importing, presence, review, uploads
from articles.admin.actions import archive_selected, publish_selected, unpublish_selected
from articles.admin.common import refuse
from articles.admin.copies import copy_panel_context
from articles.admin.copies import report_view as copy_report_view
from articles.admin.findings import POLITICAL, apply_view, panel_form_context, proofreading_panel
from articles.admin.forms import ArticleAdminForm, SectionForm, TopicChoiceField
from articles.editing import deadlines, images, media, revisions, workflow, working_copy
from articles.editing.sections import normalize_sections
from articles.models import Article, ArticleTransition, Section, SectionComment
from articles.search.engine import admin_search_results
from topics.admin import TREE_ORDERING
from topics.models import Topic


class SectionInline(admin.StackedInline):
    model = Section
    form = SectionForm
    extra = 0
    fields = (("position", "level", "kind", "number"), "heading", "body", "review_comments")
    readonly_fields = ("review_comments",)
    ordering = ("position", "id")
    verbose_name = "部分或要点"
    verbose_name_plural = "正文的部分与要点"

    @admin.display(description="审核意见")
    def review_comments(self, section):
        """The reviewers' comments on this section, next to it (all of them: articles.admin.review)."""
        if section is None or section.pk is None:
            return "—"
        if getattr(self, "_comments_article", None) != section.article_id:
            # One query for the whole inline: this instance lives for one request.
            self._comments_article = section.article_id
            self._comments = {}
            for comment in SectionComment.objects.filter(article_id=section.article_id, section__isnull=False):
                self._comments.setdefault(comment.section_id, []).append(comment)
        listed = self._comments.get(section.pk, [])
        if not listed:
            return "—"
        return format_html_join(
            "",
            '<p class="section-comment{}">{}：{}</p>',
            (
                (
                    " section-comment--resolved" if comment.is_resolved else "",
                    "已解决" if comment.is_resolved else "待解决",
                    comment.text,
                )
                for comment in listed
            ),
        )

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

    # A live essay's sections are read-only: its change is a working copy (修改稿).
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not _live(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _live(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _live(obj)


@admin.register(Article)
class ArticleAdmin(events.ChangesInOneBatch, admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [SectionInline]
    list_display = (
        "essay_title",
        "publication_state",
        "published_at",
        "author_org",
        "is_pinned",
        "topic_names",
        "review_waiting",
        "site_links",
    )
    list_filter = (review.ReviewQueueFilter, "status", "topics", "author_org", "published_at")
    search_fields = ("title", "lead", "author", "author_org")

    def get_search_results(self, request, queryset, search_term):
        # The same Chinese word search as the reading site, drafts included.
        return admin_search_results(queryset, search_term)

    date_hierarchy = "published_at"
    list_select_related = False  # no foreign key is shown; topics are prefetched
    filter_horizontal = ("topics",)
    readonly_fields = (
        "preview_link",
        "view_count",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "political_findings_confirmed_by",
        "political_findings_confirmed_at",
        "workflow_state",
    )
    fieldsets = (
        (
            "基本信息",
            {
                "fields": (
                    "title",
                    "subtitle",
                    "slug",
                    ("author", "author_org"),
                    ("source", "responsible_editor"),
                    "topics",
                    "summary",
                ),
            },
        ),
        (
            "正文",
            {
                "fields": ("lead",),
                "description": "导语在前；各部分与要点在下方逐条编辑，结语在其后。",
            },
        ),
        # No heading: it continues 正文 below the sections inline
        # (templates/admin/articles/article/change_form.html).
        (None, {"fields": ("conclusion",)}),
        ("封面", {"fields": ("cover", "cover_alt")}),
        (
            "发布",
            {
                "fields": (
                    "status",
                    "workflow_state",
                    "urgency",
                    "published_at",
                    "is_pinned",
                    "preview_link",
                    "view_count",
                    ("created_by", "created_at"),
                    ("updated_by", "updated_at"),
                    ("political_findings_confirmed_by", "political_findings_confirmed_at"),
                ),
            },
        ),
    )
    actions = [publish_selected, unpublish_selected, archive_selected, exports.compile_selected]
    save_on_top = True

    def get_queryset(self, request):
        # One query for the topics of the whole page, in the order of the tree.
        topics = Topic.objects.order_by(*TREE_ORDERING).only("id", "name")
        # When each essay entered its review stage: the 等待 column and the order
        # of 待我审核 (get_ordering), annotated before ordering: ModelAdmin's own
        # get_queryset, done here in that order.
        copies = Article.all_objects.only("id", "title", "status", "review_stage", "live_original_id", "deleted_at")
        queryset = deadlines.with_stage_entered(self.model._default_manager.get_queryset())
        ordering = self.get_ordering(request)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return queryset.prefetch_related(
            Prefetch("topics", queryset=topics), Prefetch("pending_changes", queryset=copies)
        )

    def get_ordering(self, request):
        # 待我审核: the longest wait first (a column header clicked still wins).
        if request.GET.get(review.ReviewQueueFilter.parameter_name) == "mine":
            return ("stage_entered_at", "id")
        return super().get_ordering(request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "topics":
            kwargs.setdefault("queryset", Topic.objects.select_related("parent").order_by(*TREE_ORDERING))
            kwargs.setdefault("form_class", TopicChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # --- list columns -------------------------------------------------

    @admin.display(description="标题", ordering="title")
    def essay_title(self, article):
        """A working copy reads 《标题》的修改稿; a live essay with one open links to it."""
        if article.is_working_copy:
            return f"《{article.title}》的修改稿"
        pending = [copy for copy in article.pending_changes.all() if copy.deleted_at is None]
        if not pending:
            return article.title
        copy = pending[0]
        return format_html(
            '{} <a href="{}" class="pending-change">（修改稿：{}）</a>',
            article.title,
            reverse("admin:articles_article_change", args=[copy.pk]),
            workflow.status_label(copy),
        )

    @admin.display(description="状态", ordering="status")
    def publication_state(self, article):
        return workflow.status_label(article)

    @admin.display(description="审核等待")
    def review_waiting(self, article):
        waiting = deadlines.waiting_of(article)
        if waiting is None:
            return "—"
        text = f"{workflow.stage_label(article.review_stage)}{waiting.text}"
        if waiting.overdue:
            return format_html('<strong class="review-overdue">{}</strong>', text)
        return text

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
        if _live(obj):
            # Content read-only (get_readonly_fields); only the publishing
            # decisions remain to change, by those who may take them.
            return bool(workflow.fields_user_may_change_on_live(request.user)) and not obj.is_deleted
        return obj is None or workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or workflow.can_delete(request.user, obj)

    def has_compile_permission(self, request):
        return request.user.has_perm("articles.add_compilation")

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj._stored_status = obj.status
        return obj

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not request.user.has_perm("articles.publish_article") or obj is None or obj.is_working_copy:
            return fieldsets
        # The reason a publisher withdraws or archives the essay from this page.
        result = []
        for name, options in fieldsets:
            fields = options["fields"]
            if "status" in fields:
                index = fields.index("status") + 1
                fields = (*fields[:index], "status_reason", *fields[index:])
            result.append((name, {**options, "fields": fields}))
        return result

    def get_readonly_fields(self, request, obj=None):
        # Status, publish time and pinning are publishing decisions
        # (workflow.FIELD_PERMISSIONS); everyone else goes through review.
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_working_copy:
            # A working copy is never published: its publishing fields are its live essay's business.
            return fields + [name for name in workflow.PUBLISHING_FIELDS if name not in fields]
        if _live(obj):
            # A live essay's content changes only through its working copy.
            editable = {*workflow.fields_user_may_change_on_live(request.user), "status_reason"}
            form_fields = flatten_fieldsets(self.get_fieldsets(request, obj))
            return fields + [name for name in form_fields if name not in editable and name not in fields]
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
        link = format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, label)
        if article.status == Article.Status.IN_REVIEW or article.is_working_copy:
            # The reviewers' reading view: rendered, with findings, a copy's differences, the buttons.
            review_link = format_html('<a href="{}">审阅</a>', review.review_url(article))
            return format_html("{} {}", review_link, link)
        return link

    @admin.display(description="预览")
    def preview_link(self, article):
        if not article.pk:
            return "保存后可预览。"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">在新窗口中预览</a>（草稿和定时发布的文稿也能看到）<br>{}',
            article.get_preview_url(),
            exports.export_links(article),
        )

    def view_on_site(self, article):
        # The public page or the staff preview (Article.get_site_url). The
        # change page shows “在网站上查看” for a public essay only, beside its
        # 预览 link (templates/admin/articles/article/change_form.html).
        return article.get_site_url() if article.pk else None

    # --- proofreading on the change page ---------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        panel = None
        if change and obj is not None:
            panel = proofreading_panel(obj, context.get("inline_admin_formsets", ()))
            context["proofreading_panel"] = panel
            context.update(panel_form_context(self, request, obj, panel))
        # What the confirmation box lists: the submitted essay's political
        # findings after a save as published, else the stored essay's.
        if form.political_findings is not None:
            context["political_findings"] = form.political_findings
        elif panel is not None:
            context["political_findings"] = [item for item in panel if item.severity == POLITICAL]
        context["confirm_political_field"] = form["confirm_political"]
        # 保密审查: offered to whoever may set the status (publish_article).
        context["confirm_secrecy_field"] = form["confirm_secrecy"] if "status" in form.fields else None
        context["lock_version_field"] = form["lock_version"]
        context["lock_conflict"] = form.conflict
        if change and obj is not None:
            context.update(review.workflow_context(self, request, obj))
            context.update(review.working_copy_context(self, request, obj))
            context.update(copy_panel_context(obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- saving -------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        if object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            if _live(obj) and any(name in request.POST for name in _LIVE_CONTENT_FIELDS):
                # The page offers no such field: a forged or stale form. Refused, not ignored.
                return refuse(self, request, review.LIVE_EDIT_REFUSAL, 409)
        try:
            # One revision per save: the essay, its sections and topic links.
            # The files written by a save that fails are deleted.
            with media.discard_on_error(), reversion.create_revision():
                reversion.set_user(request.user)
                reversion.set_comment("新建文稿" if object_id is None else "修改文稿")
                return super().changeform_view(request, object_id, form_url, extra_context)
        except media.StorageWriteError as error:
            # The save's transaction is rolled back and its new files are
            # gone: show the submitted form again, the reason on the cover
            # field (the only file an essay's form writes). Validating the
            # same POST again writes nothing, since the form is invalid.
            request.storage_write_error = error
            for _, uploads in request.FILES.lists():
                for upload in uploads:
                    upload.seek(0)  # read once already: validated again from the start
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        error = getattr(request, "storage_write_error", None)
        if error is None:
            return form
        if error.disk_full:
            message = "服务器存储空间已满，封面图没有保存，本次修改也没有保存。请联系网站管理员清理磁盘后，重新选择封面图再保存；您填写的其他内容仍在下方。"
        else:
            message = "服务器暂时无法写入文件，封面图没有保存，本次修改也没有保存。请稍后重新选择封面图再保存，或联系网站管理员；您填写的其他内容仍在下方。"
        return type(form.__name__, (form,), {"storage_error": message})

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
        if obj.status == Article.Status.PUBLISHED and ("status" in form.changed_data or obj.published_at is None):
            # Same rule as the action: an empty publish time becomes now.
            workflow.publish(obj, request.user, confirm_secrecy=bool(form.cleaned_data.get("confirm_secrecy")))
        if "cover" in form.changed_data or bool(obj.cover) != bool(obj.cover_thumbnail):
            try:
                images.make_cover_renditions(obj)
            except ValidationError as error:
                message = "文稿已保存，但封面缩略图生成失败：" + " ".join(error.messages)
                self.message_user(request, message, messages.WARNING)
            except media.StorageWriteError as error:
                if "cover" in form.changed_data:
                    raise  # a new cover without its renditions: refuse the save (changeform_view)
                # Only missing renditions were being made again: the editor's
                # text is saved, the renditions are made at the next save.
                message = (
                    f"文稿已保存，但封面缩略图没有生成：{error.message}请联系网站管理员，清理磁盘后再保存一次即可补上。"
                )
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
                form.fields[name].label
                for name in form.changed_data
                if name in _ESSAY_FIELDS and _really_changed(form, article, name)
            ]
            changed += [formset.model._meta.verbose_name_plural for formset in formsets if formset.has_changed()]
            if changed:
                findings = form.political_findings or ()
                workflow.record_live_edit(
                    article,
                    request.user,
                    status_before,
                    changed,
                    confirmed_findings=len(findings),
                )
        if "status" in form.changed_data and article.status not in (status_before, Article.Status.PUBLISHED):
            # 管理员 changed the status by hand: still a step worth recording
            # (publishing records itself, in workflow.publish).
            action = {
                Article.Status.ARCHIVED: ArticleTransition.Action.ARCHIVE,
            }.get(article.status, ArticleTransition.Action.UNPUBLISH)
            reason = (form.cleaned_data.get("status_reason") or "").strip()
            workflow.record_transition(
                article, request.user, action, status_before, article.review_stage, comment=reason
            )

    def get_deleted_objects(self, objs, request):
        """Deleting moves essays to the 回收站 and deletes nothing else: the
        confirmation lists the essays only, and needs no permission to delete
        their sections, transitions or 问题库 items (they stay, for restoring)."""
        essays = [
            format_html(
                '{}：<a href="{}">{}</a>',
                self.opts.verbose_name,
                reverse("admin:articles_article_change", args=[essay.pk]),
                essay,
            )
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
            upload,
            essay_import,
            path("recycle-bin/", view(self.recycle_bin_view), name="articles_article_recycle_bin"),
            path(
                "recycle-bin/<int:pk>/restore/",
                view(require_POST(self.recycle_restore_view)),
                name="articles_article_recycle_restore",
            ),
            path(
                "recycle-bin/<int:pk>/purge/",
                view(require_POST(self.recycle_purge_view)),
                name="articles_article_recycle_purge",
            ),
            path(
                "<int:pk>/working-copy/",
                view(require_POST(self.working_copy_view)),
                name="articles_article_working_copy",
            ),
            path("<int:pk>/review/", self.review_page_view, name="articles_article_review"),
            path(
                "<int:pk>/workflow/<str:action>/",
                view(require_POST(self.workflow_view)),
                name="articles_article_workflow",
            ),
            path(
                "<int:pk>/comments/",
                view(require_POST(self.comment_add_view)),
                name="articles_article_comment_add",
            ),
            path(
                "<int:pk>/comments/<int:comment_id>/resolve/",
                view(require_POST(self.comment_resolve_view)),
                name="articles_article_comment_resolve",
            ),
            path("<int:pk>/revisions/", view(self.revisions_view), name="articles_article_revisions"),
            path("<int:pk>/export.<str:fmt>", view(self.export_view), name="articles_article_export"),
            path("<int:pk>/copies/", view(self.copies_view), name="articles_article_copies"),
            path(
                "<int:pk>/revisions/compare/",
                view(self.revisions_compare_view),
                name="articles_article_revisions_compare",
            ),
            path(
                "<int:pk>/revisions/<int:version_id>/restore/",
                view(require_POST(self.revision_restore_view)),
                name="articles_article_revision_restore",
            ),
            path(
                "<int:pk>/proofreading/",
                view(require_POST(self.proofreading_apply_view)),
                name="articles_article_proofreading_apply",
            ),
            path(
                "<int:pk>/presence/",
                view(require_POST(self.presence_view)),
                name="articles_article_presence",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        # PostgreSQL refuses NUL in text: a filter or search value holding one
        # would end in a database error. Nobody types it; refuse it plainly.
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            return refuse(self, request, "查询参数中含有无效字符。", 400)
        return super().changelist_view(request, extra_context)

    # --- workflow, revisions, recycle bin, presence, import, upload: in their modules ---

    def workflow_view(self, request, pk, action):
        """送审 / 审核通过 / 退回修改 (see :mod:`articles.admin.review`)."""
        return review.workflow_view(self, request, pk, action)

    def comment_add_view(self, request, pk):
        """审核意见 on a section (see :mod:`articles.admin.review`)."""
        return review.comment_add_view(self, request, pk)

    def comment_resolve_view(self, request, pk, comment_id):
        return review.comment_resolve_view(self, request, pk, comment_id)

    def working_copy_view(self, request, pk):
        """修改（送审后生效） (see :mod:`articles.admin.review`)."""
        return review.working_copy_view(self, request, pk)

    def review_page_view(self, request, pk):
        """The reviewers' reading view: staff only, 404 for anybody else (see :mod:`articles.admin.review`)."""
        if not self.admin_site.has_permission(request):
            raise Http404("没有这个页面。")
        return self.admin_site.admin_view(self._review_view)(request, pk)

    def _review_view(self, request, pk):
        return review.review_view(self, request, pk)

    def export_view(self, request, pk, fmt):
        """下载 Word / PDF in 公文 layout (see :mod:`articles.admin.exports`)."""
        return exports.export_view(self, request, pk, fmt)

    def copies_view(self, request, pk):
        """查重报告 (see :mod:`articles.admin.copies`)."""
        return copy_report_view(self, request, pk)

    def revisions_view(self, request, pk):
        """版本记录 (see :mod:`articles.admin.history`)."""
        return history.revisions_view(self, request, pk)

    def revisions_compare_view(self, request, pk):
        return history.revisions_compare_view(self, request, pk)

    def revision_restore_view(self, request, pk, version_id):
        return history.revision_restore_view(self, request, pk, version_id)

    def recycle_bin_view(self, request):
        """回收站 (see :mod:`articles.admin.history`)."""
        return history.recycle_bin_view(self, request)

    def recycle_restore_view(self, request, pk):
        return history.recycle_restore_view(self, request, pk)

    def recycle_purge_view(self, request, pk):
        return history.recycle_purge_view(self, request, pk)

    def proofreading_apply_view(self, request, pk):
        """The 校对 panel's accept/reject (see :mod:`articles.admin.findings`)."""
        return apply_view(self, request, pk)

    def presence_view(self, request, pk):
        """Heartbeat of presence.js (see :mod:`articles.admin.presence`)."""
        return presence.presence_view(self, request, pk)

    def import_view(self, request):
        """导入文稿 (see :mod:`articles.admin.importing`)."""
        return importing.import_view(self, request)

    def upload_image_view(self, request):
        """CKEditor 5's upload endpoint (see :mod:`articles.admin.uploads`)."""
        return uploads.upload_image_view(self, request)


def _live(article):
    """Whether ``article`` is live (published, scheduled or approved): changed only through a working copy.

    Judged by the status the essay was loaded with (``ArticleAdmin.get_object``):
    a form posted back with an error holds the submitted status already.
    """
    if article is None:
        return False
    stored = getattr(article, "_stored_status", article.status)
    return article.pk is not None and not article.is_working_copy and stored in working_copy.COPY_STATUSES


# What a POST to a live essay's change form may not carry (they are read-only there).
_LIVE_CONTENT_FIELDS = (*working_copy.CONTENT_FIELDS, "slug", "topics")


# What a change of a live essay lists: the essay's own fields (the status has a step of its own).
_ESSAY_FIELDS = {field.name for field in Article._meta.get_fields() if field.concrete or field.many_to_many} - {
    "status"
}


def _really_changed(form, article, name):
    """Whether the saved essay differs from the opened one in field ``name`` (the
    form may report a change that saving undid: an emptied slug made again from
    the same title). Many-to-many fields are taken as the form reports them."""
    field = Article._meta.get_field(name)
    if field.many_to_many:
        return True
    return field.value_from_object(article) != form.initial.get(name)
