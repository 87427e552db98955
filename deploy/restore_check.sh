#!/usr/bin/env bash
# Prove a backup restores: check the set's checksums, load the dump into a
# fresh, throwaway database and compare every table's rows and checksum with
# the manifest deploy/backup.sh wrote beside the dump, from the same snapshot.
#
#   deploy/restore_check.sh /var/backups/portal/<stamp>/portal.dump
#   deploy/restore_check.sh --backup-now      # dump DATABASE_URL first, then check it
#
# The live database is never compared with: it has moved on since the dump
# (editors keep saving), so the check is safe to run on a working site.
# PG_ADMIN_URL (postgres://postgres@127.0.0.1:5432) is the server the scratch
# database portal_restore_check_<pid> is created on; it is dropped at the end.
#
# Exit status: 0 the backup restores and matches its manifest; 1 the set is
# damaged (checksums), does not restore, or differs from its manifest; 2 usage
# (no dump at the path given).
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

fail() {
    echo "$@" >&2
    exit 1
}

if [ "${1:-}" = "--backup-now" ]; then
    : "${DATABASE_URL:?DATABASE_URL is required with --backup-now}"
    BACKUP_DIR="$tmp/backups" MEDIA_ROOT="${MEDIA_ROOT:-/nonexistent}" "$here/backup.sh" >/dev/null
    dump="$(ls -d "$tmp"/backups/20*/portal.dump)"
else
    dump="${1:?usage: restore_check.sh DUMP | --backup-now}"
fi
[ -f "$dump" ] || { echo "no dump at $dump" >&2; exit 2; }
set_dir="$(dirname "$dump")"

if [ -f "$set_dir/SHA256SUMS" ]; then
    if ! (cd "$set_dir" && sha256sum --quiet -c SHA256SUMS) > "$tmp/sums" 2>&1; then
        sed 's/^/  /' "$tmp/sums" >&2
        fail "DAMAGED: files of the backup set $set_dir differ from its SHA256SUMS (changed or truncated since the backup)"
    fi
else
    echo "warning: no SHA256SUMS beside $dump: its files cannot be checked" >&2
fi

started=$(date +%s)
psql "$PG_ADMIN_URL/postgres" -qc "CREATE DATABASE $scratch" >/dev/null
if ! pg_restore --no-owner --no-privileges --exit-on-error --jobs=2 --dbname="$PG_ADMIN_URL/$scratch" "$dump" \
    2> "$tmp/restore.err"; then
    sed 's/^/  /' "$tmp/restore.err" | tail -n 5 >&2
    fail "RESTORE FAILED: pg_restore could not load $dump (a damaged or incomplete dump)"
fi
psql "$PG_ADMIN_URL/$scratch" -X -q -v ON_ERROR_STOP=1 -f "$here/manifest.sql" > "$tmp/restored.tsv"
tables=$(wc -l < "$tmp/restored.tsv")
rows=$(awk -F'\t' '{ n += $2 } END { print n + 0 }' "$tmp/restored.tsv")
echo "restored $dump into $scratch in $(( $(date +%s) - started )) s: $tables tables, $rows rows"

manifest="$set_dir/manifest.tsv"
if [ ! -f "$manifest" ]; then
    # A set from before backup.sh wrote manifests: at least it restores and holds essays.
    echo "warning: no manifest.tsv beside $dump (an older backup): only checked that it restores" >&2
    essays="$(psql "$PG_ADMIN_URL/$scratch" -XAtc "SELECT count(*) FROM articles_article")"
    [ "$essays" -gt 0 ] || fail "the restored database holds no essay"
    echo "OK: the backup restores ($essays essays)"
    exit 0
fi
grep -v '^#' "$manifest" > "$tmp/expected.tsv" || true
if ! cmp -s "$tmp/expected.tsv" "$tmp/restored.tsv"; then
    echo "MISMATCH: the restored database differs from the manifest written with the dump ($manifest):" >&2
    # table: rows and checksum in the manifest -> in the restored copy (a table only on one side shows "-").
    LC_ALL=C join -t $'\t' -a 1 -a 2 -e - -o 0,1.2,1.3,2.2,2.3 \
        <(LC_ALL=C sort "$tmp/expected.tsv") <(LC_ALL=C sort "$tmp/restored.tsv") \
        | awk -F'\t' '$2 != $4 || $3 != $5 { printf "  %s: %s rows (checksum %s) in the manifest, %s rows (checksum %s) restored\n", $1, $2, $3, $4, $5 }' >&2
    exit 1
fi
echo "OK: the backup restores; all $tables tables ($rows rows) match the manifest taken with the dump"
