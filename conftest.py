"""Project-wide test set-up: fast hashing, isolated media, and a clear
message when the PostgreSQL run has no server to talk to."""

import shutil

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LIBRARY_EXPORT_DIR = tmp_path / "exports"
    settings.ESSAY_EXPORT_DIR = tmp_path / "essay-exports"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)
    shutil.rmtree(tmp_path / "exports", ignore_errors=True)
    shutil.rmtree(tmp_path / "essay-exports", ignore_errors=True)


def pytest_configure(config):
    # WhiteNoise warns on every request when STATIC_ROOT is missing; tests
    # serve no collected static files, an empty folder is enough.
    from pathlib import Path

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch):
    """Every test starts with an empty cache: cached site settings, view
    counters and rate limits must not leak from one test into the next.

    Nor does what this process knows of the page cache's publication epoch
    (each test's database starts the epoch again from its first value), nor
    a Redis circuit breaker another test opened.
    """
    from django.core.cache import cache

    from config import cache as resilient_cache
    from config import pagecache

    monkeypatch.setattr(pagecache, "_epoch", pagecache._EpochKnowledge())
    monkeypatch.setattr(pagecache, "_fallback", None)  # a process's own cache while Redis is away
    # Nor a Redis circuit breaker another test opened.
    monkeypatch.setattr(resilient_cache, "_breakers", {})
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_task_worker(settings):
    """Tasks are queued and never run: what readers see after a change commits and
    before the task worker gets to it (no search update, no regroup). The page
    cache and the stored pages act in the transaction of the change regardless."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": settings.TASK_QUEUES}
    }
    from django_tasks import default_task_backend

    return default_task_backend


@pytest.fixture
def tasks_run_at_once(settings):
    """The tests' default (pytest.ini): each task runs when the transaction that queued it commits."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": settings.TASK_QUEUES}
    }


@pytest.fixture
def database_tasks(settings):
    """Tasks are rows of the database (the production backend), run only by a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}}


@pytest.fixture
def run_task_worker():
    """``run()``: one pass of ``manage.py db_worker --batch`` over every queue (the
    worker's signal handlers are put back afterwards)."""
    import signal

    from django.core.management import call_command

    def run():
        handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
        try:
            call_command(
                "db_worker",
                "--batch",
                "--no-reload",
                "--no-startup-delay",
                "--queue-name",
                "*",
                "--interval",
                "0",
                verbosity=0,
            )
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)

    return run


# PostgreSQL test databases this run created (see pytest_unconfigure).
_test_databases = []


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's set-up, noting the test database's name while it is in use and,
    at the end, closing what other sessions (live-server threads) still hold on it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    _test_databases.append(connection.settings_dict["NAME"])
    yield
    # A live-server thread's connection would make pytest-django's DROP fail.
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def pytest_unconfigure(config):
    """Drop a PostgreSQL test database that pytest-django could not.

    Its teardown fails with "being accessed by other users" when a live-server
    thread (the browser tests) still holds a connection; the database named
    after this run would then stay on the server. WITH (FORCE) ends that
    connection first (PostgreSQL 13+). Only the database this run created is
    dropped (noted by the django_db_setup fixture above while in use).
    """
    database = settings.DATABASES.get("default", {})
    names = [name for name in _test_databases if name.startswith("test_")]
    if not names:
        return
    try:
        import psycopg2
        from psycopg2 import sql

        connection = psycopg2.connect(
            dbname="postgres",
            user=database.get("USER") or None,
            password=database.get("PASSWORD") or None,
            host=database.get("HOST") or None,
            port=database.get("PORT") or None,
            connect_timeout=5,
        )
    except Exception:  # noqa: BLE001 - nothing to clean up without a server
        return
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            for name in names:
                cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    finally:
        connection.close()


def _load_nginx_local():
    """deploy/nginx/local.py: the shipped nginx configuration on loopback (``deploy`` is not a package)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent / "deploy" / "nginx" / "local.py"
    spec = importlib.util.spec_from_file_location("deploy_nginx_local", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def nginx_staff_networks():
    """ADMIN_ALLOWED_NETWORKS as written into nginx's config by :func:`nginx_proxy`
    (empty: everyone); a test parametrizes it to restrict the staff paths in nginx."""
    return ()


@pytest.fixture
def nginx_in_front(tmp_path_factory, nginx_staff_networks):
    """``nginx_in_front(app_port)`` starts Debian's nginx running ``deploy/nginx/portal.conf``
    (plain HTTP on loopback, an empty proxy cache) in front of the server on ``app_port`` and
    returns its base URL; stopped at the end of the test.

    Skips without nginx, except under CI (``CI`` set), where that is a failure.
    """
    import os
    import socket
    import subprocess
    import time

    local = _load_nginx_local()
    if not local.available():
        reason = "nginx is not installed (apt-get install nginx): the tests behind nginx did not run"
        if os.environ.get("CI"):
            pytest.fail(f"CI requires nginx: {reason}")
        pytest.skip(reason)
    processes = []

    def start(app_port):
        # Two adjacent free ports: the site's and its HTTP-to-HTTPS redirect server's.
        for _ in range(20):
            port = _free_port()
            try:
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port + 1))
                break
            except OSError:
                continue
        prefix = tmp_path_factory.mktemp("nginx")
        process = local.start(prefix, app_port=app_port, port=port, staff_networks=nginx_staff_networks)
        processes.append(process)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return f"http://127.0.0.1:{port}"
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((prefix / "logs" / "error.log").read_text()) from None
                time.sleep(0.05)

    try:
        yield start
    finally:
        for process in processes:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def nginx_proxy(live_server, nginx_in_front):
    """The base URL of :func:`nginx_in_front` in front of the live server."""
    return nginx_in_front(int(live_server.url.rsplit(":", 1)[1]))


@pytest.fixture
def request_from(nginx_proxy):
    """``request_from(source, method, path, headers={}, body=b"")`` sends one request through
    :func:`nginx_proxy` from the loopback address ``source`` (e.g. ``"127.0.0.5"``: all of
    127.0.0.0/8 is local), as distinct clients reach the site. Returns
    ``(status, headers, body)`` with the headers as an ``http.client.HTTPMessage``."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(nginx_proxy)

    def send(source, method, path, headers=None, body=b""):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, source_address=(source, 0), timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    return send
