"""Staff accounts in the admin: Django's UserAdmin, with the rules of
``accounts.roles`` on who may manage whose account (asked, not restated here)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group

from accounts import roles

User = get_user_model()

GROUP_REFUSED = "只能授予您自己拥有其全部权限的角色（用户组）；所选的组中有您不能授予的，请重新选择。"


class AccountAdmin(UserAdmin):
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
