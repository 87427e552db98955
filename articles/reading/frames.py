"""List pages rendered once per cache generation, their per-request parts filled in on every request.

The essay page is rendered once and stored, what changes without the essay
left open as slots (``articles.reading.renditions``). A list page is the
other way round: nearly all of it -- the header, the topic's description,
its children and count, the filter form, the home page's topic blocks, the
footer -- changes only with the cache generation (``config.pagecache``: any
change of an essay, section, topic or the site settings starts a new one),
while what a request asks for is small: which page of essays, and the
title, address and page links that name it.

So :func:`render_framed` renders the page's template once per generation
and *frame key* with the per-request parts left open: each is a
``{% slot "name" %}…{% endslot %}`` of the template whose name is among the
page's ``fills`` (a marker takes its place in the frame). The frame is kept
with the generation's other memoized values (``pagecache.memoize``, fetched
with them in the request's one round trip). Each request then renders only
those slots' contents, with the request's own context, and puts them in.
The template language runs over a few lines instead of the whole page.

A frame is a pure function of the generation, the code (the
``code_version`` of the stored essay pages) and its key, which the view
builds from everything else the page shows (the topic, the validated filter
choices). Which essays a page lists is never in a frame: the cards are a
fill, read by that request's own query. Signed-in staff always get the page
rendered whole, as they do from the page cache.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.http import HttpResponse
from django.template import loader
from django.template.context import make_context
from django.template.loader_tags import ExtendsNode

from articles.reading import renditions
from articles.templatetags.slots import FILLS_CONTEXT_KEY, SlotNode
from config import pagecache


def render_framed(request, template_name, context, *, key, fills, variant_of=None):
    """The page of ``template_name`` for ``context``: its frame for ``key`` (rendered once per
    generation), the slots named in ``fills`` rendered for this request.

    ``variant_of``: the frame is one of many query variants of that kind (a
    filtered list); a new one is kept only within ``PAGE_CACHE_VARIANTS`` per
    ``pagecache.MEMO_SECONDS``, as the page cache keeps query variants.
    """
    template = loader.get_template(template_name)
    if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
        return HttpResponse(template.render(context, request))
    fills = tuple(fills)
    entry = ("frame", renditions.code_version(), *key)
    found, _ = pagecache.recall([entry])
    frame = found.get(entry)
    if frame is None:
        frame = template.render({**context, FILLS_CONTEXT_KEY: fills}, request)
        if variant_of is None or pagecache.within_variant_budget(
            pagecache.memo_cache(), "frame:" + variant_of, pagecache.MEMO_SECONDS
        ):
            pagecache.remember(entry, frame)
    markers = [(name, renditions.marker(name)) for name in fills]
    present = [(name, marker) for name, marker in markers if marker in frame]
    if present:
        nodes = _slot_nodes(template.template)
        request_context = make_context(context, request, autoescape=template.backend.engine.autoescape)
        with request_context.bind_template(template.template):
            for name, marker in present:
                frame = frame.replace(marker, nodes[name].nodelist.render(request_context), 1)
    return HttpResponse(frame)


@functools.lru_cache(maxsize=64)
def _slot_nodes(template):
    """``{name: SlotNode}`` of ``template`` and the templates it extends (a child's slot wins).

    Kept per compiled template: the cached template loader gives the same object until a restart
    (with DEBUG's reloading loader, an edited template is another object and another entry)."""
    nodes = {}
    while template is not None:
        for node in template.nodelist.get_nodes_by_type(SlotNode):
            nodes.setdefault(node.name, node)
        extends = template.nodelist.get_nodes_by_type(ExtendsNode)
        template = template.engine.get_template(str(extends[0].parent_name.var)) if extends else None
    return nodes
