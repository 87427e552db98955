"""What an Article becomes in the export: stored text as it is, images of the site's media only."""

from pathlib import Path

import pytest

from articles.export import source
from articles.models import Section
from articles.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def test_an_article_becomes_the_layouts_essay_without_the_kinds(settings):
    article = make_article("标题", lead="<p>导语。</p>", conclusion="<p>结语。</p>", author_org="某乡党委")
    make_section(article, "重要意义", number="一、", kind=Section.Kind.SIGNIFICANCE, position=1)
    make_section(article, "要点", number="(一)", level=Section.Level.POINT, position=2, body="<p>已改正的正文。</p>")
    essay = source.essay_of(article)
    assert (essay.title, essay.lead_html, essay.conclusion_html, essay.author_unit) == (
        "标题",
        "<p>导语。</p>",
        "<p>结语。</p>",
        "某乡党委",
    )
    assert [(s.level, s.number, s.heading, s.body_html) for s in essay.sections][1] == (
        2,
        "(一)",
        "要点",
        "<p>已改正的正文。</p>",
    )
    assert not hasattr(essay.sections[0], "kind")
    day = article.published_at.astimezone().date()
    assert essay.date.startswith(f"{day.year}年")


def test_only_images_inside_media_root_are_read(settings, tmp_path):
    media = Path(settings.MEDIA_ROOT)
    (media / "uploads").mkdir(parents=True)
    (media / "uploads" / "a.png").write_bytes(b"png bytes")
    (tmp_path / "secret.txt").write_text("secret")
    assert source.media_image("/media/uploads/a.png") == b"png bytes"
    assert source.media_image("/media/uploads/missing.png") is None
    assert source.media_image("/media/../secret.txt") is None
    assert source.media_image("/media/%2e%2e/secret.txt") is None
    assert source.media_image("https://example.com/media/uploads/a.png") is None
    assert source.media_image("/static/favicon.svg") is None
    big = media / "uploads" / "big.png"
    big.write_bytes(b"0" * (source.MAX_IMAGE_BYTES + 1))
    assert source.media_image("/media/uploads/big.png") is None
