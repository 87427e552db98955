"""Files under MEDIA_ROOT that never outlive a failed write.

Django's ``FileSystemStorage`` leaves a 0-byte or half-written file behind
when the disk fills during a write, and raises a bare ``OSError`` that the
admin turns into the generic 500 page. :class:`MediaStorage` (the default
storage, ``settings.STORAGES``) removes what it had started to write, logs
one line at error level and raises :class:`StorageWriteError`, which carries
a Chinese message for the editor.

A save writes several files (a cover, then its thumbnail and banner): when a
later one fails, the earlier ones are orphans. :func:`discard_on_error`
records every file the media storages write inside it and deletes them if
the block raises, so a save refused for lack of space leaves MEDIA_ROOT as
it found it.
"""

import errno
import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.files.storage import FileSystemStorage

logger = logging.getLogger(__name__)

# Out of space, over quota, or a file larger than the file system allows:
# the operator has to make room, retrying will not help.
_NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})

# The (storage, name) list of the innermost discard_on_error block, if any.
_written = ContextVar("media_written", default=None)


class StorageWriteError(Exception):
    """A file could not be written under MEDIA_ROOT; nothing of it is left on disk.

    ``disk_full`` tells a full disk (or quota) from other failures;
    ``message`` says it in Chinese, for the page or the editor's dialog.
    """

    def __init__(self, name, error):
        self.name = name
        self.errno = error.errno
        self.disk_full = error.errno in _NO_SPACE
        if self.disk_full:
            self.message = "服务器存储空间已满，文件没有保存。"
        else:
            self.message = "服务器暂时无法写入文件，文件没有保存。"
        super().__init__(f"{name}: {error}")


class MediaStorage(FileSystemStorage):
    """``FileSystemStorage`` that removes a partly written file and raises :class:`StorageWriteError`."""

    def _save(self, name, content):
        try:
            name = super()._save(name, content)
        except FileExistsError:
            raise  # not ours to remove (a folder where a file should go, or a race on the name)
        except OSError as error:
            self._remove_partial(name)
            logger.error(
                "media: could not write %s (%s: %s); the partial file was removed",
                name,
                errno.errorcode.get(error.errno, error.errno),
                error.strerror,
            )
            raise StorageWriteError(name, error) from error
        written = _written.get()
        if written is not None:
            written.append((self, name))
        return name

    def _remove_partial(self, name):
        try:
            self.delete(name)
        except OSError:
            logger.exception("media: could not remove the partial file %s", name)


@contextmanager
def discard_on_error():
    """Delete the files media storages write inside the block if the block raises.

    Blocks nest: the files of an inner block that ends well belong to the
    outer block too, and go if the outer block fails later (for instance
    when its transaction is rolled back).
    """
    outer = _written.get()
    written = []
    token = _written.set(written)
    try:
        yield written
    except BaseException:
        for storage, name in reversed(written):
            try:
                storage.delete(name)
            except OSError:
                logger.exception("media: could not remove %s after a failed save", name)
        raise
    else:
        if outer is not None:
            outer.extend(written)
    finally:
        _written.reset(token)
