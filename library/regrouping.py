"""Rebuild the library: items from published essays, themes, suggested links.

:func:`regroup` is the one entry point (the ``regroup_items`` command, the
``regroup_library`` task after publishing, the benchmark). It

1. syncs :class:`LibraryItem` rows with the points of public essays --
   published and due, not in the recycle bin -- (keyed by section and
   ordinal, so an item keeps its id and permalink while its point exists);
   items of essays the public may not see go, in the same transaction that
   renames the themes they named (``library.visibility`` hides them until then);
2. groups each library's items (``library.grouping``) with editors' pinned
   themes and moved items as seeds;
3. matches each automatic group to the previous automatic theme holding most
   of its items, so theme ids (and URLs) stay stable across regroups;
4. refreshes labels and counts and suggests countermeasure links within each
   essay, keeping every link an editor confirmed or rejected;
5. records when the next scheduled essay with library points becomes due,
   so that the first library request after it asks for a regroup (``library.tasks``).
"""

from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from articles import events
from articles.models import Article, Section
from articles.text import html_to_text
from library import grouping, queries
from library.extraction import first_sentence, split_items
from library.lexicon import active_lexicon
from library.models import (
    COUNTERMEASURE_KINDS,
    CountermeasureLink,
    Kind,
    Library,
    LibraryItem,
    RegroupState,
    Theme,
    library_of,
)

logger = logging.getLogger(__name__)

LIBRARY_KINDS = {Kind.PROBLEMS.value, Kind.CAUSES.value, Kind.COUNTERMEASURES.value}
# A suggested link needs at least this cosine between problem and countermeasure.
LINK_THRESHOLD = 0.12
LINKS_PER_COUNTERMEASURE = 2
BATCH = 2000


# When the next scheduled essay with library points is due (a timestamp in the
# cache; 0: none): each regroup records it, the library views read it (library.tasks).
NEXT_DUE_KEY = "library:regroup:next-due"


def _scheduled_with_items():
    return Article.objects.scheduled().filter(sections__kind__in=LIBRARY_KINDS)


def next_scheduled():
    """The publish time of the next scheduled essay with library points, or None."""
    return _scheduled_with_items().order_by("published_at").values_list("published_at", flat=True).first()


def record_next_due(when):
    """Called by each regroup with :func:`next_scheduled` as it was when the regroup began."""
    cache.set(NEXT_DUE_KEY, when.timestamp() if when else 0, None)


@dataclass
class Report:
    items: int = 0
    themes: int = 0
    links: int = 0
    seconds: float = 0.0

    def __str__(self):
        return f"条目 {self.items} 条，主题 {self.themes} 个，建议关联 {self.links} 条，用时 {self.seconds:.1f} 秒。"


def desired_items(sections):
    """The items of one essay's ordered sections: ``[(section, kind, ordinal, heading, text)]``.

    Points of a problems/causes/countermeasures section (the point's own kind
    if set, else its section's); a section of such a kind without points is
    split itself.
    """
    result = []
    parent_kind, has_points, current = None, False, None

    def flush_section():
        if current is not None and not has_points and current.kind in LIBRARY_KINDS:
            result.extend(_items_of(current, current.kind))

    for section in sections:
        if section.level == Section.Level.SECTION:
            flush_section()
            current, parent_kind, has_points = section, section.kind, False
            continue
        has_points = True
        kind = section.kind if section.kind in LIBRARY_KINDS else parent_kind
        if kind in LIBRARY_KINDS:
            result.extend(_items_of(section, kind))
    flush_section()
    return result


def _items_of(section, kind):
    text = html_to_text(section.body)
    parts = split_items(text)
    heading = (section.heading or "").strip()
    if not parts:
        return [(section, kind, 0, heading[:300] or "（无标题）", "")] if heading else []
    rows = []
    for part in parts:
        if part.ordinal == 0:
            rows.append((section, kind, 0, heading[:300] or first_sentence(part.text), part.text))
        else:
            rows.append((section, kind, part.ordinal, first_sentence(part.text)[:300], part.text))
    return rows


def sync_items(progress=None):
    """Make the item rows match the points of public essays.

    Returns ``(items, stale)``: the number of items wanted and the ids of the
    rows to delete, which the caller deletes in the transaction that
    relabels the themes (until then ``library.visibility`` withholds them).
    Not scheduled essays: their points would name themes and give keywords
    before their time. They join at the regroup their publish time triggers.
    """
    published = Article.objects.published().values_list("pk", flat=True)
    sections = (
        Section.objects.filter(article__in=published)
        .only("id", "article_id", "level", "kind", "heading", "body", "position")
        .order_by("article_id", "position", "id")
    )
    existing = {
        (row["section_id"], row["ordinal"]): row
        for row in LibraryItem.objects.values("id", "section_id", "ordinal", "kind", "heading", "text", "position")
    }
    wanted, create, update = set(), [], []

    def handle(article_sections):
        for position, (section, kind, ordinal, heading, text) in enumerate(desired_items(article_sections)):
            key = (section.pk, ordinal)
            wanted.add(key)
            old = existing.get(key)
            if old is None:
                create.append(
                    LibraryItem(
                        article_id=section.article_id,
                        section_id=section.pk,
                        kind=kind,
                        position=position,
                        ordinal=ordinal,
                        heading=heading,
                        text=text,
                    )
                )
            elif (old["kind"], old["heading"], old["text"], old["position"]) != (kind, heading, text, position):
                update.append(LibraryItem(id=old["id"], kind=kind, heading=heading, text=text, position=position))

    article_id, batch = None, []
    for section in sections.iterator(chunk_size=BATCH):
        if section.article_id != article_id and batch:
            handle(batch)
            batch = []
        article_id = section.article_id
        batch.append(section)
    if batch:
        handle(batch)

    stale = [row["id"] for key, row in existing.items() if key not in wanted]
    with transaction.atomic():
        LibraryItem.objects.bulk_create(create, batch_size=BATCH)
        LibraryItem.objects.bulk_update(update, ["kind", "heading", "text", "position"], batch_size=BATCH)
    return len(wanted), stale


def regroup(progress=None):
    """Rebuild items, themes and suggested links. ``progress(n)`` is called as items are grouped.

    One transaction, which first writes the :class:`RegroupState` row: its
    lock serialises regroups (a second one waits for the first to commit) and
    is released when the holder's connection ends, however it ends. Readers
    see the library before or after, never half way. The page cache hears of
    it once, as the transaction ends (``articles.events.pages_changed``).
    """
    with transaction.atomic(), events.changes():
        _lock()
        report = _regroup(progress)
        RegroupState.objects.filter(pk=RegroupState.ROW).update(finished_at=timezone.now())
    return report


def _lock():
    """Take the regroup lock: write the one RegroupState row (made on first use)."""
    if not RegroupState.objects.filter(pk=RegroupState.ROW).update(started_at=timezone.now()):
        RegroupState.objects.get_or_create(pk=RegroupState.ROW)
        RegroupState.objects.filter(pk=RegroupState.ROW).update(started_at=timezone.now())


def _regroup(progress):
    started = time.perf_counter()
    report = Report()
    # Before the items are read: an essay that becomes due while this runs is
    # then still ahead of the time recorded, and regrouped again.
    next_due = next_scheduled()
    report.items, stale = sync_items()
    stale = set(stale)
    rows = [
        row
        for row in LibraryItem.objects.order_by("article_id", "position", "ordinal").values_list(
            "id", "article_id", "kind", "heading", "text", "theme_id", "locked_by_editor"
        )
        if row[0] not in stale
    ]
    lexicon = active_lexicon()
    vectors = grouping.vectors_of([(heading, text) for _, _, _, heading, text, _, _ in rows], lexicon)
    by_library = defaultdict(list)
    for index, row in enumerate(rows):
        by_library[library_of(row[2])].append(index)

    assignments = {}  # item id -> theme id
    theme_updates = {}
    for library in (Library.PROBLEMS, Library.COUNTERMEASURES):
        indices = by_library.get(library, [])
        assigned, updates = _regroup_library(library, indices, rows, vectors, progress, lexicon)
        assignments.update(assigned)
        theme_updates.update(updates)

    with transaction.atomic():
        # The items of essays that left the public go together with the names
        # and keywords they gave their themes.
        stale = sorted(stale)
        for start in range(0, len(stale), BATCH):
            LibraryItem.objects.filter(pk__in=stale[start : start + BATCH]).delete()
        # One UPDATE per theme (in chunks): much faster than bulk_update's CASE WHEN.
        moved = defaultdict(list)
        for row in rows:
            if assignments.get(row[0]) != row[5]:
                moved[assignments.get(row[0])].append(row[0])
        for theme_id, ids in moved.items():
            for start in range(0, len(ids), 900):
                LibraryItem.objects.filter(pk__in=ids[start : start + 900]).update(theme_id=theme_id)
        # Automatic themes left without items go; an editor's theme stays even when empty.
        Theme.objects.filter(pinned=False).exclude(pk__in=set(assignments.values())).delete()
        themes = list(Theme.objects.filter(pk__in=theme_updates))
        for theme in themes:
            theme.auto_label, theme.top_words, theme.central_item_id = theme_updates[theme.pk]
        Theme.objects.bulk_update(themes, ["auto_label", "top_words", "central_item"], batch_size=BATCH)
        refresh_counts()
    report.themes = Theme.objects.count()
    report.links = suggest_links(rows, vectors)
    record_next_due(next_due)
    report.seconds = time.perf_counter() - started
    return report


def _regroup_library(library, indices, rows, vectors, progress, lexicon):
    pinned = {theme.pk for theme in Theme.objects.filter(library=library, pinned=True, misc=False)}
    local_vectors = [vectors[i] for i in indices]
    seeds = defaultdict(list)
    for local, i in enumerate(indices):
        theme_id, locked = rows[i][5], rows[i][6]
        if theme_id in pinned and locked:
            seeds[theme_id].append(local)
    seed_list = [(theme_id, seeds.get(theme_id, [])) for theme_id in sorted(pinned)]
    groups = grouping.group(local_vectors, seed_list, progress=progress, concepts=frozenset(lexicon.concepts))
    # A theme of one item is no theme: such items go to the library's 其他 bucket.
    misc_items = [g.members[0] for g in groups if g.key is None and len(g.members) == 1]
    groups = [g for g in groups if g.key is not None or len(g.members) > 1]

    # Match automatic groups to the previous automatic theme with most of their items.
    previous = defaultdict(Counter)
    for number, group in enumerate(groups):
        if group.key is None:
            for local in group.members:
                theme_id = rows[indices[local]][5]
                if theme_id is not None and theme_id not in pinned:
                    previous[number][theme_id] += 1
    candidates = sorted(
        ((count, number, theme_id) for number, counter in previous.items() for theme_id, count in counter.items()),
        reverse=True,
    )
    existing_auto = set(Theme.objects.filter(library=library, pinned=False, misc=False).values_list("pk", flat=True))
    sizes = Counter(rows[i][5] for i in indices)
    theme_of_group, used = {}, set()
    for count, number, theme_id in candidates:
        if number in theme_of_group or theme_id in used or theme_id not in existing_auto:
            continue
        # Reuse only when the group keeps a fair share of the old theme.
        if count * 2 >= len(groups[number].members) or count * 2 >= sizes[theme_id]:
            theme_of_group[number] = theme_id
            used.add(theme_id)
    new_numbers = [n for n, g in enumerate(groups) if g.key is None and n not in theme_of_group and g.members]
    created = Theme.objects.bulk_create([Theme(library=library) for _ in new_numbers], batch_size=BATCH)
    for number, theme in zip(new_numbers, created, strict=True):
        theme_of_group[number] = theme.pk

    # A concept names one theme only, the largest sharing it (groups are sorted largest first);
    # other themes sharing it are named by their central items.
    named = set()
    assigned, updates = {}, {}
    for number, group in enumerate(groups):
        theme_id = group.key if group.key is not None else theme_of_group.get(number)
        if theme_id is None:
            continue
        for local in group.members:
            assigned[rows[indices[local]][0]] = theme_id
        central = rows[indices[group.central]] if group.central >= 0 else None
        # The theme names the concept its items share, else its most central item's heading.
        label = lexicon.label(group.concept, library) if group.concept not in named else ""
        named.add(group.concept)
        label = label or (central[3] if central else "")
        updates[theme_id] = (
            label[:200],
            " ".join(group.top_words)[:200],
            central[0] if central else None,
        )
    if misc_items:
        misc = Theme.objects.filter(library=library, misc=True).first()
        if misc is None:
            misc = Theme.objects.create(library=library, misc=True)
        for local in misc_items:
            assigned[rows[indices[local]][0]] = misc.pk
        updates[misc.pk] = ("", "", None)  # named 其他 by Theme.label, after no item
    return assigned, updates


def refresh_counts():
    """Denormalised counts of every theme, over items of published essays."""
    public = LibraryItem.objects.public().filter(theme__isnull=False)
    stats = {
        row["theme_id"]: row
        for row in public.values("theme_id").annotate(
            items=Count("id"),
            essays=Count("article_id", distinct=True),
            units=Count("article__author_org", distinct=True, filter=~Q(article__author_org="")),
            latest=Max("article__published_at"),
        )
    }
    themes = list(Theme.objects.only("id"))
    for theme in themes:
        row = stats.get(theme.pk, {})
        theme.item_count = row.get("items", 0)
        theme.essay_count = row.get("essays", 0)
        theme.unit_count = row.get("units", 0)
        theme.latest_at = row.get("latest")
    Theme.objects.bulk_update(themes, ["item_count", "essay_count", "unit_count", "latest_at"], batch_size=BATCH)
    # Cached theme statistics are stale now (regrouping, or an editor's merge, split or move).
    queries.library_changed()


def suggest_links(rows, vectors):
    """Suggest, within each essay, the problems each countermeasure answers best.

    Links an editor confirmed or rejected are kept as they are; earlier
    suggestions not suggested again go. Returns the number of suggestions.
    """
    by_article = defaultdict(lambda: ([], []))
    for index, row in enumerate(rows):
        problems, countermeasures = by_article[row[1]]
        (countermeasures if row[2] in COUNTERMEASURE_KINDS else problems).append(index)
    decided = set(
        CountermeasureLink.objects.exclude(status=CountermeasureLink.Status.SUGGESTED).values_list(
            "problem_id", "countermeasure_id"
        )
    )
    suggestions = []
    for problems, countermeasures in by_article.values():
        if not problems or not countermeasures:
            continue
        problem_vectors = [vectors[i] for i in problems]
        for c in countermeasures:
            for local, score in grouping.best_matches(
                vectors[c], problem_vectors, threshold=LINK_THRESHOLD, limit=LINKS_PER_COUNTERMEASURE
            ):
                pair = (rows[problems[local]][0], rows[c][0])
                if pair not in decided:
                    suggestions.append(CountermeasureLink(problem_id=pair[0], countermeasure_id=pair[1], score=score))
    with transaction.atomic():
        CountermeasureLink.objects.filter(status=CountermeasureLink.Status.SUGGESTED).delete()
        CountermeasureLink.objects.bulk_create(suggestions, batch_size=BATCH)
    return len(suggestions)
