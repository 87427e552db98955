-- The backup manifest: every table of the portal's database, its rows and a
-- checksum, one line each (schema.table, rows, checksum; tab-separated).
--
-- deploy/backup.sh runs it inside the transaction whose snapshot pg_dump
-- dumps, and writes the result beside the dump (manifest.tsv);
-- deploy/restore_check.sh runs it on the restored copy and compares. Both
-- read the same rows, so a live site may keep writing meanwhile.
--
-- The checksum adds the first 64 bits of the md5 of each row's text: order
-- free and computed row by row (no table is held in memory). The settings
-- below fix how values are written as text, so both sides agree.
\pset format unaligned
\pset tuples_only on
\pset fieldsep '\t'
\pset null ''
SET TIME ZONE 'UTC';
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';
SET extra_float_digits = 1;
SET bytea_output = 'hex';
SELECT format(
    'SELECT %L, count(*), coalesce(sum((''x'' || left(md5(t::text), 16))::bit(64)::bigint), 0) FROM %I.%I AS t',
    n.nspname || '.' || c.relname, n.nspname, c.relname
)
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind = 'r'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_%'
ORDER BY n.nspname, c.relname
\gexec
