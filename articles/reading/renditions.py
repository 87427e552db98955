"""Essay pages rendered once per version of the essay and stored in the database.

Chinese government CMSs are fast because they publish each article as a
static page. An essay page here is mostly the essay itself (its title, meta
data, table of contents, sections, topics): that part changes only when the
essay does. So the page is rendered once, with the ordinary template
(``articles/article_detail.html``), and stored in :class:`EssayRendition`;
a request then costs one query and one cache round trip, with no template
rendering at all.

What does change without the essay changing is left open in the stored page
as a *slot* (``{% slot "name" %}…{% endslot %}``, articles/templatetags/slots.py):

* the navigation, the site metadata and the footer (topics, site settings),
  previous/next and related essays (other essays) -- rendered with the
  page, kept in the cache for the page-cache generation
  (``config.pagecache``: any change of an essay, section, topic or the
  site settings starts a new one), and filled in on every request;
* the view count -- the stored count plus the views not yet flushed, on
  every request;
* the site's own address (canonical link, share link, JSON-LD): the page is
  rendered for a placeholder host, replaced by the request's scheme and host
  (already checked against ``ALLOWED_HOSTS``, so it needs no escaping).

A stored page is used only while it matches both the essay
(``Article.version``, bumped by every save) and the code that rendered it
(:func:`code_version`: templates, Python sources, the segmenter's dictionary
and version (titles' word breaks), static files manifest and the settings
the page shows). Section and topic changes, which can happen
without the essay being saved, delete the stored pages concerned
(:func:`forget`, called by ``articles.events`` in the transaction of the
change, and again by the task that follows it). Anything stale is simply
rendered again on the next request, so a deploy needs no extra step
(``manage.py render_essays`` renders every page ahead of readers).

Previews never use or fill it: they render the template directly. A request
with a session cookie (an editor) renders the page afresh and stores it.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.metadata
from functools import lru_cache
from pathlib import Path

import django
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connections, router, transaction
from django.http import Http404, HttpResponse, QueryDict
from django.template import loader
from django.utils import timezone

from articles.models import Article, EssayCard, EssayRendition
from articles.reading import viewcounts
from articles.reading.essay_page import essay_context
from config import pagecache

TEMPLATE = "articles/article_detail.html"
# The context variable that switches {% slot %} to leaving a marker (see templatetags/slots.py).
SLOTS_CONTEXT_KEY = "rendition_slots"
# Slots filled per request rather than per generation.
VIEWS_SLOT = "views"
# The page is rendered for this address; RFC 2606 reserves .invalid.
PLACEHOLDER_HOST = "rendition-origin.invalid"
PLACEHOLDER_ORIGIN = "http://" + PLACEHOLDER_HOST
# What the code version hashes, relative to the project root (tests and migrations excluded).
SOURCE_DIRS = ("articles", "topics", "siteinfo", "config", "templates")
# Data files that shape the page too: the dictionary that places the <wbr>
# between a title's words (articles/templatetags/titles.py).
SOURCE_FILES = ("articles/search/dictionary/terms.txt",)
# Packages whose version changes the page: the segmenter cutting titles into words.
SOURCE_PACKAGES = ("rjieba",)


@lru_cache(maxsize=1)
def _marker_token():
    """Part of every marker, derived from SECRET_KEY: text an editor writes cannot forge one
    (and rich text is sanitised of comments anyway)."""
    return hashlib.blake2b(("rendition-slot:" + settings.SECRET_KEY).encode(), digest_size=6).hexdigest()


def marker(name):
    return f"<!--slot:{_marker_token()}:{name}-->"


@lru_cache(maxsize=1)
def _sources_digest():
    """A hash of the templates and Python sources that shape an essay page, once per process."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.blake2b(digest_size=16)
    for directory in SOURCE_DIRS:
        for path in sorted((root / directory).rglob("*")):
            if path.suffix not in (".py", ".html") or {"tests", "migrations"} & set(path.parts):
                continue
            digest.update(str(path.relative_to(root)).encode() + b"\x00" + path.read_bytes())
    for name in SOURCE_FILES:
        digest.update(name.encode() + b"\x00" + (root / name).read_bytes())
    for package in SOURCE_PACKAGES:
        digest.update(package.encode() + b"\x00" + importlib.metadata.version(package).encode())
    return digest.hexdigest()


def code_version():
    """What a stored page was rendered with: sources, static files, settings shown on the page, Django."""
    manifest = getattr(staticfiles_storage, "manifest_hash", "")
    parts = (
        _sources_digest(),
        manifest,
        _marker_token(),
        django.__version__,
        settings.SITE_NAME,
        settings.STATIC_URL,
        settings.MEDIA_URL,
        settings.LANGUAGE_CODE,
        settings.TIME_ZONE,
    )
    return hashlib.blake2b("\x00".join(map(str, parts)).encode(), digest_size=16).hexdigest()


# ---------------------------------------------------------------- serving


def essay_page(request, slug):
    """The published essay ``slug`` as an HttpResponse (Http404 when there is none)."""
    row = published_essay_row(slug)
    if row is None:
        raise Http404("没有这篇文稿。")
    pk, version, stored_views, html, html_code, html_version = row
    current = code_version()
    # The slots of another code version may lack a slot this one has.
    slots_entry = ("essay_slots", pk, current)
    pending_key = viewcounts.pending_key(pk)
    found, extra = pagecache.recall([slots_entry], extra_keys=[pending_key])
    slots = found.get(slots_entry)
    stored_is_current = html is not None and html_code == current and html_version == version
    # Signed-in staff always get the page rendered from the database, as the
    # page cache does; what they see is stored for readers as well when it
    # differs. Only a real signed-in session counts: any visitor can send a
    # session cookie, and must not make every request a render and a write.
    staff = settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_staff
    if not stored_is_current or staff or slots is None:
        article = Article.objects.published().prefetch_related("sections", "topics").filter(pk=pk).first()
        if article is None:  # unpublished a moment ago
            raise Http404("没有这篇文稿。")
        fresh, slots = render_for_storage(request, article)
        pagecache.remember(slots_entry, slots)
        if not stored_is_current or (staff and fresh != html):
            html = fresh
            store(article, html, current)
    views = (stored_views or 0) + (extra.get(pending_key) or 0)
    return HttpResponse(fill(html, slots, views, request))


_essay_row_sql_by_vendor = {}


def _essay_row_sql(connection):
    """The query of :func:`published_essay_row`, built once per database vendor from the models' metadata."""
    sql = _essay_row_sql_by_vendor.get(connection.vendor)
    if sql is None:
        quote = connection.ops.quote_name
        article, rendition = Article._meta, EssayRendition._meta

        def a(name):
            return "a." + quote(article.get_field(name).column)

        def r(name):
            return "r." + quote(rendition.get_field(name).column)

        sql = (
            f"SELECT {a('id')}, {a('version')}, {a('view_count')}, {r('html')}, {r('code_version')}, {r('article_version')}"
            f" FROM {quote(article.db_table)} a LEFT JOIN {quote(rendition.db_table)} r ON {r('article')} = {a('id')}"
            f" WHERE {a('slug')} = %s AND {a('status')} = %s AND {a('published_at')} <= %s AND {a('deleted_at')} IS NULL"
            " LIMIT 1"
        )
        _essay_row_sql_by_vendor[connection.vendor] = sql
    return sql


def published_essay_row(slug):
    """``(pk, version, view_count, html, code_version, article_version)`` of the
    published essay ``slug`` and its stored page (None for the last three when
    there is none yet), or None when no such essay is published.

    Written out by hand: this is the query of every essay page, and the ORM
    spends about 0.6 ms building it and its result, twice what the database
    takes. Its conditions are those of ``Article.objects.published()``, which
    remains the one definition of what readers may see: the tests check on
    every kind of essay (draft, scheduled, without a time, in the recycle
    bin, archived…) that both agree.
    """
    alias = router.db_for_read(Article)
    connection = connections[alias]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(_essay_row_sql(connection), [slug, Article.Status.PUBLISHED.value, now])
        return cursor.fetchone()


def fill(html, slots, views, request):
    """The stored page with its slots, view count and the request's address put in."""
    for name, content in slots.items():
        html = html.replace(marker(name), content, 1)
    html = html.replace(marker(VIEWS_SLOT), str(views), 1)
    origin = f"{request.scheme}://{request.get_host()}"
    return html.replace(PLACEHOLDER_ORIGIN, origin).replace(PLACEHOLDER_HOST, request.get_host())


# ---------------------------------------------------------------- rendering and storing


def _placeholder_request(request):
    """``request`` as seen from the placeholder address, without a query string."""
    placeholder = copy.copy(request)
    placeholder.GET = QueryDict()
    placeholder.get_host = lambda: PLACEHOLDER_HOST
    # HttpRequest.build_absolute_uri reads this cached property.
    placeholder.__dict__["_current_scheme_host"] = PLACEHOLDER_ORIGIN
    return placeholder


def render_for_storage(request, article):
    """``(html, slots)``: the page with markers in its slots, and what each slot holds now.

    ``article`` must come with its sections and topics prefetched.
    """
    placeholder = _placeholder_request(request)
    context = essay_context(article, placeholder)
    slots = {}
    context[SLOTS_CONTEXT_KEY] = slots
    html = loader.render_to_string(TEMPLATE, context, placeholder)
    slots.pop(VIEWS_SLOT, None)
    return html, slots


def store(article, html, version):
    """Keep ``html`` as the stored page of ``article`` (insert or replace, safe under concurrency)."""
    EssayRendition.objects.bulk_create(
        [
            EssayRendition(
                article_id=article.pk,
                html=html,
                code_version=version,
                article_version=article.version,
                rendered_at=timezone.now(),
            )
        ],
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=["html", "code_version", "article_version", "rendered_at"],
    )


def forget(article_ids):
    """Drop the stored pages and cards (``articles.reading.cards``) of ``article_ids`` now and again when the transaction commits
    (a page rendered meanwhile from what was committed before must not stay).

    One window remains: a reader's render that read the sections just before
    such a commit and stores its page just after it (a render takes ~12 ms).
    Every edit in the admin also saves the essay, whose new version makes
    that page stale anyway; only code changing sections alone is exposed.
    """
    ids = list(article_ids)
    if not ids:
        return

    def delete():
        EssayRendition.objects.filter(article_id__in=ids).delete()
        EssayCard.objects.filter(article_id__in=ids).delete()

    delete()
    transaction.on_commit(delete, robust=True)


def forget_all():
    EssayRendition.objects.all().delete()
    EssayCard.objects.all().delete()


# ---------------------------------------------------------------- subscriber of articles.events
# (connected in ArticlesConfig.ready)

# At most this many essays of one change are rendered ahead of readers by the task.
PRERENDER_MAX = 10


def essays_changed(sender, essay_ids, **kwargs):
    """After the commit (a task): forget the essays' stored pages again -- a reader's render
    that read the old rows just before the commit may have stored one -- and render the
    published ones ahead of readers. (``articles.events`` already forgot them in the
    transaction of the change: what readers get does not wait for this task.)"""
    from django.test import RequestFactory

    ids = sorted(essay_ids)
    EssayRendition.objects.filter(article_id__in=ids).delete()
    EssayCard.objects.filter(article_id__in=ids).delete()
    if len(ids) > PRERENDER_MAX:
        return
    factory = RequestFactory()
    for article in Article.objects.published().filter(pk__in=ids).prefetch_related("sections", "topics"):
        render_all([article], factory.get(article.get_absolute_url()))


def site_changed(sender, **kwargs):
    """A topic or the site settings changed: every stored page goes (each is rendered again when read)."""
    forget_all()


def render_all(articles, request):
    """Render and store the pages of ``articles`` (with sections and topics prefetched). Returns how many."""
    version = code_version()
    count = 0
    for article in articles:
        html, _ = render_for_storage(request, article)
        store(article, html, version)
        count += 1
    return count
