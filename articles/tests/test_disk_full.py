"""A full disk under MEDIA_ROOT: a clear Chinese message, the record unchanged, no file left behind.

The disk is filled by :func:`disk_full`: every file opened for writing under
MEDIA_ROOT after the first ``allow`` takes a few bytes and then fails with
ENOSPC, exactly where Django's ``FileSystemStorage._save`` writes its chunks
(the 0-byte or half-written file is really created, as on a full tmpfs).
"""

import errno
import logging
import os
from pathlib import Path

import pytest
import reversion
from django.core.files.storage import default_storage
from django.core.files.storage import filesystem as filesystem_storage

from articles.editing import images, media
from articles.models import Article
from articles.tests.test_admin import (
    ADD,
    UPLOAD,
    article_data,
    change_url,
    cover_file,
    errors_of,
    staff_client,  # noqa: F401 - fixture
    upload_file,
)
from articles.tests.test_images import image_bytes

pytestmark = pytest.mark.django_db

NO_SPACE = "存储空间已满"


class _FillingFile:
    """A file object whose writes stop with ENOSPC once ``budget`` bytes are written."""

    def __init__(self, real, budget):
        self._real, self._budget = real, budget

    def write(self, data):
        if len(data) > self._budget:
            self._real.write(data[: self._budget])
            self._budget = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._budget -= len(data)
        return self._real.write(data)

    def __getattr__(self, name):
        return getattr(self._real, name)


@pytest.fixture
def disk_full(monkeypatch, settings):
    """``disk_full(allow=0, partial=100)``: files under MEDIA_ROOT after the first ``allow`` fail part-way."""

    def fill(allow=0, partial=100):
        real_fdopen = os.fdopen
        opened = []
        media = str(Path(settings.MEDIA_ROOT).resolve())

        def fdopen(fd, *args, **kwargs):
            handle = real_fdopen(fd, *args, **kwargs)
            path = os.readlink(f"/proc/self/fd/{fd}")
            if not path.startswith(media + os.sep):
                return handle
            opened.append(path)
            return handle if len(opened) <= allow else _FillingFile(handle, partial)

        monkeypatch.setattr(filesystem_storage.os, "fdopen", fdopen)
        return opened

    return fill


def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.fixture
def essay_with_cover(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            ADD, article_data(cover=cover_file(image_bytes("PNG", size=(800, 450)), "c.png"), cover_alt="封面")
        )
    assert response.status_code == 302, errors_of(response)
    return Article.objects.get()


def new_cover():
    return cover_file(image_bytes("JPEG", size=(1600, 900), color="blue"), "new.jpg")


def stored_state(article):
    row = Article.objects.filter(pk=article.pk).values().get()
    row.pop("updated_at")
    return row


# --- the cover on the admin change form --------------------------------------------


@pytest.mark.parametrize(
    "allow",
    [0, 1, 2],
    ids=["no-room-for-the-cover", "room-for-the-cover-not-the-thumbnail", "room-for-cover-and-thumbnail-not-banner"],
)
def test_a_full_disk_on_a_new_cover_reshows_the_form_and_leaves_no_file(
    admin_client, essay_with_cover, disk_full, settings, caplog, allow
):
    before, files_before = stored_state(essay_with_cover), media_files(settings)
    opened = disk_full(allow=allow)
    data = article_data(
        title="改过的标题", cover=new_cover(), cover_alt="新封面", lock_version=str(essay_with_cover.version)
    )
    with caplog.at_level(logging.ERROR):
        response = admin_client.post(change_url(essay_with_cover), data)
    assert len(opened) == allow + 1  # the failure really happened at the intended step
    assert response.status_code == 200
    (message,) = errors_of(response)["cover"]  # that one reason only: the picture itself was fine
    assert NO_SPACE in message
    page = response.content.decode()
    assert NO_SPACE in page and "改过的标题" in page  # the editor's text is still in the form
    assert stored_state(essay_with_cover) == before
    assert media_files(settings) == files_before
    assert any(record.levelno == logging.ERROR and "ENOSPC" in record.getMessage() for record in caplog.records)


def test_a_full_disk_on_a_new_essay_with_a_cover_creates_nothing(admin_client, disk_full, settings):
    disk_full(allow=1)
    response = admin_client.post(ADD, article_data(cover=new_cover(), cover_alt="封面"))
    assert response.status_code == 200
    (message,) = errors_of(response)["cover"]
    assert NO_SPACE in message
    assert not Article.objects.exists()
    assert media_files(settings) == []


def test_the_form_saves_once_the_disk_has_room_again(admin_client, essay_with_cover, disk_full, settings, monkeypatch):
    disk_full(allow=0)
    data = article_data(cover=new_cover(), cover_alt="新封面", lock_version=str(essay_with_cover.version))
    assert admin_client.post(change_url(essay_with_cover), data).status_code == 200
    monkeypatch.undo()
    data = article_data(cover=new_cover(), cover_alt="新封面", lock_version=str(essay_with_cover.version))
    response = admin_client.post(change_url(essay_with_cover), data)
    assert response.status_code == 302, errors_of(response)
    essay_with_cover.refresh_from_db()
    assert essay_with_cover.cover_alt == "新封面" and default_storage.exists(essay_with_cover.cover_banner.name)


def test_missing_renditions_on_a_full_disk_keep_the_text_change_and_warn(
    admin_client, essay_with_cover, disk_full, settings
):
    """The editor did not touch the cover: the text is saved, only the thumbnails wait (with a warning)."""
    Article.objects.filter(pk=essay_with_cover.pk).update(cover_thumbnail="", cover_banner="")
    essay_with_cover.refresh_from_db()
    files_before = media_files(settings)
    disk_full(allow=0)
    data = article_data(title="只改了标题", cover_alt="封面", lock_version=str(essay_with_cover.version))
    response = admin_client.post(change_url(essay_with_cover), data, follow=True)
    assert response.status_code == 200
    assert NO_SPACE in response.content.decode()
    essay_with_cover.refresh_from_db()
    assert essay_with_cover.title == "只改了标题" and not essay_with_cover.cover_thumbnail
    assert media_files(settings) == files_before


def test_make_cover_renditions_leaves_no_file_when_the_banner_fails(essay_with_cover, disk_full, settings):
    files_before = media_files(settings)
    thumbnail = essay_with_cover.cover_thumbnail.name
    disk_full(allow=1)  # the thumbnail fits, the banner does not
    with pytest.raises(media.StorageWriteError) as raised:
        images.make_cover_renditions(essay_with_cover)
    assert raised.value.disk_full and NO_SPACE in raised.value.message
    assert media_files(settings) == files_before
    essay_with_cover.refresh_from_db()
    assert essay_with_cover.cover_thumbnail.name == thumbnail


# --- the rich-text editor's image upload ----------------------------------------------


def test_a_full_disk_on_an_editor_upload_answers_json_507_and_leaves_no_file(staff_client, disk_full, settings, caplog):  # noqa: F811
    opened = disk_full(allow=0)
    with caplog.at_level(logging.ERROR):
        response = staff_client.post(UPLOAD, {"upload": upload_file(image_bytes("PNG"))})
    assert opened, "the upload never reached the disk"
    assert response.status_code == 507
    assert response["Content-Type"] == "application/json"
    assert NO_SPACE in response.json()["error"]["message"]
    assert media_files(settings) == []
    assert any(record.levelno == logging.ERROR for record in caplog.records)


def test_another_write_error_on_an_editor_upload_is_json_too(staff_client, monkeypatch, settings):  # noqa: F811
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(filesystem_storage.os, "fdopen", refuse)
    response = staff_client.post(UPLOAD, {"upload": upload_file(image_bytes("PNG"))})
    assert response.status_code == 503
    assert "图片没有保存" in response.json()["error"]["message"]
    assert media_files(settings) == []


def test_revisions_are_not_written_for_a_refused_save(admin_client, essay_with_cover, disk_full):
    count = reversion.models.Version.objects.get_for_object(essay_with_cover).count()
    disk_full(allow=0)
    data = article_data(cover=new_cover(), cover_alt="新封面", lock_version=str(essay_with_cover.version))
    admin_client.post(change_url(essay_with_cover), data)
    assert reversion.models.Version.objects.get_for_object(essay_with_cover).count() == count
