"""Request-level security that Django does not ship: which Content-Security-Policy
a page gets, the Permissions-Policy header, and django-axes' login throttling
adapted to hostile input and to calls that carry no request.

The policies themselves live in settings (``CONTENT_SECURITY_POLICY``,
``CONTENT_SECURITY_POLICY_ADMIN``, ``PERMISSIONS_POLICY``); this module only
decides which one applies.
"""

from axes.backends import AxesStandaloneBackend
from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings


def is_admin_path(request) -> bool:
    return request.path_info.startswith("/" + settings.ADMIN_URL)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's policy under ``ADMIN_URL``.

    The reading site runs under a strict policy (no inline script, no inline
    style). The admin needs inline styles for CKEditor 5 and the Django admin
    widgets, and ``blob:``/``data:`` images for pasted pictures, so it gets
    ``CONTENT_SECURITY_POLICY_ADMIN`` instead; its scripts are still only
    files from this site. A view decorated with ``csp_replace``/``csp_update``
    still has the last word.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and is_admin_path(request):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        return parts


class PermissionsPolicyMiddleware:
    """Send ``Permissions-Policy`` built from ``settings.PERMISSIONS_POLICY``.

    ``{"camera": [], "fullscreen": ["self"]}`` becomes
    ``camera=(), fullscreen=(self)``. A response that already carries the
    header keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})" for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response


class StoredHeadersMiddleware:
    """Replace NUL in the request headers django-axes writes to the database.

    Every login, failed login and logout stores the User-Agent and Accept
    headers; PostgreSQL text cannot hold NUL, so a header carrying one made
    the login page answer 500.
    """

    HEADERS = ("HTTP_USER_AGENT", "HTTP_ACCEPT")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key in self.HEADERS:
            value = request.META.get(key)
            if value and "\x00" in value:
                request.META[key] = value.replace("\x00", "\ufffd")
        return self.get_response(request)


def axes_username(request, credentials=None):
    """The user name django-axes records and locks out (``AXES_USERNAME_CALLABLE``).

    Django's login form does not enforce the user name's length before
    authenticating, and axes stores the name in a 255-character column:
    a longer name made PostgreSQL refuse the row (a 500). Cut it, and
    replace NUL, which PostgreSQL text cannot hold.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "data", request.POST).get(field)
    if username is None:
        return None
    return str(username).replace("\x00", "\ufffd")[:255]


class AxesBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first in ``AUTHENTICATION_BACKENDS``.

    Upstream raises when ``authenticate()`` is called without a request.
    Every web login here passes one (the admin login form does); calls
    without one come from the shell, management commands or the test
    client's ``login()``, where there is no client address to throttle, so
    they go on to the next backend unchecked instead of crashing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
