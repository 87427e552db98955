"""Archiving the audit log: older entries to signed, compressed files, then pruned.

``archive(before, out_dir)`` writes every entry older than ``before`` (a date,
local time) to ``audit-<before>-<first id>-<last id>.jsonl.gz`` — one JSON
object a line, gzip — and a signature file beside it (``….jsonl.gz.sig``, JSON:
entry count, id range, SHA-256 and the HMAC-SHA256 of the compressed file under
``AUDIT_ARCHIVE_KEY``). It then *verifies* what it wrote (signature, line count,
ids) and only then deletes those entries, in one transaction that also records
the archiving as an entry of its own.

It refuses a ``before`` younger than the retention (``AUDIT_RETENTION_DAYS``,
never under 365 days): the log keeps a full year in the database whatever the
command line says.

On PostgreSQL the table's trigger refuses every DELETE (migration
``accounts.0002``) unless the transaction has set ``portal.audit_prune`` to
``on``; only this module sets it, with ``SET LOCAL`` (gone at the transaction's
end), around the one DELETE of the verified rows.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts import audit
from accounts.policy_report import retention_days

SIGNATURE_SUFFIX = ".sig"
FORMAT = "portal-audit-archive/1"


class ArchiveError(Exception):
    """A refused or failed archiving, with a message for people (Chinese)."""


@dataclass
class Archived:
    path: Path | None
    entries: int


def archive_key() -> bytes:
    key = getattr(settings, "AUDIT_ARCHIVE_KEY", "")
    if key:
        return key.encode()
    # Derived, never SECRET_KEY itself: a key of its own purpose.
    return salted_hmac("accounts.archive.key", "audit-archive", algorithm="sha256").digest()


def sign(data: bytes) -> str:
    return hmac.new(archive_key(), data, hashlib.sha256).hexdigest()


def cutoff_of(before):
    """The first moment of ``before`` (a date) in the site's time zone."""
    return timezone.make_aware(datetime.combine(before, time.min))


def _row(entry):
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "user_id": entry.user_id,
        "username": entry.username,
        "address": entry.address,
        "action": entry.action,
        "security": entry.security,
        "content_type": (f"{entry.content_type.app_label}.{entry.content_type.model}" if entry.content_type else None),
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "outcome": entry.outcome,
        "detail": entry.detail,
    }


def archive(before, out_dir, *, now=None):
    """Archive and prune the entries older than ``before``; ``Archived(path, count)``."""
    from accounts.models import AuditEntry

    now = now or timezone.now()
    cutoff = cutoff_of(before)
    youngest_allowed = now - timedelta(days=retention_days())
    if cutoff > youngest_allowed:
        raise ArchiveError(
            f"拒绝归档：审计日志须在数据库中保留至少 {retention_days()} 天，"
            f"只能归档 {timezone.localtime(youngest_allowed):%Y-%m-%d} 之前的记录。"
        )
    entries = AuditEntry.objects.filter(at__lt=cutoff).select_related("content_type").order_by("id")
    first_last = entries.values_list("id", flat=True)
    first, last = first_last.first(), entries.order_by("-id").values_list("id", flat=True).first()
    if first is None:
        return Archived(None, 0)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"audit-{before:%Y%m%d}-{first}-{last}.jsonl.gz"
    if path.exists():
        raise ArchiveError(f"归档文件已存在：{path}")
    ids = []
    partial = path.with_name(path.name + ".part")
    try:
        with gzip.open(partial, "wt", encoding="utf-8") as stream:
            for entry in entries.filter(id__lte=last).iterator(chunk_size=2000):
                stream.write(json.dumps(_row(entry), ensure_ascii=False) + "\n")
                ids.append(entry.id)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    data = path.read_bytes()
    signature = {
        "format": FORMAT,
        "file": path.name,
        "before": before.isoformat(),
        "entries": len(ids),
        "first_id": ids[0],
        "last_id": ids[-1],
        "sha256": hashlib.sha256(data).hexdigest(),
        "hmac_sha256": sign(data),
        "created": now.isoformat(),
    }
    signature_path = path.with_name(path.name + SIGNATURE_SUFFIX)
    signature_path.write_text(json.dumps(signature, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    verified = verify(path)  # what is on the disk, not what we meant to write
    if verified != len(ids):
        raise ArchiveError(f"归档文件校验失败：写入 {len(ids)} 条，读回 {verified} 条；未删除任何记录。")
    _prune(cutoff, ids, path, signature)
    return Archived(path, len(ids))


def _prune(cutoff, ids, path, signature):
    from accounts.models import AuditEntry

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Only for this transaction: the trigger lets these DELETEs through.
                cursor.execute("SET LOCAL portal.audit_prune = 'on'")
        table = connection.ops.quote_name(AuditEntry._meta.db_table)
        deleted = 0
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 1000):
                chunk = ids[start : start + 1000]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {table} WHERE at < %s AND id IN ({marks})", [cutoff, *chunk])
                deleted += cursor.rowcount
        if deleted != len(ids):
            raise ArchiveError(f"删除的记录数（{deleted}）与归档的（{len(ids)}）不符，已回滚。")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL portal.audit_prune = 'off'")
        audit.record(
            audit.Action.AUDIT_ARCHIVE,
            detail=(
                f"归档并删除 {len(ids)} 条（编号 {signature['first_id']}–{signature['last_id']}，"
                f"{signature['before']} 之前）到 {path.name}，HMAC-SHA256 {signature['hmac_sha256']}"
            ),
        )


def verify(path):
    """Check an archive file against its signature file; the number of entries, or ArchiveError."""
    path = Path(path)
    if path.name.endswith(SIGNATURE_SUFFIX):
        path = path.with_name(path.name[: -len(SIGNATURE_SUFFIX)])
    signature_path = path.with_name(path.name + SIGNATURE_SUFFIX)
    try:
        data = path.read_bytes()
        signature = json.loads(signature_path.read_text(encoding="utf-8"))
    except FileNotFoundError as missing:
        raise ArchiveError(f"找不到文件：{missing.filename}") from None
    except (ValueError, UnicodeDecodeError):
        raise ArchiveError(f"签名文件无法读取：{signature_path}") from None
    if not isinstance(signature, dict) or signature.get("format") != FORMAT:
        raise ArchiveError(f"签名文件格式不对：{signature_path}")
    if not hmac.compare_digest(str(signature.get("hmac_sha256", "")), sign(data)):
        raise ArchiveError("签名不符：文件被改动过，或签名密钥（AUDIT_ARCHIVE_KEY）不同。")
    try:
        lines = gzip.decompress(data).decode("utf-8").splitlines()
        ids = [json.loads(line)["id"] for line in lines]
    except (OSError, EOFError, ValueError, KeyError, TypeError):
        raise ArchiveError("归档文件无法解压或解析。") from None
    if len(ids) != signature.get("entries") or (
        ids
        and (ids[0], ids[-1])
        != (
            signature.get("first_id"),
            signature.get("last_id"),
        )
    ):
        raise ArchiveError("归档文件的记录数或编号范围与签名文件不符。")
    return len(ids)
