"""The shipped nginx limits each client's searches and filters (deploy/nginx/portal.conf, portal_queries).

Pages with a query string are the ones no cache holds for long; one client
walking every filter or firing searches must not take every worker. These
tests run Debian's nginx with the shipped configuration (deploy/nginx/local.py)
in front of a stub upstream that answers every request at once: what is
tested is nginx's rule, and a burst of requests reaching the live Django
server at once would only test its SQLite test database (one shared
connection). Requests come from distinct loopback addresses as distinct clients.
"""

import http.client
import http.server
import importlib.util
import os
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The configured burst is 30; 45 requests at once exceed it whatever the rate refills meanwhile.
BURST_PLUS = 45


def _nginx_local():
    spec = importlib.util.spec_from_file_location("deploy_nginx_local", ROOT / "deploy" / "nginx" / "local.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Upstream(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = b"upstream page"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _two_free_ports():
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        try:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
    raise RuntimeError("no two adjacent free ports")


@pytest.fixture
def send(tmp_path):
    """``send(source, path)`` → (status, headers, body) through the shipped nginx, from loopback address ``source``."""
    local = _nginx_local()
    if not local.available():
        reason = "nginx is not installed (apt-get install nginx): the rate-limit tests did not run"
        if os.environ.get("CI"):
            pytest.fail(f"CI requires nginx: {reason}")
        pytest.skip(reason)
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    port = _two_free_ports()
    process = local.start(tmp_path / "nginx", app_port=upstream.server_address[1], port=port)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp_path / "nginx" / "logs" / "error.log").read_text()) from None
                time.sleep(0.05)

        def request(source, path):
            connection = http.client.HTTPConnection("127.0.0.1", port, source_address=(source, 0), timeout=30)
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                return response.status, response.headers, response.read()
            finally:
                connection.close()

        yield request
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        upstream.shutdown()
        upstream.server_close()


def _burst(send, source, paths):
    """The responses to ``paths`` asked for all at once from ``source`` (a burst, as a script sends)."""
    with ThreadPoolExecutor(len(paths)) as pool:
        return list(pool.map(lambda path: send(source, path), paths))


def test_one_client_s_burst_of_searches_gets_429_in_chinese_and_others_are_served(send):
    searches = [f"/articles/?q={quote(f'党员教育{n}')}" for n in range(BURST_PLUS)]
    responses = _burst(send, "127.0.0.2", searches)
    statuses = [status for status, _headers, _body in responses]
    assert statuses.count(200) >= 30, statuses  # the burst allowance: a reader's searching is never refused
    assert 429 in statuses, "a burst beyond the limit must be refused"

    _status, headers, body = next(response for response in responses if response[0] == 429)
    assert "请求过于频繁" in body.decode() and headers["Retry-After"]
    assert headers["Content-Type"].startswith("text/html")
    # Another client at the same moment is not affected.
    assert send("127.0.0.3", searches[1])[0] == 200


def test_plain_pages_are_not_counted(send):
    responses = _burst(send, "127.0.0.4", ["/", "/articles/", "/topics/"] * (BURST_PLUS // 3 + 1))
    assert {status for status, _headers, _body in responses} == {200}
