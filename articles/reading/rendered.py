"""HTML that is a pure function of the values it shows, kept in the process under those values.

Parts of the reading site's pages that repeat the most — an essay's link in
a list, a filter's ``<select>`` of hundreds of author units — show nothing
but a handful of values. :func:`rendered` keeps
their HTML keyed by *the values themselves* (the caller builds the key from
everything the HTML shows): a change of any shown value is another key, so
there is no invalidation to forget and no text is served that the data no
longer holds. It is not a page cache: which essays a page shows is decided by
its query on every request, so a withdrawn essay is simply not asked for.

One dict per process, bounded (:data:`MAX_ENTRIES`; the oldest half goes
when full), gone at the restart that any template or code change needs.
"""

import threading

MAX_ENTRIES = 4096

_rendered: dict = {}
_lock = threading.Lock()


def rendered(key, render):
    """The HTML for ``key`` (hashable, built from every value the HTML shows), ``render()`` the first time."""
    html = _rendered.get(key)
    if html is None:
        html = render()
        with _lock:
            if len(_rendered) >= MAX_ENTRIES:
                for old in list(_rendered)[: MAX_ENTRIES // 2]:
                    _rendered.pop(old, None)
            _rendered[key] = html
    return html


def forget_all():
    """Empty this process's rendered parts (tests that change templates or settings)."""
    with _lock:
        _rendered.clear()
