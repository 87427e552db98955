"""Serve the portal as in production and load it with wrk: requests/s and latency
beside nginx serving the same article page as a file (the ceiling).

    .venv/bin/python benchmarks/serving.py                  # 10,000 essays, everything
    .venv/bin/python benchmarks/serving.py --duration 5 --pages article home
    .venv/bin/python benchmarks/serving.py --prepare-only   # just build the database

What it does, on loopback:

1. a PostgreSQL database ``portal_bench_serving`` with ``--essays`` synthetic
   essays (the generator of benchmarks/search.py), its search index built
   and ANALYZEd; kept between runs (``--fresh`` rebuilds it);
2. ``collectstatic`` (WhiteNoise's compressed, hashed files) into var/;
3. gunicorn with config/gunicorn.conf.py (``--workers`` gthread workers of ``--threads`` threads,
   DEBUG off, Redis as the cache on database ``--redis-db``), once with the
   page cache and once without it (PAGE_CACHE_SECONDS=0: every request goes
   through Django and the database; an essay page is its stored rendition
   with the open parts filled in, articles/renditions.py; other pages are
   rendered from their templates);
4. Debian's nginx (``-p`` a temporary prefix, deploy/nginx/portal.conf through deploy/nginx/local.py,
   the production settings on loopback ports), proxying to gunicorn with its
   proxy cache (pages kept as long as Django's s-maxage says), and serving
   the article page's HTML as a file;
5. ``wrk -t1 -c64 -d10s --latency`` on the home, list, article, topic and
   search pages: uncached (no page cache), cold (caches emptied just before
   the run: the first requests render, the rest hit), warm (primed) and
   changed (primed, then a new cache generation, as a publish makes: one
   request renders, the others wait for its page), direct to
   gunicorn and through nginx; then the static file;
6. each worker's memory (RSS and PSS) after all of that (far more than
   10,000 requests each);
7. in one process, the median time to render an essay page for storage
   (the first request after the essay or the code changes) and to serve it
   from its stored page.

Numbers are noisy on a shared machine: the load average is printed beside
every row. Numbers about speed live here, not in tests (DESIGN.md, Habits).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432"
DATABASE = "portal_bench_serving"
PY = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
STATIC_ROOT = ROOT / "var" / "bench-static"
MEDIA_ROOT = ROOT / "var" / "bench-media"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
WRK = shutil.which("wrk") or "/usr/bin/wrk"

# NGINX_PORT + 1 is the shipped config's HTTP-to-HTTPS redirect server (deploy/nginx/local.py).
APP_PORT, APP_UNCACHED_PORT, NGINX_PORT, CEILING_PORT = 18801, 18802, 18803, 18805

PAGES = {
    "home": "/",
    "list": "/articles/",
    "article": None,  # a published essay, found in the database
    "topic": "/topics/column-0/",
    "deep": "/articles/?page=400",  # a page a crawler reaches, never one a cache would hold
    "search": "/articles/?q=%E5%85%9A%E5%91%98%E6%95%99%E8%82%B2",  # 党员教育
    "search2": "/articles/?q=%E5%85%9A%E5%91%98%E6%95%99%E8%82%B2+%E5%9F%BA%E5%B1%82%E6%B2%BB%E7%90%86",  # 党员教育 基层治理
}


def log(message):
    print(message, file=sys.stderr, flush=True)


def load():
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


# ---------------------------------------------------------------- the database


def prepare_database(postgres_url, essays, fresh):
    import psycopg2

    admin = psycopg2.connect(postgres_url + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{DATABASE}"')
    admin.close()
    env = bench_env(postgres_url, page_cache=True, redis_db=None)
    subprocess.run([str(PY), __file__, "--child-generate", str(essays)], env=env, check=True, cwd=ROOT)


def child_generate(essays):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article
    from articles.search.indexing import rebuild
    from articles.search.models import SearchDocument

    call_command("migrate", verbosity=0)
    if Article.all_objects.count() != essays:
        from benchmarks.search import _generate

        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE articles_article, topics_topic RESTART IDENTITY CASCADE")
        log(f"generating {essays} essays …")
        _generate("postgresql", essays, {}, {})
        # Some essays have been read (热门) and a few are pinned (置顶).
        with connection.cursor() as cursor:
            cursor.execute("UPDATE articles_article SET view_count = (id * 7919) % 5000 WHERE id % 3 = 0")
            cursor.execute("UPDATE articles_article SET is_pinned = true WHERE id IN (11, 22, 33)")
    if SearchDocument.objects.count() < Article.objects.published().count():
        log("building the search index …")
        rebuild(batch_size=500, progress=None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    article = Article.objects.published().order_by("-published_at").values_list("slug", flat=True)[500]
    print(json.dumps({"article": f"/articles/{article}/", "published": Article.objects.published().count()}))


def child_render(samples=60):
    """Milliseconds, in one process: rendering an essay page for storage (the first
    request after the essay or the code changes) and serving its stored page."""
    import statistics

    import django

    django.setup()
    from django.test import RequestFactory

    from articles.models import Article
    from articles.reading import renditions

    essays = list(
        Article.objects.published().order_by("-published_at")[:samples].prefetch_related("sections", "topics")
    )
    factory = RequestFactory()
    render_ms, serve_ms = [], []
    for article in essays:
        request = factory.get(article.get_absolute_url(), HTTP_HOST="127.0.0.1")
        started = time.perf_counter()
        html, _ = renditions.render_for_storage(request, article)
        render_ms.append((time.perf_counter() - started) * 1000)
        renditions.store(article, html, renditions.code_version())
        renditions.essay_page(request, article.slug)  # the slots are remembered
        started = time.perf_counter()
        renditions.essay_page(request, article.slug)
        serve_ms.append((time.perf_counter() - started) * 1000)
    print(
        json.dumps(
            {
                "render_ms": statistics.median(render_ms),
                "serve_ms": statistics.median(serve_ms),
                "samples": len(essays),
            }
        )
    )


def child_cpu(paths, samples=100):
    """CPU milliseconds per request in one process, for each of ``paths``: Django's
    (this process) and PostgreSQL's (its backend's, from /proc), medians of
    ``samples`` requests after a warm-up. Load-independent, unlike req/s."""
    import statistics

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    tick = os.sysconf("SC_CLK_TCK")

    def backend_cpu():
        fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick  # utime + stime, seconds

    rows = {}
    for name, path in paths.items():
        for _ in range(5):
            assert client.get(path).status_code == 200, path
        django_ms = []
        started_db = backend_cpu()
        for _ in range(samples):
            started = time.process_time()
            client.get(path)
            django_ms.append((time.process_time() - started) * 1000)
        rows[name] = {
            "django_ms": statistics.median(django_ms),
            "postgres_ms": (backend_cpu() - started_db) * 1000 / samples,
        }
    print(json.dumps(rows))


def cpu_times(postgres_url, redis_db, paths):
    env = bench_env(postgres_url, page_cache=False, redis_db=redis_db)
    out = subprocess.run(
        [str(PY), __file__, "--child-cpu", json.dumps(paths)],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def render_times(postgres_url, redis_db):
    env = bench_env(postgres_url, page_cache=False, redis_db=redis_db)
    out = subprocess.run(
        [str(PY), __file__, "--child-render"], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def article_path(postgres_url):
    env = bench_env(postgres_url, page_cache=True, redis_db=None)
    out = subprocess.run(
        [str(PY), __file__, "--child-generate", "-1"], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- processes


def bench_env(postgres_url, *, page_cache, redis_db, workers=2, worker_class="gthread", threads=8, port=APP_PORT):
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_COOKIES": "0",
            "DATABASE_URL": f"{postgres_url}/{DATABASE}",
            "STATIC_ROOT": str(STATIC_ROOT),
            "MEDIA_ROOT": str(MEDIA_ROOT),
            "PAGE_CACHE_SECONDS": "600" if page_cache else "0",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_WORKER_CLASS": worker_class,
            "GUNICORN_THREADS": str(threads),
            "GUNICORN_ACCESS_LOG": "",  # wrk's millions of lines would measure the disk
            "GUNICORN_LOG_LEVEL": "warning",
            "LOG_LEVEL": "ERROR",
            "PYTHONPATH": str(ROOT),
        }
    )
    if redis_db is not None:
        env["REDIS_URL"] = f"redis://127.0.0.1:6379/{redis_db}"
    else:
        env.pop("REDIS_URL", None)
    return env


def ensure_database(postgres_url, name, drop=False):
    """Create the benchmark database ``name`` unless it exists (``drop``: drop it instead)."""
    import psycopg2

    admin = psycopg2.connect(postgres_url + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        if drop:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if not cursor.fetchone():
                cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def collectstatic(postgres_url):
    env = bench_env(postgres_url, page_cache=True, redis_db=None)
    subprocess.run([str(PY), "manage.py", "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)


def start_gunicorn(env, port, output=None):
    """gunicorn with config/gunicorn.conf.py; its output to the terminal, or into the file ``output``."""
    process = subprocess.Popen(
        [str(GUNICORN), "-c", str(ROOT / "config" / "gunicorn.conf.py"), "config.wsgi"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=output,
        stderr=None if output is None else subprocess.STDOUT,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz/ready", process)
    except BaseException:
        stop(process)
        raise
    return process


def wait_for(url, process=None, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"{url}: the server exited ({process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def stop(process):
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _nginx_local():
    """deploy/nginx/local.py: the shipped portal.conf on loopback ports."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("deploy_nginx_local", ROOT / "deploy" / "nginx" / "local.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def start_nginx(prefix, ceiling_root):
    """Debian's nginx running the shipped deploy/nginx/portal.conf in front of gunicorn, plus a
    server on CEILING_PORT that serves the article page as a file (the ceiling)."""
    ceiling = f"""
    server {{
        listen 127.0.0.1:{CEILING_PORT};
        root {ceiling_root};
        location / {{ default_type "text/html; charset=utf-8"; try_files /article.html =404; }}
    }}
"""
    process = _nginx_local().start(
        prefix,
        app_port=APP_PORT,
        port=NGINX_PORT,
        static_root=STATIC_ROOT,
        media_root=MEDIA_ROOT,
        extra_http=ceiling,
        workers="auto",
        # wrk is one client address standing for many readers: the deployed
        # per-client limit on searches and filters (5 a second) would measure itself.
        rate_limits=False,
    )
    try:
        wait_for(f"http://127.0.0.1:{CEILING_PORT}/", process)
    except BaseException:
        stop(process)
        raise
    return process


def clear_caches(redis_db, nginx_prefix=None):
    import redis

    if redis_db is not None:
        redis.Redis(host="127.0.0.1", port=6379, db=redis_db).flushdb()
    if nginx_prefix is not None:
        cache = nginx_prefix / "cache"
        for child in cache.iterdir():
            shutil.rmtree(child, ignore_errors=True)


def new_generation(redis_db):
    """What a publish does to the caches: a new page-cache generation (Django's
    stored pages stay, stale). nginx's cache is not purged by a publish (its
    copies live 10 s, then one request revalidates while the others get the copy)."""
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=redis_db)
    for key in client.scan_iter("*pagecache:generation"):
        client.delete(key)


# ---------------------------------------------------------------- measuring


def wrk(url, duration, connections):
    out = subprocess.run(
        [WRK, "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {}
    for percent in ("50", "99"):
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\b", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        latency[percent] = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "p50": latency["50"],
        "p99": latency["99"],
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
        "load": load(),
    }


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read(), dict(response.headers)


def get_kept_alive(connection, port, path, timeout):
    """GET ``path`` as a reader thread does: on ``connection`` (an ``http.client`` connection
    to ``port``, made when None), read whole. Returns ``(connection, status)``: the connection
    to use next (None once the server closed it or it failed) and the status (0: no answer)."""
    import http.client

    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
    except (OSError, http.client.HTTPException):
        connection.close()
        return None, 0
    if response.will_close:
        connection.close()
        return None, response.status
    return connection, response.status


def worker_memory(master_pid):
    """[(pid, rss_mb, pss_mb)] of the gunicorn master's children."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    rows = []
    for pid in children:
        values = {}
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            parts = line.split()
            if parts[0] in ("Rss:", "Pss:"):
                values[parts[0][:-1]] = int(parts[1]) / 1024
        rows.append((int(pid), values.get("Rss", 0), values.get("Pss", 0)))
    return rows


def gunicorn_master(process):
    """The gunicorn master: the process started (gunicorn execs no wrapper)."""
    return process.pid


def _configure(database, port_offset):
    global DATABASE, APP_PORT, APP_UNCACHED_PORT, NGINX_PORT, CEILING_PORT
    DATABASE = database
    APP_PORT, APP_UNCACHED_PORT, NGINX_PORT, CEILING_PORT = (
        port + port_offset for port in (APP_PORT, APP_UNCACHED_PORT, NGINX_PORT, CEILING_PORT)
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--essays", type=int, default=10_000)
    parser.add_argument("--database", default=DATABASE, help="name of the benchmark database (kept between runs)")
    parser.add_argument(
        "--port-offset", type=int, default=0, help="added to every port, so that two benchmarks can run side by side"
    )
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="server URL without a database name")
    parser.add_argument("--redis-db", type=int, default=9, help="Redis database the benchmark flushes")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--worker-class", default="gthread", help="as config/gunicorn.conf.py (sync for the classic model)"
    )
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=list(PAGES))
    parser.add_argument(
        "--states",
        nargs="+",
        default=["uncached", "cold", "warm", "changed"],
        choices=["uncached", "cold", "warm", "changed"],
    )
    parser.add_argument("--no-nginx", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="drop and regenerate the benchmark database")
    parser.add_argument("--prepare-only", action="store_true")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--child-generate", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-render", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-cpu", help=argparse.SUPPRESS)
    parser.add_argument(
        "--cpu-only", action="store_true", help="only the CPU time per request of each page, in one process (no wrk)"
    )
    args = parser.parse_args()
    _configure(args.database, args.port_offset)

    if args.child_cpu:
        child_cpu(json.loads(args.child_cpu))
        return
    if args.child_render:
        child_render()
        return
    if args.child_generate is not None:
        if args.child_generate < 0:
            import django

            django.setup()
            from articles.models import Article

            slug = Article.objects.published().order_by("-published_at").values_list("slug", flat=True)[500]
            print(json.dumps({"article": f"/articles/{slug}/", "published": Article.objects.published().count()}))
            return
        child_generate(args.child_generate)
        return

    started = time.time()
    log(f"load average at start: {load()}")
    prepare_database(args.postgres, args.essays, args.fresh)
    info = article_path(args.postgres)
    if args.prepare_only:
        log(f"ready: {info}")
        return
    pages = {name: (info["article"] if name == "article" else PAGES[name]) for name in args.pages}
    collectstatic(args.postgres)
    cpu = cpu_times(args.postgres, args.redis_db, pages)
    report_cpu(cpu)
    if args.cpu_only:
        return
    MEDIA_ROOT.mkdir(parents=True, exist_ok=True)

    results = []
    processes = []
    prefix = Path(tempfile.mkdtemp(prefix="portal-bench-nginx-"))
    # nginx's workers run as an unprivileged user when started by root: they
    # must reach the ceiling file and the cache under the prefix.
    prefix.chmod(0o755)
    try:
        common = dict(workers=args.workers, worker_class=args.worker_class, threads=args.threads)
        cached_env = bench_env(args.postgres, page_cache=True, redis_db=args.redis_db, port=APP_PORT, **common)
        app = start_gunicorn(cached_env, APP_PORT)
        processes.append(app)
        nginx = None
        if not args.no_nginx:
            ceiling_root = prefix / "ceiling"
            ceiling_root.mkdir()
            body, _ = fetch(f"http://127.0.0.1:{APP_PORT}{pages.get('article', info['article'])}")
            (ceiling_root / "article.html").write_bytes(body)
            nginx = start_nginx(prefix, ceiling_root)
            processes.append(nginx)

        def run(page, state, target, url):
            log(f"  wrk {target:8} {state:8} {page:8} …")
            row = {"page": page, "state": state, "target": target, **wrk(url, args.duration, args.connections)}
            results.append(row)
            log(f"    {row['rps']:9.0f} req/s  p50 {row['p50']:.2f} ms  p99 {row['p99']:.2f} ms  load {row['load']}")

        # Uncached: a second gunicorn with the page cache off.
        if "uncached" in args.states:
            uncached_env = bench_env(
                args.postgres, page_cache=False, redis_db=args.redis_db, port=APP_UNCACHED_PORT, **common
            )
            uncached = start_gunicorn(uncached_env, APP_UNCACHED_PORT)
            try:
                for page, path in pages.items():
                    fetch(f"http://127.0.0.1:{APP_UNCACHED_PORT}{path}")
                    run(page, "uncached", "gunicorn", f"http://127.0.0.1:{APP_UNCACHED_PORT}{path}")
            finally:
                stop(uncached)

        targets = [("gunicorn", APP_PORT)] + ([] if nginx is None else [("nginx", NGINX_PORT)])
        for target, port in targets:
            for page, path in pages.items():
                url = f"http://127.0.0.1:{port}{path}"
                if "cold" in args.states:
                    clear_caches(args.redis_db, prefix if nginx is not None else None)
                    run(page, "cold", target, url)
                if "warm" in args.states:
                    fetch(url)
                    fetch(url)
                    run(page, "warm", target, url)
                if "changed" in args.states:
                    # As right after a publish: the pages are stored, the generation is new.
                    fetch(url)
                    new_generation(args.redis_db)
                    run(page, "changed", target, url)
        if nginx is not None:
            run("article", "static", "ceiling", f"http://127.0.0.1:{CEILING_PORT}/")

        memory = worker_memory(gunicorn_master(app))
        rendering = render_times(args.postgres, args.redis_db)
    finally:
        for process in reversed(processes):
            stop(process)
        shutil.rmtree(prefix, ignore_errors=True)

    report(results, memory, rendering, args, info, time.time() - started)
    if args.json:
        Path(args.json).write_text(json.dumps({"results": results, "memory": memory, "rendering": rendering}, indent=2))


def report_cpu(cpu):
    print("\nCPU per request in one process, no page cache (median; load-independent):")
    print("| page     | Django ms | PostgreSQL ms |")
    print("|----------|----------:|--------------:|")
    for page, row in cpu.items():
        print(f"| {page:8} | {row['django_ms']:9.2f} | {row['postgres_ms']:13.2f} |")
    print(flush=True)


def report(results, memory, rendering, args, info, seconds):
    ceiling = next((r["rps"] for r in results if r["target"] == "ceiling"), None)
    print()
    print(
        f"Portal serving benchmark: {info['published']} published essays on PostgreSQL, "
        f"gunicorn {args.workers} {args.worker_class} workers"
        f"{f' x {args.threads} threads' if args.threads > 1 else ''}, Redis cache, "
        f"wrk -t1 -c{args.connections} -d{args.duration}s, {os.cpu_count()} CPUs"
    )
    print()
    header = f"| {'page':8} | {'state':8} | {'via':8} | {'req/s':>8} | {'p50 ms':>7} | {'p99 ms':>7} | {'of ceiling':>10} | {'errors':>6} | load (1/5/15 min) |"
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    for r in results:
        ratio = f"{r['rps'] / ceiling:.1%}" if ceiling else "-"
        print(
            f"| {r['page']:8} | {r['state']:8} | {r['target']:8} | {r['rps']:8.0f} | {r['p50']:7.2f} | "
            f"{r['p99']:7.2f} | {ratio:>10} | {r['errors']:6} | {r['load']:17} |"
        )
    print()
    for pid, rss, pss in memory:
        print(f"gunicorn worker {pid}: RSS {rss:.0f} MB, PSS {pss:.0f} MB (after every run above)")
    print(
        f"essay page in one process (median of {rendering['samples']}): rendered for storage "
        f"{rendering['render_ms']:.1f} ms, served from its stored page {rendering['serve_ms']:.2f} ms"
    )
    print(f"\n{seconds:.0f} s in all; load average now {load()}")


if __name__ == "__main__":
    main()
