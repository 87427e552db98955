#!/usr/bin/env bash
# One backup of the portal: the database (pg_dump custom format, compressed,
# restorable table by table) and the uploaded media (tar.gz), rotated.
#
#   DATABASE_URL=postgres://portal@127.0.0.1:5432/portal \
#   MEDIA_ROOT=/srv/portal/media BACKUP_DIR=/var/backups/portal deploy/backup.sh
#
# Keeps BACKUP_KEEP_DAYS (14) daily sets. Run nightly by
# deploy/systemd/portal-backup.timer; copy BACKUP_DIR off the host (docs/deploy.md).
# A set is written under a temporary name and renamed when complete, so a
# failed run never leaves a half backup that looks whole.
#
# Beside the dump, manifest.tsv holds the rows and a checksum of every table
# (deploy/manifest.sql), read from the very snapshot pg_dump dumps: one
# REPEATABLE READ transaction exports its snapshot, runs the manifest and
# stays open while `pg_dump --snapshot` dumps the same rows (at the same
# time, in its own process: the backup lasts as long as the longer of the
# two). Editors may keep saving meanwhile; deploy/restore_check.sh compares
# a restore with this manifest, never with the live database.
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL is required}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/portal}"
MEDIA_ROOT="${MEDIA_ROOT:-/srv/portal/media}"
BACKUP_KEEP_DAYS="${BACKUP_KEEP_DAYS:-14}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$BACKUP_DIR"
umask 077

here="$(cd "$(dirname "$0")" && pwd)"
work="$BACKUP_DIR/.incomplete-$stamp"
mkdir "$work"
snapshot_pid=""
dump_pid=""
cleanup() {
    if [ -n "$dump_pid" ]; then kill "$dump_pid" 2>/dev/null || true; fi
    if [ -n "$snapshot_pid" ]; then kill "$snapshot_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# The session that holds the snapshot (a coprocess: we write SQL to it and read its answers).
coproc SNAPSHOT { exec psql "$DATABASE_URL" -X -q -A -t -v ON_ERROR_STOP=1 2>&1; }
snapshot_pid="$SNAPSHOT_PID"
ask() {  # send SQL / psql commands to the session, then read its output up to a marker line
    local marker="-- done $RANDOM$RANDOM" line
    printf '%s\n' "$@" "SELECT '$marker';" >&"${SNAPSHOT[1]}"
    while IFS= read -r -t 600 line <&"${SNAPSHOT[0]}"; do
        [ "$line" = "$marker" ] && return 0
        printf '%s\n' "$line"
    done
    echo "backup: the database session stopped answering" >&2
    return 1
}
snapshot="$(ask "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;" "SELECT pg_export_snapshot();")" || true
if ! [[ "$snapshot" =~ ^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$ ]]; then
    echo "backup: could not export a snapshot: $snapshot" >&2
    exit 1
fi
pg_dump --format=custom --compress=6 --no-owner --no-privileges --snapshot="$snapshot" \
    --file="$work/portal.dump" "$DATABASE_URL" &
dump_pid=$!
{
    echo "# portal backup manifest: table, rows, checksum (deploy/manifest.sql)"
    echo "# snapshot $snapshot, taken $(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > "$work/manifest.tsv"
if ! ask "\\o '$work/manifest.body'" "\\i '$here/manifest.sql'" "\\o" > "$work/manifest.err" \
    || [ -s "$work/manifest.err" ] || ! [ -f "$work/manifest.body" ]; then
    echo "backup: the manifest could not be written:" >&2
    cat "$work/manifest.err" >&2
    exit 1
fi
cat "$work/manifest.body" >> "$work/manifest.tsv"
rm "$work/manifest.body" "$work/manifest.err"
if ! wait "$dump_pid"; then
    dump_pid=""
    echo "backup: pg_dump failed" >&2
    exit 1
fi
dump_pid=""
ask "COMMIT;" > /dev/null
printf '%s\n' '\q' >&"${SNAPSHOT[1]}"
wait "$snapshot_pid" || true
snapshot_pid=""
if [ -d "$MEDIA_ROOT" ]; then
    tar -C "$MEDIA_ROOT" -czf "$work/media.tar.gz" .
fi
# A checksum list, and the dump's table of contents as a first check that it is readable.
pg_restore --list "$work/portal.dump" > /dev/null
(cd "$work" && sha256sum ./* > SHA256SUMS)

mv "$work" "$BACKUP_DIR/$stamp"
trap - EXIT
find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '20*' -mtime +"$BACKUP_KEEP_DAYS" -exec rm -rf {} +
echo "backup written: $BACKUP_DIR/$stamp ($(du -sh "$BACKUP_DIR/$stamp" | cut -f1))"
