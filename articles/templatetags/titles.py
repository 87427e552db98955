"""``{{ article.title|word_breaks }}``: a title that breaks across lines only between its words.

Chinese has no spaces, so a browser breaks a title between any two
characters (“工作存 / 在的问题”). This filter writes a ``<wbr>`` at each place
where the search segmenter (``articles.search.segmentation.display_breaks``:
jieba with the field dictionary, dates, numbers with their units and short
quoted terms kept whole) says one word ends and the next begins; the
stylesheet sets ``word-break: keep-all`` on titles, so those are the only
places a line may break (with ``overflow-wrap: anywhere`` as the last resort
for a word longer than the line).

Every title on the reading site goes through it (lists, the essay's heading,
previous/next and related links, topic pages, the library, home); search
results get the same breaks from ``articles.search.snippets.highlight``.
Titles are editors' input: each piece is escaped and only ``<wbr>`` is
added, so the result is safe HTML built from escaped text. Cached per title.
"""

from functools import lru_cache

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe

from articles.search.segmentation import display_words

register = template.Library()

CACHE_SIZE = 8192


@lru_cache(maxsize=CACHE_SIZE)
def title_html(title: str) -> str:
    """``title`` escaped, with ``<wbr>`` between its words (safe HTML)."""
    return mark_safe("<wbr>".join(escape(piece) for piece in display_words(title)))


@register.filter
def word_breaks(value):
    """A title as safe HTML that breaks only between words; markup already safe is left alone."""
    if value is None or value == "":
        return ""
    if isinstance(value, SafeData):
        return value
    return title_html(str(value))
