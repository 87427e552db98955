"""An Article as the plain structure :mod:`articles.export.layout` prints.

What is printed is what is stored: proofreading fixes an editor accepted are
already in the stored text. The kind of a section (重要意义, 存在问题 …) is the
portal's metadata and is not printed.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils import timezone

from articles.export import layout
from articles.models import Article

# An image larger than this is left out of the export (its caption stays).
MAX_IMAGE_BYTES = 10 * 2**20


def essay_of(article: Article) -> layout.Essay:
    """``article`` with its sections (one query for the sections)."""
    sections = [
        layout.Section(level=section.level, number=section.number, heading=section.heading, body_html=section.body)
        for section in article.sections.order_by("position", "id")
    ]
    when = article.published_at or article.updated_at or timezone.now()
    day = timezone.localdate(when)
    return layout.Essay(
        title=article.title,
        subtitle=article.subtitle,
        lead_html=article.lead,
        sections=sections,
        conclusion_html=article.conclusion,
        author_unit=article.author_org or article.author,
        date=layout.chinese_date(day.year, day.month, day.day),
    )


def media_image(src: str) -> bytes | None:
    """The bytes of an image of this site's media (``/media/…``), None for anything else.

    Sanitised rich text only holds local media addresses; the path is still
    resolved and kept inside ``MEDIA_ROOT`` here, and large files are skipped.
    """
    parts = urlsplit(src)
    path = unquote(parts.path)
    if parts.scheme or parts.netloc or not path.startswith(settings.MEDIA_URL):
        return None
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path[len(settings.MEDIA_URL) :]).resolve()
    try:
        target.relative_to(root)
        if not target.is_file() or target.stat().st_size > MAX_IMAGE_BYTES:
            return None
        return target.read_bytes()
    except (ValueError, OSError):
        return None
