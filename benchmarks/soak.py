"""A mixed soak: readers and an editor for ``--minutes``, the web workers' memory sampled throughout.

    .venv/bin/python benchmarks/soak.py                     # 10 minutes, publishing every 20 s
    .venv/bin/python benchmarks/soak.py --minutes 2 --essays 500 --keep

What it measures: whether a web worker's memory stays bounded while the
site is read and written at once (issue 17's target: RSS < 150 MB per web
worker through 10 minutes with a publish every 20 s). Background work
(search indexing, 问题库 regrouping, stored pages) runs in the task worker
(``manage.py db_worker``), not in the web workers; the task worker's memory is
sampled too.

Set-up on loopback, removed at exit unless ``--keep``: a PostgreSQL database
``portal_bench_soak`` prepared like the withdrawal benchmark's (``load_demo``,
``--essays`` generated essays with problems and countermeasures, a
superuser, ``regroup_items``); gunicorn with config/gunicorn.conf.py (2 gthread
workers x 8 threads, DEBUG off, page cache on, Redis database ``--redis-db``);
one ``db_worker``. Load: ``--readers`` threads cycling over the home page, list
pages (deep pages too), searches with distinct terms (the cache never holds
them), essay pages, topic pages and both library indexes; every
``--publish-every`` seconds the editor (admin, over HTTP) withdraws one of the
generated essays or publishes it again (``unpublish_selected`` /
``publish_selected``), which starts a new cache generation, a search update
and a regroup.

Prints, per minute: requests, errors, p50/p99 latency, each web worker's RSS
and the task worker's RSS; then the maxima and how many background tasks ran.
Numbers live here, never in tests.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import withdrawal  # noqa: E402 - after the path is set
from benchmarks.serving import (  # noqa: E402
    DEFAULT_POSTGRES,
    MEDIA_ROOT,
    PY,
    bench_env,
    collectstatic,
    ensure_database,
    get_kept_alive,
    load,
    log,
    start_gunicorn,
    stop,
    worker_memory,
)

DATABASE = "portal_bench_soak"
# The task worker as deploy/systemd/portal-worker.service runs it.
WORKER = ["db_worker", "--queue-name", "default,library", "--interval", "1", "--no-reload"]
SEARCH_TERMS = [
    "党员教育",
    "组织生活",
    "基层治理",
    "考核评价",
    "书记队伍",
    "作风建设",
    "主体责任",
    "发展党员",
    "阵地建设",
    "村级组织",
    "乡村振兴",
    "党建引领",
    "干部培训",
    "群众工作",
    "制度建设",
    "监督执纪",
    "网格管理",
    "人才队伍",
]


def rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return 0.0
    return 0.0


def descendants(pid):
    """Every process below ``pid`` (the task worker runs under its own session)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found.append(child)
            queue.append(child)
    return found


def pages_of(env):
    """Essay slugs, topic paths and the generated essays' ids, read in a child with the app's settings."""
    code = (
        "import django, json; django.setup()\n"
        "from articles.models import Article; from topics.models import Topic\n"
        "essays = list(Article.objects.published().values_list('slug', flat=True)[:400])\n"
        "topics = [t.get_absolute_url() for t in Topic.objects.all()]\n"
        "generated = list(Article.all_objects.filter(slug__startswith='wd-').order_by('pk')"
        ".values_list('pk', flat=True)[:60])\n"
        "print(json.dumps({'essays': essays, 'topics': topics, 'generated': generated}))\n"
    )
    import json

    out = subprocess.run([str(PY), "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def task_counts(env):
    code = (
        "import django; django.setup()\n"
        "from django.db.models import Count\n"
        "try:\n"
        "    from django_tasks_db.models import DBTaskResult\n"
        "except ImportError:\n"
        "    print('no task queue'); raise SystemExit\n"
        "rows = DBTaskResult.objects.values('task_path', 'status').annotate(n=Count('id')).order_by('task_path')\n"
        "for row in rows: print(f\"  {row['task_path']}: {row['status']} {row['n']}\")\n"
    )
    out = subprocess.run([str(PY), "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    return out.stdout.rstrip() or out.stderr.strip().splitlines()[-1:]


class Readers:
    def __init__(self, port, paths, threads):
        self.port, self.paths, self.count = port, paths, threads
        self.records, self.lock, self.halt = [], threading.Lock(), threading.Event()

    def start(self):
        self.threads = [threading.Thread(target=self._loop, args=(n,), daemon=True) for n in range(self.count)]
        for thread in self.threads:
            thread.start()

    def _path(self, rng):
        kind = rng.choice(["home", "list", "deep", "search", "essay", "essay", "essay", "topic", "library"])
        if kind == "home":
            return "/"
        if kind == "list":
            return "/articles/"
        if kind == "deep":
            return f"/articles/?page={rng.randint(2, 60)}"
        if kind == "search":
            return f"/articles/?q={random_term(rng)}"
        if kind == "essay":
            return f"/articles/{rng.choice(self.paths['essays'])}/"
        if kind == "topic":
            return rng.choice(self.paths["topics"])
        return rng.choice(["/library/problems/", "/library/countermeasures/"])

    def _loop(self, seed):
        rng, connection = random.Random(seed), None
        while not self.halt.is_set():
            path = self._path(rng)
            started = time.monotonic()
            connection, status = get_kept_alive(connection, self.port, path, 10)
            with self.lock:
                self.records.append((started, time.monotonic() - started, status))

    def stop(self):
        self.halt.set()
        for thread in self.threads:
            thread.join(15)


def random_term(rng):
    from urllib.parse import quote

    first, second = rng.sample(SEARCH_TERMS, 2)
    return quote(f"{first} {second}" if rng.random() < 0.5 else first)


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def prepare_database(postgres_url, drop=False):
    ensure_database(postgres_url, DATABASE, drop)


def interrupt(*_):
    raise KeyboardInterrupt


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--publish-every", type=float, default=20, help="seconds between the editor's changes")
    parser.add_argument("--essays", type=int, default=2000, help="generated essays besides the demo ones")
    parser.add_argument("--readers", type=int, default=16)
    parser.add_argument("--redis-db", type=int, default=13)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--keep", action="store_true", help="leave the database for the next run")
    args = parser.parse_args()

    signal.signal(signal.SIGTERM, interrupt)  # cleaned up like Ctrl-C
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-soak-"))
    processes, started = [], time.time()
    env = bench_env(args.postgres, page_cache=True, redis_db=args.redis_db, port=withdrawal.free_port())
    port = int(env["GUNICORN_BIND"].rsplit(":", 1)[1])
    env.update(
        {
            "DATABASE_URL": f"{args.postgres}/{DATABASE}",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SUPERUSER_USERNAME": withdrawal.EDITOR,
            "DJANGO_SUPERUSER_PASSWORD": withdrawal.PASSWORD,
            "DJANGO_SUPERUSER_EMAIL": "editor@example.invalid",
        }
    )
    try:
        log(f"load average at start: {load()}")
        prepare_database(args.postgres)
        log("preparing the database …")
        subprocess.run(
            [str(PY), str(ROOT / "benchmarks" / "withdrawal.py"), "--child", "prepare", "--essays", str(args.essays)],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(["redis-cli", "-n", str(args.redis_db), "flushdb"], check=True, stdout=subprocess.DEVNULL)
        collectstatic(args.postgres)
        MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
        # What the preparation queued (indexing the generated essays, a regroup) runs
        # now, so that the soak measures the steady state, not a backlog.
        log("running the tasks the preparation queued …")
        subprocess.run(
            [str(PY), "manage.py", *WORKER, "--batch"],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        paths = pages_of(env)
        app_log = open(workdir / "gunicorn.log", "w")
        gunicorn = start_gunicorn(env, port, app_log)
        processes.append(gunicorn)
        worker = subprocess.Popen(
            [str(PY), "manage.py", *WORKER],
            env=env,
            cwd=ROOT,
            start_new_session=True,
            stdout=open(workdir / "worker.log", "w"),
            stderr=subprocess.STDOUT,
        )
        processes.append(worker)

        editor = withdrawal.Editor(port)
        editor.login()
        readers = Readers(port, paths, args.readers)
        print(
            f"Soak: {args.minutes:g} min, {args.readers} readers, a change every {args.publish_every:g} s; "
            f"{args.essays} generated essays + the demo on PostgreSQL; gunicorn 2 gthread workers x 8 threads; "
            f"one task worker; {os.cpu_count()} CPUs"
        )
        print(
            f"{'min':>4} {'reqs':>7} {'err':>4} {'p50 ms':>7} {'p99 ms':>7} {'web RSS MB':>16} {'task RSS':>9} "
            f"{'changes':>7}  load"
        )
        readers.start()
        begin = time.monotonic()
        end = begin + args.minutes * 60
        next_change, next_sample, minute = begin + args.publish_every, begin + 60, 1
        changes, change_errors, rss_max, task_max = 0, 0, {}, 0.0
        generated = paths["generated"]
        while time.monotonic() < end:
            now = time.monotonic()
            if now >= next_change:
                pk = generated[changes // 2 % len(generated)]
                action = "unpublish_selected" if changes % 2 == 0 else "publish_selected"
                status, _, _ = editor.withdraw(action, pk)
                change_errors += status != 302
                changes += 1
                next_change += args.publish_every
            web = {pid: rss for pid, rss, _ in worker_memory(gunicorn.pid)}
            for pid, rss in web.items():
                rss_max[pid] = max(rss_max.get(pid, 0.0), rss)
            task_rss = sum(rss_mb(pid) for pid in [worker.pid, *descendants(worker.pid)])
            task_max = max(task_max, task_rss)
            if now >= next_sample:
                with readers.lock:
                    window = [r for r in readers.records if now - 60 <= r[0] < now]
                latencies = [r[1] * 1000 for r in window]
                errors = sum(1 for r in window if r[2] == 0 or r[2] >= 500)
                print(
                    f"{minute:>4} {len(window):>7} {errors:>4} {percentile(latencies, 0.5):>7.0f} "
                    f"{percentile(latencies, 0.99):>7.0f} {' '.join(f'{v:.0f}' for v in web.values()):>16} "
                    f"{task_rss:>9.0f} {changes:>7}  {load()}",
                    flush=True,
                )
                minute += 1
                next_sample += 60
            time.sleep(min(1.0, max(0.0, min(next_change, next_sample, end) - time.monotonic())))
        readers.stop()
        records = readers.records
        latencies = [r[1] * 1000 for r in records]
        errors = sum(1 for r in records if r[2] == 0 or r[2] >= 500)
        print(
            f"\nall: {len(records)} requests, {errors} errors (5xx or no answer), p50 {percentile(latencies, 0.5):.0f} ms, "
            f"p99 {percentile(latencies, 0.99):.0f} ms; {changes} editor changes, {change_errors} not answered 302"
        )
        print(
            "max RSS per web worker: "
            + ", ".join(f"{v:.0f} MB" for v in rss_max.values())
            + f"; task worker max {task_max:.0f} MB"
        )
        print("background tasks (task path: status count):")
        counts = task_counts(env)
        print(counts if isinstance(counts, str) else "\n".join(counts))
        print(f"\n{time.time() - started:.0f} s in all; load average now {load()}")
    except KeyboardInterrupt:
        log("interrupted: cleaning up")
    finally:
        for process in reversed(processes):
            stop(process)
        if not args.keep:
            prepare_database(args.postgres, drop=True)


if __name__ == "__main__":
    main()
