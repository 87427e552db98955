#!/usr/bin/env bash
# Prove a backup restores: load a dump into a fresh, throwaway database and
# compare its essay counts with the source's (when the source is reachable).
#
#   deploy/restore_check.sh /var/backups/portal/<stamp>/portal.dump
#   deploy/restore_check.sh --backup-now      # dump DATABASE_URL first, then check it
#
# PG_ADMIN_URL (postgres://postgres@127.0.0.1:5432) is the server the scratch
# database portal_restore_check_<pid> is created on; it is dropped at the end.
# Exit status 0 only when the restore succeeded and the counts match.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432}"
scratch="portal_restore_check_$$"
tmp="$(mktemp -d)"
cleanup() {
    psql "$PG_ADMIN_URL/postgres" -qc "DROP DATABASE IF EXISTS $scratch WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT

counts() {  # essays (all / published and visible), sections, topics
    psql "$1" -AtF' ' -c "SELECT
        (SELECT count(*) FROM articles_article),
        (SELECT count(*) FROM articles_article WHERE status = 'published' AND deleted_at IS NULL AND published_at <= now()),
        (SELECT count(*) FROM articles_section),
        (SELECT count(*) FROM topics_topic)"
}

if [ "${1:-}" = "--backup-now" ]; then
    : "${DATABASE_URL:?DATABASE_URL is required with --backup-now}"
    BACKUP_DIR="$tmp/backups" MEDIA_ROOT="${MEDIA_ROOT:-/nonexistent}" "$here/backup.sh" >/dev/null
    dump="$(ls -d "$tmp"/backups/20*/portal.dump)"
else
    dump="${1:?usage: restore_check.sh DUMP | --backup-now}"
fi
[ -f "$dump" ] || { echo "no dump at $dump" >&2; exit 2; }
sums="$(dirname "$dump")/SHA256SUMS"
if [ -f "$sums" ]; then (cd "$(dirname "$dump")" && sha256sum --quiet -c SHA256SUMS); fi

started=$(date +%s)
psql "$PG_ADMIN_URL/postgres" -qc "CREATE DATABASE $scratch" >/dev/null
pg_restore --no-owner --no-privileges --exit-on-error --jobs=2 --dbname="$PG_ADMIN_URL/$scratch" "$dump"
restored="$(counts "$PG_ADMIN_URL/$scratch")"
echo "restored $dump into $scratch in $(( $(date +%s) - started )) s"
echo "  restored: essays / published / sections / topics = $restored"

if [ -n "${DATABASE_URL:-}" ] && source_counts="$(counts "$DATABASE_URL" 2>/dev/null)"; then
    echo "  source:   essays / published / sections / topics = $source_counts"
    if [ "$restored" != "$source_counts" ]; then
        echo "MISMATCH: the restored database differs from the source (changed since the dump?)" >&2
        exit 1
    fi
fi
[ "$(echo "$restored" | cut -d' ' -f1)" -gt 0 ] || { echo "the restored database holds no essay" >&2; exit 1; }
echo "OK: the backup restores"
