"""System check: export files are never where nginx or WhiteNoise serve files directly."""

from django.core import checks

from config.checks import unserved_folder_errors


@checks.register(checks.Tags.security)
def check_essay_export_directory(app_configs, **kwargs):
    """A withdrawn essay's Word/PDF must be unreachable: only the export views read ESSAY_EXPORT_DIR."""
    return unserved_folder_errors("ESSAY_EXPORT_DIR", default="var/essay-exports", check_id="articles.E001")
