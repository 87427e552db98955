"""Backup and restore check on a live site: what the manifest costs, and that editors may write meanwhile.

    .venv/bin/python benchmarks/backup.py                   # 10,000 essays
    .venv/bin/python benchmarks/backup.py --essays 2000 --keep

Set-up, loopback only: a PostgreSQL database ``portal_bench_backup``
(generated like benchmarks/serving.py: ``--essays`` essays with their
sections, topics and search index; ``--fresh`` rebuilds it, ``--keep``
leaves it, otherwise it is dropped at the end). Then, each timed:

* ``pg_dump`` alone (what backup.sh did before the manifest);
* ``deploy/manifest.sql`` alone (every table's rows and checksum);
* ``deploy/backup.sh`` on a quiet database, and again while an "editor"
  writes continuously (a new section and a version bump of an essay every
  ~10 ms, each its own transaction);
* ``deploy/restore_check.sh`` on the backup taken under writes, with the
  editor still writing: its exit status, and how far the live database has
  moved from the backup (what made the old check say MISMATCH).

Numbers live in this output, never in tests.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import serving  # noqa: E402 - after the path is set

DATABASE = "portal_bench_backup"
DEPLOY = ROOT / "deploy"


def timed(command, **env):
    started = time.perf_counter()
    result = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, **env}, check=False, cwd=ROOT, timeout=3600
    )
    return time.perf_counter() - started, result


class Editor(threading.Thread):
    """Writes like an editor importing and saving: one small transaction every ``pause`` seconds."""

    def __init__(self, url, pause=0.01):
        super().__init__(daemon=True)
        self.url, self.pause = url, pause
        self.stop = threading.Event()
        self.writes = 0

    def run(self):
        import psycopg2

        connection = psycopg2.connect(self.url)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT string_agg(quote_ident(column_name), ', ') FROM information_schema.columns "
                "WHERE table_name = 'articles_section' AND column_name <> 'id'"
            )
            columns = cursor.fetchone()[0]
            while not self.stop.is_set():
                cursor.execute(
                    f"INSERT INTO articles_section ({columns}) SELECT {columns} FROM articles_section "
                    "WHERE id = (SELECT min(id) FROM articles_section)"
                )
                cursor.execute(
                    "UPDATE articles_article SET version = version + 1, updated_at = now() "
                    "WHERE id = (SELECT min(id) FROM articles_article) + %s",
                    [self.writes % 100],
                )
                self.writes += 1
                self.stop.wait(self.pause)
        connection.close()


def count(url, table):
    import psycopg2

    connection = psycopg2.connect(url)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # our own table names
        rows = cursor.fetchone()[0]
    connection.close()
    return rows


def manifest_rows(backup_set, table):
    for line in (backup_set / "manifest.tsv").read_text().splitlines():
        if line.startswith(f"public.{table}\t"):
            return int(line.split("\t")[1])
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=serving.DEFAULT_POSTGRES, help="server URL, without a database name")
    parser.add_argument("--essays", type=int, default=10_000)
    parser.add_argument("--fresh", action="store_true", help="generate the database again")
    parser.add_argument("--keep", action="store_true", help="leave the database for the next run")
    args = parser.parse_args()

    serving.DATABASE = DATABASE  # its generator and environment use this name
    serving.prepare_database(args.postgres, args.essays, args.fresh)
    url = f"{args.postgres}/{DATABASE}"
    work = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    rows = []
    try:
        seconds, result = timed(["pg_dump", "--format=custom", "--compress=6", f"--file={work}/plain.dump", url])
        assert result.returncode == 0, result.stderr
        rows.append(("pg_dump alone", seconds, f"{(work / 'plain.dump').stat().st_size / 2**20:.1f} MB dump"))

        seconds, result = timed(["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(DEPLOY / "manifest.sql")])
        assert result.returncode == 0, result.stderr
        tables = result.stdout.strip().splitlines()
        total = sum(int(line.split("\t")[1]) for line in tables)
        rows.append(("manifest.sql alone", seconds, f"{len(tables)} tables, {total:,} rows"))

        env = {"DATABASE_URL": url, "MEDIA_ROOT": "/nonexistent"}
        seconds, result = timed([str(DEPLOY / "backup.sh")], BACKUP_DIR=str(work / "quiet"), **env)
        assert result.returncode == 0, result.stderr
        rows.append(("backup.sh, quiet database", seconds, "manifest + dump from one snapshot"))

        editor = Editor(url)
        editor.start()
        time.sleep(0.5)
        before = editor.writes
        seconds, result = timed([str(DEPLOY / "backup.sh")], BACKUP_DIR=str(work / "live"), **env)
        assert result.returncode == 0, result.stderr
        rows.append(("backup.sh, editor writing", seconds, f"{editor.writes - before} writes during the backup"))
        (backup_set,) = (work / "live").glob("20*")

        before = editor.writes
        seconds, result = timed(
            [str(DEPLOY / "restore_check.sh"), str(backup_set / "portal.dump")],
            PG_ADMIN_URL=args.postgres,
            DATABASE_URL=url,
        )
        editor.stop.set()
        editor.join()
        live = count(url, "articles_section")
        in_backup = manifest_rows(backup_set, "articles_section")
        verdict = (result.stdout + result.stderr).strip().splitlines()[-1]
        rows.append(
            (
                "restore_check.sh, editor writing",
                seconds,
                f"exit {result.returncode}; {editor.writes - before} writes during the check; "
                f"sections: {in_backup:,} in the backup, {live:,} live",
            )
        )
    finally:
        subprocess.run(["rm", "-rf", str(work)], check=False)
        if not args.keep:
            subprocess.run(
                ["psql", f"{args.postgres}/postgres", "-qc", f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'],
                check=False,
            )

    print(f"\nbackup and restore check, {args.essays:,} essays, load {serving.load()}\n")
    print(f"{'step':36} {'seconds':>8}  notes")
    for step, seconds, notes in rows:
        print(f"{step:36} {seconds:8.2f}  {notes}")
    print(f"\nrestore_check.sh said: {verdict}")


if __name__ == "__main__":
    main()
