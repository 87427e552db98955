"""gunicorn's configuration: ``gunicorn -c config/gunicorn.conf.py config.wsgi``.

Every value can be overridden from the environment (``GUNICORN_WORKERS``,
``GUNICORN_BIND`` …) so the systemd unit, the benchmark and docker-compose
share this file.

Threaded workers (gthread), one per CPU core, 8 threads each: the portal's
requests are short (a cached page is one Redis read, a stored essay page one
query and one Redis read, a rendered page a few milliseconds of templates
and a handful of queries), and a sync worker closes the connection after
every response. With threads, keep-alive connections (nginx's upstream
keepalive, or clients served directly) are reused and a worker overlaps its
Redis and database waits. On the 2-core benchmark machine, cached pages went
from about 700-1,300 requests/s with 2 sync workers to about 3,300 with 2
gthread workers of 4 threads, and 8 threads did better still: 3,440-3,580
requests/s with p99 36-44 ms at 64 connections, against 3,260-3,380 and
42-59 ms with 4 (three alternating runs each, README 部署与性能).
Each thread holds its own database connection: workers x threads must stay
under PostgreSQL's ``max_connections`` (one worker per core keeps that at
8 per core). ``GUNICORN_WORKER_CLASS=sync`` gives the classic model, with
``GUNICORN_WORKERS`` at the usual 2 x cores + 1.

The application is loaded in the master before forking (``preload_app``),
with the search segmenter's dictionary (the largest object a worker holds),
so workers share those pages copy-on-write instead of each building its own.
"""

import multiprocessing
import os


def _int(name, default):
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# One threaded worker per core (at least 2, so one can serve while the other
# restarts), capped so a large host does not open more database connections
# than PostgreSQL allows.
workers = _int("GUNICORN_WORKERS", min(max(multiprocessing.cpu_count(), 2), 17))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = _int("GUNICORN_THREADS", 8)
# At most this many connections per worker (gthread): kept-alive connections
# stay with the worker that accepted them, and without a bound one worker
# could end up holding all of them while the other idled (measured with 64
# connections: 56/8, 9/55 and 64/0 in six runs, the last at half the
# throughput). Beyond it, connections wait in the listen backlog for a worker
# with room. nginx in front keeps 16 idle connections per nginx worker plus
# those in flight, well under workers x this.
worker_connections = _int("GUNICORN_WORKER_CONNECTIONS", threads * 5)
# A request taking 30 s is a bug (a rendered page takes milliseconds; an
# import of a long .docx a second or two): kill it rather than queue behind it.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Workers are not recycled after a number of requests (0): with threaded
# workers and kept-alive connections, a recycled worker came back to find
# every connection held by its sibling, which then served alone (measured:
# 1,300 instead of 3,000-3,400 cached requests/s until the connections
# closed). No leak calls for it; set GUNICORN_MAX_REQUESTS to bound one.
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 0)
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"

# Access log in the combined format plus the time taken (microseconds), to
# stdout unless told (systemd's journal keeps it). "-" is stdout; "" turns it off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)sus'
# nginx on the same host passes the client's address and scheme.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "portal"


def on_starting(server):
    """Load the large read-only data in the master (preload_app): workers share it.

    The search segmenter's dictionary is the largest part of a worker's
    memory. After loading, ``gc.freeze()`` moves every object to the
    permanent generation, so the workers' garbage collector never writes to
    (and so never copies) those shared pages. pypinyin is not loaded at all:
    author units are sorted by ``articles.collation``, which needs no
    dictionary; only slugs, made in the admin and by imports, use pypinyin.
    """
    if not preload_app:
        return
    try:
        from articles.reading import renditions
        from articles.search.segmentation import get_segmenter

        get_segmenter()
        # The hash of the sources stored essay pages are checked against
        # (about 8 ms of reading files): once here, not on each worker's first request.
        renditions.code_version()
    except Exception as error:  # noqa: BLE001 - a worker loads it on first use instead
        server.log.warning("search dictionary not preloaded: %s", error)
    try:
        # The proofreader's thesaurus and shipped formulations (about 45 MB in
        # a worker, 1-5 s to load): the admin's publish and 校对 panel need them.
        from articles.essay import spinner

        spinner.default_thesaurus()
        spinner.shipped_lexicon()
    except Exception as error:  # noqa: BLE001
        server.log.warning("proofreading thesaurus not preloaded: %s", error)
    import gc

    gc.collect()
    gc.freeze()


def post_fork(server, worker):
    """Connections opened in the master (none should be) must not be shared by workers."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
