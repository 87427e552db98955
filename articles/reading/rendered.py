"""HTML that is a pure function of the values it shows, kept in the process under those values.

Parts of the reading site's pages that repeat the most — an essay's link in
a list, a filter's ``<select>`` of hundreds of author units — show nothing
but a handful of values. :func:`rendered` keeps
their HTML keyed by *the values themselves* (the caller builds the key from
everything the HTML shows): a change of any shown value is another key, so
there is no invalidation to forget and no text is served that the data no
longer holds. It is not a page cache: which essays a page shows is decided by
its query on every request, so a withdrawn essay is simply not asked for.

One dict per process, bounded (:data:`MAX_ENTRIES` entries and
:data:`MAX_CHARS` characters; the oldest half goes when full), gone at the
restart that any template or code change needs.
"""

import threading

MAX_ENTRIES = 4096
# And at most this many characters of HTML: a filter's <select> of hundreds of author units is
# some 30,000 characters for each selected value, and its key holds the choices again, so a
# crawler walking every unit would otherwise keep 4,096 of them (hundreds of MB per worker).
MAX_CHARS = 4_000_000

_rendered: dict = {}
_chars = 0
_lock = threading.Lock()


def rendered(key, render):
    """The HTML for ``key`` (hashable, built from every value the HTML shows), ``render()`` the first time."""
    global _chars
    html = _rendered.get(key)
    if html is None:
        html = render()
        with _lock:
            if len(_rendered) >= MAX_ENTRIES or _chars + len(html) > MAX_CHARS:
                for old in list(_rendered)[: max(len(_rendered) // 2, 1)]:
                    _chars -= len(_rendered.pop(old, ""))
            if key not in _rendered:
                _chars += len(html)
            _rendered[key] = html
    return html


def forget_all():
    """Empty this process's rendered parts (tests that change templates or settings)."""
    global _chars
    with _lock:
        _rendered.clear()
        _chars = 0
