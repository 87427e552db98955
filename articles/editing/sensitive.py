"""The sensitive-word and names lists (``SensitiveTerm``) as one matcher per process.

The matcher (an Aho-Corasick automaton, ``articles/essay/sensitive.py``) is
built once per version of the lists and kept in the process. The version is
one small query, as for the proofreading rules: the latest ``updated_at``, the
number of rows and of enabled rows. Any save or deletion in the admin changes
it, so every worker process rebuilds on its next check after an edit; a
worker that has seen the version does not rebuild again.

:func:`findings` is called by ``articles.editing.rules.proofread_with_site_rules``,
the one path of import, the change form, the 校对 panel and approval.
"""

from __future__ import annotations

from django.db.models import Count, Max, Q

from articles.essay.sensitive import Term, TermMatcher
from articles.models import SensitiveTerm

_cache: tuple | None = None


def list_version() -> tuple:
    values = SensitiveTerm.objects.aggregate(
        latest=Max("updated_at"), count=Count("id"), enabled=Count("id", filter=Q(enabled=True))
    )
    return values["latest"], values["count"], values["enabled"]


def active_matcher() -> TermMatcher:
    """The matcher of the enabled entries, rebuilt only when the lists changed."""
    global _cache
    version = list_version()
    cached = _cache
    if cached is not None and cached[0] == version:
        return cached[1]
    rows = SensitiveTerm.objects.filter(enabled=True).values_list("kind", "text", "replacement", "title", "note")
    matcher = TermMatcher(Term(*row) for row in rows)
    _cache = (version, matcher)
    return matcher


def clear_cache() -> None:
    """Forget the matcher (tests; the version makes it unnecessary otherwise)."""
    global _cache
    _cache = None


def findings(text: str):
    """Engine findings of the lists in ``text`` (political severity, category 敏感词与人名)."""
    return active_matcher().findings(text)
