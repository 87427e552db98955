"""System check: export files are never where nginx or WhiteNoise serve files directly."""

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
def check_essay_export_directory(app_configs, **kwargs):
    """A withdrawn essay's Word/PDF must be unreachable: only the export views read ESSAY_EXPORT_DIR."""
    folder = settings.ESSAY_EXPORT_DIR
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        served = getattr(settings, name)
        if _inside(folder, served):
            return [
                checks.Error(
                    f"ESSAY_EXPORT_DIR ({folder}) is inside {name} ({served}), which is served directly.",
                    hint="Keep the export files elsewhere, e.g. var/essay-exports (the default).",
                    id="articles.E001",
                )
            ]
    return []
