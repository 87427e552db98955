"""Archiving the audit log: a year kept, older entries to a signed gzip file that is verified
before they are pruned; on PostgreSQL the pruning is the one DELETE the trigger lets through."""

import datetime as dt
import gzip
import json

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts import archive, audit
from accounts.models import AuditEntry

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)


def entry_at(when, **fields):
    with time_machine.travel(when, tick=False):
        return audit.record(fields.pop("action", audit.Action.LOGIN), **fields)


@pytest.fixture
def history():
    old = [entry_at(TODAY - dt.timedelta(days=500 - i), username=f"old{i}", detail="旧记录") for i in range(3)]
    kept = entry_at(TODAY - dt.timedelta(days=300), username="recent")
    return old, kept


def test_archiving_writes_a_signed_file_verifies_it_and_prunes_only_what_it_wrote(tmp_path, history):
    old, kept = history
    before = (TODAY - dt.timedelta(days=400)).date()
    with time_machine.travel(TODAY, tick=False):
        call_command("archive_audit_log", "--before", before.isoformat(), "--out", str(tmp_path))
    [path] = tmp_path.glob("*.jsonl.gz")
    rows = [json.loads(line) for line in gzip.decompress(path.read_bytes()).decode().splitlines()]
    assert [row["username"] for row in rows] == ["old0", "old1", "old2"]
    assert rows[0]["detail"] == "旧记录" and rows[0]["action"] == "login"
    signature = json.loads(path.with_name(path.name + ".sig").read_text())
    assert signature["entries"] == 3 and len(signature["hmac_sha256"]) == 64
    assert not AuditEntry.objects.filter(pk__in=[entry.pk for entry in old]).exists()
    assert AuditEntry.objects.filter(pk=kept.pk).exists()
    # the archiving is itself an entry
    done = AuditEntry.objects.get(action=audit.Action.AUDIT_ARCHIVE)
    assert "3 条" in done.detail and path.name in done.detail
    assert archive.verify(path) == 3


def test_anything_younger_than_a_year_is_refused_whatever_the_setting(tmp_path, history, settings):
    settings.AUDIT_RETENTION_DAYS = 30  # never less than 365
    before = (TODAY - dt.timedelta(days=200)).date()
    with time_machine.travel(TODAY, tick=False), pytest.raises(CommandError, match="至少 365 天"):
        call_command("archive_audit_log", "--before", before.isoformat(), "--out", str(tmp_path))
    assert AuditEntry.objects.filter(username__startswith="old").count() == 3
    assert not list(tmp_path.iterdir())


def test_a_longer_retention_setting_is_honoured(tmp_path, history, settings):
    settings.AUDIT_RETENTION_DAYS = 600
    with time_machine.travel(TODAY, tick=False), pytest.raises(CommandError, match="至少 600 天"):
        call_command("archive_audit_log", "--before", "2025-07-01", "--out", str(tmp_path))


def test_a_malformed_date_is_a_message(tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("archive_audit_log", "--before", "2025-13-45'; DROP TABLE", "--out", str(tmp_path))


def test_a_tampered_archive_fails_verification(tmp_path, history):
    with time_machine.travel(TODAY, tick=False):
        result = archive.archive((TODAY - dt.timedelta(days=400)).date(), tmp_path)
    call_command("verify_audit_archive", str(result.path))  # passes
    rows = gzip.decompress(result.path.read_bytes()).decode().replace("old1", "nobody")
    result.path.write_bytes(gzip.compress(rows.encode()))
    with pytest.raises(CommandError, match="签名不符"):
        call_command("verify_audit_archive", str(result.path) + ".sig")


def test_another_key_does_not_verify(tmp_path, history, settings):
    with time_machine.travel(TODAY, tick=False):
        result = archive.archive((TODAY - dt.timedelta(days=400)).date(), tmp_path)
    settings.AUDIT_ARCHIVE_KEY = "a-key-of-its-own"
    with pytest.raises(archive.ArchiveError, match="签名不符"):
        archive.verify(result.path)


def test_nothing_old_enough_writes_nothing(tmp_path):
    entry_at(TODAY - dt.timedelta(days=10))
    with time_machine.travel(TODAY, tick=False):
        assert archive.archive((TODAY - dt.timedelta(days=400)).date(), tmp_path).entries == 0
    assert not list(tmp_path.iterdir())


def test_on_postgresql_the_prune_setting_lasts_only_for_the_archiving_transaction(tmp_path, history):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    with time_machine.travel(TODAY, tick=False):
        archive.archive((TODAY - dt.timedelta(days=400)).date(), tmp_path)
    _old, kept = history
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=kept.pk).delete()
    assert AuditEntry.objects.filter(pk=kept.pk).exists()
    assert timezone.now()  # the connection is still usable
