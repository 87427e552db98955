"""The real client address (config.client_address) and the settings that name the proxies."""

import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from config.client_address import client_address, parse_trusted_proxies

factory = RequestFactory()


def address(remote_addr, forwarded_for=None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for is not None else {}
    request = factory.get("/", headers=headers)
    request.META["REMOTE_ADDR"] = remote_addr
    return client_address(request)


@pytest.fixture(autouse=True)
def _proxies(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1", "unix"]


def test_without_a_proxy_the_peer_is_the_client_and_forwarded_for_is_ignored():
    assert address("198.51.100.7") == "198.51.100.7"
    assert address("198.51.100.7", "203.0.113.1") == "198.51.100.7"
    assert address("198.51.100.7", "127.0.0.1") == "198.51.100.7"


def test_behind_a_trusted_proxy_the_client_is_the_entry_it_appended():
    assert address("127.0.0.1", "198.51.100.7") == "198.51.100.7"
    # Whatever the client put in front is ignored.
    assert address("127.0.0.1", "203.0.113.1, 10.0.0.1, 198.51.100.7") == "198.51.100.7"
    assert address("::1", "203.0.113.1, 198.51.100.7") == "198.51.100.7"


def test_a_client_cannot_pose_as_a_proxy_by_naming_one():
    # 127.0.0.1 at the end of a header the proxy extended is the client's own claim.
    assert address("127.0.0.1", "127.0.0.1, 198.51.100.7") == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    # client -> load balancer 10.0.0.2 -> nginx 127.0.0.1 -> app
    assert address("127.0.0.1", "203.0.113.1, 198.51.100.7, 10.0.0.2") == "198.51.100.7"
    assert address("10.0.0.2", "198.51.100.7") == "198.51.100.7"
    # A request from inside: every hop is ours, the first one is the client.
    assert address("127.0.0.1", "10.0.0.3, 10.0.0.2") == "10.0.0.3"


def test_the_unix_socket_peer_of_the_shipped_deployment():
    # gunicorn on a unix socket passes an empty REMOTE_ADDR.
    assert address("", "203.0.113.1, 198.51.100.7") == "198.51.100.7"
    assert address("") is None


def test_a_unix_socket_peer_is_not_trusted_unless_configured(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert address("", "198.51.100.7") is None


def test_what_proxies_write_is_understood():
    assert address("127.0.0.1", "198.51.100.7:5123") == "198.51.100.7"
    assert address("127.0.0.1", "[2001:db8::7]:443") == "2001:db8::7"
    assert address("127.0.0.1", "2001:db8::7") == "2001:db8::7"
    assert address("127.0.0.1", "::ffff:198.51.100.7") == "198.51.100.7"
    assert address("::ffff:198.51.100.7") == "198.51.100.7"


def test_garbage_never_becomes_an_address():
    assert address("127.0.0.1", "unknown") == "127.0.0.1"
    assert address("127.0.0.1", "<script>, 198.51.100.7") == "198.51.100.7"
    assert address("127.0.0.1", ",,, ") == "127.0.0.1"
    assert address("not-an-ip", "198.51.100.7") is None
    assert address("", "\x00") is None
    assert address("127.0.0.1", "1.2.3.4," * 10000 + "198.51.100.7") == "198.51.100.7"


def test_repeated_forwarded_for_headers_are_read_as_one_list():
    # WSGI servers join repeated headers with a comma; the last is the proxy's.
    assert address("127.0.0.1", "203.0.113.1,198.51.100.7") == "198.51.100.7"


def test_proxies_are_addresses_networks_or_unix():
    networks, unix = parse_trusted_proxies(["127.0.0.1", "10.0.0.0/8", " ::1 ", "UNIX"])
    assert [str(network) for network in networks] == ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]
    assert unix


@pytest.mark.parametrize("bad", ["localhost", "10.0.0.0/33", "*", "127.0.0.1:80"])
def test_a_proxy_setting_that_names_no_address_is_refused(bad):
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        parse_trusted_proxies([bad])


def run_check(**environment):
    import os

    env = {**os.environ, "DEBUG": "1", **environment}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_the_portal_refuses_to_start_with_a_bad_proxy_setting():
    result = run_check(TRUSTED_PROXIES="127.0.0.1,nginx")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES: 'nginx' is not an IP address" in result.stderr


def test_the_old_proxy_count_setting_is_reported_not_silently_ignored():
    result = run_check(AXES_PROXY_COUNT="1")
    assert "config.W001" in result.stderr + result.stdout
    assert "TRUSTED_PROXIES" in result.stderr + result.stdout
