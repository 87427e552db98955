"""常见提法: the formulations of the spinner-swap detector, which editors extend or switch off."""

from django.contrib import admin

from articles.admin.common import set_enabled
from articles.models import Formulation


@admin.register(Formulation)
class FormulationAdmin(admin.ModelAdmin):
    """Editors add the formulations of their own work (a new 提法 makes its
    machine-synonym swaps detectable) or switch off one that causes false
    findings; the proofreader picks the change up on its next run."""

    list_display = ("text", "enabled", "origin", "note", "updated_at")
    list_display_links = ("text",)
    list_editable = ("enabled",)
    list_filter = ("enabled", "origin")
    search_fields = ("text", "note")
    readonly_fields = ("origin", "updated_at")
    fields = ("text", "enabled", "note", "origin", "updated_at")
    actions = ("enable_entries", "disable_entries")
    list_per_page = 200

    @admin.action(description="启用所选提法", permissions=["change"])
    def enable_entries(self, request, queryset):
        self._set_enabled(request, queryset, True)

    @admin.action(description="停用所选提法", permissions=["change"])
    def disable_entries(self, request, queryset):
        self._set_enabled(request, queryset, False)

    def _set_enabled(self, request, queryset, enabled):
        set_enabled(self, request, queryset, enabled, "提法")
