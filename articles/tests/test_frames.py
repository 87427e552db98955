"""List pages from their frame and their per-request fills (articles.reading.frames).

The one property that matters: a page put together from its frame is the
page the template renders whole, for every page of every list, whether the
frame was rendered by this request or by an earlier one.
"""

from unittest import mock

import pytest
from django.template import loader
from django.urls import reverse

from articles.reading import frames, renditions
from articles.tests.factories import make_article, make_topic
from articles.tests.test_views import build_site
from topics import views as topic_views

pytestmark = pytest.mark.django_db


@pytest.fixture
def compared(settings):
    """Every framed page also rendered whole by the template: ``[(framed, whole)]``."""
    settings.PAGE_CACHE_SECONDS = 0  # every request reaches the view
    pairs = []
    real = frames.render_framed

    def both(request, template_name, context, **kwargs):
        response = real(request, template_name, context, **kwargs)
        whole = loader.get_template(template_name).render(context, request)
        pairs.append((response.content.decode(), whole))
        return response

    from articles.reading import views

    with mock.patch.object(views, "render_framed", both), mock.patch.object(topic_views, "render_framed", both):
        yield pairs


def test_every_framed_page_is_the_page_rendered_whole(client, compared):
    build_site("large")  # 12 essays, 10 to a page
    topic = make_topic("党建研究")
    for n in range(25):
        make_article(f"专题里的第{n}篇", topics=[topic], is_pinned=n == 0)
    urls = [
        reverse("articles:home"),
        reverse("articles:list"),
        reverse("articles:list") + "?page=2",
        reverse("articles:list") + "?page=4",
        reverse("articles:list") + f"?topic={topic.slug}",
        reverse("articles:list") + f"?topic={topic.slug}&page=2",
        topic.get_absolute_url(),
        topic.get_absolute_url() + "?page=3",
    ]
    for _ in range(2):  # the frame rendered by this request, then kept from the first
        for url in urls:
            assert client.get(url).status_code == 200, url
    assert len(compared) == 2 * len(urls)
    for framed, whole in compared:
        assert framed == whole
    assert "（第3页）" in compared[-1][0] and "（第2页）" in compared[-6][0]


def test_the_frame_is_rendered_once_per_generation_and_code(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    make_article("第一篇")
    renders = []
    real = loader.get_template("articles/article_list.html").render

    def counting(context=None, request=None):
        if context and frames.FILLS_CONTEXT_KEY in context:
            renders.append(1)
        return real(context, request)

    template = loader.get_template("articles/article_list.html")
    with (
        mock.patch.object(loader, "get_template", return_value=template),
        mock.patch.object(template, "render", counting),
    ):
        client.get(reverse("articles:list"))
        client.get(reverse("articles:list") + "?page=1")
        assert len(renders) == 1
        with mock.patch.object(renditions, "code_version", return_value="a-new-deploy"):
            client.get(reverse("articles:list"))
        assert len(renders) == 2
        make_article("第二篇")  # a new generation
        page = client.get(reverse("articles:list")).content.decode()
        assert len(renders) == 3
    assert "共 2 篇" in page


def test_a_signed_in_editor_gets_the_page_rendered_whole(admin_client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    make_article("编辑看到的文稿")
    with mock.patch.object(frames.pagecache, "memoize", wraps=frames.pagecache.memoize) as memoize:
        page = admin_client.get(reverse("articles:list")).content.decode()
    assert memoize.called  # the header, for one
    assert all(call.args[0] != "frame" for call in memoize.call_args_list)
    assert "编辑看到的文稿" in page.replace("<wbr>", "")
    assert frames.FILLS_CONTEXT_KEY not in page and "slot:" not in page


def test_filtered_lists_keep_a_bounded_number_of_frames(client, settings):
    """Each filter combination is a frame of its own: anonymous traffic may add only
    PAGE_CACHE_VARIANTS of them per window, and every page is still served whole beyond that."""
    settings.PAGE_CACHE_SECONDS = 0
    settings.PAGE_CACHE_VARIANTS = 2
    for n in range(4):
        make_article(f"第{n}篇", author_org=f"单位{n}")
    stored = []
    real = frames.pagecache.remember

    def remember(entry, value, timeout=None):
        if entry[0] == "frame":
            stored.append(entry)
        return real(entry, value, timeout)

    with mock.patch.object(frames.pagecache, "remember", remember):
        for n in range(4):
            page = client.get(reverse("articles:list"), {"org": f"单位{n}"}).content.decode()
            assert f"第{n}篇" in page.replace("<wbr>", "")
    assert len(stored) == 2
