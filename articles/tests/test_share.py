"""分享 and 打印本页 on the essay page; the QR code served by a URL."""

import pytest
from django.urls import reverse

from articles.tests.factories import make_article, make_draft

pytestmark = pytest.mark.django_db


def test_the_essay_page_shows_what_readers_of_party_sites_expect(client):
    article = make_article(
        author="张三",
        author_org="海西州纪律检查委员会",
        source="某某县委组织部",
        responsible_editor="李四",
        view_count=7,
    )
    html = client.get(article.get_absolute_url()).content.decode()
    for label in (
        "来源：某某县委组织部",
        "作者：张三",
        "作者单位：海西州纪律检查委员会",
        "责任编辑：李四",
        "发布时间：",
        "浏览次数：",
        "打印本页",
        "分享",
        "复制链接",
    ):
        assert label in html, label
    assert f'value="http://testserver{article.get_absolute_url()}"' in html
    assert reverse("articles:qr", args=[article.slug, "svg"]) in html


def test_the_qr_code_is_an_svg_of_the_essay_address(client):
    article = make_article()
    response = client.get(reverse("articles:qr", args=[article.slug, "svg"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    body = response.content.decode()
    assert body.lstrip().startswith("<svg") and "<script" not in body
    assert "public" in response["Cache-Control"]


def test_the_qr_code_as_png_encodes_the_address(client):
    import io

    from PIL import Image

    article = make_article()
    response = client.get(reverse("articles:qr", args=[article.slug, "png"]))
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.width == image.height

    # segno makes the same symbol for the same address: the page's own address is encoded.
    import segno

    expected = segno.make("http://testserver" + article.get_absolute_url(), error="m")
    assert image.width == (expected.symbol_size(scale=6, border=2)[0])


@pytest.mark.parametrize("suffix", ["qr.gif", "qr.svg%00", "qr.", "qr.SVG"])
def test_other_qr_formats_are_404(client, suffix):
    article = make_article()
    assert client.get(f"{article.get_absolute_url()}{suffix}").status_code == 404


def test_no_qr_code_for_an_unpublished_or_unknown_essay(client):
    draft = make_draft()
    assert client.get(reverse("articles:qr", args=[draft.slug, "svg"])).status_code == 404
    assert client.get("/articles/" + "x" * 400 + "/qr.svg").status_code == 404


def test_the_print_stylesheet_keeps_the_table_of_contents_and_drops_navigation(client):
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/print.css"), encoding="utf-8").read()
    hidden = css.split("{")[0]
    for selector in (".site-header", ".site-nav", ".site-footer", ".essay-tools", ".reader-tools"):
        assert selector in hidden
    assert ".essay .toc {\n  display: block !important;" in css
    html = client.get("/").content.decode()
    assert 'href="/static/css/print.css" media="print"' in html
