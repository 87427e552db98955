"""敏感词与人名: the lists of the 保密审查 (sensitive words with a suggested
replacement, officials removed from office, leaders with their current titles).

Kept by 管理员 and the 安全保密管理员 (``accounts.roles.SENSITIVE_LIST_PERMISSIONS``);
every change is audited. The proofreader picks a change up on its next run in
every process (``articles.editing.sensitive``: the lists' version).
"""

from django.contrib import admin

from accounts.security_events import audit
from articles.admin.common import set_enabled
from articles.models import SensitiveTerm


@admin.register(SensitiveTerm)
class SensitiveTermAdmin(admin.ModelAdmin):
    list_display = ("text", "kind", "replacement", "title", "enabled", "note", "updated_at")
    list_display_links = ("text",)
    list_filter = ("kind", "enabled")
    search_fields = ("text", "replacement", "title", "note")
    readonly_fields = ("updated_at",)
    fields = ("kind", "text", "replacement", "title", "note", "enabled", "updated_at")
    actions = ("enable_entries", "disable_entries")
    list_per_page = 200

    @admin.action(description="启用所选条目", permissions=["change"])
    def enable_entries(self, request, queryset):
        set_enabled(self, request, queryset, True, "条目")
        audit("sensitive_terms_enabled", user=request.user.get_username(), count=queryset.count())

    @admin.action(description="停用所选条目", permissions=["change"])
    def disable_entries(self, request, queryset):
        set_enabled(self, request, queryset, False, "条目")
        audit("sensitive_terms_disabled", user=request.user.get_username(), count=queryset.count())

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit(
            "sensitive_term_changed" if change else "sensitive_term_added",
            user=request.user.get_username(),
            object=f"{obj.get_kind_display()}:{obj.text}",
            fields=form.changed_data,
        )

    def delete_model(self, request, obj):
        audit("sensitive_term_deleted", user=request.user.get_username(), object=f"{obj.get_kind_display()}:{obj.text}")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit(
                "sensitive_term_deleted",
                user=request.user.get_username(),
                object=f"{obj.get_kind_display()}:{obj.text}",
            )
        super().delete_queryset(request, queryset)
