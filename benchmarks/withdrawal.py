"""How long a withdrawn essay is still served after the withdrawal commits.

The public must see exactly what the committee approved: once an editor
withdraws an essay, no public page may show it. Under continuous load, and
with Redis healthy, slow, hung, blipping or restarting, this measures the
last moment each public page still served the withdrawn essay, straight from
gunicorn (Django) and through the shipped nginx config (deploy/nginx/local.py).

    .venv/bin/python benchmarks/withdrawal.py                  # every scenario, 10 s each
    .venv/bin/python benchmarks/withdrawal.py --scenarios normal redis-hung --seconds 10 --keep

Set-up, loopback only, removed at exit (Ctrl-C too): a PostgreSQL database
``portal_bench_withdrawal`` (``--fresh`` rebuilds it, ``--keep`` leaves it)
with ``load_demo``, ``--essays`` generated essays, ``regroup_items`` and a
superuser; a redis-server of its own behind a TCP relay thread that can delay
Redis's answers (the app's REDIS_URL); gunicorn with config/gunicorn.conf.py
(2 gthread workers x 8 threads, DEBUG off, default page-cache settings) and
nginx in front. The victim is the newest published essay with a topic and
问题库 items (a demo essay).

Each scenario republishes the victim, regroups, waits until its pages show
it, then 16 reader threads (8 to gunicorn, 8 through nginx, kept-alive
http.client connections, 5 s timeouts counted as errors) cycle over the essay
page, the home page, its topic pages, the theme pages listing its items, both
library indexes and the sitemap, and one poller per target fetches the CSV
export of one of its themes every 0.5 s (a 429 is counted, not an error).
After a 2 s warm-up the editor withdraws the essay through the admin over
HTTP, straight to gunicorn: the changelist action ``unpublish_selected``
(``archive_selected``, and ``delete_selected`` = the recycle bin, in the
``archive`` and ``recycle-bin`` scenarios). Faults around the withdrawal W:

    normal, archive, recycle-bin   none
    redis-slow      every answer of Redis delayed 300 ms (the whole scenario)
    redis-hung      SIGSTOP Redis at W-1 s, SIGCONT at W+4 s (the invalidation is lost)
    redis-blip      SIGSTOP at W-0.2 s, SIGCONT at W+0.5 s
    redis-restart   SIGKILL at W-1 s, started again empty at W+2 s

Times are relative to the response of the withdrawal POST (the commit
happened before it). "Shows the title": the body holds the victim's title
(the sitemap: its address). Targets, a row missing one is marked MISSED:
Django direct, no 200 showing the title for a request STARTED after the
POST's response; nginx, none started more than 5 s after it.
Numbers live in this output, never in tests.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.serving import (  # noqa: E402 - after the path is set
    DEFAULT_POSTGRES,
    MEDIA_ROOT,
    PY,
    STATIC_ROOT,
    _nginx_local,
    bench_env,
    collectstatic,
    load,
    log,
    start_gunicorn,
    stop,
    wait_for,
)

DATABASE = "portal_bench_withdrawal"
EDITOR, PASSWORD = "bench-editor", "withdrawal-bench-Pa55word!"
TIMEOUT = 5.0  # seconds, every request
READERS_PER_TARGET = 8
WARMUP = 2.0
NGINX_LIMIT_MS = 5000
# scenario: (admin action, [(seconds from W, fault step)], relay delay in seconds)
SCENARIOS = {
    "normal": ("unpublish_selected", [], 0.0),
    "archive": ("archive_selected", [], 0.0),
    "recycle-bin": ("delete_selected", [], 0.0),
    "redis-slow": ("unpublish_selected", [], 0.3),
    "redis-hung": ("unpublish_selected", [(-1.0, "stop"), (4.0, "cont")], 0.0),
    "redis-blip": ("unpublish_selected", [(-0.2, "stop"), (0.5, "cont")], 0.0),
    "redis-restart": ("unpublish_selected", [(-1.0, "kill"), (2.0, "start")], 0.0),
}
LEAD = 1.0  # seconds between the start of the measured window and W


def child(command, essays):
    """In a child process with the benchmark's environment: prepare the database or
    republish the victim, then print the victim's pages as one JSON line."""
    import django

    django.setup()
    from django.core.management import call_command

    if command == "prepare":
        prepare_site(essays)
        call_command("regroup_items", "--no-progress", verbosity=0)
    victim = find_victim()
    if victim is None:
        raise SystemExit("no published essay with a topic and library items")
    if republish(victim):
        call_command("regroup_items", "--no-progress", verbosity=0)
    print(json.dumps(victim_pages(victim), ensure_ascii=False))


def prepare_site(essays):
    """The benchmark's site (in a child with its environment): migrated, the demo content,
    ``essays`` generated essays and the editor's superuser account (DJANGO_SUPERUSER_*)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    generate(essays)
    if not get_user_model().objects.filter(username=EDITOR).exists():
        call_command("createsuperuser", interactive=False, verbosity=0)


def generate(essays):
    """``essays`` published essays with problems and countermeasures (benchmarks/library.py's
    generator), older than the demo essays, in the demo topics; once per database."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from articles.models import Article, Section
    from benchmarks.library import Generator
    from topics.models import Topic

    have = Article.all_objects.filter(slug__startswith="wd-").count()
    if have >= essays:
        return
    log(f"generating {essays - have} essays …")
    topics = list(Topic.objects.filter(parent__isnull=False)) or list(Topic.objects.all())
    from articles import events

    generator, now = Generator(seed=4242), timezone.now()
    with transaction.atomic(), events.changes():  # one follow-up task for all of them
        for number in range(have, essays):
            essay = generator.essay(number)
            article = Article.objects.create(
                title=essay["title"],
                slug=f"wd-{number}",
                author_org=essay["author_org"],
                lead="<p>为深入了解基层党建工作情况，课题组开展了专题调研。</p>",
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(days=10 + (number * 37) % 990, hours=number % 24),
            )
            Section.objects.bulk_create(
                Section(
                    article=article,
                    position=position,
                    level=level,
                    number=num,
                    heading=heading[:300],
                    kind=kind,
                    body=body,
                )
                for position, (level, num, heading, kind, body, _) in enumerate(essay["sections"])
            )
            article.topics.set([topics[number % len(topics)], topics[(number * 7 + 3) % len(topics)]])


def find_victim():
    """The essay a previous run withdrew, else the newest published essay with a topic and library items."""
    from articles.models import Article, ArticleTransition
    from library.models import LibraryItem

    earlier = ArticleTransition.objects.filter(user__username=EDITOR).values_list("article_id", flat=True).first()
    if earlier is not None:
        return Article.all_objects.get(pk=earlier)
    with_items = LibraryItem.objects.values("article_id")
    return (
        Article.objects.published()
        .filter(topics__isnull=False, pk__in=with_items)
        .order_by("-published_at")
        .distinct()
        .first()
    )


def republish(article):
    """Back online: out of the recycle bin, published (its publish time kept); True if it was not."""
    from articles.editing import workflow

    changed = article.deleted_at is not None or not article.is_public
    if article.deleted_at is not None:
        workflow.restore_from_recycle_bin(article, None)
    if not article.is_public:
        workflow.publish(article, None, confirm_secrecy=True)
    return changed


def victim_pages(article):
    """The victim's public pages: {name: path}, plus its pk, title and slug."""
    from library.models import LibraryItem, Theme

    article.refresh_from_db()
    theme_ids = LibraryItem.objects.filter(article=article, theme__isnull=False).values_list("theme_id", flat=True)
    themes = Theme.objects.filter(pk__in=set(theme_ids)).order_by("library", "pk")
    pages = {"essay": article.get_absolute_url(), "home": "/"}
    pages.update({f"topic {t.slug}"[:24]: t.get_absolute_url() for t in article.topics.all()})
    pages.update({f"{t.library} {t.pk}": t.get_absolute_url() for t in themes})
    pages.update(
        {
            "problems index": "/library/problems/",
            "countermeasures index": "/library/countermeasures/",
            "sitemap": "/sitemap.xml",
        }
    )
    first = themes.filter(library="problems").first() or themes.first()
    csv = f"/library/{first.library}/export.csv?theme={first.pk}" if first else None
    return {"pk": article.pk, "title": article.title, "slug": article.slug, "pages": pages, "csv": csv}


def free_port(pair=False):
    """A free loopback port (``pair``: its successor too, for nginx's redirect server)."""
    while True:
        with socket.socket() as probe, socket.socket() as successor:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
            try:
                if pair:
                    successor.bind(("127.0.0.1", port + 1))
                return port
            except OSError:
                pass


class Redis:
    """A redis-server of our own (no persistence) that can be frozen, killed and restarted."""

    def __init__(self, workdir):
        self.port, self.workdir = free_port(), workdir
        self.start()

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=open(self.workdir / "redis.log", "a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("redis-server did not start")

    def signal(self, step):
        """Apply one fault step: stop, cont, kill or start."""
        if step == "start":
            self.start()
        elif self.process.poll() is None:
            self.process.send_signal({"stop": signal.SIGSTOP, "cont": signal.SIGCONT, "kill": signal.SIGKILL}[step])
            if step == "kill":
                self.process.wait()

    def healthy(self):
        """Running and not frozen, whatever the scenario did."""
        self.signal("start" if self.process.poll() is not None else "cont")

    def close(self):
        self.signal("cont")
        self.process.kill()
        self.process.wait()


class Relay:
    """A TCP relay in front of Redis (a thread per direction and connection) that can delay
    every answer of Redis by ``delay`` seconds: a slow Redis. The delay is per command (the
    first bytes after a request), not per TCP segment of a large answer (a stored page)."""

    def __init__(self, upstream_port):
        self.upstream, self.delay, self.sockets = upstream_port, 0.0, set()
        self.server = socket.create_server(("127.0.0.1", 0), backlog=256)
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream), timeout=1)
                upstream.settimeout(None)
            except OSError:  # Redis is down: the app sees its connection close
                client.close()
                continue
            self.sockets.update((client, upstream))
            asked = threading.Event()  # a command went to Redis, its answer has not started
            threading.Thread(target=self._pump, args=(client, upstream, asked, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, asked, True), daemon=True).start()

    def _pump(self, source, target, asked, from_redis):
        try:
            while data := source.recv(65536):
                if not from_redis:
                    asked.set()
                elif asked.is_set():
                    asked.clear()
                    if self.delay:
                        time.sleep(self.delay)
                target.sendall(data)
        except OSError:
            pass
        for sock in (source, target):  # one side closed: close both
            self.sockets.discard(sock)
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def close(self):
        self.server.close()
        for sock in list(self.sockets):
            sock.close()


def shut(process):
    """End gunicorn or nginx at once (SIGINT: their quick shutdown), else as serving.py does."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            stop(process)  # SIGTERM, then SIGKILL


class LogTail:
    """gunicorn's output (Django's warnings, tracebacks), each line stamped with
    time.monotonic() when it was read (every 50 ms; stderr is line-buffered)."""

    def __init__(self, path):
        self.lines, self.file, self.halt = [], open(path, errors="replace"), threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        pending = ""
        while not self.halt.wait(0.05):
            *complete, pending = (pending + self.file.read()).split("\n")
            now = time.monotonic()
            self.lines.extend((now, line) for line in complete if line.strip())

    def since(self, moment):
        return [(t, line) for t, line in list(self.lines) if t >= moment]


def prepare_database(postgres_url, fresh, drop=False):
    """Create (``fresh``: recreate) the benchmark database; ``drop``: just drop it."""
    import psycopg2

    admin = psycopg2.connect(postgres_url + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        if fresh or drop:
            cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        if not drop:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE])
            if not cursor.fetchone():
                cursor.execute(f'CREATE DATABASE "{DATABASE}"')
    admin.close()


def request(connection, method, path, headers=None, body=None):
    """(status, body) of one request on a kept-alive connection; raises on a network error or timeout."""
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, response.read(), response


class Editor:
    """The editor in the admin, over HTTP straight to gunicorn (cookies and CSRF by hand)."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    def _send(self, method, path, fields=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            status, content, response = request(connection, method, path, headers, body)
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.update({name: morsel.value for name, morsel in SimpleCookie(header).items()})
        return status, content

    def token(self, path):
        """The CSRF token of the form on ``path``."""
        status, content = self._send("GET", path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or not match:
            raise SystemExit(f"admin {path}: {status}, no CSRF token")
        return match.group(1).decode()

    def login(self):
        token = self.token("/admin/login/")
        status, _ = self._send(
            "POST",
            "/admin/login/?next=/admin/",
            {"csrfmiddlewaretoken": token, "username": EDITOR, "password": PASSWORD, "next": "/admin/"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"admin login failed ({status})")
        self.changelist_token = self.token("/admin/articles/article/")

    def withdraw(self, action, pk):
        """POST the changelist action; returns (status, sent, answered) in time.monotonic()."""
        fields = {
            "csrfmiddlewaretoken": self.changelist_token,
            "action": action,
            "_selected_action": str(pk),
            "index": "0",
            "select_across": "0",
        }
        if action == "delete_selected":
            fields["post"] = "yes"  # the confirmation page's answer
        elif action in ("unpublish_selected", "archive_selected"):
            fields.update(post="yes", reason="基准测试：紧急撤回")  # the reason page's answer
        sent = time.monotonic()
        status, _ = self._send("POST", "/admin/articles/article/", fields)
        return status, sent, time.monotonic()


class Readers:
    """Reader threads and CSV pollers; every response is one record:
    (target, page, start, end, status (0: error or timeout), shows the victim)."""

    def __init__(self, targets, pages, csv, needles):
        self.targets, self.pages, self.csv, self.needles = targets, pages, csv, needles
        self.records, self.halt, self.threads = [], threading.Event(), []

    def start(self):
        names = list(self.pages)
        for target, port in self.targets.items():
            for index in range(READERS_PER_TARGET):  # each starts elsewhere in the cycle
                offset = index * len(names) // READERS_PER_TARGET
                order = names[offset:] + names[:offset]
                self.threads.append(threading.Thread(target=self._loop, args=(target, port, order, 0.0), daemon=True))
            if self.csv:
                self.threads.append(threading.Thread(target=self._loop, args=(target, port, ["csv"], 0.5), daemon=True))
        for thread in self.threads:
            thread.start()

    def _loop(self, target, port, order, pause):
        records, connection = [], None
        while not self.halt.is_set():
            for name in order:
                if self.halt.is_set():
                    break
                path = self.csv if name == "csv" else self.pages[name]
                connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
                started = time.monotonic()
                try:
                    status, body, response = request(connection, "GET", path)
                    shows = _shows(body, self.needles[name])
                    if response.will_close:
                        connection.close()
                        connection = None
                except (OSError, http.client.HTTPException):
                    status, shows = 0, False
                    connection.close()
                    connection = None
                records.append((target, name, started, time.monotonic(), status, shows))
                if pause:
                    self.halt.wait(pause)
        self.records.extend(records)  # list.extend is atomic under the GIL

    def stop(self):
        self.halt.set()
        for thread in self.threads:
            thread.join(TIMEOUT + 5)


def _shows(body, needles):
    """The body holds one of ``needles``; titles carry <wbr> between their words (filter word_breaks)."""
    body = body.replace(b"<wbr>", b"")
    return any(needle in body for needle in needles)


def wait_until_shown(targets, pages, needles, timeout=60):
    """Until every page that should list the victim (all but the indexes) shows it on every target."""
    pending = {(t, n) for t in targets for n in pages if "index" not in n}
    deadline = time.time() + timeout
    while pending and time.time() < deadline:
        for target, name in sorted(pending):
            connection = http.client.HTTPConnection("127.0.0.1", targets[target], timeout=TIMEOUT)
            with contextlib.suppress(OSError, http.client.HTTPException), contextlib.closing(connection):
                status, body, _ = request(connection, "GET", pages[name])
                if status == 200 and _shows(body, needles[name]):
                    pending.discard((target, name))
        time.sleep(0.2)
    if pending:
        log(f"  not shown after {timeout} s (measuring anyway): {sorted(pending)}")


def run_scenario(name, ctx, seconds):
    """Republish, load, withdraw under the scenario's fault; returns (records, timeline)."""
    action, faults, delay = SCENARIOS[name]
    out = subprocess.run(
        [str(PY), __file__, "--child", "republish"],
        env=ctx["env"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    victim = json.loads(out.stdout.strip().splitlines()[-1])
    title, url = victim["title"], f"/articles/{victim['slug']}/"
    # What shows the victim: its title (as is or HTML-escaped), in the sitemap its address.
    needles = {
        name: [url.encode()] if name == "sitemap" else [title.encode(), html.escape(title).encode()]
        for name in [*victim["pages"], "csv"]
    }
    wait_until_shown(ctx["targets"], victim["pages"], needles)
    editor = Editor(ctx["targets"]["gunicorn"])
    editor.login()
    ctx["relay"].delay = delay
    readers = Readers(ctx["targets"], victim["pages"], victim["csv"], needles)
    readers.start()
    timeline = {"victim": victim, "action": action}
    try:
        time.sleep(WARMUP)
        timeline["window"] = time.monotonic()
        withdrawal = timeline["window"] + LEAD
        steps = []

        def apply_faults():
            for offset, step in faults:
                time.sleep(max(0.0, withdrawal + offset - time.monotonic()))
                ctx["redis"].signal(step)
                steps.append((step, time.monotonic()))

        fault_thread = threading.Thread(target=apply_faults, daemon=True)
        fault_thread.start()
        time.sleep(max(0.0, withdrawal - time.monotonic()))
        timeline["status"], timeline["sent"], timeline["answered"] = editor.withdraw(action, victim["pk"])
        time.sleep(seconds)
        fault_thread.join()
        timeline["steps"] = steps
    finally:
        readers.stop()
        ctx["relay"].delay = 0.0
        ctx["redis"].healthy()
    return readers.records, timeline


def percentile(values, fraction):
    """The ``fraction`` percentile of ``values`` (milliseconds), formatted; "-" without values."""
    ordered = sorted(values)
    return f"{ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]:.1f}" if ordered else "-"


def report(name, records, timeline, gunicorn_log):
    """Print the scenario's table; return its summary lines."""
    zero = timeline["answered"]
    ms = lambda moment: (moment - zero) * 1000  # noqa: E731
    print(f"\n== {name}: {timeline['action']} of essay {timeline['victim']['pk']} «{timeline['victim']['title']}» ==")
    steps = ", ".join(f"{step} at {ms(moment):+.0f} ms" for step, moment in timeline.get("steps", []))
    print(
        f"withdrawal POST sent at {ms(timeline['sent']):+.0f} ms, answered {timeline['status']} at 0 "
        f"(took {(zero - timeline['sent']) * 1000:.0f} ms){'; Redis: ' + steps if steps else ''}; "
        f"load {load()}" + ("" if timeline["status"] == 302 else "  -- NOT a redirect: did it go through?")
    )
    header = (
        f"| {'via':8} | {'page':24} | {'reqs':>5} | {'last title, start':>17} | {'last title, end':>15} | "
        f"{'5xx':>4} | {'err':>4} | {'429':>4} | {'p50 ms':>7} | {'p99 ms':>7} | {'max ms':>7} | target |"
    )
    print(header)
    print("|" + "|".join("-" * len(cell) for cell in header.split("|")[1:-1]) + "|")
    worst = {}
    for target in ("gunicorn", "nginx"):
        limit = 0 if target == "gunicorn" else NGINX_LIMIT_MS
        for page in [*timeline["victim"]["pages"], "csv"]:
            every = [r for r in records if r[0] == target and r[1] == page]
            shown = [r for r in every if r[4] == 200 and r[5]]  # the warm-up counts here: "never" is never
            rows = [r for r in every if r[2] >= timeline["window"]]
            latencies = [(r[3] - r[2]) * 1000 for r in rows]
            by_start = max((ms(r[2]) for r in shown), default=None)
            by_end = max((ms(r[3]) for r in shown), default=None)
            missed = by_start is not None and by_start > limit
            if by_start is not None:
                worst[target] = max(worst.get(target, by_start), by_start)
            fmt = lambda value: "never" if value is None else f"{value:+.0f} ms"  # noqa: E731
            print(
                f"| {target:8} | {page:24} | {len(rows):5} | {fmt(by_start):>17} | {fmt(by_end):>15} | "
                f"{sum(r[4] >= 500 for r in rows):4} | {sum(r[4] == 0 for r in rows):4} | "
                f"{sum(r[4] == 429 for r in rows):4} | {percentile(latencies, 0.5):>7} | "
                f"{percentile(latencies, 0.99):>7} | {percentile(latencies, 1.0):>7} | {'MISSED' if missed else 'ok':6} |"
            )
    # gunicorn's messages since the republish, digits folded: count, first and last time.
    messages = {}
    for moment, line in gunicorn_log:
        if not line.startswith(" "):
            messages.setdefault(re.sub(r"\d+", "#", line.strip())[:110], []).append(ms(moment))
    for message, times in sorted(messages.items(), key=lambda item: min(item[1])):
        print(f"  gunicorn log x{len(times):<4} {min(times):+7.0f} .. {max(times):+7.0f} ms  {message}")
    django, nginx = worst.get("gunicorn"), worst.get("nginx")
    lines = [
        f"{name:13} Django direct: last 200 with the title at "
        + ("never" if django is None else f"{django:+.0f} ms")
        + " (by request start)"
        + ("" if django is None or django <= 0 else "  MISSED (target: none started after the POST's response)"),
        f"{name:13} nginx: "
        + ("never" if nginx is None else f"{nginx / 1000:+.1f} s")
        + ("" if nginx is None or nginx <= NGINX_LIMIT_MS else "  MISSED (target: none after +5 s)"),
    ]
    for line in lines:
        print(line)
    return lines


def interrupt(*_):
    raise KeyboardInterrupt


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS), choices=list(SCENARIOS))
    parser.add_argument("--seconds", type=float, default=10, help="measuring time after the withdrawal")
    parser.add_argument("--essays", type=int, default=300, help="generated essays besides the demo ones")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="server URL without a database name")
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the benchmark database")
    parser.add_argument("--keep", action="store_true", help="leave the database for the next run")
    parser.add_argument("--json", help="also write every response's record to this file")
    parser.add_argument("--child", choices=["prepare", "republish"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.essays)
        return

    # Ctrl-C and SIGTERM clean up (SIGINT too when started with it ignored, as by `cmd &` in a script).
    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, interrupt)
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-withdrawal-"))
    workdir.chmod(0o755)  # nginx's workers reach the cache under it
    started, processes, ctx, summary, dump = time.time(), [], {}, [], []
    try:
        log(f"load average at start: {load()}")
        prepare_database(args.postgres, args.fresh)
        redis = ctx["redis"] = Redis(workdir)
        relay = ctx["relay"] = Relay(redis.port)
        app_port, nginx_port = free_port(), free_port(pair=True)
        env = bench_env(args.postgres, page_cache=True, redis_db=None, port=app_port)
        env.update(
            {
                "DATABASE_URL": f"{args.postgres}/{DATABASE}",
                "LOG_LEVEL": "WARNING",
                "DJANGO_SUPERUSER_USERNAME": EDITOR,
                "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
                "DJANGO_SUPERUSER_EMAIL": "editor@example.invalid",
                # The export poller asks twice a second from one address: what the
                # export shows is measured here, not its rate limit (tested elsewhere).
                "LIBRARY_EXPORT_RATE_LIMIT": "100000",
            }
        )
        # Children (prepare, republish) talk to Redis directly, the app through the relay.
        ctx["env"] = {
            **env,
            "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
            "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        }
        log("preparing the database …")
        subprocess.run(
            [str(PY), __file__, "--child", "prepare", "--essays", str(args.essays)],
            env=ctx["env"],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        collectstatic(args.postgres)
        MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
        app_log = open(workdir / "gunicorn.log", "w")
        tail = LogTail(workdir / "gunicorn.log")
        processes.append(start_gunicorn({**env, "REDIS_URL": f"redis://127.0.0.1:{relay.port}/0"}, app_port, app_log))
        nginx = _nginx_local().start(
            workdir / "nginx",
            app_port=app_port,
            port=nginx_port,
            static_root=STATIC_ROOT,
            media_root=MEDIA_ROOT,
            workers="auto",
        )
        processes.append(nginx)
        wait_for(f"http://127.0.0.1:{nginx_port}/healthz/ready", nginx)
        ctx["targets"] = {"gunicorn": app_port, "nginx": nginx_port}
        print(
            f"Withdrawal benchmark: {args.essays} generated essays + the demo on PostgreSQL, gunicorn 2 gthread "
            f"workers x 8 threads, own Redis behind a relay, shipped nginx; {READERS_PER_TARGET} readers per "
            f"target, {args.seconds:g} s after the withdrawal; {os.cpu_count()} CPUs"
        )
        print(
            "reqs, 5xx, err (timeouts, resets), 429 and latencies count from the end of the warm-up; "
            "'last title' is over the whole scenario ('never': no 200 showed it)"
        )
        for name in args.scenarios:
            log(f"scenario {name} …")
            begun = time.monotonic()
            records, timeline = run_scenario(name, ctx, args.seconds)
            time.sleep(0.1)  # the last lines of the log
            summary += report(name, records, timeline, tail.since(begun))
            dump.append({"scenario": name, "timeline": timeline, "records": records})
        print("\nSummary (times from the withdrawal POST's response; targets: Django < 0, nginx <= +5 s)")
        for line in summary:
            print(line)
        print(f"\n{time.time() - started:.0f} s in all; load average now {load()}")
        if args.json:
            Path(args.json).write_text(json.dumps(dump, ensure_ascii=False))
    except KeyboardInterrupt:
        log("interrupted: cleaning up")
    finally:
        # A second Ctrl-C must not leave processes or the database behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        steps = [lambda process=process: shut(process) for process in reversed(processes)]
        steps += [ctx[part].close for part in ("relay", "redis") if part in ctx]
        if not args.keep:
            steps.append(lambda: prepare_database(args.postgres, False, drop=True))
        for step in steps:
            try:
                step()
            except Exception as error:  # noqa: BLE001 - the other steps still run
                log(f"cleanup: {error!r}")
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
