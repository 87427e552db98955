"""The spinner detector's formulations (提法) in the database, where editors extend them.

:func:`sync_shipped_formulations` copies the shipped lists
(``articles/essay/rules/formulations.txt`` and ``collocations.txt``) into
:class:`~articles.models.Formulation` after every ``migrate`` (see
``articles.signals``): new entries are added, entries no longer shipped are
switched off once, and editors' entries and on/off choices are never touched.
:func:`active_lexicon` turns the enabled rows into the detector's
:class:`~articles.essay.spinner.Lexicon`, cached per process and rebuilt as
soon as a row changes (one small query a call), like the proofreading rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Count, Max, Q

from articles.essay import spinner
from articles.models import Formulation

__all__ = ["FormulationSyncReport", "active_lexicon", "clear_lexicon_cache", "sync_shipped_formulations"]


@dataclass
class FormulationSyncReport:
    created: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.disabled)

    def __str__(self) -> str:
        return f"常见提法\uff1a新增 {len(self.created)} 条\uff0c停用 {len(self.disabled)} 条。"


def sync_shipped_formulations(
    entries: list[str] | None = None, *, using: str = DEFAULT_DB_ALIAS
) -> FormulationSyncReport:
    """Add the shipped entries that are missing; switch off shipped entries no longer shipped.

    ``entries`` defaults to :func:`articles.essay.spinner.shipped_formulations`.
    An entry an editor added first stays the editor's. Running it twice writes
    nothing the second time.
    """
    entries = [
        entry
        for entry in (spinner.shipped_formulations() if entries is None else entries)
        if spinner.is_formulation(entry)
    ]
    report = FormulationSyncReport()
    rows = Formulation.objects.using(using)
    with transaction.atomic(using=using):
        existing = dict(rows.values_list("text", "origin"))
        shipped = set(entries)
        new = [entry for entry in dict.fromkeys(entries) if entry not in existing]
        rows.bulk_create([Formulation(text=entry, origin=Formulation.Origin.SHIPPED) for entry in new])
        report.created = new
        retired = rows.filter(origin=Formulation.Origin.SHIPPED, enabled=True).exclude(text__in=shipped)
        for row in retired.exclude(note__startswith=_RETIRED):
            row.enabled = False
            row.note = (_RETIRED + row.note)[:200]
            row.save(using=using, update_fields=["enabled", "note", "updated_at"])
            report.disabled.append(row.text)
    return report


# Marks a shipped entry switched off because the lists dropped it, so that an
# editor who switches it back on is not overruled by the next sync.
_RETIRED = "已不在随系统发布的列表中。"

_cache: tuple[tuple, spinner.Lexicon] | None = None


def _fingerprint() -> tuple:
    values = Formulation.objects.aggregate(
        latest=Max("updated_at"), count=Count("id"), enabled=Count("id", filter=Q(enabled=True))
    )
    return values["latest"], values["count"], values["enabled"]


def active_lexicon() -> spinner.Lexicon:
    """The enabled formulations with the shipped genre counts, as the detector's lexicon.

    Before the first sync (an empty table) the shipped lexicon is used, so a
    database without the rows still proofreads as the files say.
    """
    global _cache
    fingerprint = _fingerprint()
    cached = _cache
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    if not fingerprint[1]:
        lexicon = spinner.shipped_lexicon()
    else:
        shipped = spinner.shipped_lexicon()
        texts = Formulation.objects.filter(enabled=True).values_list("text", flat=True)
        lexicon = spinner.Lexicon.of(texts, shipped.collocations, shipped.words, shipped.window)
    _cache = (fingerprint, lexicon)
    return lexicon


def clear_lexicon_cache() -> None:
    global _cache
    _cache = None
