"""The library's exports are made once per page-cache generation and filter, kept on disk
outside anything served directly, streamed, and limited per client address and site-wide."""

import csv
import errno
import io
import logging
import os
from pathlib import Path

import pytest
from django.core import checks
from django.core.cache import cache

from articles.editing import workflow
from library import export, export_files
from library.regrouping import regroup
from library.tests.factories import ATTITUDE, ORGANIZATION, make_essay

pytestmark = pytest.mark.django_db

CSV = "/library/problems/export.csv"
XLSX = "/library/problems/export.xlsx"


@pytest.fixture(autouse=True)
def _data(settings, no_task_worker):
    settings.LIBRARY_EXPORT_RATE_LIMIT = 1000
    make_essay(problems=ATTITUDE[:2], author_org="海西州委组织部", title="关于基层党建的调研报告")
    make_essay(problems=[ORGANIZATION[0]], author_org="西宁市委", title="西宁市基层组织建设的思考")
    regroup()


def body(response):
    assert response.streaming, "an export is streamed, never built in memory"
    # Read to the end, the test client closes it (closing it again here would
    # close the test's database connection).
    return b"".join(response.streaming_content)


def stored(settings):
    folder = Path(settings.LIBRARY_EXPORT_DIR)
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_an_export_is_made_once_per_generation_and_filter(client, settings, monkeypatch):
    first = body(client.get(CSV))
    assert len(stored(settings)) == 1

    def must_not_run(*args, **kwargs):
        raise AssertionError("the file was made again")

    monkeypatch.setattr(export, "rows", must_not_run)
    assert body(client.get(CSV)) == first
    with pytest.raises(AssertionError, match="made again"):
        body(client.get(CSV, {"org": "西宁市委"}))  # another filter is another file


def test_the_canonical_filter_ignores_order_and_unrelated_parameters(client, settings):
    body(client.get(CSV, {"org": "西宁市委", "utm_source": "wechat"}))
    body(client.get(f"{CSV}?page=3&org=%E8%A5%BF%E5%AE%81%E5%B8%82%E5%A7%94"))
    assert len(stored(settings)) == 1


def test_a_withdrawal_makes_a_new_file_at_once_and_the_old_one_goes(client, settings, admin_user):
    from articles.models import Article

    assert "西宁市基层组织建设的思考" in body(client.get(CSV)).decode("utf-8-sig")
    before = stored(settings)
    workflow.unpublish(Article.objects.get(title="西宁市基层组织建设的思考"), admin_user)
    text = body(client.get(CSV)).decode("utf-8-sig")
    assert "西宁市基层组织建设的思考" not in text and "关于基层党建的调研报告" in text
    after = stored(settings)
    assert len(after) == 1 and after != before


def test_the_disk_used_is_bounded(client, settings):
    settings.LIBRARY_EXPORT_MAX_MB = 0  # keep only the newest file
    for org in ("", "西宁市委", "海西州委组织部"):
        body(client.get(CSV, {"org": org}))
        body(client.get(XLSX, {"org": org}))
    assert len(stored(settings)) == 1


def test_stale_temporary_files_are_cleaned_up(client, settings):
    folder = Path(settings.LIBRARY_EXPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    stale = folder / ".left-by-a-dead-worker.tmp"
    stale.write_bytes(b"x")
    os.utime(stale, (0, 0))
    body(client.get(CSV))
    assert not stale.exists()


@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"},
        {"org": "不存在的单位"},
        {"theme": "999999"},
        {"theme": "1e9"},
        {"theme": "99999999999999999999999"},
        {"topic": "../../etc/passwd"},
        {"sort": "\x00"},
    ],
    ids=["year", "org", "unknown-theme", "float-theme", "huge-theme", "topic", "sort"],
)
def test_invalid_filters_are_refused_in_chinese_and_make_no_file(client, settings, query):
    response = client.get(CSV, query)
    assert response.status_code == 400
    assert "筛选条件无效" in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    assert stored(settings) == []


def test_a_theme_of_the_other_library_is_refused(client, settings):
    from library.models import LibraryItem

    theme = LibraryItem.objects.get(heading=ATTITUDE[0]).theme
    assert client.get("/library/countermeasures/export.csv", {"theme": theme.pk}).status_code == 400
    rows = list(csv.reader(io.StringIO(body(client.get(CSV, {"theme": theme.pk})).decode("utf-8-sig"))))
    assert {row[0] for row in rows[1:]} == {theme.label}


def test_one_address_gets_a_few_exports_a_minute(client, settings):
    settings.LIBRARY_EXPORT_RATE_LIMIT = 2
    for _ in range(2):
        body(client.get(CSV, REMOTE_ADDR="198.51.100.7"))
    refused = client.get(CSV, REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "您的导出请求过于频繁" in refused.content.decode()
    assert "no-store" in refused["Cache-Control"]
    body(client.get(CSV, REMOTE_ADDR="198.51.100.8"))  # another reader is not held up


def test_when_every_slot_is_taken_a_new_file_waits_but_a_made_one_is_served(client, settings):
    settings.LIBRARY_EXPORT_CONCURRENCY = 1
    body(client.get(CSV))
    cache.add(f"{export_files.SLOT_KEY}0", "another request", 60)
    assert client.get(CSV).status_code == 200  # made already: no slot needed
    busy = client.get(XLSX)
    assert busy.status_code == 429
    assert busy["Retry-After"] == str(export_files.BUSY_RETRY_SECONDS)
    assert "正在生成" in busy.content.decode()
    cache.delete(f"{export_files.SLOT_KEY}0")
    assert client.get(XLSX).status_code == 200


def test_a_full_disk_is_a_503_in_chinese_and_gives_the_slot_back(client, settings, monkeypatch, caplog):
    settings.LIBRARY_EXPORT_CONCURRENCY = 1

    def fills_the_disk(items, path, **kwargs):
        Path(path).write_bytes(b"\xef\xbb\xbf" + b"x" * 100)  # part of the file, then no room
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(export, "write_csv", fills_the_disk)
    with caplog.at_level(logging.ERROR):
        response = client.get(CSV)
    assert response.status_code == 503
    assert "存储空间不足" in response.content.decode()
    assert response["Retry-After"] == "60"
    assert any(record.levelno == logging.ERROR for record in caplog.records)
    assert cache.get(f"{export_files.SLOT_KEY}0") is None
    assert stored(settings) == []  # not even the temporary file


def test_without_a_cache_generation_the_file_is_private_and_deleted(client, settings, monkeypatch):
    from config import pagecache

    monkeypatch.setattr(pagecache, "current_generation", lambda: None)
    text = body(client.get(CSV)).decode("utf-8-sig")
    assert "关于基层党建的调研报告" in text
    assert stored(settings) == []


def test_export_files_are_kept_out_of_what_is_served(settings, tmp_path):
    from library.checks import check_export_directory

    settings.LIBRARY_EXPORT_DIR = Path(settings.MEDIA_ROOT) / "exports"
    assert [error.id for error in check_export_directory(None)] == ["library.E001"]
    settings.LIBRARY_EXPORT_DIR = Path(settings.STATIC_ROOT)
    assert [error.id for error in check_export_directory(None)] == ["library.E001"]
    settings.LIBRARY_EXPORT_DIR = tmp_path / "exports"
    assert check_export_directory(None) == []
    assert check_export_directory in checks.registry.registry.get_checks()


# ---------------------------------------------------------------- behind nginx


@pytest.mark.django_db(transaction=True)
def test_behind_nginx_the_export_limit_is_per_real_client_address(request_from, settings):
    settings.LIBRARY_EXPORT_RATE_LIMIT = 2
    statuses = [
        request_from("127.0.0.5", "GET", CSV, headers={"X-Forwarded-For": f"203.0.113.{n}"})[0] for n in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert request_from("127.0.0.6", "GET", CSV)[0] == 200
