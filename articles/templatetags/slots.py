"""``{% slot "name" [per value] %}…{% endslot %}``: a part of a page shared by many pages.

Rendered as usual, a slot is just its content. While an essay page is being
rendered for storage (``articles.reading.renditions``), the context holds a dict
under ``rendition_slots``: the slot's content goes into that dict and a
marker takes its place in the page, to be filled on every request.

While a list page's frame is rendered (``articles.reading.frames``), a slot
named among the page's fills is left as a marker, and its content is
rendered on every request.

With ``per value``, the slot's content is a function of the cache generation
(topics, site settings: ``config.pagecache``) and of ``value`` alone, so any
other page rendered in the same generation with the same ``value`` reuses it
(``pagecache.memoize``): the header's navigation is rendered once per
generation and current navigation item, not on every list page.
"""

from django import template

from articles.reading import renditions
from config import pagecache

register = template.Library()

# The context variable that turns a frame's fills into markers (articles.reading.frames).
FILLS_CONTEXT_KEY = "frame_fills"


class SlotNode(template.Node):
    def __init__(self, name, nodelist, per=None):
        self.name = name
        self.nodelist = nodelist
        self.per = per

    def render(self, context):
        if self.name in context.get(FILLS_CONTEXT_KEY, ()):
            return renditions.marker(self.name)  # a page's frame: filled per request (articles.reading.frames)
        slots = context.get(renditions.SLOTS_CONTEXT_KEY)
        if slots is None and self.per is not None:
            key = str(self.per.resolve(context))
            return pagecache.memoize(
                "slot", lambda: self.nodelist.render(context), renditions.code_version(), self.name, key
            )
        content = self.nodelist.render(context)
        if slots is None:
            return content
        slots[self.name] = content
        return renditions.marker(self.name)


@register.tag
def slot(parser, token):
    bits = token.split_contents()
    usage = 'usage: {% slot "name" [per value] %}…{% endslot %}'
    if len(bits) not in (2, 4) or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(usage)
    per = None
    if len(bits) == 4:
        if bits[2] != "per":
            raise template.TemplateSyntaxError(usage)
        per = parser.compile_filter(bits[3])
    nodelist = parser.parse(("endslot",))
    parser.delete_first_token()
    return SlotNode(bits[1][1:-1], nodelist, per)
