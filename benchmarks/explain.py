"""EXPLAIN ANALYZE every query of the public pages on PostgreSQL at scale.

    .venv/bin/python benchmarks/explain.py                 # 100,000 essays
    .venv/bin/python benchmarks/explain.py --essays 10000 --plans

Builds (once; kept between runs) the database ``portal_bench_explain_<N>``
with ``--essays`` synthetic essays (the generator of benchmarks/search.py,
without the search index), renders the home, list, filtered list, essay,
topic index, topic, feed and sitemap pages with every cache off, and runs
``EXPLAIN (ANALYZE, BUFFERS)`` on each query they sent. Prints per query the
execution time and whether it used an index or read a whole table
(``Seq Scan`` on articles_article or the topic links), ``--plans`` the plans.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432"


def child(essays, show_plans):
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article

    call_command("migrate", verbosity=0)
    if Article.all_objects.count() != essays:
        from benchmarks.search import _generate

        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE articles_article, topics_topic RESTART IDENTITY CASCADE")
        print(f"generating {essays} essays …", file=sys.stderr, flush=True)
        _generate("postgresql", essays, {}, {})
        with connection.cursor() as cursor:
            cursor.execute("UPDATE articles_article SET view_count = (id * 7919) % 5000 WHERE id % 3 = 0")
            cursor.execute("UPDATE articles_article SET is_pinned = true WHERE id IN (11, 22, 33)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    middle = Article.objects.published().order_by("-published_at").values_list("slug", "author_org")[essays // 2]
    pages = {
        "home": "/",
        "list": "/articles/",
        "list page 50": "/articles/?page=50",
        "filtered list": f"/articles/?topic=column-1&year=2015&org={middle[1]}",
        "essay": f"/articles/{middle[0]}/",
        "topic index": "/topics/",
        "topic": "/topics/column-0/",
        "topic page 30": "/topics/column-0/?page=30",
        "feed": "/feed/rss/",
        "sitemap": "/sitemap.xml",
    }
    client = Client(HTTP_HOST="127.0.0.1")
    slow = []
    for name, path in pages.items():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            status = client.get(path).status_code
        print(f"\n== {name} ({path}): HTTP {status}, {len(captured)} queries")
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip(" (").upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            ms = float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))
            seq = sorted(set(re.findall(r"Seq Scan on (\w+)", plan)))
            indexes = sorted(set(re.findall(r"Index (?:Only )?Scan(?: Backward)? using (\w+)", plan)))
            flag = "  SEQ SCAN: " + ", ".join(seq) if seq else ""
            print(f"  {ms:8.2f} ms  {sql[:90]}…")
            print(f"             indexes: {', '.join(indexes) or '-'}{flag}")
            if ms > 5:
                slow.append((ms, name, sql[:120]))
            if show_plans:
                print("\n".join("      " + line for line in plan.splitlines()))
    print("\nqueries over 5 ms (uncached pages; the page cache and per-generation memos hide most of them):")
    for ms, name, sql in sorted(slow, reverse=True):
        print(f"  {ms:8.2f} ms  {name}: {sql}…")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--essays", type=int, default=100_000)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--plans", action="store_true", help="print every plan")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.essays, args.plans)
        return
    import psycopg2

    database = f"portal_bench_explain_{args.essays}"
    admin = psycopg2.connect(args.postgres + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{database}"')
    admin.close()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="1",
        DATABASE_URL=f"{args.postgres}/{database}",
        PAGE_CACHE_SECONDS="0",
        PYTHONPATH=str(ROOT),
    )
    env.pop("REDIS_URL", None)
    command = [sys.executable, __file__, "--child", "--essays", str(args.essays)] + (["--plans"] if args.plans else [])
    sys.exit(subprocess.run(command, env=env, cwd=ROOT).returncode)


if __name__ == "__main__":
    main()
