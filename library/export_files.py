"""Where the library's export files are made and kept, and how many are made at once.

An export of the whole 问题库 at 100,000 items took 15 s (.xlsx) and built
20 MB in memory (.csv) on every request, for anyone: a few parallel
downloads saturated the machine. Now:

* a file is made once per page-cache generation and canonical filter
  (:func:`cached_file`); every change of the site -- a withdrawal included --
  starts a new generation, so the next request makes a new file, and a
  file is never served after the change it predates;
* files live in ``LIBRARY_EXPORT_DIR``, outside ``MEDIA_ROOT`` and
  ``STATIC_ROOT`` (a system check insists), so nothing serves them but the
  export view; files of earlier generations are deleted when a new file is
  made, and the oldest beyond ``LIBRARY_EXPORT_MAX_MB`` too;
* at most ``LIBRARY_EXPORT_CONCURRENCY`` files are made at once on the whole
  site (:func:`making_slot`, a semaphore of ``cache.add`` keys in the shared
  cache; a per-process one when the cache is unavailable); a request that
  finds every slot taken gets :class:`Busy`;
* the response streams the file from disk (``FileResponse``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from config import pagecache

logger = logging.getLogger(__name__)

SLOT_KEY = "library:export:slot:"
# A slot is given back when its file is made; if the process dies first, it
# expires by itself after this long (far more than the largest export takes).
SLOT_SECONDS = 5 * 60
# Half-written files of a process that died are removed after this long.
TEMPORARY_SECONDS = 60 * 60
# What a request that finds every slot taken is told to wait.
BUSY_RETRY_SECONDS = 15

_local_slots = {}
_local_lock = threading.Lock()


class Busy(Exception):
    """Every slot for making a file is taken; try again in :data:`BUSY_RETRY_SECONDS`."""


def directory():
    path = Path(settings.LIBRARY_EXPORT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _digest(value):
    return hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def file_name(generation, key):
    """``<generation>-<filter>.<fmt>``: both hashed, so any token or filter value makes a safe name."""
    return f"{_digest(generation)[:16]}-{_digest(json.dumps(key, sort_keys=True, ensure_ascii=False))}.{key['format']}"


def cached_file(key, make):
    """An open binary file of the export described by ``key`` (a dict of its canonical filter,
    format and site address), made by ``make(path)`` if this generation has none yet.

    Raises :class:`Busy` when the file must be made and every slot is taken.
    """
    generation = pagecache.current_generation()
    if generation is None:
        # No shared cache: no generation to key a stored file on. Make a
        # private file, deleted when the response closes it.
        with making_slot(shared=False):
            path = directory() / f".private-{uuid.uuid4().hex}.tmp"
            try:
                make(path)
                return open(path, "rb")
            finally:
                path.unlink(missing_ok=True)  # the open file stays readable until closed
    path = directory() / file_name(generation, key)
    handle = _open(path)
    if handle is not None:
        return handle
    with making_slot():
        handle = _open(path)  # made by another request while this one waited for a slot
        if handle is None:
            _make(path, make)
            clean_up(keep=path, generation=_digest(generation)[:16])
            handle = _open(path)
    return handle


def _open(path):
    try:
        return open(path, "rb")
    except FileNotFoundError:
        return None


def _make(path, make):
    """Write the file under a temporary name, then rename it: a reader never sees half a file."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        make(temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def clean_up(*, keep, generation):
    """Delete files of earlier generations, stale temporary files, then the oldest beyond the size bound."""
    now = time.time()
    files = []
    for entry in os.scandir(directory()):
        if not entry.is_file():
            continue
        try:
            stat = entry.stat()
        except FileNotFoundError:
            continue  # deleted by another process meanwhile
        if entry.name.startswith("."):
            if now - stat.st_mtime > TEMPORARY_SECONDS:
                _remove(entry.path)
        elif not entry.name.startswith(generation + "-"):
            _remove(entry.path)  # an open download keeps reading it: the data goes when it closes
        elif entry.path != str(keep):
            files.append((stat.st_mtime, stat.st_size, entry.path))
    budget = settings.LIBRARY_EXPORT_MAX_MB * 2**20 - _size(keep)
    for _, size, path in sorted(files, reverse=True):
        budget -= size
        if budget < 0:
            _remove(path)


def _size(path):
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return 0


def _remove(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


@contextmanager
def making_slot(shared=True):
    """Hold one of the ``LIBRARY_EXPORT_CONCURRENCY`` slots while a file is made; :class:`Busy` if none is free."""
    slots = max(1, settings.LIBRARY_EXPORT_CONCURRENCY)
    token = uuid.uuid4().hex
    taken = None
    for number in range(slots):
        if shared:
            if cache.add(f"{SLOT_KEY}{number}", token, SLOT_SECONDS):
                taken = number
                break
        else:
            with _local_lock:
                if number not in _local_slots:
                    _local_slots[number] = token
                    taken = number
                    break
    if taken is None:
        raise Busy
    try:
        yield
    finally:
        if shared:
            # Only our own slot: after SLOT_SECONDS it may be another request's.
            if cache.get(f"{SLOT_KEY}{taken}") == token:
                cache.delete(f"{SLOT_KEY}{taken}")
        else:
            with _local_lock:
                _local_slots.pop(taken, None)
