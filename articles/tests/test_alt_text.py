"""Images need alternative text: the admin refuses rich text with an image
without alt, and a cover without its 封面图说明."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article
from articles.richtext import images_without_alt
from articles.tests.test_admin import ADD, article_data, management
from articles.tests.test_images import image_bytes

pytestmark = pytest.mark.django_db
IMAGE = '<figure class="image"><img src="/media/editor/2024/01/a.png"{alt}></figure>'


@pytest.mark.parametrize(
    "html, missing",
    [
        ("<p>无图</p>", 0),
        (IMAGE.format(alt=' alt="支部书记讲党课"'), 0),
        (IMAGE.format(alt=""), 1),
        (IMAGE.format(alt=' alt=""'), 1),
        (IMAGE.format(alt=" alt='   '"), 1),
        (IMAGE.format(alt=" ALT=党课") + IMAGE.format(alt="") + "<IMG src=/media/x.png>", 2),
    ],
)
def test_images_without_alt_are_counted(html, missing):
    assert images_without_alt(html) == missing


def test_an_image_without_alt_in_the_lead_is_refused(admin_client):
    response = admin_client.post(ADD, article_data(lead="<p>导语</p>" + IMAGE.format(alt="")))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "缺少文字说明" in errors["lead"][0] and "替换文本" in errors["lead"][0]
    assert not Article.all_objects.exists()


def test_an_image_without_alt_in_a_section_is_refused(admin_client):
    data = article_data(
        **management(1),
        **{
            "sections-0-position": "0",
            "sections-0-level": "1",
            "sections-0-kind": "other",
            "sections-0-number": "一、",
            "sections-0-heading": "部分标题",
            "sections-0-body": "<p>正文</p>" + IMAGE.format(alt=""),
        },
    )
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    formset_errors = [form.errors for form in response.context["inline_admin_formsets"][0].formset.forms]
    assert "缺少文字说明" in formset_errors[0]["body"][0]
    assert not Article.all_objects.exists()


def test_images_with_alt_are_saved(admin_client):
    response = admin_client.post(ADD, article_data(conclusion=IMAGE.format(alt=' alt="党员大会现场"')))
    assert response.status_code == 302


def test_a_cover_needs_its_description(admin_client):
    cover = SimpleUploadedFile("c.png", image_bytes("PNG", size=(800, 450)), content_type="image/png")
    response = admin_client.post(ADD, article_data(cover=cover, cover_alt=" "))
    assert response.status_code == 200
    assert "封面图说明" in response.context["adminform"].form.errors["cover_alt"][0]
