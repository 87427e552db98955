"""What a signed-in staff member must do before the admin opens, checked on every
request to the staff paths (the admin and the preview, ``accounts.network``):

* :class:`IdleTimeoutMiddleware` — a session unused for
  ``SESSION_IDLE_TIMEOUT_MINUTES`` is logged out (any page, staff or not);
  ``static/admin-extra/session-timeout.js`` warns in the admin before it
  happens. The edit page's presence heartbeat does not count as use.
* :class:`TwoFactorMiddleware` — an account that must have a second factor
  (``OTP_REQUIRED_GROUPS``) and has none can only reach the set-up page; an
  account with a second factor whose session did not pass it is logged out.
* :class:`PasswordChangeMiddleware` — a new account, a password reset by an
  administrator or an expired password (``PASSWORD_MAX_AGE_DAYS``) leads to
  the password change page and nowhere else.

django-session-security was not taken for the idle logout: its template
includes an inline script, which the admin's Content-Security-Policy refuses.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import two_factor
from accounts.network import is_staff_path
from accounts.passwords import must_change_password

LAST_ACTIVITY = "_last_activity"
ACTIVITY_RESOLUTION = 30  # seconds
# Requests a page makes by itself: they do not keep an idle session alive.
PASSIVE_URL_NAMES = frozenset({"articles_article_presence"})
# What a user who must do something first may still open.
ALWAYS_ALLOWED_URL_NAMES = frozenset({"logout", "jsi18n", "login"})


def _url_name(request):
    match = getattr(request, "resolver_match", None)
    return match.url_name if match else None


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        timeout = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
        if timeout <= 0 or not request.user.is_authenticated:
            return None
        now = time.time()
        last = request.session.get(LAST_ACTIVITY)
        if last is not None and now - last > timeout:
            logout(request)
            if is_staff_path(request):
                messages.warning(
                    request,
                    _("您已 %(minutes)d 分钟未操作，为安全起见已自动退出，请重新登录。")
                    % {"minutes": settings.SESSION_IDLE_TIMEOUT_MINUTES},
                )
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            return None
        # Written at most every ACTIVITY_RESOLUTION seconds: not one session save per request.
        if _url_name(request) not in PASSIVE_URL_NAMES and (last is None or now - last >= ACTIVITY_RESOLUTION):
            request.session[LAST_ACTIVITY] = now
        return None


class _StaffPageGate:
    """A middleware that may send a signed-in staff member elsewhere before an admin or preview view
    runs (:meth:`redirect`); pages in ALWAYS_ALLOWED_URL_NAMES always open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_staff and is_staff_path(request)):
            return None
        name = _url_name(request)
        if name in ALWAYS_ALLOWED_URL_NAMES:
            return None
        return self.redirect(request, user, name)

    def redirect(self, request, user, name):
        raise NotImplementedError


class TwoFactorMiddleware(_StaffPageGate):
    def redirect(self, request, user, name):
        if two_factor.has_device(user):
            if not user.is_verified():
                # A session from before the second factor was set up, or opened without it.
                logout(request)
                messages.warning(request, _("请使用密码和动态验证码重新登录。"))
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            return None
        if two_factor.is_required(user) and name != two_factor.SETUP_URL_NAME:
            messages.warning(request, _("您的账号须启用两步验证：请先用验证器应用扫描二维码完成设置。"))
            return redirect("admin:" + two_factor.SETUP_URL_NAME)
        return None


class PasswordChangeMiddleware(_StaffPageGate):
    def redirect(self, request, user, name):
        if name in {"password_change", "password_change_done", two_factor.SETUP_URL_NAME}:
            return None
        reason = must_change_password(user)
        if reason:
            messages.warning(request, reason)
            return redirect("admin:password_change")
        return None
