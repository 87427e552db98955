"""网站信息 in the admin: one row, edited in place, no list, no deleting."""

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponseRedirect
from django.urls import reverse

from articles.editing import images
from siteinfo.models import SiteSettings


class SiteSettingsForm(forms.ModelForm):
    police_link = forms.URLField(
        label="公安备案链接",
        required=False,
        assume_scheme="https",
        help_text=SiteSettings._meta.get_field("police_link").help_text,
    )

    class Meta:
        model = SiteSettings
        fields = "__all__"

    def clean_emblem(self):
        emblem = self.cleaned_data.get("emblem")
        # Same checks as covers: decoded in full, re-encoded, random name.
        if isinstance(emblem, UploadedFile):
            return images.clean_upload(emblem)
        return emblem


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    form = SiteSettingsForm
    fieldsets = (
        ("主办与联系", {"fields": ("organizer", "emblem", "contact_address", "contact_phone", "contact_email")}),
        ("备案与标识", {"fields": ("icp_number", "police_number", "police_link", "site_id_code")}),
    )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SiteSettings.objects.filter(pk=1).exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # There is only one row: go straight to it (or to the form that creates it).
        if SiteSettings.objects.filter(pk=1).exists():
            return HttpResponseRedirect(reverse("admin:siteinfo_sitesettings_change", args=[1]))
        return HttpResponseRedirect(reverse("admin:siteinfo_sitesettings_add"))
