"""System checks of the library's settings."""

from django.core import checks

from config.checks import unserved_folder_errors


@checks.register(checks.Tags.security)
def check_export_directory(app_configs, **kwargs):
    """Export files are served by the export view only, with its limits: never by nginx or WhiteNoise."""
    return unserved_folder_errors("LIBRARY_EXPORT_DIR", default="var/exports", check_id="library.E001")
