"""Every error page a person can meet is the portal's own, in Chinese: 403
(handler403, e.g. the 回收站 without the permission) and the CSRF failure
(CSRF_FAILURE_VIEW), in the admin and on the reading site."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from articles.tests.test_html_valid import check, vnu  # noqa: F401 (fixture)
from articles.tests.test_roles import ADMINISTRATOR, AUTHOR, EDITOR, logged_in, user_in

pytestmark = pytest.mark.django_db

BIN = reverse("admin:articles_article_recycle_bin")


def page(response):
    return response.content.decode()


def assert_the_portals_page(html):
    assert 'class="page-error"' in html  # templates/error_base.html
    assert '<html lang="zh-Hans">' in html
    for english in ("Forbidden", "CSRF verification failed", "CSRF验证失败"):
        assert english not in html


@pytest.mark.parametrize("role", [EDITOR, AUTHOR])
def test_the_recycle_bin_refuses_without_permission_in_chinese(client, role):
    response = logged_in(client, user_in(role)).get(BIN)

    assert response.status_code == 403
    html = page(response)
    assert_the_portals_page(html)
    assert "没有访问权限" in html
    assert "请联系网站管理员" in html
    assert f'href="{reverse("admin:index")}"' in html  # back to the admin


def test_the_recycle_bin_still_opens_for_administrators(client):
    assert logged_in(client, user_in(ADMINISTRATOR)).get(BIN).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:articles_article_import"),  # articles/admin/importing.py: needs the add permission
        reverse("admin:articles_article_changelist"),  # Django's own admin views raise PermissionDenied too
        BIN,
    ],
)
def test_other_admin_refusals_use_the_same_page(client, url):
    staff_without_a_role = get_user_model().objects.create_user("no-role", password="x", is_staff=True)
    response = logged_in(client, staff_without_a_role).get(url)

    assert response.status_code == 403
    assert_the_portals_page(page(response))
    assert "没有访问权限" in page(response)


def test_a_post_without_csrf_token_gets_the_chinese_csrf_page_in_the_admin():
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_in(EDITOR))
    client.get(reverse("admin:articles_article_changelist"))  # the CSRF cookie is set
    url = reverse("admin:articles_article_add")

    response = client.post(url, {"title": "无令牌"})

    assert response.status_code == 403
    html = page(response)
    assert_the_portals_page(html)
    assert "页面已过期，请重新提交" in html
    assert "没有保存任何内容" in html
    assert f'href="{url}"' in html  # back to the form
    assert f'href="{reverse("admin:index")}"' in html


def test_a_post_without_any_cookie_says_to_allow_cookies():
    response = Client(enforce_csrf_checks=True).post(reverse("admin:login"), {"username": "a", "password": "b"})

    assert response.status_code == 403
    html = page(response)
    assert_the_portals_page(html)
    assert "Cookie" in html and "允许本站使用" in html


def test_the_csrf_page_on_the_reading_site_has_no_admin_link():
    response = Client(enforce_csrf_checks=True).post(reverse("articles:home"))

    assert response.status_code == 403
    html = page(response)
    assert_the_portals_page(html)
    assert reverse("admin:index") not in html


def test_the_error_pages_are_valid_html(client, vnu, tmp_path):  # noqa: F811
    refused = logged_in(client, user_in(EDITOR)).get(BIN)
    csrf = Client(enforce_csrf_checks=True).post(reverse("articles:home"))
    pages = {"forbidden": refused.content.decode(), "csrf": csrf.content.decode()}

    assert check(vnu, pages, tmp_path) == []
