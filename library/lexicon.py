"""The concept lexicon in the database, where editors extend it.

:func:`sync_shipped_concepts` copies ``library/concepts.txt`` into
:class:`~library.models.Concept` after every ``migrate`` (``library.apps``):
new concepts are added, shipped concepts no longer in the file are switched
off once, and editors' rows and on/off choices are never touched (the same
rule as the proofreading formulations, ``articles.editing.formulations``).
:func:`active_lexicon` builds the grouping's :class:`~library.concepts.Lexicon`
from the enabled rows, rebuilt when a row changes (one small query a call).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Count, Max, Q

from library import concepts
from library.models import Concept

# Marks a shipped concept switched off because the file dropped it, so that an
# editor who switches it back on is not overruled by the next sync.
_RETIRED = "已不在随系统发布的概念词表中。"


@dataclass
class ConceptSyncReport:
    created: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.disabled)

    def __str__(self) -> str:
        return f"问题库概念词：新增 {len(self.created)} 个，停用 {len(self.disabled)} 个。"


def sync_shipped_concepts(shipped=None, *, using: str = DEFAULT_DB_ALIAS) -> ConceptSyncReport:
    """Add the shipped concepts that are missing; switch off shipped concepts no longer shipped."""
    shipped = list(concepts.shipped_concepts() if shipped is None else shipped)
    report = ConceptSyncReport()
    rows = Concept.objects.using(using)
    with transaction.atomic(using=using):
        existing = set(rows.values_list("name", flat=True))
        new = [c for c in shipped if c.name not in existing]
        rows.bulk_create(
            [
                Concept(
                    name=c.name,
                    problem_label=c.problem_label,
                    countermeasure_label=c.countermeasure_label,
                    wordings=" ".join(w for w in c.wordings if w != c.name),
                    origin=Concept.Origin.SHIPPED,
                )
                for c in new
            ]
        )
        report.created = [c.name for c in new]
        names = {c.name for c in shipped}
        retired = rows.filter(origin=Concept.Origin.SHIPPED, enabled=True).exclude(name__in=names)
        for row in retired.exclude(note__startswith=_RETIRED):
            row.enabled = False
            row.note = (_RETIRED + row.note)[:200]
            row.save(using=using, update_fields=["enabled", "note", "updated_at"])
            report.disabled.append(row.name)
    return report


def _fingerprint() -> tuple:
    values = Concept.objects.aggregate(
        latest=Max("updated_at"), count=Count("id"), enabled=Count("id", filter=Q(enabled=True))
    )
    return values["latest"], values["count"], values["enabled"]


_cache: tuple | None = None


def active_concepts() -> tuple:
    """The enabled concepts (before the first sync, the shipped file's)."""
    global _cache
    fingerprint = _fingerprint()
    cached = _cache
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    if not fingerprint[1]:
        result = concepts.shipped_concepts()
    else:
        result = tuple(
            concepts.Concept(
                row.name,
                row.problem_label,
                row.countermeasure_label,
                (row.name, *concepts.parse_wordings(row.wordings)),
            )
            for row in Concept.objects.filter(enabled=True).order_by("origin", "id")
        )
    _cache = (fingerprint, result)
    return result


def active_lexicon() -> concepts.Lexicon:
    """The grouping's lexicon of the enabled concepts (shared while they do not change)."""
    return concepts.lexicon_of(active_concepts())


def clear_cache() -> None:
    global _cache
    _cache = None
