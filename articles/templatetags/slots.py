"""``{% slot "name" %}…{% endslot %}``: a part of a page that a stored essay page leaves open.

Rendered as usual, a slot is just its content. While an essay page is being
rendered for storage (``articles.reading.renditions``), the context holds a dict
under ``rendition_slots``: the slot's content goes into that dict and a
marker takes its place in the page, to be filled on every request.
"""

from django import template

from articles.reading import renditions

register = template.Library()


class SlotNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        content = self.nodelist.render(context)
        slots = context.get(renditions.SLOTS_CONTEXT_KEY)
        if slots is None:
            return content
        slots[self.name] = content
        return renditions.marker(self.name)


@register.tag
def slot(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('usage: {% slot "name" %}…{% endslot %}')
    nodelist = parser.parse(("endslot",))
    parser.delete_first_token()
    return SlotNode(bits[1][1:-1], nodelist)
