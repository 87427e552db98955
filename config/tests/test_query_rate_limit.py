"""The shipped nginx limits each client's searches and filters (deploy/nginx/portal.conf, portal_queries).

Pages with a query string are the ones no cache holds for long; one client
walking every filter or firing searches must not take every worker. These
tests run Debian's nginx with the shipped configuration in front of a stub
upstream that answers every request at once (``nginx_proxy`` is overridden
below): what is tested is nginx's rule, and a burst of requests reaching the
live Django server at once would only test its SQLite test database (one
connection shared by the server's threads). Requests come from distinct
loopback addresses as distinct clients (``request_from``).
"""

import http.server
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest

# The configured burst is 30; 45 requests at once exceed it whatever the rate refills meanwhile.
BURST_PLUS = 45


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


@pytest.fixture
def nginx_proxy(nginx_in_front):
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    try:
        yield nginx_in_front(upstream.server_address[1])
    finally:
        upstream.shutdown()
        upstream.server_close()


def _burst(request_from, source, paths):
    """The responses to ``paths`` asked for all at once from ``source`` (a burst, as a script sends)."""
    with ThreadPoolExecutor(len(paths)) as pool:
        return list(pool.map(lambda path: request_from(source, "GET", path), paths))


def test_one_client_s_burst_of_searches_gets_429_in_chinese_and_others_are_served(request_from):
    searches = [f"/articles/?q={quote(f'党员教育{n}')}" for n in range(BURST_PLUS)]
    responses = _burst(request_from, "127.0.0.2", searches)
    statuses = [status for status, _headers, _body in responses]
    assert statuses.count(200) >= 30, statuses  # the burst allowance: a reader's searching is never refused
    assert 429 in statuses, "a burst beyond the limit must be refused"

    _status, headers, body = next(response for response in responses if response[0] == 429)
    assert "请求过于频繁" in body.decode() and headers["Retry-After"]
    assert headers["Content-Type"].startswith("text/html")
    # Another client at the same moment is not affected.
    assert request_from("127.0.0.3", "GET", searches[1])[0] == 200


def test_plain_pages_are_not_counted(request_from):
    responses = _burst(request_from, "127.0.0.4", ["/", "/articles/", "/topics/"] * (BURST_PLUS // 3 + 1))
    assert {status for status, _headers, _body in responses} == {200}
