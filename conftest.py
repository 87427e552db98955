"""Project-wide test set-up: fast hashing, isolated media, and a clear
message when the PostgreSQL run has no server to talk to."""

import shutil

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


def pytest_configure(config):
    # WhiteNoise warns on every request when STATIC_ROOT is missing; tests
    # serve no collected static files, an empty folder is enough.
    from pathlib import Path

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: cached site settings, view
    counters and rate limits must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
