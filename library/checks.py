"""System checks of the library's settings."""

from pathlib import Path

from django.conf import settings
from django.core import checks


def _inside(path, folder):
    try:
        Path(path).resolve().relative_to(Path(folder).resolve())
    except ValueError:
        return False
    return True


@checks.register(checks.Tags.security)
def check_export_directory(app_configs, **kwargs):
    """Export files are served by the export view only, with its limits: never by nginx or WhiteNoise."""
    folder = settings.LIBRARY_EXPORT_DIR
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        served = getattr(settings, name)
        if _inside(folder, served):
            return [
                checks.Error(
                    f"LIBRARY_EXPORT_DIR ({folder}) is inside {name} ({served}), which is served directly.",
                    hint="Keep the export files elsewhere, e.g. var/exports (the default).",
                    id="library.E001",
                )
            ]
    return []
