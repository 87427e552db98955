"""Whole-page caching of the reading site for anonymous readers.

A portal is read far more than it is written, and read in bursts. A public
page is rendered once and then served from the cache (local memory by
default, Redis through ``REDIS_URL`` in production) until something it shows
changes:

* ``@public_page(params=[...])`` marks a view whose GET/HEAD responses may be
  cached for anonymous readers, and names the query parameters that change
  what it shows. Other parameters are ignored for the key (``?utm_source=…``
  or ``?x=<random>`` cannot fill the cache) and a non-numeric ``page`` is the
  first page, as the paginator already treats it.
* :class:`PageCacheMiddleware` comes first in ``MIDDLEWARE``: a hit is
  answered before sessions, authentication, CSRF and the security headers
  run (the stored response already carries every header the stack added
  when it was rendered). A request with a session cookie (an editor) and
  everything under the admin or the preview never reads or fills the cache,
  so editors never see a cached page.
* Invalidation is by *generation*: one small cache entry holds the current
  generation's token and the publish time of the next scheduled essay. Each
  stored page carries the token it was rendered under; a save or delete of a
  registered model (:func:`register`, called from the apps' ``ready``)
  starts a new generation, and so does the arrival of the next scheduled
  publish time (:func:`register_schedule`) -- the home page shows a
  scheduled essay at its time without cron, and without asking the database
  on every hit.
* No dog-pile after a change: while one request renders a page of the new
  generation (a short lock in the cache), concurrent requests for it get the
  page of the previous generation (``X-Page-Cache: stale``), so a burst of
  readers right after a publish costs one render. A request that finds no
  earlier page renders it; sequential requests always see the change.
* Responses carry a strong ``ETag`` (a hash of the body) and
  ``Last-Modified``; a conditional GET is answered ``304 Not Modified``.
* When the cache itself fails (Redis down), pages are rendered uncached:
  a cache outage must never become an error page.

``memoize(name, compute, *key)`` keeps an aggregate (topic counts, related
essays) for the current generation, for the pages that are rendered.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import time
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.http import http_date, parse_http_date_safe

from config import routers

logger = logging.getLogger(__name__)

PREFIX = "pagecache:"
GENERATION_KEY = PREFIX + "generation"
# A parameter value longer than this is not a link anyone follows: render it, do not store it.
MAX_PARAM_LENGTH = 100
CACHEABLE_METHODS = ("GET", "HEAD")
# How long a request may hold a page's render lock (a render takes milliseconds;
# the lock expires by itself if the request dies).
RENDER_LOCK_SECONDS = 10

_schedules = []
_current = contextvars.ContextVar("pagecache_generation", default=None)


def _cache():
    # The default cache, shared with the rest of the site (view counts read
    # through ``recall(..., extra_keys=...)`` live there too).
    return caches["default"]


# ---------------------------------------------------------------- marking views


def public_page(view=None, *, params=()):
    """Mark ``view`` as an anonymous page that may be cached whole.

    ``params``: the query parameters that change the page; any other is
    ignored when the response is stored and looked up.
    """

    def decorate(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            return func(request, *args, **kwargs)

        wrapper.public_page_params = tuple(params)
        return wrapper

    return decorate(view) if view is not None else decorate


def no_page_cache(request):
    """Call from a view to keep this response out of the page cache."""
    request._page_cache_skip = True


# ---------------------------------------------------------------- generations


def _next_scheduled():
    """The earliest future time any registered schedule reports, as a timestamp, or None."""
    times = []
    for schedule in _schedules:
        when = schedule()
        if when is not None:
            times.append(when.timestamp())
    return min(times) if times else None


def _new_generation():
    generation = (uuid.uuid4().hex[:16], _next_scheduled())
    _cache().set(GENERATION_KEY, generation, None)
    return generation


def _valid_generation(generation):
    """The generation, or a new one when it is missing or a scheduled publish time has passed."""
    if generation is None:
        return _new_generation()
    token, next_publish = generation
    if next_publish is not None and time.time() >= next_publish:
        return _new_generation()
    return generation


def current_generation():
    """The token of the generation in force (fetched at most once per request)."""
    generation = _current.get()
    if generation is None:
        try:
            generation = _valid_generation(_cache().get(GENERATION_KEY))
        except Exception:  # noqa: BLE001 - a cache outage means: nothing is cached
            logger.warning("page cache unavailable", exc_info=True)
            return None
        _current.set(generation)
    return generation[0]


def invalidate(**kwargs):
    """Start a new generation: every stored page and memoized value is stale.

    Called again when the transaction commits, because a page rendered
    between the save and the commit may have stored the old content under
    the new generation.
    """
    _forget()
    transaction.on_commit(_forget)


def _forget():
    _current.set(None)
    try:
        _cache().delete(GENERATION_KEY)
    except Exception:  # noqa: BLE001
        logger.warning("page cache unavailable: could not invalidate", exc_info=True)


def register(model, m2m_fields=()):
    """Invalidate every page when a row of ``model`` (or one of its many-to-many links) changes."""
    uid = f"pagecache:{model._meta.label}"
    post_save.connect(invalidate, sender=model, dispatch_uid=uid + ":save", weak=False)
    post_delete.connect(invalidate, sender=model, dispatch_uid=uid + ":delete", weak=False)
    for name in m2m_fields:
        through = model._meta.get_field(name).remote_field.through
        m2m_changed.connect(invalidate, sender=through, dispatch_uid=f"{uid}:{name}:m2m", weak=False)


def register_schedule(func):
    """``func()`` returns the next future time (aware datetime) at which pages change by
    themselves, e.g. a scheduled essay's publish time, or None."""
    if func not in _schedules:
        _schedules.append(func)
    return func


def _memo_key(entry):
    name, *key = entry
    return PREFIX + "memo:" + name + ":" + ":".join(str(part) for part in key)


def recall(entries, *, extra_keys=()):
    """What ``entries`` (``(name, *key)`` tuples) hold for the current generation, in one cache round trip.

    Returns ``({entry: value}, {key: value})``: the entries stored under the
    current generation, and the raw values of ``extra_keys`` (other cache
    entries the caller needs, fetched in the same round trip); absent ones
    are left out. Without a working cache both are empty.
    """
    keys = [_memo_key(entry) for entry in entries] + list(extra_keys)
    known = _current.get()
    if known is None:
        keys.append(GENERATION_KEY)
    try:
        found = _cache().get_many(keys)
        if known is None:
            known = _valid_generation(found.get(GENERATION_KEY))
            _current.set(known)
    except Exception:  # noqa: BLE001 - a cache outage means: nothing is remembered
        logger.warning("page cache unavailable", exc_info=True)
        return {}, {}
    values = {}
    for entry in entries:
        stored = found.get(_memo_key(entry))
        if stored is not None and stored[0] == known[0]:
            values[entry] = stored[1]
    return values, {key: found[key] for key in extra_keys if key in found}


def remember(entry, value, timeout=None):
    """Keep ``value`` under ``entry`` (a ``(name, *key)`` tuple) for the current generation."""
    generation = current_generation()
    if generation is None:
        return
    try:
        _cache().set(_memo_key(entry), (generation, value), timeout or settings.FRAGMENT_CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        pass


def memoize(name, compute, *key, timeout=None):
    """``compute()``, kept in the cache for the current generation under ``name`` and ``key``."""
    entry = (name, *key)
    found, _ = recall([entry])
    if entry in found:
        return found[entry]
    value = compute()
    remember(entry, value, timeout)
    return value


# ---------------------------------------------------------------- the middleware


def _normalised_query(request, params):
    """The declared parameters as a stable string, or None when the page should not be stored."""
    parts = []
    for name in params:
        for value in request.GET.getlist(name):
            if len(value) > MAX_PARAM_LENGTH or "\x00" in value:
                return None
            if name == "page" and (value == "1" or not _is_int(value)):
                continue  # what the paginator shows for it: the first page
            if not value:
                continue
            parts.append(f"{name}={value}")
    return "&".join(parts)


_resolved = {}
_RESOLVED_MAX = 4096


def _params_for(path):
    """The ``public_page`` parameters of the view at ``path`` (None: not a public page), remembered per process."""
    try:
        return _resolved[path]
    except KeyError:
        pass
    try:
        params = getattr(resolve(path).func, "public_page_params", None)
    except Resolver404:
        params = None
    if len(_resolved) >= _RESOLVED_MAX:
        _resolved.clear()  # hostile paths cannot grow it without bound
    _resolved[path] = params
    return params


@receiver(setting_changed)
def _forget_resolved(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _resolved.clear()


def _is_int(value):
    try:
        int(value)
    except ValueError:
        return False
    return True


def _etag(body):
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def _not_modified(request, etag, last_modified):
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = [tag.strip() for tag in if_none_match.split(",")]
        return etag in tags or "*" in tags or ("W/" + etag) in tags
    since = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if since is not None:
        since = parse_http_date_safe(since)
        return since is not None and int(last_modified) <= since
    return False


def _add_validators(response, etag, last_modified):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)


class PageCacheMiddleware:
    """Serve and store anonymous public pages (see the module docstring). First in ``MIDDLEWARE``."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.session_cookie = settings.SESSION_COOKIE_NAME
        self.bypass_prefixes = ("/" + settings.ADMIN_URL, "/preview/")

    def _lookup(self, request):
        """(cache key, params) for a cacheable request, or None."""
        if request.method not in CACHEABLE_METHODS or settings.PAGE_CACHE_SECONDS <= 0:
            return None
        path = request.path_info
        if path.startswith(self.bypass_prefixes):
            return None
        if self.session_cookie in request.COOKIES:
            return None  # a signed-in editor: always the live page
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return None  # SecurityMiddleware redirects it
        params = _params_for(path)
        if params is None:
            return None
        query = _normalised_query(request, params)
        if query is None:
            return None
        try:
            host = request.get_host()
        except Exception:  # noqa: BLE001 - DisallowedHost: let Django answer it
            return None
        # Hashed: a safe, bounded key whatever the path and parameters hold.
        url = f"{request.scheme}://{host}{path}?{query}"
        return PREFIX + "page:" + hashlib.blake2b(url.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()

    def __call__(self, request):
        _current.set(None)
        # With a read replica (config.routers): editors and the admin read the
        # primary, so replication lag never shows them an older essay.
        if self.session_cookie in request.COOKIES or request.path_info.startswith(self.bypass_prefixes):
            routers.pin_to_primary()
        else:
            routers.unpin()
        key = self._lookup(request)
        if key is None:
            return self.get_response(request)

        cache = _cache()
        generation = stored = None
        try:
            found = cache.get_many([GENERATION_KEY, key])
            generation = _valid_generation(found.get(GENERATION_KEY))
            stored = found.get(key)
        except Exception:  # noqa: BLE001
            logger.warning("page cache unavailable: serving uncached", exc_info=True)
            return self.get_response(request)
        _current.set(generation)

        if stored is not None and stored[0] == generation[0]:
            return self._from_stored(request, stored)

        # A page of an earlier generation while another request is already
        # rendering this one: serve the earlier page rather than render it
        # again. After a publish, a burst of readers costs one render, not 64.
        lock = key + ":rendering"
        try:
            rendering_elsewhere = not cache.add(lock, 1, RENDER_LOCK_SECONDS)
        except Exception:  # noqa: BLE001
            rendering_elsewhere = False
        if stored is not None and rendering_elsewhere:
            return self._from_stored(request, stored, state="stale")

        try:
            response = self.get_response(request)
            if self._storable(request, response):
                return self._store(request, response, key, generation[0])
            return response
        finally:
            if not rendering_elsewhere:
                try:
                    cache.delete(lock)
                except Exception:  # noqa: BLE001
                    pass

    def _from_stored(self, request, stored, state="hit"):
        _, headers, body, etag, last_modified = stored
        if _not_modified(request, etag, last_modified):
            response = HttpResponseNotModified()
            for name in ("Cache-Control", "Vary"):
                if name in headers:
                    response[name] = headers[name]
        else:
            response = HttpResponse(b"" if request.method == "HEAD" else body)
            # The stored headers were validated when the page was rendered:
            # copied in as they are (ResponseHeaders' own storage) rather than
            # checked again one by one on every hit.
            response.headers._store = {name.lower(): (name, value) for name, value in headers.items()}
            response.headers._store["content-length"] = ("Content-Length", str(len(body)))
        _add_validators(response, etag, last_modified)
        response["X-Page-Cache"] = state
        return response

    def _storable(self, request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if getattr(request, "_page_cache_skip", False):
            return False
        cache_control = response.get("Cache-Control", "")
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return False
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return False
        return True

    def _store(self, request, response, key, token):
        body = response.content
        etag = _etag(body)
        last_modified = time.time()
        response["Cache-Control"] = f"public, max-age={settings.PAGE_CACHE_BROWSER_SECONDS}"
        headers = {
            name: value for name, value in response.items()
            if name not in ("Content-Length", "ETag", "Last-Modified", "X-Page-Cache", "Set-Cookie")
        }
        try:
            _cache().set(key, (token, headers, body, etag, last_modified), settings.PAGE_CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            logger.warning("page cache unavailable: not stored", exc_info=True)
        _add_validators(response, etag, last_modified)
        response["X-Page-Cache"] = "miss"
        if _not_modified(request, etag, last_modified):
            not_modified = HttpResponseNotModified()
            for name in ("Cache-Control", "Vary", "ETag", "Last-Modified", "X-Page-Cache"):
                if name in response:
                    not_modified[name] = response[name]
            return not_modified
        return response
