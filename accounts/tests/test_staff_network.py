"""Staff access by network (issue 22, item 5): outside ADMIN_ALLOWED_NETWORKS the
admin and the preview are a 404, in the app and in the shipped nginx."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.tests.test_roles import EDITOR, user_in

pytestmark = pytest.mark.django_db

OFFICE = "10.20.0.0/16"


@pytest.fixture
def restricted(settings):
    settings.ADMIN_ALLOWED_NETWORKS = [OFFICE, "2001:db8::/32"]


def test_without_a_list_everyone_reaches_the_login_page(client):
    assert client.get(reverse("admin:login"), REMOTE_ADDR="198.51.100.7").status_code == 200


def test_an_address_outside_the_list_gets_404_on_the_admin_and_the_preview(client, restricted):
    for path in (reverse("admin:login"), reverse("admin:index"), reverse("articles:preview", args=[1])):
        response = client.get(path, REMOTE_ADDR="198.51.100.7")
        assert response.status_code == 404, path
        assert b"login-form" not in response.content
    response = client.post(reverse("admin:login"), {"username": "x", "password": "y"}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 404


def test_the_reading_site_stays_open_to_everyone(client, restricted):
    assert client.get(reverse("articles:home"), REMOTE_ADDR="198.51.100.7").status_code == 200


def test_an_address_inside_the_list_reaches_the_admin(client, restricted):
    assert client.get(reverse("admin:login"), REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get(reverse("admin:login"), REMOTE_ADDR="2001:db8::5").status_code == 200
    editor = user_in(EDITOR, "zhang")
    client.force_login(editor)
    assert client.get(reverse("admin:index"), REMOTE_ADDR="10.20.3.4").status_code == 200
    # Signed in does not help from elsewhere.
    assert client.get(reverse("admin:index"), REMOTE_ADDR="198.51.100.7").status_code == 404


def test_behind_the_proxy_the_real_client_address_decides(client, restricted):
    login = reverse("admin:login")
    # nginx on loopback (a trusted proxy) appends the address it saw.
    assert client.get(login, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.20.3.4").status_code == 200
    assert client.get(login, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 404
    # A made-up entry in front of the real one changes nothing.
    spoofed = "10.20.3.4, 198.51.100.7"
    assert client.get(login, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=spoofed).status_code == 404
    # Nor does a header sent straight to the app by someone who is not a proxy.
    assert client.get(login, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="10.20.3.4").status_code == 404


def test_a_wrong_entry_stops_the_portal_from_starting():
    from django.core.exceptions import ImproperlyConfigured

    from config.client_address import parse_networks

    with pytest.raises(ImproperlyConfigured, match="ADMIN_ALLOWED_NETWORKS: 'office'"):
        parse_networks(["10.0.0.0/8", "office"])


def test_the_nginx_block_is_printed_from_the_setting(restricted):
    out = StringIO()
    call_command("staff_networks_nginx", stdout=out)
    assert out.getvalue().split("\n") == [
        "geo $portal_staff_network {",
        "    default 0;",
        "    10.20.0.0/16 1;",
        "    2001:db8::/32 1;",
        "}",
        "",
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("nginx_staff_networks", [("127.0.0.6/32",)])
def test_behind_nginx_an_address_outside_the_list_gets_404_from_nginx(request_from, nginx_staff_networks):
    # The app allows everyone here (ADMIN_ALLOWED_NETWORKS empty): a 404 comes from nginx.
    status, _, _ = request_from("127.0.0.5", "GET", reverse("admin:login"))
    assert status == 404
    status, _, _ = request_from("127.0.0.5", "GET", reverse("articles:preview", args=[1]))
    assert status == 404
    assert request_from("127.0.0.5", "GET", reverse("articles:home"))[0] == 200
    assert request_from("127.0.0.6", "GET", reverse("admin:login"))[0] == 200


@pytest.mark.django_db(transaction=True)
def test_behind_nginx_the_app_refuses_by_the_real_client_address(request_from, settings):
    settings.ADMIN_ALLOWED_NETWORKS = ["127.0.0.6/32"]
    assert request_from("127.0.0.5", "GET", reverse("admin:login"), headers={"X-Forwarded-For": "127.0.0.6"})[0] == 404
    assert request_from("127.0.0.6", "GET", reverse("admin:login"))[0] == 200
