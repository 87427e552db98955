"""Readable ASCII slugs for Chinese names: the pinyin of the name."""

from django.utils.text import slugify


def pinyin_slug(text: str, max_length: int = 60) -> str:
    """Return ``text`` as a hyphenated pinyin slug, cut at a syllable boundary.

    >>> pinyin_slug("基层党建")
    'ji-ceng-dang-jian'
    """
    from pypinyin import Style, lazy_pinyin

    syllables = [slugify(s) for s in lazy_pinyin(text, style=Style.NORMAL, errors="default")]
    slug = ""
    for syllable in filter(None, syllables):
        candidate = f"{slug}-{syllable}" if slug else syllable
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or "item"


def unique_slug(model, text: str, *, max_length: int = 60, exclude_pk=None) -> str:
    """A pinyin slug for ``text`` not yet used by another row of ``model``."""
    base = pinyin_slug(text, max_length=max_length - 4)
    slug, n = base, 2
    # The base manager: rows a default manager hides (the recycle bin) keep their slugs too.
    others = model._base_manager.all()
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
