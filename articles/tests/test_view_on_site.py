"""Issue 20, item 4: “在站点上查看” opens what staff can read: the public page
of a public essay, the staff preview of anything else.

The section inline's link is Django's ``/admin/r/<content type>/<id>/``
shortcut, which follows ``Section.get_absolute_url``; both it and the essay's
button go through ``Article.get_site_url``.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from articles.editing import workflow
from articles.models import Article, Section
from articles.tests.factories import make_article, make_draft, make_scheduled, make_section
from articles.tests.test_roles import ADMINISTRATOR, AUTHOR, EDITOR, REVIEWER, change_url, in_review, logged_in, user_in

pytestmark = pytest.mark.django_db


def shortcut(obj):
    content_type = ContentType.objects.get_for_model(type(obj))
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


def unpublished(kind):
    if kind == "draft":
        return make_draft("草稿")
    if kind == "scheduled":
        return make_scheduled("定时发布的文稿")
    if kind == "review":
        return in_review(2, title="审核中的文稿")
    article = make_article("归档的文稿")
    workflow.archive(article, None)
    return article


UNPUBLISHED = ["draft", "scheduled", "review", "archived"]


@pytest.mark.parametrize("kind", UNPUBLISHED)
@pytest.mark.parametrize("role", [EDITOR, REVIEWER, ADMINISTRATOR])
def test_a_section_of_an_unpublished_essay_opens_the_staff_preview(client, kind, role):
    article = unpublished(kind)
    section = make_section(article, "第一部分")
    staff = logged_in(client, user_in(role))
    response = staff.get(shortcut(section))
    assert response.status_code == 302
    # The shortcut answers with an absolute address on the request's own host.
    assert response["Location"] == f"http://testserver{article.get_preview_url()}#section-{section.pk}"
    preview = staff.get(response["Location"])
    assert preview.status_code == 200
    assert f'id="section-{section.pk}"' in preview.content.decode()


@pytest.mark.parametrize("kind", UNPUBLISHED)
def test_an_unpublished_essay_opens_the_staff_preview(client, kind):
    article = unpublished(kind)
    assert article.get_site_url() == article.get_preview_url()
    assert logged_in(client, user_in(EDITOR)).get(article.get_site_url()).status_code == 200


def test_a_section_of_a_published_essay_links_to_its_public_anchor(client):
    article = make_article("已发布的文稿")
    section = make_section(article, "第一部分")
    response = logged_in(client, user_in(EDITOR)).get(shortcut(section))
    assert response["Location"] == f"http://testserver{article.get_absolute_url()}#section-{section.pk}"
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_a_section_of_an_essay_in_the_bin_is_not_previewed(client):
    article = make_article("删除的文稿")
    section = make_section(article, "第一部分")
    workflow.move_to_recycle_bin(article, None)
    staff = logged_in(client, user_in(ADMINISTRATOR))
    location = staff.get(shortcut(Section.objects.get(pk=section.pk)))["Location"]
    assert location.startswith(f"http://testserver{article.get_preview_url()}")
    assert staff.get(location).status_code == 404


@pytest.mark.parametrize("kind", UNPUBLISHED)
def test_anonymous_visitors_never_get_the_preview(client, kind):
    article = unpublished(kind)
    section = make_section(article, "不公开的部分", body="<p>只给工作人员看的正文。</p>")
    for url in (shortcut(section), section.get_absolute_url(), article.get_site_url()):
        response = client.get(url, follow=True)
        html = response.content.decode()
        assert "只给工作人员看的正文" not in html
        assert response.status_code in (200, 404)  # the login page, or nothing
        assert response.redirect_chain == [] or "/login/" in response.redirect_chain[-1][0]


def test_the_change_page_links_each_section_of_a_draft_to_the_preview(client):
    author = user_in(AUTHOR)
    article = make_draft("作者的草稿", created_by=author)
    section = make_section(article, "第一部分")
    html = logged_in(client, author).get(change_url(article)).content.decode()
    assert f'href="{shortcut(section)}"' in html
    assert f'href="{article.get_preview_url()}"' in html
    assert "在网站上查看" not in html  # only once readers can see it


def test_the_change_page_of_a_public_essay_links_to_the_public_page(client):
    article = make_article("公开的文稿")
    html = logged_in(client, user_in(EDITOR)).get(change_url(article)).content.decode()
    assert "在网站上查看" in html
    assert article.get_absolute_url() in html
    assert Article.objects.get(pk=article.pk).get_site_url() == article.get_absolute_url()
