"""Two-factor login for staff: TOTP (an authenticator app) with django-otp, and
ten single-use recovery codes (django-otp's static device).

* The admin's login form asks for the 动态验证码 beside the password; an
  account with a confirmed device cannot sign in without a valid code (a
  wrong code counts as a failed login for django-axes' lockout).
* ``OTP_REQUIRED_GROUPS`` lists the roles that must have a device (管理员 and
  the three security administrators by default; absent groups are ignored);
  for everyone else it is optional, set up on the same page.
* The set-up page (:func:`setup_view`, under 账号 › 两步验证) shows the QR code
  (segno, as the reading site's share codes) and the key in text; the first
  valid code confirms the device and shows the recovery codes once.

django-two-factor-auth was not taken: its wizard pulls in django-formtools
and phone-number libraries for SMS and calls the portal does not use; the
login form and the set-up page here are about 150 lines on django-otp's own
models.
"""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.security_events import audit

SETUP_URL_NAME = "auth_user_two_factor"
RECOVERY_CODES = 10
DEVICE_NAME = "验证器应用"


def has_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def is_required(user) -> bool:
    """Whether ``user`` must have a second factor: a member of one of ``OTP_REQUIRED_GROUPS``, or a superuser."""
    required = settings.OTP_REQUIRED_GROUPS
    if not required:
        return False
    return user.is_superuser or user.groups.filter(name__in=required).exists()


def reset(user) -> bool:
    """Remove every second factor of ``user`` (a lost phone): they set one up again at the next login."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
    return bool(removed)


def verify(user, token):
    """The device of ``user`` that accepts ``token`` (TOTP or a recovery code), or None.

    Each device's own throttling (django-otp: growing delays after failures) applies.
    """
    token = "".join((token or "").split())
    if not token or len(token) > 16:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, for_verify=True):
            allowed, _info = device.verify_is_allowed()
            if allowed and device.verify_token(token):
                return device
    return None


class OTPLoginForm(AdminAuthenticationForm):
    """The admin's login form with the 动态验证码, required of accounts that have a device."""

    otp_token = forms.CharField(
        label=gettext_lazy("动态验证码"),
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=gettext_lazy("已启用两步验证的账号：验证器应用中的 6 位数字，或一个恢复码。"),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and has_device(user):
            device = verify(user, cleaned.get("otp_token"))
            if device is None:
                audit("otp_failed", user=user.get_username(), request=self.request)
                # django-axes counts it as a failed login (lockout per name and address).
                user_login_failed.send(
                    sender=__name__, credentials={"username": user.get_username()}, request=self.request
                )
                raise ValidationError(_("动态验证码不正确或已过期，请输入验证器应用中当前的 6 位数字。"), code="otp")
            user.otp_device = device  # django_otp stores it in the session at login
            if isinstance(device, StaticDevice):
                audit("otp_recovery_code_used", user=user.get_username(), request=self.request)
        return cleaned


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("动态验证码"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _qr_svg(url):
    return segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def _new_recovery_codes(user):
    device, _created = StaticDevice.objects.get_or_create(user=user, name="恢复码", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def setup_view(model_admin, request):
    """两步验证: set up the authenticator app, or (once set up) renew the recovery codes or switch it off."""
    user = request.user
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("两步验证"),
        "required": is_required(user),
        "recovery_codes": None,
    }
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed is not None:
        if request.method == "POST" and request.POST.get("action") == "recovery":
            context["recovery_codes"] = _new_recovery_codes(user)
            audit("otp_recovery_codes_renewed", user=user.get_username(), request=request)
        elif request.method == "POST" and request.POST.get("action") == "disable" and not context["required"]:
            TOTPDevice.objects.filter(user=user).delete()
            StaticDevice.objects.filter(user=user).delete()
            audit("otp_disabled", user=user.get_username(), request=request)
            messages.success(request, _("已关闭两步验证。"))
            return redirect("admin:" + SETUP_URL_NAME)
        context["enabled"] = True
        return TemplateResponse(request, "admin/accounts/two_factor.html", context)

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token("".join(form.cleaned_data["token"].split())):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            context["recovery_codes"] = _new_recovery_codes(user)
            context["enabled"] = True
            audit("otp_enabled", user=user.get_username(), request=request)
            messages.success(request, _("两步验证已启用。以后登录时须输入验证器应用中的动态验证码。"))
            return TemplateResponse(request, "admin/accounts/two_factor.html", context)
        audit("otp_setup_failed", user=user.get_username(), request=request)
        form.add_error("token", _("验证码不正确：请确认手机时间准确，并输入应用中当前显示的 6 位数字。"))
    context.update(
        {
            "enabled": False,
            "form": form,
            # The otpauth:// address (issuer: OTP_TOTP_ISSUER) as a QR code, and its key to type in.
            "qr_svg": _qr_svg(device.config_url),
            "secret": b32encode(device.bin_key).decode(),
        }
    )
    return TemplateResponse(request, "admin/accounts/two_factor.html", context)
