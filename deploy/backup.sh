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
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL is required}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/portal}"
MEDIA_ROOT="${MEDIA_ROOT:-/srv/portal/media}"
BACKUP_KEEP_DAYS="${BACKUP_KEEP_DAYS:-14}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$BACKUP_DIR"
umask 077

work="$BACKUP_DIR/.incomplete-$stamp"
mkdir "$work"
trap 'rm -rf "$work"' EXIT

pg_dump --format=custom --compress=6 --no-owner --no-privileges \
    --file="$work/portal.dump" "$DATABASE_URL"
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
