"""Staff access by network (互联网政务应用安全管理规定 Art. 19): the admin and the
staff preview exist only for client addresses inside ``ADMIN_ALLOWED_NETWORKS``.

Everyone else gets the site's ordinary 404, as if there were nothing there:
no login form to try passwords on, nothing that says the admin lives here.
The address is the real client's behind the proxy
(:func:`config.client_address.client_address`, ``TRUSTED_PROXIES``), never
nginx's. The shipped nginx applies the same list in front
(``deploy/nginx/staff-networks.conf``), so a refused address does not even
reach the app; this middleware is the rule that holds without that file.
"""

from django.conf import settings
from django.http import Http404
from django.urls import reverse

from config.client_address import address_in, client_address, networks_of


def staff_path_prefixes():
    """The paths only staff use: the admin (``ADMIN_URL``) and the essay preview (``/preview/``)."""
    preview = reverse("articles:preview", args=[0])
    return ("/" + settings.ADMIN_URL, preview[: preview.rindex("0/")])


def is_staff_path(request) -> bool:
    return request.path_info.startswith(staff_path_prefixes())


def allowed(request) -> bool:
    """Whether the request's client may reach the staff paths (always, with an empty list)."""
    if not settings.ADMIN_ALLOWED_NETWORKS:
        return True
    return address_in(client_address(request), networks_of(tuple(settings.ADMIN_ALLOWED_NETWORKS)))


class StaffNetworkMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.ADMIN_ALLOWED_NETWORKS and is_staff_path(request) and not allowed(request):
            raise Http404("没有这个页面。")
        return self.get_response(request)
