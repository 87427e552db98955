"""Whole-page caching of the reading site for anonymous readers.

The cache layers of the reading site, outermost first, and why each is kept
(figures: ``benchmarks/serving.py``, 2 cores, December 2026):

1. nginx's proxy cache (``deploy/nginx/portal.conf``): a page for
   ``PAGE_CACHE_PROXY_SECONDS``, then revalidated with its ETag. A burst on
   one page never reaches Python (70-100% of nginx's static-file rate).
2. This module's whole-page cache: an anonymous public page, per
   generation. A hit is one cache round trip and no query, before any other
   middleware. Home, list, topic and search pages aggregate over every
   essay: 40-150 req/s rendered, 1,700-4,600 req/s from here.
3. Stored renditions (``articles.reading.renditions``, in the database): an
   essay page rendered once per essay and code version, what changes with
   other content left as slots. Each publish starts a new generation and
   most essays are read rarely, so a page-cache miss is the usual way into
   an essay: one query and a string fill (about 1 ms) instead of a template
   render (10-20 ms); ~1,000 req/s with the page cache off. The essay body
   is in the stored page: there is no ``{% cache %}`` fragment beside it.
4. Memoized values (:func:`memoize`, :func:`recall`): what many renders of
   one generation share -- an essay page's filled slots, the navigation,
   topic counts, the list's filter choices and count, the list pages'
   frames (``articles.reading.frames``: a page rendered once per generation,
   its page of stored cards and page links filled in per request), the
   header and footer, the library's statistics. A public path's values are
   fetched in one round trip with the generation (its *plan*: what its last
   render asked for). They pay where the page cache cannot:
   query variants of a page, signed-in editors, ``PAGE_CACHE_SECONDS=0``,
   each essay's first request after a publish. Rendered with them warm /
   cold: home 12 / 52 ms, list 11 / 28-34, topic index 3 / 32, topic 10 /
   42, an essay page 1.3 / 15. What only one essay page shows (neighbours,
   related essays) is not memoized: its slot is, so such a memo was written
   on every slot render and read by no reader.

A portal is read far more than it is written, and read in bursts. A public
page is rendered once and then served from the cache (local memory by
default, Redis through ``REDIS_URL`` in production) until something it shows
changes. For a Party committee's portal the cache must never outlive a
decision: a withdrawn essay has to be gone from every page as soon as the
withdrawal commits. How that holds:

* ``@public_page(params=[...])`` marks a view whose GET/HEAD responses may be
  cached for anonymous readers, and names the query parameters that change
  what it shows. The view receives only those, in canonical form
  (:func:`canonical_query`: the last value of each, as ``QueryDict.get``
  reads it; empty values dropped; ``page`` as a plain decimal other than 1),
  and the cache key is exactly that form, URL-encoded: ``?q=a&q=`` cannot be
  stored as ``?q=a``, an encoded ``&`` cannot collide with a real one, and a
  ``?utm_source=…`` can reach neither the key nor a link on the page. Views
  call :func:`no_page_cache` for inputs their forms reject and pages past
  the last, so values no link carries are rendered but never stored; new
  query variants of one page are limited to ``PAGE_CACHE_VARIANTS`` per
  ``PAGE_CACHE_SECONDS`` (the cache cannot be grown without bound).
* :class:`PageCacheMiddleware` comes first in ``MIDDLEWARE``: a hit is
  answered before sessions, authentication, CSRF and the security headers
  run (the stored response already carries every header the stack added
  when it was rendered). A signed-in editor (a session that holds a user),
  everything under the admin and the preview never read or fill the cache;
  a session cookie that names no signed-in session is an anonymous reader.
* Invalidation is by *generation*: one small cache entry holds the current
  generation's token, the publish time of the next scheduled essay and the
  database's publication epoch. Each stored page carries the token it was
  rendered under. A change of an essay, section, topic link, topic or the
  site settings (``articles.events``, at the end of its batch) or an
  explicit :func:`invalidate` drops the generation at once and advances the
  epoch (``config.models.PublicationEpoch``) *inside the transaction of the
  change*, so the epoch commits with it or not at all; when it commits, the
  next generation is written.
  The arrival of the next scheduled publish time starts one too
  (:func:`register_schedule`): no cron.
* The database has the last word. Each process re-reads the epoch at most
  every ``PAGE_CACHE_VERIFY_SECONDS`` and after any cache failure it saw
  (``config.cache``), and a generation older than the epoch is replaced: an
  invalidation the cache never received (Redis hung, refusing, restarting
  or losing the write) still takes effect. The editor whose change the
  cache could not confirm is told so (:class:`ChangeNoticeMiddleware`).
* No stale pages. A page of an earlier generation is never served: while
  one request renders a page of the new generation (a short lock), the
  others wait for it (``PAGE_CACHE_RENDER_WAIT_SECONDS`` at most) and get
  that page, so a burst after a change still costs one render, and nobody
  is shown what was just withdrawn.
* Responses carry a strong ``ETag`` (a hash of the body) and
  ``Last-Modified``; a conditional GET is answered ``304 Not Modified``
  (Django's ``get_conditional_response``).
  Every response of a public page -- stored or not, 404 included -- tells
  shared caches (nginx) to keep it ``PAGE_CACHE_PROXY_SECONDS`` and to serve
  it stale no longer than that while revalidating, so the proxy replaces its
  copy of a withdrawn essay with the 404 within seconds
  (:func:`cache_control`).
* While Redis is away (its circuit breaker open: down, hung, refusing or
  slow, ``config.cache``), pages and memoized values go to this process's
  own memory instead (:func:`_cache`; at most ``PAGE_CACHE_FALLBACK_ENTRIES``
  entries), so an outage costs what a page-cache miss costs, not a render of
  every request. Withdrawals stay immediate: in that mode the process reads
  the database's epoch on *every* request (one small query) and a local
  generation older than it is replaced, so a change committed by any process
  is in force from the next request. A cache outage never becomes an error
  page.

``memoize(name, compute, *key)`` keeps an aggregate (topic counts, filter
choices) for the current generation, for the pages that are rendered.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import time
import uuid
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import setting_changed
from django.db import connections, router, transaction
from django.db.models import F
from django.dispatch import receiver
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date

from config import routers
from config.models import PublicationEpoch

logger = logging.getLogger(__name__)

PREFIX = "pagecache:"
GENERATION_KEY = PREFIX + "generation"
VARIANTS_PREFIX = PREFIX + "variants:"
# A parameter value longer than this is not a link anyone follows: render it, do not store it.
MAX_PARAM_LENGTH = 100
CACHEABLE_METHODS = ("GET", "HEAD")
# How long a request may hold a page's render lock (a render takes milliseconds;
# the lock expires by itself if the request dies).
RENDER_LOCK_SECONDS = 10
# A stored page is ``(token, headers, body, last_modified, status)``; an entry
# of another length was written by an earlier version of this module.
STORED_LENGTH = 5
# The request headers that make a GET conditional (RFC 9110, 13.1).
PRECONDITION_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")
# How long a memoized value may stay in the cache. It is only ever read for
# the generation it was computed in; this bounds what unused ones occupy.
MEMO_SECONDS = 600

_schedules = []
_current = contextvars.ContextVar("pagecache_generation", default=None)
# Set when a change committed but the cache did not acknowledge the new generation.
_unconfirmed = contextvars.ContextVar("pagecache_unconfirmed", default=False)
# This request's memo plan (see :func:`recall`): the raw values fetched at its start, and the keys it asked for.
_prefetched = contextvars.ContextVar("pagecache_prefetched", default=None)
_asked = contextvars.ContextVar("pagecache_asked", default=None)
# Per path: the cache keys its last render asked :func:`recall` for (bounded like _resolved).
_plans = {}
_PLANS_MAX = 1024
_ABSENT = object()


def _shared():
    # The default cache, shared with the rest of the site (view counts read
    # through ``recall(..., extra_keys=...)`` live there too).
    return caches["default"]


_fallback = None


def _local():
    """This process's own memory cache, used while the shared one is away."""
    global _fallback
    if _fallback is None:
        _fallback = LocMemCache(
            "portal-pagecache-fallback", {"OPTIONS": {"MAX_ENTRIES": settings.PAGE_CACHE_FALLBACK_ENTRIES}}
        )
    return _fallback


def _shared_unavailable():
    """True while the shared cache's circuit breaker keeps it out of use (config.cache)."""
    try:
        is_open = getattr(_shared(), "is_open", None)
        return bool(is_open and is_open())
    except Exception:  # noqa: BLE001
        return True


def _cache():
    """Where pages and memoized values go: the shared cache, or this process's memory while
    the shared one is away (see the module docstring)."""
    return _local() if _shared_unavailable() else _shared()


# ---------------------------------------------------------------- marking views


def public_page(view=None, *, params=()):
    """Mark ``view`` as an anonymous page that may be cached whole.

    ``params``: the query parameters that change the page; any other is
    ignored when the response is stored and looked up.
    """

    params = tuple(params)

    def decorate(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            # The view sees what the cache key says, nothing else.
            request.GET = canonical_query(request.GET, params)
            return func(request, *args, **kwargs)

        wrapper.public_page_params = params
        return wrapper

    return decorate(view) if view is not None else decorate


def canonical_query(query, params):
    """``query`` reduced to ``params``, as the views read them: one value each (the last,
    which ``QueryDict.get`` returns), empty ones dropped, ``page`` in plain form.

    A ``page`` that is not a whole number in ASCII digits (``²``, ``٣``,
    ``1.5``) is the first page, which Python's ``int`` would not always agree
    with; ``02`` is ``2``. Numbers past the last page are kept: the view
    answers them with a 404, which is not stored (``articles.reading.pagination.paginate``).
    """
    canonical = QueryDict(mutable=True)
    for name in params:
        value = query.get(name, "")
        if name == "page":
            value = _page_number(value)
        if value:
            canonical[name] = value
    canonical._mutable = False
    return canonical


def _page_number(value):
    """``value`` as the paginator reads it, in plain form: ``"02"`` is ``"2"``; the first
    page, and anything that is not a whole number written in ASCII digits, is ``""``."""
    digits = value[1:] if value.startswith("-") else value
    if not (digits.isascii() and digits.isdigit()):
        return ""
    try:
        number = int(value)
    except ValueError:  # more digits than Python converts
        return ""
    return "" if number == 1 else str(number)


def no_page_cache(request):
    """Call from a view to keep this response out of the page cache (it is still rendered).

    For inputs no link on the site carries, such as a filter value the form
    rejects. Storing those would let anyone fill the cache.
    """
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


def _new_generation(epoch, *, replacing=True):
    """Start a generation. Replacing an outdated one overwrites it; filling a missing one
    does not (``add``): a change that commits meanwhile writes the generation that counts."""
    generation = (uuid.uuid4().hex[:16], _next_scheduled(), epoch)
    cache = _cache()
    if replacing:
        cache.set(GENERATION_KEY, generation, None)
    elif not cache.add(GENERATION_KEY, generation, None):
        written = cache.get(GENERATION_KEY)
        if isinstance(written, tuple) and len(written) == 3:
            return written
    return generation


def _checked_generation(generation):
    """The generation in force: ``generation`` (as read from the cache), or a new one
    when it is missing, older than the database's epoch, or a scheduled publish time has passed."""
    known, fresh = _known_epoch()
    if generation is None:
        return _new_generation(known, replacing=False)
    if not isinstance(generation, tuple) or len(generation) != 3:
        return _new_generation(known)  # written by an earlier version of this module
    token, next_publish, epoch = generation
    if known is not None:
        # Freshly read, the database is the truth (a restored database may be
        # behind the cache); otherwise only a newer epoch than the cache's
        # counts, as another process may have seen a later commit.
        outdated = epoch != known if fresh else (epoch is None or epoch < known)
        if outdated:
            logger.warning("page cache: generation of epoch %s is older than the database's %s: replaced", epoch, known)
            return _new_generation(known)
    if next_publish is not None and time.time() >= next_publish:
        return _new_generation(epoch)
    return generation


def current_generation():
    """The token of the generation in force (fetched at most once per request), or None without a cache."""
    generation = _current.get()
    if generation is None:
        try:
            generation = _checked_generation(_cache().get(GENERATION_KEY))
        except Exception:
            logger.warning("page cache unavailable", exc_info=True)
            return None
        _current.set(generation)
    return generation[0]


def generation_cached():
    """Whether the cache (shared, or this process's own while the shared one is away) holds a
    generation: stored pages can be served from it (``/healthz/ready`` while the database is away)."""
    generation = _cache().get(GENERATION_KEY)
    return isinstance(generation, tuple) and len(generation) == 3


# ---------------------------------------------------------------- the database's epoch


class _EpochKnowledge:
    """What this process last read of the publication epoch, and when."""

    def __init__(self):
        self.value = None  # unknown until the first check
        self.checked_at = time.monotonic()
        self.cache_failures = 0


_epoch = _EpochKnowledge()


def _cache_failures():
    try:
        return getattr(_shared(), "failures", 0)
    except Exception:  # noqa: BLE001 - a cache that cannot even say: count it as failing
        return -1


def _known_epoch():
    """``(epoch, fresh)``: the database's publication epoch as this process knows it, re-read
    every PAGE_CACHE_VERIFY_SECONDS, after any cache failure and, while the shared cache is
    away, on every request: a process's own memory hears of no other process's change."""
    failures = _cache_failures()
    now = time.monotonic()
    if (
        failures == _epoch.cache_failures
        and now - _epoch.checked_at < settings.PAGE_CACHE_VERIFY_SECONDS
        and not _shared_unavailable()
    ):
        return _epoch.value, False
    _epoch.checked_at, _epoch.cache_failures = now, failures
    try:
        _epoch.value = read_epoch()
    except Exception:
        logger.warning("page cache: publication epoch unreadable", exc_info=True)
        return _epoch.value, False
    return _epoch.value, True


def read_epoch():
    """The publication epoch, from the primary database (one small query)."""
    alias = router.db_for_write(PublicationEpoch)
    connection = connections[alias]
    table = connection.ops.quote_name(PublicationEpoch._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {table} WHERE id = %s", [PublicationEpoch.ROW])
        row = cursor.fetchone()
    return row[0] if row else 0


def _advance_epoch():
    """Add one to the publication epoch and return it.

    Called inside the transaction of the change (``articles.events``): the
    row's new value commits with the change or not at all, and until then no
    other connection sees it (on PostgreSQL the row stays locked until the
    commit, so concurrent changes advance it one after the other).
    """
    alias = router.db_for_write(PublicationEpoch)
    connection = connections[alias]
    if connection.vendor == "postgresql" or (
        connection.vendor == "sqlite" and connection.Database.sqlite_version_info >= (3, 35)
    ):
        table = connection.ops.quote_name(PublicationEpoch._meta.db_table)
        with connection.cursor() as cursor:  # one statement: the UPDATE says what it wrote
            cursor.execute(
                f"UPDATE {table} SET value = value + 1 WHERE id = %s RETURNING value", [PublicationEpoch.ROW]
            )
            row = cursor.fetchone()
        if row is not None:
            return row[0]
    epochs = PublicationEpoch.objects.using(alias).filter(pk=PublicationEpoch.ROW)
    if not epochs.update(value=F("value") + 1):
        PublicationEpoch.objects.using(alias).get_or_create(pk=PublicationEpoch.ROW, defaults={"value": 1})
    return read_epoch()


# ---------------------------------------------------------------- invalidation


def invalidate(**kwargs):
    """Start a new generation: every stored page and memoized value is stale.

    Called inside the transaction of a change, once per batch of changes
    (``articles.events``; outside a transaction the change is already
    committed). At once: the generation is dropped, so pages rendered from
    here on are not served under the old one, and the publication epoch
    advances *in the transaction* -- it commits atomically with the change,
    so no process killed after the commit can lose it. When the transaction
    commits, the next generation is written with that epoch (best effort, in
    this process): pages rendered between the save and the commit cannot
    stay, and a cache that missed the change is caught by the database (see
    the module docstring).
    """
    _current.set(None)
    try:
        _cache().delete(GENERATION_KEY)
    except Exception:
        logger.warning("page cache unavailable: could not invalidate", exc_info=True)
    epoch = _advance_epoch()
    transaction.on_commit(lambda: _publish_change(epoch), robust=True)


def _publish_change(epoch):
    """After the commit: write the next generation, of ``epoch`` (the epoch is already in the database)."""
    _current.set(None)
    # Another change of this process may have committed a later epoch already.
    _epoch.value, _epoch.checked_at = max(epoch, _epoch.value or 0), time.monotonic()
    try:
        generation = (uuid.uuid4().hex[:16], _next_scheduled(), epoch)
    except Exception:
        logger.exception("page cache: next scheduled publish time not read")
        generation = (uuid.uuid4().hex[:16], None, epoch)
    confirmed = _set_confirmed(GENERATION_KEY, generation)
    if not confirmed or _shared_unavailable():  # only this process's memory has it
        _unconfirmed.set(True)
        logger.error(
            "page cache: the cache did not confirm a change (epoch %s); workers re-check the database "
            "within %s s or at their next cache failure",
            epoch,
            settings.PAGE_CACHE_VERIFY_SECONDS,
        )


def _set_confirmed(key, value):
    cache = _cache()
    confirm = getattr(cache, "set_confirmed", None)
    try:
        if confirm is not None:
            return confirm(key, value, None)
        cache.set(key, value, None)
        return True
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)
        return False


def change_unconfirmed():
    """True when a change committed in this request was not acknowledged by the cache."""
    return _unconfirmed.get()


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

    A rendered public page asks for its memoized values in several places
    (the view, the navigation, the site settings …), each a round trip to
    Redis. The middleware remembers, per path, the keys its last render asked
    for (its *plan*) and fetches them all with the generation in one round
    trip before the view runs (``PageCacheMiddleware._planned``); this reads them from there.
    """
    keys = [_memo_key(entry) for entry in entries] + list(extra_keys)
    asked = _asked.get()
    if asked is not None:
        asked.update(keys)
    prefetched = _prefetched.get() or {}
    found = {key: prefetched[key] for key in keys if key in prefetched}
    keys = [key for key in keys if key not in found]
    found = {key: value for key, value in found.items() if value is not _ABSENT}
    known = _current.get()
    if known is None:
        keys.append(GENERATION_KEY)
    try:
        if keys:
            found.update(_cache().get_many(keys))
        if known is None:
            known = _checked_generation(found.get(GENERATION_KEY))
            _current.set(known)
    except Exception:
        logger.warning("page cache unavailable", exc_info=True)
        return {}, {}
    values = {}
    for entry in entries:
        stored = found.get(_memo_key(entry))
        if stored is not None and stored[0] == known[0]:
            values[entry] = stored[1]
    return values, {key: found[key] for key in extra_keys if key in found}


def memo_cache():
    """The cache memoized values go to now (the shared one, or this process's memory while it is away)."""
    return _cache()


def prefetched(key):
    """The value of the raw cache ``key`` fetched with this request's memo plan, or None
    (then the caller reads the cache itself); the key joins the path's plan either way."""
    asked = _asked.get()
    if asked is not None:
        asked.add(key)
    value = (_prefetched.get() or {}).get(key, _ABSENT)
    return None if value is _ABSENT else value


def remember(entry, value, timeout=None):
    """Keep ``value`` under ``entry`` (a ``(name, *key)`` tuple) for the current generation."""
    generation = current_generation()
    if generation is None:
        return
    prefetched = _prefetched.get()
    if prefetched is not None:
        prefetched[_memo_key(entry)] = (generation, value)
    try:
        _cache().set(_memo_key(entry), (generation, value), timeout or MEMO_SECONDS)
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


def _conditional(request, response, last_modified, outcome):
    """``response`` (which carries its ``ETag`` and ``Last-Modified``), or for a conditional
    request the ``304 Not Modified`` (or ``412``) Django's ``get_conditional_response`` makes
    of it; marked ``X-Page-Cache: outcome`` either way. A 404 is never answered 304.

    A request with none of the precondition headers (nearly all) skips the call: it
    would find nothing to evaluate, and a hit costs a few microseconds less.
    """
    meta = request.META
    if any(name in meta for name in PRECONDITION_HEADERS):
        response = get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=last_modified,
            response=response,
        )
    response["X-Page-Cache"] = outcome
    return response


def cache_control():
    """``Cache-Control`` of a public page for anonymous readers.

    Browsers keep it ``PAGE_CACHE_BROWSER_SECONDS`` (0: they revalidate,
    which nginx answers with a 304); shared caches ``PAGE_CACHE_PROXY_SECONDS``,
    may serve it stale only as long again while they fetch the next one, and
    ``PAGE_CACHE_PROXY_STALE_IF_ERROR`` seconds at most when the portal does
    not answer. Sent with 404s too: a proxy replaces its copy of a withdrawn
    essay only with a response it may keep.
    """
    proxy = settings.PAGE_CACHE_PROXY_SECONDS
    return (
        f"public, max-age={settings.PAGE_CACHE_BROWSER_SECONDS}, s-maxage={proxy}, "
        f"stale-while-revalidate={proxy}, stale-if-error={settings.PAGE_CACHE_PROXY_STALE_IF_ERROR}"
    )


def _signed_in(session_key):
    """Whether the session cookie names a session of a signed-in user (one query).

    Any cookie can be sent: only a real session may bypass the cache, or one
    junk cookie would make every request a full render.
    """
    from importlib import import_module

    from django.contrib.auth import SESSION_KEY

    if not session_key or len(session_key) > 64 or not session_key.isalnum():
        return False
    try:
        store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
        return SESSION_KEY in store
    except Exception:
        logger.warning("page cache: session not readable", exc_info=True)
        return False


class _Lookup:
    """A cacheable request: its key, whether its query may be stored, and the budget it counts against."""

    __slots__ = ("key", "storable", "family")

    def __init__(self, key, storable, family):
        self.key, self.storable, self.family = key, storable, family


def within_variant_budget(cache, family, window_seconds):
    """Whether one more variant of ``family`` (a page's path, a frame's kind) may be stored in this
    window of ``window_seconds``: at most ``PAGE_CACHE_VARIANTS`` new ones per window, so anonymous
    traffic cannot fill the cache with query variants."""
    window = int(time.time() // max(window_seconds, 1))
    counter = (
        VARIANTS_PREFIX
        + hashlib.blake2b(f"{family}:{window}".encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    )
    try:
        cache.add(counter, 0, max(window_seconds, 1) * 2)
        return cache.incr(counter) <= settings.PAGE_CACHE_VARIANTS
    except Exception:  # noqa: BLE001 - no counter, no new variant
        return False


class PageCacheMiddleware:
    """Serve and store anonymous public pages (see the module docstring). First in ``MIDDLEWARE``."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.session_cookie = settings.SESSION_COOKIE_NAME
        self.bypass_prefixes = ("/" + settings.ADMIN_URL, "/preview/")

    def _lookup(self, request):
        """The :class:`_Lookup` of a cacheable request, or None."""
        if request.method not in CACHEABLE_METHODS or settings.PAGE_CACHE_SECONDS <= 0:
            return None
        path = request.path_info
        if path.startswith(self.bypass_prefixes):
            return None
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return None  # SecurityMiddleware redirects it
        params = _params_for(path)
        if params is None:
            return None
        if self.session_cookie in request.COOKIES and _signed_in(request.COOKIES[self.session_cookie]):
            return None  # a signed-in editor: always the live page
        query = canonical_query(request.GET, params)
        storable = all(len(value) <= MAX_PARAM_LENGTH and "\x00" not in value for value in query.values())
        try:
            host = request.get_host()
        except Exception:  # noqa: BLE001 - DisallowedHost: let Django answer it
            return None
        encoded = urlencode(sorted(query.items()))
        # Hashed: a safe, bounded key whatever the path and parameters hold.
        url = f"{request.scheme}://{host}{path}?{encoded}"
        key = PREFIX + "page:" + hashlib.blake2b(url.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()
        return _Lookup(key, storable, path if encoded else None)

    def __call__(self, request):
        _current.set(None)
        _prefetched.set(None)
        _asked.set(None)
        # With a read replica (config.routers): editors and the admin read the
        # primary, so replication lag never shows them an older essay.
        if self.session_cookie in request.COOKIES or request.path_info.startswith(self.bypass_prefixes):
            routers.pin_to_primary()
        else:
            routers.unpin()
        lookup = self._lookup(request)
        if lookup is None:
            if request.method in CACHEABLE_METHODS and _params_for(request.path_info) is not None:
                return self._planned(request)
            return self.get_response(request)

        cache = _cache()
        try:
            found = cache.get_many([GENERATION_KEY, lookup.key])
            generation = _checked_generation(found.get(GENERATION_KEY))
        except Exception:
            logger.warning("page cache unavailable: serving uncached", exc_info=True)
            return self._public(request, self.get_response(request))
        _current.set(generation)
        token = generation[0]
        stored = found.get(lookup.key)
        if not (isinstance(stored, tuple) and len(stored) == STORED_LENGTH):
            stored = None  # nothing, or written by an earlier version of this module
        if stored is not None and stored[0] == token:
            return self._from_stored(request, stored)

        # Another request is rendering this page for this generation: wait for
        # its page instead of rendering it again (no dog-pile after a change)
        # and instead of serving the previous generation's page, which may
        # show what was just withdrawn.
        lock = lookup.key + ":rendering"
        try:
            rendering_here = cache.add(lock, 1, RENDER_LOCK_SECONDS)
        except Exception:  # noqa: BLE001
            rendering_here = True
        if not rendering_here:
            rendered = self._wait_for(cache, lookup.key, lock, token)
            if rendered is not None:
                return self._from_stored(request, rendered)
        try:
            response = self._planned(request)
            if (
                lookup.storable
                and self._storable(request, response, replacing=stored is not None)
                and (stored is not None or self._within_budget(cache, lookup.family))
            ):
                return self._store(request, response, lookup.key, token)
            return self._public(request, response)
        finally:
            if rendering_here:
                try:
                    cache.delete(lock)
                except Exception:  # noqa: BLE001
                    pass

    def _planned(self, request):
        """The view's response; before it, the memo plan of the request's path is fetched in one round trip
        (with the generation, unless known already), and after it, the keys the view asked :func:`recall`
        for are kept as the path's plan."""
        path = request.path_info
        plan = _plans.get(path, ())
        if plan:
            known = _current.get()
            wanted = list(plan) if known is not None else [GENERATION_KEY, *plan]
            try:
                found = _cache().get_many(wanted)
                if known is None:
                    _current.set(_checked_generation(found.get(GENERATION_KEY)))
                # Absent values too: they are not asked for again.
                _prefetched.set({key: found.get(key, _ABSENT) for key in plan})
            except Exception:
                logger.warning("page cache unavailable", exc_info=True)
        asked = set()
        _asked.set(asked)
        try:
            response = self.get_response(request)
        finally:
            # What was fetched for this request is not read by anything after it in this thread.
            _prefetched.set(None)
            _asked.set(None)
        if response.status_code == 200 and asked != set(plan):
            if len(_plans) >= _PLANS_MAX:
                _plans.clear()  # hostile paths cannot grow it without bound
            _plans[path] = tuple(sorted(asked))
        return response

    def _wait_for(self, cache, key, lock, token):
        """The page stored for ``token`` by the request holding ``lock``, or None when that
        request ends without storing one (a 404, an error, a page not to be kept) or takes too long."""
        deadline = time.monotonic() + settings.PAGE_CACHE_RENDER_WAIT_SECONDS
        delay = 0.005
        while time.monotonic() < deadline:
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
            try:
                found = cache.get_many([key, lock])
            except Exception:  # noqa: BLE001
                return None
            page = found.get(key)
            if isinstance(page, tuple) and len(page) == STORED_LENGTH and page[0] == token:
                return page
            if lock not in found:
                return None
        return None

    def _within_budget(self, cache, family):
        """Whether one more query variant of the page at path ``family`` may be stored in this
        PAGE_CACHE_SECONDS window (the plain page, ``family`` None, always may)."""
        if family is None:
            return True
        return within_variant_budget(cache, family, settings.PAGE_CACHE_SECONDS)

    def _public(self, request, response):
        """``response`` as shared caches may keep it, when nothing else was said about its caching."""
        if (
            response.status_code < 500
            and not response.cookies
            and "Cache-Control" not in response
            and not getattr(getattr(request, "user", None), "is_authenticated", False)
        ):
            response["Cache-Control"] = cache_control()
        return response

    def _from_stored(self, request, stored):
        _, headers, body, last_modified, status = stored
        response = HttpResponse(
            b"" if request.method == "HEAD" else body,
            status=status,
            headers={**headers, "Content-Length": str(len(body))},
        )
        return _conditional(request, response, last_modified, "hit")

    def _storable(self, request, response, *, replacing=False):
        """Whether ``response`` may be kept: a 200, or the 404 of an address that had a
        page (a withdrawn essay, an emptied theme: bounded by what was stored before)."""
        if response.status_code != 200 and not (response.status_code == 404 and replacing):
            return False
        if response.streaming or response.cookies:
            return False
        if getattr(request, "_page_cache_skip", False):
            return False
        cache_control_value = response.get("Cache-Control", "")
        if any(word in cache_control_value for word in ("private", "no-store", "no-cache")):
            return False
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return False
        return True

    def _store(self, request, response, key, token):
        body = response.content
        status = response.status_code
        # The validators are stored with the other headers: a hit only copies them.
        del response["ETag"]
        set_response_etag(response)  # strong: a hash of the body (none for an empty one)
        last_modified = int(time.time())
        response["Last-Modified"] = http_date(last_modified)
        response["Cache-Control"] = cache_control()
        headers = {
            name: value
            for name, value in response.items()
            if name not in ("Content-Length", "X-Page-Cache", "Set-Cookie")
        }
        try:
            _cache().set(key, (token, headers, body, last_modified, status), settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("page cache unavailable: not stored", exc_info=True)
        return _conditional(request, response, last_modified, "miss")


class ChangeNoticeMiddleware:
    """Tell the editor when a change they made was committed but the cache did not confirm it.

    After ``MessageMiddleware`` in ``MIDDLEWARE``: the warning joins the
    messages of the page the editor is sent to. What readers see is already
    safe (the database's epoch is checked, see the module docstring); the
    editor should still know why the site may take a few seconds, and whom
    to call if it does not.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _unconfirmed.set(False)
        response = self.get_response(request)
        if _unconfirmed.get() and hasattr(request, "_messages"):
            seconds = settings.PAGE_CACHE_VERIFY_SECONDS + 2 * settings.PAGE_CACHE_PROXY_SECONDS
            messages.warning(
                request,
                (
                    f"更改已保存，但缓存服务器未能确认清除旧页面。网站会向数据库核对，"
                    f"最迟约 {seconds:g} 秒后读者看到的就是保存后的内容；"
                    "如果超过这个时间仍能看到旧页面，请联系系统管理员检查缓存服务（Redis）。"
                ),
            )
        return response
