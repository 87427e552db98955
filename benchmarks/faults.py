"""What readers and an editor see while the portal's parts fail (issue 18).

The portal runs as in production, on loopback only: PostgreSQL (a database of
its own, ``portal_bench_faults``), gunicorn with config/gunicorn.conf.py (2
gthread workers x 8 threads, DEBUG off, the page cache on), a task worker
(``db_worker``), and a redis-server of its own on a free port behind a TCP
relay that can delay Redis's answers. While reader threads cycle over the
public pages (home, lists, essays, topics, searches, the feed) and an editor
imports essays through the admin (the two-step import form, then the draft's
change page), each fault is applied, held, and cleared:

    redis-hung      redis-server stopped with SIGSTOP (hung, not refusing), then SIGCONT
    redis-refused   redis-server killed, started again empty when the fault ends
    redis-slow      every answer of Redis 150 ms late (between slow and the socket timeout)
    redis-crawl     every answer of Redis 400 ms late (beyond the socket timeout)
    worker-killed   a gunicorn worker killed with SIGKILL every 2 s (gunicorn starts another)
    disk-full       MEDIA_ROOT (a 4 MB tmpfs) filled; the editor uploads images meanwhile
    postgres-restart  the local PostgreSQL cluster restarted (only with --restart-postgres)
    restore-check   deploy/backup.sh, then deploy/restore_check.sh while the editor imports

    .venv/bin/python benchmarks/faults.py                  # every fault but the PostgreSQL restart
    .venv/bin/python benchmarks/faults.py --faults redis-hung redis-slow --seconds 10
    .venv/bin/python benchmarks/faults.py --restart-postgres   # also restart PostgreSQL (root)

For each fault it prints: requests and errors (a 5xx or no answer within 5 s,
counted from the fault until recovery), p50/p99 of the readers' requests
during the fault, the time from clearing the fault until ``/healthz`` reports
every part ok again (``recover``), what ``/healthz/ready`` answered during the
fault, the editor's saves (acknowledged / refused with a message / failed),
and data lost: every acknowledged import must be in the database afterwards
with its sections, and the counts of essays, sections, revisions and search
documents must not have fallen (before/after comparison).
"""

import argparse
import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.serving import (  # noqa: E402
    DEFAULT_POSTGRES,
    PY,
    bench_env,
    collectstatic,
    ensure_database,
    get_kept_alive,
    load,
    log,
)
from benchmarks.withdrawal import (  # noqa: E402
    EDITOR,
    PASSWORD,
    Editor,
    Redis,
    Relay,
    free_port,
    shut,
    start_gunicorn,
)

DATABASE = "portal_bench_faults"
TIMEOUT = 5.0
READERS = 12
FAULTS = [
    "redis-hung",
    "redis-refused",
    "redis-slow",
    "redis-crawl",
    "worker-killed",
    "disk-full",
    "postgres-restart",
    "restore-check",
]
SEARCH_TERMS = ["党员教育", "组织建设", "基层治理", "乡村振兴", "作风建设", "考核评价", "党支部", "志愿服务"]


def png(width, height):
    """A real PNG of random pixels (incompressible: about 3 bytes a pixel on disk)."""
    import io

    from PIL import Image

    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


# ------------------------------------------------------------------ the database, in a child process


def child(command, essays):
    import django

    django.setup()
    from django.db.models import Count

    from articles.models import Article, Section
    from articles.search.models import SearchDocument

    if command == "prepare":
        from benchmarks.withdrawal import prepare_site

        prepare_site(essays)
        if SearchDocument.objects.count() < Article.objects.published().count():
            from articles.search.indexing import rebuild

            rebuild(batch_size=500, progress=None)
        essays = list(Article.objects.published().order_by("-published_at").values_list("slug", flat=True)[:40])
        topics = list(Article.objects.published().values_list("topics__slug", flat=True).distinct()[:6])
        print(json.dumps({"essays": essays, "topics": [t for t in topics if t]}))
    elif command == "counts":
        from reversion.models import Version

        titles = json.loads(sys.stdin.read() or "[]")
        present = {
            title: count
            for title, count in Article.all_objects.filter(title__in=titles)
            .values_list("title")
            .annotate(n=Count("sections"))
        }
        print(
            json.dumps(
                {
                    "essays": Article.all_objects.count(),
                    "sections": Section.objects.count(),
                    "revisions": Version.objects.count(),
                    "search": SearchDocument.objects.count(),
                    "present": present,
                },
                ensure_ascii=False,
            )
        )


def run_child(env, command, essays=0, stdin=""):
    result = subprocess.run(
        [str(PY), __file__, "--child", command, "--essays", str(essays)],
        env=env,
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"child {command} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def prepare_database(postgres_url, drop=False):
    ensure_database(postgres_url, DATABASE, drop)


# ------------------------------------------------------------------ readers


class Readers:
    """Reader threads on kept-alive connections; each response is (start, end, status) (0: no answer)."""

    def __init__(self, port, pages):
        self.port, self.pages = port, pages
        self.records, self.halt, self.threads = [], threading.Event(), []

    def start(self):
        for index in range(READERS):
            thread = threading.Thread(target=self._loop, args=(index,), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _loop(self, index):
        connection, n = None, index
        while not self.halt.is_set():
            n += 1
            path = self.pages[n % len(self.pages)]
            if path == "search":
                term = SEARCH_TERMS[(n // len(self.pages) + index) % len(SEARCH_TERMS)]
                path = "/articles/?" + urllib.parse.urlencode({"q": term, "page": 1 + n % 3})
            started = time.monotonic()
            connection, status = get_kept_alive(connection, self.port, path, TIMEOUT)
            self.records.append((started, time.monotonic(), status))

    def stop(self):
        self.halt.set()
        for thread in self.threads:
            thread.join(TIMEOUT + 5)


class Monitor:
    """Polls /healthz and /healthz/ready every 0.25 s: (time, status of each)."""

    def __init__(self, port):
        self.port, self.records, self.halt = port, [], threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _get(self, path):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, json.loads(response.read() or b"{}")
        except (OSError, http.client.HTTPException, ValueError):
            return 0, {}
        finally:
            connection.close()

    def _loop(self):
        while not self.halt.wait(0.25):
            status, body = self._get("/healthz")
            ready, _ = self._get("/healthz/ready")
            self.records.append((time.monotonic(), status, body, ready))

    def stop(self):
        self.halt.set()
        self.thread.join(5)


# ------------------------------------------------------------------ the editor


class FormFields(HTMLParser):
    """The fields of each POST form of a page, as a browser would submit them (no button)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append([])
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and a.get("type", "text") not in ("submit", "button", "file", "image"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.forms[-1].append((a["name"], a.get("value", "on")))
        elif tag == "select" and a.get("name"):
            self._select = [a["name"], None, None]  # name, selected, first
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select[2] is None:
                self._select[2] = value
            if "selected" in a:
                self._select[1] = value
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            name, selected, first = self._select
            self.forms[-1].append((name, selected if selected is not None else first or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.forms[-1].append(tuple(self._textarea))
            self._textarea = None


def form_with(page, field):
    parser = FormFields()
    parser.feed(page.decode("utf-8", "replace"))
    for fields in parser.forms:
        if any(name == field for name, _ in fields):
            return fields
    return None


def essay_text(number):
    """An essay to import, unique by its title."""
    return "\n".join(
        [
            f"关于加强第{number}党支部标准化规范化建设的调研报告",
            "为深入了解基层党支部建设情况，课题组采取座谈交流、实地走访等方式开展了专题调研。现将有关情况报告如下。",
            "一、基本情况",
            "全镇共有基层党组织四十余个，党员一千余名，党支部标准化规范化建设全面推开。",
            "二、存在的主要问题",
            "（一）组织生活质量不高",
            "部分党支部“三会一课”流于形式，学习内容单一，党员参与的积极性不高。",
            "（二）党员教育管理不够严格",
            "流动党员管理存在薄弱环节，个别党员长期不参加组织生活。",
            "三、对策建议",
            "（一）提高组织生活质量",
            "丰富学习形式，把主题党日与志愿服务结合起来，增强组织生活的吸引力。",
            "（二）严格党员教育管理",
            "建立流动党员联系制度，定期通报党员参加组织生活情况。",
            f"第{number}党支部调研组",
        ]
    )


class EditorWork:
    """The editor imports an essay every 3 seconds (0.2 s while workers are killed) and, during the disk-full fault,
    uploads images. Outcomes: ok (acknowledged), refused (a 4xx with a message), failed (5xx or
    no answer)."""

    def __init__(self, port):
        self.editor = Editor(port)
        self.editor.login()
        self.records, self.acknowledged, self.unacknowledged, self.uploaded = [], [], [], []
        self.refusals = []  # (status, the start of the answer) of each upload not taken
        self.halt, self.uploading, self.number = threading.Event(), threading.Event(), int(time.time())
        self.pause = 3.0  # seconds between two saves; 0.2 while workers are being killed
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _send(self, method, path, fields=None, files=None):
        editor = self.editor
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in editor.cookies.items())}
        body = None
        if files is not None:
            boundary = "----faults" + str(time.monotonic_ns())
            parts = []
            for name, value in fields.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                )
            for name, (filename, content, kind) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    f"Content-Type: {kind}\r\n\r\n".encode()
                    + content
                    + b"\r\n"
                )
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif fields is not None:
            body = urllib.parse.urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Referer"] = f"http://127.0.0.1:{editor.port}{path}"
        connection = http.client.HTTPConnection("127.0.0.1", editor.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        return response.status, content, response

    def import_essay(self):
        self.number += 1
        title = essay_text(self.number).split("\n", 1)[0]
        path = "/admin/articles/article/import/"
        status, page, _ = self._send("GET", path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            return title, status
        token = token.group(1).decode()
        status, page, _ = self._send("POST", path, {"csrfmiddlewaretoken": token, "text": essay_text(self.number)})
        fields = form_with(page, "raw_text") if status == 200 else None
        if fields is None:
            return title, status if status != 200 else 422
        status, _, response = self._send("POST", path, [*fields, ("create", "生成草稿")])
        if status == 302 and "/change/" in (response.getheader("Location") or ""):
            return title, 302
        return title, status

    def upload_image(self):
        path = "/admin/articles/article/upload-image/"
        status, page, _ = self._send("GET", "/admin/articles/article/add/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not token:
            return status
        # A small picture, then one of about 700 KB: either may find the disk full.
        self.number += 1
        image = png(64, 64) if self.number % 2 else png(480, 480)
        status, answer, _ = self._send(
            "POST",
            path,
            {"csrfmiddlewaretoken": token.group(1).decode()},
            {"upload": ("photo.png", image, "image/png")},
        )
        if status == 200:
            with contextlib.suppress(ValueError, KeyError):
                self.uploaded.append(json.loads(answer)["url"])
        else:
            try:
                said = json.loads(answer)["error"]["message"]
            except (ValueError, KeyError, TypeError):
                said = answer[:80].decode("utf-8", "replace").replace("\n", " ")
            self.refusals.append((status, said))
        return status

    def _loop(self):
        while not self.halt.is_set():
            started = time.monotonic()
            kind = "upload" if self.uploading.is_set() else "import"
            title = None
            try:
                if kind == "upload":
                    status = self.upload_image()
                else:
                    title, status = self.import_essay()
            except (OSError, http.client.HTTPException):
                status = 0
            if title is not None:
                (self.acknowledged if status == 302 else self.unacknowledged).append(title)
            self.records.append((started, time.monotonic(), kind, status))
            self.halt.wait(self.pause)

    def stop(self):
        self.halt.set()
        self.thread.join(40)


# ------------------------------------------------------------------ faults


class Faults:
    def __init__(self, ctx):
        self.ctx = ctx

    def begin(self, name):
        ctx = self.ctx
        if name == "redis-hung":
            ctx["redis"].signal("stop")
        elif name == "redis-refused":
            ctx["redis"].signal("kill")
        elif name == "redis-slow":
            ctx["relay"].delay = 0.15
        elif name == "redis-crawl":
            ctx["relay"].delay = 0.4
        elif name == "worker-killed":
            self.killing = threading.Event()
            ctx["editor"].pause = 0.2  # saves in flight when a worker dies
            threading.Thread(target=self._kill_workers, daemon=True).start()
        elif name == "disk-full":
            filler = ctx["media"] / "filler.bin"
            with contextlib.suppress(OSError), open(filler, "wb") as out:
                while True:
                    out.write(b"\0" * 65536)
            ctx["editor"].uploading.set()
        elif name == "postgres-restart":
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", ctx["pg_version"], "main", "restart", "-m", "fast"],
                check=True,
            )
        elif name == "restore-check":
            backups = ctx["workdir"] / "backups"
            env = {**os.environ, "DATABASE_URL": ctx["database_url"], "MEDIA_ROOT": str(ctx["media"])}
            env["BACKUP_DIR"] = str(backups)
            started = time.monotonic()
            backup = subprocess.run(["bash", str(ROOT / "deploy/backup.sh")], env=env, capture_output=True, text=True)
            latest = sorted(p for p in backups.glob("20*") if p.is_dir())
            check = subprocess.run(
                [
                    "bash",
                    str(ROOT / "deploy/restore_check.sh"),
                    str(latest[-1] / "portal.dump") if latest else "missing",
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            ctx["restore"] = (
                backup.returncode,
                check.returncode,
                time.monotonic() - started,
                (check.stdout + check.stderr).strip().splitlines()[-3:],
            )

    def _kill_workers(self):
        """A gunicorn worker killed with SIGKILL every 2 s (gunicorn starts another each time)."""
        while not self.killing.is_set():
            workers = subprocess.run(
                ["pgrep", "-P", str(self.ctx["gunicorn"].pid)], capture_output=True, text=True
            ).stdout.split()
            if workers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(workers[int(time.time()) % len(workers)]), signal.SIGKILL)
            self.killing.wait(2.0)

    def end(self, name):
        ctx = self.ctx
        if name == "worker-killed":
            self.killing.set()
            ctx["editor"].pause = 3.0
        if name == "redis-hung":
            ctx["redis"].signal("cont")
        elif name == "redis-refused":
            ctx["redis"].signal("start")
        elif name in ("redis-slow", "redis-crawl"):
            ctx["relay"].delay = 0.0
        elif name == "disk-full":
            ctx["editor"].uploading.clear()
            (ctx["media"] / "filler.bin").unlink(missing_ok=True)


def percentile(values, fraction):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(fraction * len(values)))]


def media_files(media):
    return {p for p in media.rglob("*") if p.is_file() and p.name != "filler.bin"}


def run_fault(name, ctx, seconds):
    readers, editor, monitor = ctx["readers"], ctx["editor"], ctx["monitor"]
    before = run_child(ctx["child_env"], "counts")
    files_before = media_files(ctx["media"])
    acknowledged_before = len(editor.acknowledged)
    time.sleep(2)  # a quiet moment before the fault
    began = time.monotonic()
    ctx["faults"].begin(name)
    held = max(0.0, seconds - (time.monotonic() - began))
    time.sleep(held)
    cleared = time.monotonic()
    ctx["faults"].end(name)
    # Recovered: /healthz reports every part ok (three polls in a row); at most 60 s.
    recovered = None
    deadline = cleared + 60
    while time.monotonic() < deadline:
        recent = [r for r in monitor.records if r[0] >= cleared][-3:]
        if len(recent) == 3 and all(r[1] == 200 for r in recent):
            recovered = recent[0][0]
            break
        time.sleep(0.25)
    time.sleep(1)
    end = recovered or time.monotonic()
    window = [r for r in list(readers.records) if began <= r[0] < end]
    during = [r[1] - r[0] for r in window if r[0] < cleared]
    errors = sum(1 for r in window if r[2] == 0 or r[2] >= 500)
    edits = [r for r in list(editor.records) if began <= r[0] < end]
    ready = [r[3] for r in monitor.records if began <= r[0] < cleared]
    # Data: the acknowledged imports of this fault are there with their sections; counts never fell.
    titles = editor.acknowledged[acknowledged_before:]
    unacknowledged = list(editor.unacknowledged)
    after = run_child(ctx["child_env"], "counts", stdin=json.dumps(titles + unacknowledged, ensure_ascii=False))
    missing = [t for t in titles if after["present"].get(t, 0) == 0]
    committed_but_failed = [t for t in unacknowledged if t in after["present"]]
    fell = [part for part in ("essays", "sections", "revisions", "search") if after[part] < before[part]]
    orphans = []
    if name == "disk-full":
        # Files written since the fault began that no acknowledged upload (nor a rendition of one) names.
        stems = {Path(urllib.parse.urlparse(url).path).stem for url in editor.uploaded}
        new_files = media_files(ctx["media"]) - files_before
        orphans = [p for p in new_files if not any(p.stem.startswith(stem) for stem in stems)]
    lost = ", ".join(
        [f"{len(missing)} acknowledged imports missing"] * bool(missing)
        + [f"{', '.join(fell)} fell"] * bool(fell)
        + [f"{len(committed_but_failed)} saves committed but reported failed"] * bool(committed_but_failed)
        + [f"{len(orphans)} orphan files"] * bool(orphans)
    )
    row = {
        "fault": name,
        "requests": len(window),
        "errors": errors,
        "p50": percentile(during, 0.5) * 1000,
        "p99": percentile(during, 0.99) * 1000,
        "max": max(during, default=float("nan")) * 1000,
        "recover": (recovered - cleared) if recovered else None,
        "ready": f"{sum(1 for s in ready if s == 200)}/{len(ready)}",
        "edits": "/".join(
            str(sum(1 for r in edits if test(r[3])))
            # 507 Insufficient Storage is a refusal with a message, as a 4xx is.
            for test in (
                lambda s: s in (200, 302),
                lambda s: 400 <= s < 500 or s == 507,
                lambda s: s == 0 or (s >= 500 and s != 507),
            )
        ),
        "lost": lost or "none",
    }
    if name == "disk-full":
        answers = sorted({f"{status}: {text}" for status, text in editor.refusals})
        row["lost"] += "; upload answers: " + (" | ".join(answers) if answers else "none refused")
        editor.refusals.clear()
    if name == "restore-check" and "restore" in ctx:
        backup_rc, check_rc, took, tail = ctx["restore"]
        row["lost"] = f"backup exit {backup_rc}, restore_check exit {check_rc} ({took:.1f} s): {' / '.join(tail)}"
    editor.unacknowledged.clear()
    return row


def print_table(rows):
    print(
        f"\n{'fault':<17}{'reqs':>6}{'err':>5}{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}"
        f"{'recover s':>10}{'ready':>9}  {'editor ok/4xx/fail':<19} data lost"
    )
    for row in rows:
        recover = "-" if row["recover"] is None else f"{row['recover']:.1f}"
        print(
            f"{row['fault']:<17}{row['requests']:>6}{row['errors']:>5}{row['p50']:>8.0f}{row['p99']:>8.0f}"
            f"{row['max']:>8.0f}{recover:>10}{row['ready']:>9}  {row['edits']:<19} {row['lost']}"
        )


def interrupt(*_):
    raise KeyboardInterrupt


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--faults", nargs="+", choices=FAULTS, help="default: all but postgres-restart")
    parser.add_argument("--seconds", type=float, default=10, help="how long each fault is held")
    parser.add_argument("--essays", type=int, default=2000, help="generated essays besides the demo ones")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="server URL without a database name")
    parser.add_argument("--restart-postgres", action="store_true", help="also restart the local PostgreSQL")
    parser.add_argument("--keep", action="store_true", help="leave the database for the next run")
    parser.add_argument("--child", choices=["prepare", "counts"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.essays)
        return
    faults = args.faults or [f for f in FAULTS if f != "postgres-restart"]
    if args.restart_postgres and "postgres-restart" not in faults:
        faults.append("postgres-restart")
    if "postgres-restart" in faults and not args.restart_postgres:
        raise SystemExit("postgres-restart restarts the local PostgreSQL cluster: add --restart-postgres")

    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, interrupt)
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-faults-"))
    media = workdir / "media"
    media.mkdir()
    ctx, processes, rows, mounted = {"workdir": workdir, "media": media}, [], [], False
    started = time.time()
    try:
        log(f"load average at start: {load()}")
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(media)], check=True)
        mounted = True
        prepare_database(args.postgres)
        redis = ctx["redis"] = Redis(workdir)
        relay = ctx["relay"] = Relay(redis.port)
        app_port = free_port()
        env = bench_env(args.postgres, page_cache=True, redis_db=None, port=app_port)
        ctx["database_url"] = f"{args.postgres}/{DATABASE}"
        env.update(
            {
                "DATABASE_URL": ctx["database_url"],
                "MEDIA_ROOT": str(media),
                "HEALTH_DISK_MIN_FREE_MB": "1",  # the tmpfs has 4 MB: full is below 1 MB
                "LOG_LEVEL": "WARNING",
                "DJANGO_SUPERUSER_USERNAME": EDITOR,
                "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
                "DJANGO_SUPERUSER_EMAIL": "editor@example.invalid",
                "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            }
        )
        ctx["child_env"] = {
            **env,
            "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
            "TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
        }
        log("preparing the database …")
        site = run_child(ctx["child_env"], "prepare", args.essays)
        collectstatic(args.postgres)
        app_env = {**env, "REDIS_URL": f"redis://127.0.0.1:{relay.port}/0"}
        worker = subprocess.Popen(
            [str(PY), "manage.py", "db_worker", "--queue-name", "default,library", "--interval", "1", "--no-reload"],
            env=app_env,
            cwd=ROOT,
            start_new_session=True,
            stdout=open(workdir / "worker.log", "w"),
            stderr=subprocess.STDOUT,
        )
        processes.append(worker)
        gunicorn = ctx["gunicorn"] = start_gunicorn(app_env, app_port, open(workdir / "gunicorn.log", "w"))
        processes.append(gunicorn)
        ctx["pg_version"] = (os.listdir("/etc/postgresql") or ["15"])[0] if Path("/etc/postgresql").exists() else "15"
        pages = ["/", "/articles/", "/articles/?page=2", "/topics/", "/feed/rss/", "search"]
        pages += [f"/articles/{slug}/" for slug in site["essays"]]
        pages += [f"/topics/{slug}/" for slug in site["topics"]]
        ctx["readers"] = Readers(app_port, pages)
        ctx["monitor"] = Monitor(app_port)
        ctx["editor"] = EditorWork(app_port)
        ctx["faults"] = Faults(ctx)
        ctx["readers"].start()
        print(
            f"Faults benchmark: {args.essays} generated essays + the demo on PostgreSQL, gunicorn 2 gthread workers "
            f"x 8 threads, a task worker, own Redis behind a relay; {READERS} readers, one editor; each fault held "
            f"{args.seconds:g} s; {os.cpu_count()} CPUs"
        )
        time.sleep(15)  # warm-up: the pages' first renders
        warm = [r[1] - r[0] for r in ctx["readers"].records if r[0] >= time.monotonic() - 8]
        rows.append(
            {
                "fault": "(none, warm)",
                "requests": len(warm),
                "errors": 0,
                "p50": percentile(warm, 0.5) * 1000,
                "p99": percentile(warm, 0.99) * 1000,
                "max": max(warm, default=float("nan")) * 1000,
                "recover": None,
                "ready": "-",
                "edits": "-",
                "lost": "-",
            }
        )
        for name in faults:
            log(f"fault {name} …")
            rows.append(run_fault(name, ctx, args.seconds))
            print_table(rows[-1:])
        print_table(rows)
        print(f"\n{time.time() - started:.0f} s in all; load average now {load()}; logs in {workdir}")
    except KeyboardInterrupt:
        log("interrupted: cleaning up")
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        steps = [ctx[part].stop for part in ("editor", "readers", "monitor") if part in ctx]
        steps += [lambda process=process: shut(process) for process in reversed(processes)]
        steps += [ctx[part].close for part in ("relay", "redis") if part in ctx]
        if mounted:
            steps.append(lambda: subprocess.run(["umount", str(media)], check=False))
        if not args.keep:
            steps.append(lambda: prepare_database(args.postgres, drop=True))
        for step in steps:
            try:
                step()
            except Exception as error:  # noqa: BLE001 - the other steps still run
                log(f"cleanup: {error!r}")
        if not os.environ.get("FAULTS_KEEP_LOGS"):
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
