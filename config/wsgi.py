"""WSGI entry point for gunicorn: ``gunicorn config.wsgi``."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Fail at start, not at the first request that signs a cookie: the settings
# load without a key so that offline management commands run anywhere.
try:
    settings.SECRET_KEY  # noqa: B018 - reading it raises when it is missing
except ImproperlyConfigured:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for development).") from None

application = get_wsgi_application()
