"""Template context for the admin's idle-logout warning (templates/admin/base_site.html)."""

from django.conf import settings


def session_policy(request):
    timeout = int(settings.SESSION_IDLE_TIMEOUT_MINUTES * 60)
    return {
        "session_idle_timeout_seconds": timeout,
        "session_idle_warning_seconds": min(settings.SESSION_IDLE_WARNING_SECONDS, timeout),
    }
