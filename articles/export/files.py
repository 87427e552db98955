"""Where export files are kept: ``ESSAY_EXPORT_DIR``, outside anything served directly.

An essay's file is named by (essay id, essay version, layout version):
every save of an essay -- a withdrawal included -- bumps its version, so a
file is never taken for a later state of the essay, and a new layout makes
new files. Nothing but the export views reads this folder, and they check
publication first on every request (``articles.export.views``); files of
earlier versions are deleted when the essay changes (:func:`forget`).

Files are written under a temporary name and renamed: a reader never gets
half a file, and two workers making the same file at once both succeed.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from django.conf import settings

from articles.export.version import LAYOUT_VERSION

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def directory() -> Path:
    path = Path(settings.ESSAY_EXPORT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def essay_file(article_id: int, version: int, fmt: str) -> Path:
    return directory() / f"essay-{int(article_id)}-v{int(version)}-l{LAYOUT_VERSION}.{fmt}"


def compilation_file(compilation_id: int, fmt: str) -> Path:
    return directory() / f"compilation-{int(compilation_id)}-{uuid.uuid4().hex[:12]}.{fmt}"


def write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary name, then rename)."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def forget(essay_ids) -> int:
    """Delete every stored file of the essays ``essay_ids`` (they changed); returns how many."""
    prefixes = tuple(f"essay-{int(pk)}-" for pk in essay_ids)
    if not prefixes or not Path(settings.ESSAY_EXPORT_DIR).is_dir():
        return 0
    removed = 0
    for entry in os.scandir(settings.ESSAY_EXPORT_DIR):
        if entry.name.startswith(prefixes):
            try:
                os.unlink(entry.path)
                removed += 1
            except FileNotFoundError:
                pass
    return removed


def essays_changed(sender=None, essay_ids=(), **kwargs):
    """``events.essay_changed`` subscriber: the files of earlier versions go."""
    forget(essay_ids)
