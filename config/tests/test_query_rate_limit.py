"""The shipped nginx limits each client's searches and filters (deploy/nginx/portal.conf, portal_queries).

Pages with a query string are the ones no cache holds for long; one client
walking every filter or firing searches must not take every worker. These
tests run Debian's nginx with the shipped configuration in front of the live
server and send requests from distinct loopback addresses as distinct clients.
"""

from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest

from articles.tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)

# The configured burst is 30; 45 requests at once exceed it whatever the rate refills meanwhile.
BURST_PLUS = 45


def _responses(request_from, source, paths):
    """``(status, headers, body)`` of ``paths`` asked for all at once from ``source`` (a burst, as a script sends)."""
    with ThreadPoolExecutor(len(paths)) as pool:
        return list(pool.map(lambda path: request_from(source, "GET", path), paths))


def test_one_client_s_burst_of_searches_gets_429_in_chinese_and_others_are_served(request_from):
    make_article("关于加强党员教育管理的思考")
    searches = [f"/articles/?q={quote(f'党员教育{n}')}" for n in range(BURST_PLUS)]
    responses = _responses(request_from, "127.0.0.2", searches)
    statuses = [status for status, _headers, _body in responses]
    assert statuses.count(200) >= 20, statuses  # a reader's ordinary searching is never refused
    assert 429 in statuses, "a burst beyond the limit must be refused"

    _status, headers, body = next(response for response in responses if response[0] == 429)
    assert "请求过于频繁" in body.decode() and headers["Retry-After"]
    assert headers["Content-Type"].startswith("text/html")
    # Another client at the same moment is not affected.
    assert request_from("127.0.0.3", "GET", searches[1])[0] == 200


def test_plain_pages_are_not_counted(request_from):
    make_article("关于加强党员教育管理的思考")
    responses = _responses(request_from, "127.0.0.4", ["/", "/articles/"] * (BURST_PLUS // 2 + 1))
    statuses = [status for status, _headers, _body in responses]
    assert set(statuses) == {200}, statuses
