"""System checks of the portal's own settings (``manage.py check``, ``check --deploy``).

Settings that are read once at start-up and refuse a wrong value there
(``TRUSTED_PROXIES``) are checked again here, because a settings module or
a test may replace them after that.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from config.client_address import parse_trusted_proxies

# Settings of earlier versions that nothing reads any more: set, they would
# give a false sense of being configured.
RETIRED = {
    "AXES_PROXY_COUNT": "The client's address now comes from TRUSTED_PROXIES, the list of the reverse "
    "proxies in front of the portal (default: nginx on this host). Remove AXES_PROXY_COUNT.",
}


@checks.register(checks.Tags.security)
def check_client_address_settings(app_configs, **kwargs):
    problems = []
    try:
        parse_trusted_proxies(settings.TRUSTED_PROXIES)
    except ImproperlyConfigured as error:
        problems.append(checks.Error(str(error), id="config.E001"))
    for name, hint in RETIRED.items():
        if os.environ.get(name):
            problems.append(checks.Warning(f"{name} is set but no longer read.", hint=hint, id="config.W001"))
    return problems


@checks.register()
def check_compiled_messages(app_configs, **kwargs):
    """The project's wording (locale/*.po) only shows once compiled: `make setup`
    does it; a deployment that skips it falls back to Django's wording silently."""
    stale = []
    for path in getattr(settings, "LOCALE_PATHS", []):
        for po in sorted(Path(path).glob("*/LC_MESSAGES/*.po")):
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                stale.append(str(po))
    if not stale:
        return []
    return [
        checks.Warning(
            "Translations not compiled (or older than their .po): " + ", ".join(stale),
            hint="Run `make setup` or `python -m config.messages`.",
            id="config.W002",
        )
    ]


def _inside(path, folder):
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
    except ValueError:
        return False
    return True


def unserved_folder_errors(setting, *, default, check_id):
    """The error when the folder of ``setting`` (files only a view may hand out, after its checks) lies
    inside MEDIA_ROOT or STATIC_ROOT, which nginx and WhiteNoise serve directly, bypassing those checks."""
    folder = getattr(settings, setting)
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        served = getattr(settings, name)
        if _inside(folder, served):
            return [
                checks.Error(
                    f"{setting} ({folder}) is inside {name} ({served}), which is served directly.",
                    hint=f"Keep these files elsewhere, e.g. {default} (the default).",
                    id=check_id,
                )
            ]
    return []
