"""Staff accounts in the admin: Django's UserAdmin, with the rules of
``accounts.roles`` on who may manage whose account (asked, not restated here);
the audit log, read-only for everyone; the security settings page."""

import csv

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import audit, policy_report, roles, two_factor
from accounts.models import AuditEntry, SecurityPolicy
from accounts.passwords import require_change
from accounts.security_events import audit as security_audit

User = get_user_model()

GROUP_REFUSED = "只能授予您自己拥有其全部权限的角色（用户组）；所选的组中有您不能授予的，请重新选择。"


class AccountAdmin(UserAdmin):
    def _manages(self, request, obj):
        """Whether the actor may change ``obj`` as a whole (not only its roles)."""
        return UserAdmin.has_change_permission(self, request, obj) and (
            obj is None or roles.may_manage_account(request.user, obj)
        )

    actions = ("reset_two_factor",)

    @admin.action(description="重置所选账号的两步验证（手机丢失时；下次登录重新设置）", permissions=["change"])
    def reset_two_factor(self, request, queryset):
        done = []
        for user in queryset:
            if roles.may_manage_account(request.user, user) and two_factor.reset(user):
                done.append(user.get_username())
                security_audit(
                    "otp_reset", user=request.user.get_username(), target=user.get_username(), request=request
                )
        self.message_user(request, f"已重置 {len(done)} 个账号的两步验证。", messages.SUCCESS)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            # Any staff member's own second factor (not a change of the account list).
            path("two-factor/", view(self.two_factor_view), name=two_factor.SETUP_URL_NAME),
            # The idle-logout warning's "continue" button (static/admin-extra/session-timeout.js).
            path("keepalive/", view(self.keepalive_view), name="auth_user_keepalive"),
            *super().get_urls(),
        ]

    def two_factor_view(self, request):
        return two_factor.setup_view(self, request)

    def keepalive_view(self, request):
        return HttpResponse(status=204)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # An account made by an administrator: its first password is someone else's choice.
            require_change(obj)
            security_audit(
                "account_created", user=request.user.get_username(), target=obj.get_username(), request=request
            )

    def user_change_password(self, request, id, form_url=""):
        account = self.get_object(request, id)
        if account is not None and not self._manages(request, account):
            raise PermissionDenied
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            if user is not None and user.pk != request.user.pk:
                require_change(user)  # an administrator's reset: the owner sets their own at once
            security_audit(
                "password_reset", user=request.user.get_username(), target=user and user.get_username(), request=request
            )
        return response

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += roles.SUPERUSER_ONLY_ACCOUNT_FIELDS
        if obj is not None and not self._manages(request, obj) and roles.may_assign_roles(request.user, obj):
            # The 安全保密管理员 changes who holds which role, nothing else of the account.
            every = flatten_fieldsets(self.get_fieldsets(request, obj))
            fields += [name for name in every if name != "groups"]
        return fields

    def has_change_permission(self, request, obj=None):
        # Also guards the password page (UserAdmin.user_change_password asks this).
        return self._manages(request, obj) or roles.may_assign_roles(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or roles.may_manage_account(request.user, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["queryset"] = roles.grantable_groups(request.user, Group.objects.all())
            kwargs.setdefault("error_messages", {})["invalid_choice"] = GROUP_REFUSED
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (OfficerConflictCheck, form), {"audit_request": request})


class OfficerConflictCheck:
    """三员分立 in the account form: two of the three officers' roles are refused with a message
    (the m2m check in ``accounts.signals`` stops every other way)."""

    audit_request = None

    def clean(self):
        cleaned = super().clean()
        groups = cleaned.get("groups")
        if groups is not None:
            message = roles.officer_conflict(group.name for group in groups)
            if message:
                audit.record(
                    audit.Action.ROLE_CONFLICT_REFUSED,
                    request=self.audit_request,
                    obj=self.instance if self.instance.pk else None,
                    outcome=audit.DENIED,
                    detail=message,
                )
                self.add_error("groups", ValidationError(message, code="officer_conflict"))
        return cleaned


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, AccountAdmin)


# --- the audit log ----------------------------------------------------------------------


def visible_entries(user, queryset=None):
    """The audit entries ``user`` may read: security entries only with
    ``accounts.view_security_auditentry`` (安全审计员, 安全保密管理员, superusers)."""
    queryset = AuditEntry.objects.all() if queryset is None else queryset
    if not user.has_perm("accounts.view_auditentry"):
        return queryset.none()
    if not user.has_perm("accounts.view_security_auditentry"):
        queryset = queryset.filter(security=False)
    return queryset


class _Echo:
    def write(self, value):
        return value


EXPORT_COLUMNS = ("时间", "用户", "客户端地址", "操作", "安全类", "对象类型", "对象编号", "对象", "结果", "详情")


def export_rows(entries):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # Excel opens UTF-8 CSV as such only with the BOM
    yield writer.writerow(EXPORT_COLUMNS)
    for entry in entries.select_related("content_type").iterator(chunk_size=2000):
        yield writer.writerow(
            [
                timezone.localtime(entry.at).isoformat(timespec="seconds"),
                entry.username,
                entry.address or "",
                entry.get_action_display(),
                "是" if entry.security else "否",
                entry.content_type.model if entry.content_type_id and entry.content_type else "",
                entry.object_id,
                entry.object_repr,
                entry.get_outcome_display(),
                entry.detail,
            ]
        )


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """审计日志: read-only for every role, superusers included (no add, change or delete)."""

    list_display = ("at", "username", "address", "action", "object_repr", "outcome", "security")
    list_filter = ("security", "outcome", "action", "at")
    search_fields = ("username", "address", "object_repr", "detail")
    date_hierarchy = "at"
    list_per_page = 100
    show_full_result_count = False
    actions = ("export_selected",)
    fields = (
        "at",
        "username",
        "user_id",
        "address",
        "action",
        "security",
        "content_type",
        "object_id",
        "object_repr",
        "outcome",
        "detail",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return visible_entries(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_export_permission(self, request):
        return request.user.has_perm("accounts.export_auditentry")

    def get_actions(self, request):
        # Django's "delete selected" needs a delete permission nobody has; the export needs export_auditentry.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("导出所选审计日志（CSV）"), permissions=["export"])
    def export_selected(self, request, queryset):
        return self.export_response(request, queryset, f"已选 {queryset.count()} 条")

    def export_response(self, request, queryset, scope):
        audit.record(audit.Action.AUDIT_EXPORT, request=request, detail=f"导出审计日志：{scope}")
        response = StreamingHttpResponse(export_rows(queryset.order_by("at", "id")), content_type="text/csv")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
        return response

    def get_urls(self):
        from django.urls import path

        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="accounts_auditentry_export",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request):
        """Everything the current list shows (its filters and search), as CSV."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return self.export_response(request, changelist.get_queryset(request), "按当前筛选条件全部导出")

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_export": self.has_export_permission(request)}
        return super().changelist_view(request, extra_context)


# --- security settings ---------------------------------------------------------------


@admin.register(SecurityPolicy)
class SecurityPolicyAdmin(admin.ModelAdmin):
    """安全设置: the policy in force (read from settings, changed by deployment) and the
    particulars kept here (the last 等保 assessment)."""

    fields = ("last_assessment_date", "assessment_note", "policy_values", "updated_at")
    readonly_fields = ("policy_values", "updated_at")

    def get_fields(self, request, obj=None):
        return self.fields if obj is not None else ("last_assessment_date", "assessment_note", "policy_values")

    @admin.display(description=_("当前安全策略（来自部署配置）"))
    def policy_values(self, obj):
        from django.utils.html import format_html, format_html_join

        rows = format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", policy_report.policy_values())
        return format_html('<table class="security-policy">{}</table>', rows)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SecurityPolicy.objects.filter(pk=1).exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # One row: go straight to it (or to the form that creates it).
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if SecurityPolicy.objects.filter(pk=1).exists():
            return HttpResponseRedirect(reverse("admin:accounts_securitypolicy_change", args=[1]))
        return HttpResponseRedirect(reverse("admin:accounts_securitypolicy_add"))


# Devices are managed through the account (two_factor.setup_view, the reset action above),
# not django-otp's own English device screens.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)
# The second factor on the login page (accounts/two_factor.py; templates/admin/login.html shows it).
admin.site.login_form = two_factor.OTPLoginForm
