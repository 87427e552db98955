"""The site's own error pages: handler403/404/500 in config/urls.py and
CSRF_FAILURE_VIEW. The admin and the reading site share them, so a person
never meets Django's bare English pages.

403 and the CSRF failure are standalone like the 500 page (error_base.html:
no database, no context processors); they only add a link back to the admin
when the refused address is in it.
"""

from django.conf import settings
from django.http import HttpResponseForbidden, HttpResponseServerError
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    """A standalone page: no database, no context processors, nothing that can fail again."""
    return HttpResponseServerError(loader.get_template("500.html").render())


def _in_admin(request):
    return request.path_info.startswith("/" + settings.ADMIN_URL)


@requires_csrf_token
def permission_denied(request, exception):
    """403: the user is known but may not do this (e.g. an editor opening the 回收站)."""
    context = {"in_admin": _in_admin(request)}
    return HttpResponseForbidden(loader.get_template("403.html").render(context))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form posted without a valid token (an expired page,
    cookies blocked, a form kept open across a sign-out)."""
    context = {
        "in_admin": _in_admin(request),
        "no_cookie": reason == REASON_NO_CSRF_COOKIE,
        # Back to the form that was posted (same site: only the path is used).
        "back_url": request.path if request.method == "POST" else "",
    }
    return HttpResponseForbidden(loader.get_template("403_csrf.html").render(context))
