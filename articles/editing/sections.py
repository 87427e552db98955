"""Keeping an essay's flat list of sections consistent: positions and inherited kinds."""

from articles import events
from articles.models import Section


def normalize_sections(article):
    """Renumber the sections of ``article`` 0..n-1 and propagate kinds.

    The current order is (position, id), so a new section given the position
    of an existing one lands right after it. Every point (level 2) takes the
    kind of the nearest section (level 1) before it; points before any
    section keep their own kind. Only changed rows are written, in one
    ``bulk_update``. Returns the sections in order.
    """
    sections = list(Section.objects.filter(article=article).order_by("position", "id"))
    changed = []
    section_kind = None
    for index, section in enumerate(sections):
        dirty = False
        if section.position != index:
            section.position = index
            dirty = True
        if section.level == Section.Level.SECTION:
            section_kind = section.kind
        elif section_kind is not None and section.kind != section_kind:
            section.kind = section_kind
            dirty = True
        if dirty:
            changed.append(section)
    if changed:
        Section.objects.bulk_update(changed, ["position", "kind"])
        # bulk_update sends no signal: cached and stored pages, the search
        # index and the library must still hear of it.
        events.essays_changed([article.pk])
    return sections
