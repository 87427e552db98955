"""The library in the admin: editors rename, merge and split themes, move items
and decide the suggested countermeasure links. Every change goes through
``library.services``, which marks it as the editor's so regrouping keeps it.
"""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.admin.common import set_enabled
from library import queries, services
from library.models import Concept, CountermeasureLink, LibraryItem, Theme


class ItemInline(admin.TabularInline):
    model = LibraryItem
    fields = ["heading", "kind", "article", "locked_by_editor"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("本主题的条目（点“修改”可移到其他主题）")

    def has_add_permission(self, request, obj=None):
        return False


class LibraryChangesAdmin(admin.ModelAdmin):
    """Saves and deletes made in the admin make the cached library pages stale
    (the operations of ``library.services`` do it themselves)."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        queries.library_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        queries.library_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        queries.library_changed()


@admin.register(Theme)
class ThemeAdmin(LibraryChangesAdmin):
    list_display = ["__str__", "library", "essay_count", "item_count", "unit_count", "pinned", "misc", "latest_at"]
    list_filter = ["library", "pinned", "misc"]
    search_fields = ["custom_label", "auto_label", "top_words"]
    fields = [
        "custom_label",
        "auto_label",
        "top_words",
        "library",
        "pinned",
        "essay_count",
        "item_count",
        "unit_count",
        "public_link",
    ]
    readonly_fields = [
        "auto_label",
        "top_words",
        "library",
        "pinned",
        "essay_count",
        "item_count",
        "unit_count",
        "public_link",
    ]
    inlines = [ItemInline]
    actions = ["merge_selected"]

    def has_add_permission(self, request):
        return False  # themes come from regrouping, merging and splitting

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.misc:
            return ["custom_label", *fields]  # 其他 is no theme: nothing to name
        return fields

    @admin.display(description=_("网站上的页面"))
    def public_link(self, obj):
        if obj.pk is None or not obj.item_count:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', obj.get_absolute_url(), obj.get_absolute_url()
        )

    def save_model(self, request, obj, form, change):
        if "custom_label" in form.changed_data:
            if obj.custom_label.strip():
                services.rename_theme(obj, obj.custom_label)
            else:
                obj.save(update_fields=["custom_label", "updated_at"])  # back to the automatic name
        else:
            obj.save()

    @admin.action(description=_("合并所选主题（并入条目最多的一个）"), permissions=["change"])
    def merge_selected(self, request, queryset):
        try:
            target = services.merge_themes(list(queryset))
        except services.LibraryError as error:
            self.message_user(request, str(error), messages.ERROR)
            return None
        self.message_user(request, f"已合并为主题“{target.label}”，重新归类时将保留。", messages.SUCCESS)
        return None


class ItemForm(forms.ModelForm):
    class Meta:
        model = LibraryItem
        fields = ["theme"]

    def clean_theme(self):
        theme = self.cleaned_data["theme"]
        if theme is not None and theme.library != (
            "countermeasures" if self.instance.kind == "countermeasures" else "problems"
        ):
            raise forms.ValidationError("条目只能移到同一个库（问题库或对策库）的主题中。")
        if theme is not None and theme.misc:
            raise forms.ValidationError(services.MISC_REFUSED)
        return theme


@admin.register(LibraryItem)
class LibraryItemAdmin(LibraryChangesAdmin):
    form = ItemForm
    list_display = ["heading", "kind", "theme", "article", "locked_by_editor"]
    list_filter = ["kind", "locked_by_editor"]
    search_fields = ["heading", "text", "article__title"]
    list_select_related = ["theme", "article"]
    autocomplete_fields = ["theme"]
    fields = ["theme", "heading", "text", "kind", "article", "section", "ordinal", "locked_by_editor"]
    readonly_fields = ["heading", "text", "kind", "article", "section", "ordinal", "locked_by_editor"]
    actions = ["split_selected"]

    def has_add_permission(self, request):
        return False  # items come from essays

    def save_model(self, request, obj, form, change):
        if "theme" in form.changed_data and obj.theme is not None:
            services.move_item(obj, obj.theme)
            self.message_user(request, f"已移到主题“{obj.theme.label}”，重新归类时将保留。", messages.SUCCESS)
        else:
            obj.save()

    @admin.action(description=_("把所选条目拆分为新主题"), permissions=["change"])
    def split_selected(self, request, queryset):
        try:
            with transaction.atomic():
                theme = services.split_theme(queryset.select_related("theme"))
        except services.LibraryError as error:
            self.message_user(request, str(error), messages.ERROR)
            return None
        self.message_user(request, f"已拆分出新主题“{theme.label}”，可在“主题”中为它改名。", messages.SUCCESS)
        return None


class LinkForm(forms.ModelForm):
    class Meta:
        model = CountermeasureLink
        fields = ["problem", "countermeasure", "status"]

    def clean(self):
        data = super().clean()
        problem, countermeasure = data.get("problem"), data.get("countermeasure")
        if problem and countermeasure:
            if problem.article_id != countermeasure.article_id:
                raise forms.ValidationError("只能关联同一篇文稿中的问题和对策。")
            if problem.kind == "countermeasures" or countermeasure.kind != "countermeasures":
                raise forms.ValidationError("请在“问题”中选问题或原因条目，在“对策”中选对策条目。")
        return data


class EssayFilter(admin.SimpleListFilter):
    """``?essay=<id>``: the links of one essay (the essay's admin page links here)."""

    title = _("文稿")
    parameter_name = "essay"

    def lookups(self, request, model_admin):
        return ()  # reached from the essay's page, not listed

    def has_output(self):
        return True

    def choices(self, changelist):
        if self.value():
            yield {
                "selected": False,
                "query_string": changelist.get_query_string(remove=[self.parameter_name]),
                "display": _("全部文稿"),
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit() or len(value) > 18:
            return queryset.none()
        return queryset.filter(countermeasure__article_id=int(value))


@admin.register(CountermeasureLink)
class CountermeasureLinkAdmin(LibraryChangesAdmin):
    form = LinkForm
    list_display = ["countermeasure", "problem", "score_display", "status", "essay"]
    list_filter = ["status", EssayFilter]
    search_fields = ["problem__heading", "countermeasure__heading", "problem__article__title"]
    list_select_related = ["problem__article", "countermeasure"]
    autocomplete_fields = ["problem", "countermeasure"]
    actions = ["confirm_selected", "reject_selected"]

    def get_urls(self):
        from django.urls import path

        return [
            path("decide/", self.admin_site.admin_view(self.decide_view), name="library_countermeasurelink_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request):
        """Confirm or reject one link from the essay's admin page (POST ``decision`` = ``<id>:<status>``)."""
        from django.http import HttpResponseBadRequest, HttpResponseNotAllowed, HttpResponseRedirect
        from django.urls import reverse
        from django.utils.http import url_has_allowed_host_and_scheme

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"], "请从文稿的编辑页面提交。")
        if not self.has_change_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        pk, _sep, status = request.POST.get("decision", "").partition(":")
        allowed = (CountermeasureLink.Status.CONFIRMED, CountermeasureLink.Status.REJECTED)
        link = CountermeasureLink.objects.filter(pk=int(pk)).first() if pk.isdigit() and len(pk) < 18 else None
        if link is None or status not in allowed:
            return HttpResponseBadRequest("无效的操作：这条关联不存在或已在重新归类时更新，请刷新页面后再试。")
        services.decide_links([link], status)
        word = "确认" if status == CountermeasureLink.Status.CONFIRMED else "否决"
        self.message_user(
            request, f"已{word}关联：{link.countermeasure.heading} → {link.problem.heading}", messages.SUCCESS
        )
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = reverse("admin:library_countermeasurelink_changelist")
        return HttpResponseRedirect(target)

    @admin.display(description=_("相似度"), ordering="score")
    def score_display(self, obj):
        return f"{obj.score:.2f}"

    @admin.display(description=_("文稿"))
    def essay(self, obj):
        return obj.problem.article

    @admin.action(description=_("确认所选关联"), permissions=["change"])
    def confirm_selected(self, request, queryset):
        count = services.decide_links(list(queryset), CountermeasureLink.Status.CONFIRMED)
        self.message_user(request, f"已确认 {count} 条关联。", messages.SUCCESS)

    @admin.action(description=_("否决所选关联（重新归类时不再建议）"), permissions=["change"])
    def reject_selected(self, request, queryset):
        count = services.decide_links(list(queryset), CountermeasureLink.Status.REJECTED)
        self.message_user(request, f"已否决 {count} 条关联。", messages.SUCCESS)


@admin.register(Concept)
class ConceptAdmin(admin.ModelAdmin):
    """问题库概念词: the genre's concepts and their wordings, which grouping reads
    (``library.concepts``). Editors add a wording their essays use, add a
    concept, or switch one off; the change applies at the next regroup."""

    list_display = ["name", "problem_label", "countermeasure_label", "enabled", "origin", "updated_at"]
    list_display_links = ["name"]
    list_editable = ["enabled"]
    list_filter = ["enabled", "origin"]
    search_fields = ["name", "wordings", "problem_label", "countermeasure_label"]
    readonly_fields = ["origin", "updated_at"]
    fields = ["name", "wordings", "problem_label", "countermeasure_label", "enabled", "note", "origin", "updated_at"]
    actions = ["enable_entries", "disable_entries"]
    list_per_page = 200

    @admin.action(description=_("启用所选概念"), permissions=["change"])
    def enable_entries(self, request, queryset):
        set_enabled(self, request, queryset, True, "概念")

    @admin.action(description=_("停用所选概念"), permissions=["change"])
    def disable_entries(self, request, queryset):
        set_enabled(self, request, queryset, False, "概念")
