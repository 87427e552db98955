"""Staff accounts in the admin: Django's UserAdmin, with the rules of
``accounts.roles`` on who may manage whose account (asked, not restated here)."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.urls import path
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles, two_factor
from accounts.passwords import require_change
from accounts.security_events import audit

User = get_user_model()

GROUP_REFUSED = "只能授予您自己拥有其全部权限的角色（用户组）；所选的组中有您不能授予的，请重新选择。"


class AccountAdmin(UserAdmin):
    actions = ("reset_two_factor",)

    @admin.action(description="重置所选账号的两步验证（手机丢失时；下次登录重新设置）", permissions=["change"])
    def reset_two_factor(self, request, queryset):
        done = []
        for user in queryset:
            if roles.may_manage_account(request.user, user) and two_factor.reset(user):
                done.append(user.get_username())
                audit("otp_reset", user=request.user.get_username(), target=user.get_username(), request=request)
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
            audit("account_created", user=request.user.get_username(), target=obj.get_username(), request=request)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            if user is not None and user.pk != request.user.pk:
                require_change(user)  # an administrator's reset: the owner sets their own at once
            audit(
                "password_reset", user=request.user.get_username(), target=user and user.get_username(), request=request
            )
        return response

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += roles.SUPERUSER_ONLY_ACCOUNT_FIELDS
        return fields

    def has_change_permission(self, request, obj=None):
        # Also guards the password page (UserAdmin.user_change_password asks this).
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or roles.may_manage_account(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or roles.may_manage_account(request.user, obj)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["queryset"] = roles.grantable_groups(request.user, Group.objects.all())
            kwargs.setdefault("error_messages", {})["invalid_choice"] = GROUP_REFUSED
        return super().formfield_for_manytomany(db_field, request, **kwargs)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
# Devices are managed through the account (two_factor.setup_view, the reset action above),
# not django-otp's own English device screens.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)
# The second factor on the login page (accounts/two_factor.py; templates/admin/login.html shows it).
admin.site.login_form = two_factor.OTPLoginForm
