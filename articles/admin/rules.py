"""校对规则: the admin list of proofreading rules, where editors switch rules
off, adjust them or add their own."""

from django.contrib import admin
from django.core.exceptions import ValidationError

from articles.admin.common import set_enabled
from articles.editing import rules as proofreading
from articles.models import ProofreadingRule


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
        (
            "匹配",
            {
                "fields": ("pattern", "suggestion", "context_before", "context_after", "not_before", "not_after"),
                "description": "“错误写法”和四个上下文条件都是正则表达式，由 RE2 引擎运行（耗时只随文稿长度增长，"
                "不会卡住）：不支持环视 (?=…)(?!…)(?<=…)(?<!…)、反向引用 \\1 和 \\b、\\w；"
                "\\s 包括全角空格，\\d 包括全角数字，汉字可写 \\p{Han}。"
                "“前文须匹配”须紧贴在错误写法之前成立，“后文须匹配”须紧接其后成立（都在 40 个字以内），"
                "“不得匹配”的条件一旦成立就不提示。",
            },
        ),
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
        set_enabled(self, request, queryset, enabled, "规则")
