"""The product's own 404 and 500 pages under ``DEBUG`` too.

With ``DEBUG`` on, Django answers an unknown address with its English
technical 404 (which lists every URL pattern) and an error with the
technical 500: not what someone trying the portal with ``make run`` should
see. :class:`ProductErrorPagesMiddleware` shows the pages readers get
(``handler404``/``handler500`` in ``config/urls.py``) instead; the
traceback of a 500 still goes to the log (the ``runserver`` console).

``DEBUG_TECHNICAL_PAGES=1`` brings Django's technical pages back for a
developer who wants them. Without ``DEBUG`` the middleware does nothing:
Django already uses the handlers.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import Resolver404, get_resolver, resolve

logger = logging.getLogger("django.request")


def _active():
    return settings.DEBUG and not getattr(settings, "DEBUG_TECHNICAL_PAGES", False)


class ProductErrorPagesMiddleware:
    """Last in ``MIDDLEWARE`` but before axes: CommonMiddleware still sees the 404 (APPEND_SLASH)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _active():
            # An address no pattern matches never reaches a view (nor
            # process_exception): Django turns it into the technical 404 itself.
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404 as exception:
                return self._handler(request, 404)(request, exception)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not _active() or isinstance(exception, PermissionDenied):
            return None  # Django's 403 is the same with and without DEBUG
        if isinstance(exception, Http404):
            return self._handler(request, 404)(request, exception)
        logger.error("Internal Server Error: %s", request.path, exc_info=exception, extra={"request": request})
        return self._handler(request, 500)(request)

    @staticmethod
    def _handler(request, status):
        return get_resolver(getattr(request, "urlconf", None)).resolve_error_handler(status)
