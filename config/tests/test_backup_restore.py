"""deploy/backup.sh and deploy/restore_check.sh on a live site, run for real against PostgreSQL.

The backup's manifest (rows and checksums of every table) comes from the
snapshot pg_dump dumps, so the check passes while editors keep saving, and
fails, saying why, on a damaged set.
"""

import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from django.db import connection, connections

from articles.models import Article
from articles.tests.factories import make_article, make_draft

pytestmark = pytest.mark.django_db(transaction=True)

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


@pytest.fixture(autouse=True)
def _postgresql_and_its_tools():
    if connection.vendor != "postgresql":
        pytest.skip("the backup scripts dump and restore PostgreSQL: run with DATABASE_URL=postgres://…")
    for tool in ("pg_dump", "pg_restore", "psql"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")


def server_url():
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    return f"postgres://{user}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"


def run(script, *args, **env):
    environment = {"PATH": "/usr/bin:/bin", "PG_ADMIN_URL": server_url(), **env}
    return subprocess.run(
        [str(DEPLOY / script), *args], capture_output=True, text=True, env=environment, timeout=300, check=False
    )


def live_url():
    return f"{server_url()}/{connection.settings_dict['NAME']}"


def backup(tmp_path):
    result = run(
        "backup.sh",
        DATABASE_URL=live_url(),
        BACKUP_DIR=str(tmp_path / "backups"),
        MEDIA_ROOT=str(tmp_path / "no-media"),
    )
    assert result.returncode == 0, result.stderr
    (backup_set,) = (tmp_path / "backups").glob("20*")
    return backup_set


def manifest_rows(backup_set, table):
    for line in (backup_set / "manifest.tsv").read_text().splitlines():
        if line.startswith(f"public.{table}\t"):
            return int(line.split("\t")[1])
    raise AssertionError(f"{table} is not in the manifest")


@pytest.fixture
def site():
    for n in range(3):
        make_article(title=f"基层党建工作的第{n + 1}点思考", sections=3, points=2)


def test_a_backup_taken_while_an_editor_saves_restores_and_matches_its_manifest(site, tmp_path):
    stop, written = threading.Event(), []

    def editor():
        try:
            while not stop.is_set():
                written.append(make_draft(title=f"边备份边导入的文稿{len(written) + 1}").pk)
                stop.wait(0.005)
        finally:
            connections.close_all()

    thread = threading.Thread(target=editor)
    thread.start()
    try:
        backup_set = backup(tmp_path)
    finally:
        stop.set()
        thread.join(timeout=30)
    make_draft(title="备份之后导入的文稿")  # the live site has moved on since the dump
    in_backup = manifest_rows(backup_set, "articles_article")
    assert written, "the editor saved nothing during the backup"
    assert Article.all_objects.count() > in_backup  # comparing with the live database would fail

    # DATABASE_URL is set, as on a production host: the check must still not compare with it.
    result = run("restore_check.sh", str(backup_set / "portal.dump"), DATABASE_URL=live_url())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "match the manifest" in result.stdout
    assert manifest_rows(backup_set, "articles_section") == 3 * 3 * (1 + 2)  # 3 essays, 3 parts of 1 + 2 points


def test_a_changed_dump_is_reported_as_damaged(site, tmp_path):
    backup_set = backup(tmp_path)
    dump = backup_set / "portal.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    result = run("restore_check.sh", str(dump))
    assert result.returncode == 1
    assert "DAMAGED" in result.stderr and "SHA256SUMS" in result.stderr


def test_a_truncated_dump_does_not_pass_even_with_matching_checksums(site, tmp_path):
    """Damaged before its checksums were taken (a full disk while dumping, say): the restore itself fails."""
    backup_set = backup(tmp_path)
    dump = backup_set / "portal.dump"
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    (backup_set / "SHA256SUMS").unlink()
    result = run("restore_check.sh", str(dump))
    assert result.returncode == 1
    assert "RESTORE FAILED" in result.stderr


def test_a_restore_that_differs_from_the_manifest_names_the_table(site, tmp_path):
    backup_set = backup(tmp_path)
    manifest = backup_set / "manifest.tsv"
    lines = manifest.read_text().splitlines()
    lines = [
        f"public.articles_section\t{int(line.split(chr(9))[1]) + 1}\t{line.split(chr(9))[2]}"
        if line.startswith("public.articles_section\t")
        else line
        for line in lines
    ]
    manifest.write_text("\n".join(lines) + "\n")
    (backup_set / "SHA256SUMS").unlink()
    result = run("restore_check.sh", str(backup_set / "portal.dump"))
    assert result.returncode == 1
    assert "MISMATCH" in result.stderr
    assert "public.articles_section: 28 rows" in result.stderr and "27 rows" in result.stderr


def test_a_missing_dump_is_a_usage_error(tmp_path):
    result = run("restore_check.sh", str(tmp_path / "nothing.dump"))
    assert result.returncode == 2
    assert "no dump" in result.stderr
