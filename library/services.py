"""Editors' operations on the library: rename, merge, split, move, decide links.

Each operation pins the themes it touches (``Theme.pinned``) and locks the
items it places (``LibraryItem.locked_by_editor``): regrouping then keeps
them as they are (see ``library.grouping``, seeds). Counts are refreshed at
once so the public pages agree with the admin.
"""

from django.db import transaction

from library import queries
from library.models import CountermeasureLink, LibraryItem, Theme


class LibraryError(ValueError):
    """An operation an editor asked for that cannot be done; the message is for the editor."""


MISC_REFUSED = "“其他”收的是只有一条、不成主题的条目，不能改名、合并或移入；请把其中的条目拆分为新主题。"


def _pin(theme):
    if theme.misc:
        return  # the 其他 bucket is rebuilt by every regroup, never the editor's
    theme.pinned = True
    theme.save(update_fields=["pinned", "custom_label", "updated_at"])
    theme.items.update(locked_by_editor=True)


def _refresh():
    from library.regrouping import refresh_counts

    refresh_counts()


@transaction.atomic
def rename_theme(theme, label):
    label = " ".join((label or "").split())[:200]
    if not label:
        raise LibraryError("主题名称不能为空。")
    if theme.misc:
        raise LibraryError(MISC_REFUSED)
    theme.custom_label = label
    _pin(theme)
    queries.library_changed()
    return theme


@transaction.atomic
def merge_themes(themes, label=""):
    """Merge ``themes`` (two or more, one library) into the largest; returns it."""
    themes = sorted(themes, key=lambda t: (-t.item_count, t.pk))
    if len(themes) < 2:
        raise LibraryError("请至少选择两个主题进行合并。")
    if len({t.library for t in themes}) > 1:
        raise LibraryError("问题库和对策库的主题不能相互合并。")
    if any(t.misc for t in themes):
        raise LibraryError(MISC_REFUSED)
    target, others = themes[0], themes[1:]
    LibraryItem.objects.filter(theme__in=others).update(theme=target)
    Theme.objects.filter(pk__in=[t.pk for t in others]).delete()
    if label:
        target.custom_label = " ".join(label.split())[:200]
    _pin(target)
    _refresh()
    return target


@transaction.atomic
def split_theme(items, label=""):
    """Move ``items`` (of one theme) into a new editor's theme; returns the new theme."""
    items = list(items)
    if not items:
        raise LibraryError("请选择要拆分出来的条目。")
    sources = {item.theme_id for item in items}
    libraries = {item.theme.library if item.theme else None for item in items}
    if len(sources) != 1 or None in sources or len(libraries) != 1:
        raise LibraryError("拆分时所选条目必须来自同一个主题。")
    source = items[0].theme
    new = Theme.objects.create(
        library=source.library,
        custom_label=" ".join((label or "").split())[:200],
        auto_label=items[0].heading[:200],
        pinned=True,
        central_item=items[0],
    )
    LibraryItem.objects.filter(pk__in=[item.pk for item in items]).update(theme=new, locked_by_editor=True)
    _pin(source)
    _refresh()
    return new


@transaction.atomic
def move_item(item, theme):
    """Put ``item`` in ``theme`` for good (both themes become the editor's)."""
    if theme.library != (item.theme.library if item.theme else theme.library):
        raise LibraryError("条目只能移到同一个库的主题中。")
    from library.models import library_of

    if library_of(item.kind) != theme.library:
        raise LibraryError("条目只能移到同一个库的主题中。")
    if theme.misc:
        raise LibraryError(MISC_REFUSED)
    source = item.theme
    item.theme = theme
    item.locked_by_editor = True
    item.save(update_fields=["theme", "locked_by_editor"])
    _pin(theme)
    if source is not None and source.pk != theme.pk:
        _pin(source)
    _refresh()
    return item


def decide_links(links, status):
    """Confirm or reject suggested links (or suggest again): regrouping keeps the decision."""
    if status not in CountermeasureLink.Status.values:
        raise LibraryError("未知的关联状态。")
    count = CountermeasureLink.objects.filter(pk__in=[link.pk for link in links]).update(status=status)
    queries.library_changed()
    return count
