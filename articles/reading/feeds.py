"""RSS 2.0 and Atom feeds: the latest essays, and the latest essays of one topic.

Every feed goes through ``Article.objects.published()``, so a draft or a
scheduled essay never appears in a feed reader.

Summaries and topic descriptions are plain text that editors type, and feed
readers must show them as typed: ``<img src=x onerror=…>`` in a summary is
text, not a picture with a script. Readers render an RSS ``<description>``
(channel and item) as HTML, and RSS cannot say otherwise, so there the text
is HTML-escaped once more (:class:`PlainTextRssFeed`). Atom can say it: entry
summaries are declared ``type="text"`` (:class:`PlainTextAtomFeed`; Django
writes ``type="html"``), and the subtitle, without a type, is text already.
Titles, author names and categories are text in both formats.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, Stylesheet
from django.utils.html import escape
from django.utils.xmlutils import SimplerXMLGenerator

from articles.models import Article
from topics.models import Topic

FEED_ITEMS = 20
SLUG_MAX_LENGTH = Topic._meta.get_field("slug").max_length


def _as_html(text):
    return None if text is None else escape(text)


# Sent as XML, not as application/rss+xml or application/atom+xml: Chromium
# shows a response of those two types as plain text (the raw XML) and never
# applies its stylesheet, so a reader following the footer's “RSS 订阅” saw a
# wall of markup. As application/xml the XSLT page is shown, and feed readers,
# which go by the content, read the same feed (the <link rel="alternate">
# still names the format).
FEED_CONTENT_TYPE = "application/xml; charset=utf-8"


class PlainTextRssFeed(Rss201rev2Feed):
    """RSS 2.0 whose channel and item descriptions are given as plain text (escaped here)."""

    content_type = FEED_CONTENT_TYPE

    def __init__(self, title, link, description, **kwargs):
        super().__init__(title, link, _as_html(description), **kwargs)

    def add_item(self, title, link, description, **kwargs):
        super().add_item(title, link, _as_html(description), **kwargs)


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose entry summaries are plain text, and say so; with the stylesheet
    processing instruction, which Django writes for RSS only."""

    content_type = FEED_CONTENT_TYPE

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", str(stylesheet))
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


# What a browser shows for a feed (a page saying how to subscribe): static, same origin.
FEED_STYLESHEET = "feeds/feed-style.xml"


class _EssayItems:
    """What one essay looks like in any of the feeds."""

    def stylesheets(self):
        # Sent as XML by any server; the instruction says it is XSLT.
        return [Stylesheet(static(FEED_STYLESHEET), mimetype="text/xsl", media="screen")]

    # Cached whole for anonymous readers (config.pagecache.public_page).
    public_page_params = ()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Plain text (the feed types make it safe); readers follow the link for the essay itself.
        # As the list cards show it: 摘要, or the lead's beginning (read with the item, no query each).
        return item.card_summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author or item.author_org or None

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]


class LatestEssaysFeed(_EssayItems, Feed):
    feed_type = PlainTextRssFeed
    language = "zh-cn"

    def title(self):
        return f"{settings.SITE_NAME} · 最新文稿"

    def description(self):
        return f"{settings.SITE_NAME}最新发布的基层党建工作文稿。"

    def link(self):
        return reverse("articles:home")

    def feed_url(self):
        return reverse("articles:feed_rss")

    def items(self):
        return Article.objects.published().for_cards()[:FEED_ITEMS]


class LatestEssaysAtomFeed(LatestEssaysFeed):
    feed_type = PlainTextAtomFeed
    subtitle = LatestEssaysFeed.description

    def feed_url(self):
        return reverse("articles:feed_atom")


class TopicEssaysFeed(_EssayItems, Feed):
    feed_type = PlainTextRssFeed
    language = "zh-cn"

    def get_object(self, request, slug):
        if len(slug) > SLUG_MAX_LENGTH:
            from django.http import Http404

            raise Http404("没有这个专题。")
        return get_object_or_404(Topic, slug=slug)

    def title(self, topic):
        return f"{settings.SITE_NAME} · {topic.name}"

    def description(self, topic):
        return topic.description or f"{settings.SITE_NAME}“{topic.name}”专题的最新文稿。"

    def link(self, topic):
        return topic.get_absolute_url()

    def feed_url(self, topic):
        return reverse("topics:feed_rss", args=[topic.slug])

    def items(self, topic):
        return Article.objects.published().in_topic(topic).for_cards()[:FEED_ITEMS]


class TopicEssaysAtomFeed(TopicEssaysFeed):
    feed_type = PlainTextAtomFeed

    def subtitle(self, topic):
        return self.description(topic)

    def feed_url(self, topic):
        return reverse("topics:feed_atom", args=[topic.slug])
