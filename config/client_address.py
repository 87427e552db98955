"""The real client address: one definition for login throttling, view counts and export limits.

Behind nginx every request reaches the app from nginx itself: ``REMOTE_ADDR``
is 127.0.0.1, or empty on the unix socket the shipped deployment uses
(gunicorn passes the socket peer's name, which is empty for nginx). The
client's address is in ``X-Forwarded-For``, to which each proxy appends the
address it was connected from (nginx: ``$proxy_add_x_forwarded_for``). Every
entry left of the last one appended by a proxy of ours is whatever the
client chose to send.

So, with ``TRUSTED_PROXIES`` (the setting: addresses and networks of our own
reverse proxies, and ``unix`` for a unix-socket peer):

* when the direct peer is not a trusted proxy, it is the client, and
  ``X-Forwarded-For`` is ignored entirely (anyone can send one);
* when it is, the client is the rightmost ``X-Forwarded-For`` entry that is
  not itself a trusted proxy: the address the outermost of our proxies saw;
* when every entry is a trusted proxy (a request from the proxy host
  itself), the leftmost one; with no usable entry, the peer.

Why not django-ipware (django-axes' default helper): it looks for the client
inside the header only, by position (``proxy_count``) or by matching the
proxies *listed in the header*, never checking that the peer which sent the
header is one of ours; ranks public addresses above private ones (so a
spoofed public entry beats the office's real private address on an
intranet); and knows nothing of a unix-socket peer. The rule above is a
dozen lines of :mod:`ipaddress`.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

UNIX_SOCKET = "unix"
# A header longer than this is not a chain of proxies: only its tail is read.
MAX_HOPS = 20


def parse_trusted_proxies(entries):
    """``(networks, unix)`` from the ``TRUSTED_PROXIES`` entries; ImproperlyConfigured on a bad one."""
    networks, unix = [], False
    for entry in entries:
        entry = entry.strip()
        if entry.lower() == UNIX_SOCKET:
            unix = True
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {entry!r} is not an IP address, a network (10.0.0.0/8) or 'unix'."
            ) from None
    return tuple(networks), unix


def parse_networks(entries, setting="ADMIN_ALLOWED_NETWORKS"):
    """The ``ipaddress`` networks of a CIDR list; ImproperlyConfigured on a bad entry."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{setting}: {entry!r} is not an IP address or a network (10.0.0.0/8)."
            ) from None
    return tuple(networks)


@lru_cache(maxsize=8)
def networks_of(entries):
    return parse_networks(entries)


def address_in(address, networks):
    """Whether the address string ``address`` (None: unknown) is in one of ``networks``."""
    parsed = _address(address) if address else None
    return parsed is not None and any(parsed in network for network in networks)


@lru_cache(maxsize=8)
def _trusted(entries):
    return parse_trusted_proxies(entries)


def _address(text):
    """An ``ipaddress`` object from a header entry or ``REMOTE_ADDR``, or None.

    Accepts what proxies write: ``1.2.3.4``, ``1.2.3.4:5678``, ``2001:db8::1``,
    ``[2001:db8::1]:443``; an IPv4-mapped IPv6 address becomes IPv4.
    """
    text = text.strip()
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_address(request):
    """The client's address as a string (e.g. ``"198.51.100.7"``), or None when there is none."""
    networks, unix = _trusted(tuple(settings.TRUSTED_PROXIES))
    meta = request.META
    remote = meta.get("REMOTE_ADDR") or ""
    peer = _address(remote) if remote else None
    if remote:
        if peer is None or not any(peer in network for network in networks):
            return str(peer) if peer is not None else None
    elif not unix:
        return None  # a unix-socket peer we were not told to trust

    nearest = peer  # the closest trusted hop seen so far
    hops = meta.get("HTTP_X_FORWARDED_FOR", "").split(",")[-MAX_HOPS:]
    for hop in reversed(hops):
        if not hop.strip():
            continue
        address = _address(hop)
        if address is None:
            break  # written by a proxy of ours? Never by nginx: keep what we know
        if not any(address in network for network in networks):
            return str(address)
        nearest = address
    return str(nearest) if nearest is not None else None
