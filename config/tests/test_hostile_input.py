"""Hostile input everywhere a stranger can send it: never a 500.

Every public URL (discovered from the URLconf, so a new page is covered the
day it is added), every query parameter the reading site reads (the fields
of the GET forms in ``articles.reading.forms`` plus ``page``), POST bodies to the
public pages, the admin login form, and the search box (``?q=``) and
paging/ordering parameters of every admin change list. Values: long
strings, control characters, broken Unicode (lone surrogates and overlong
UTF-8, percent-encoded the way a hostile client sends them), path
traversal, SQL and template syntax.

When ``/work/shared/bad-input`` (or ``$BAD_INPUT_DIR``) exists, its lists
are sent too: every twentieth line by default, every line with
``BAD_INPUT_ALL=1``.
"""

import inspect
import os
import re
from pathlib import Path

import pytest
from django import forms as django_forms
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from articles.reading import forms as article_forms
from articles.tests.factories import make_article, make_draft, make_topic

BAD_INPUT = Path(os.environ.get("BAD_INPUT_DIR", Path(__file__).resolve().parents[3] / "shared" / "bad-input"))

HOSTILE_VALUES = [
    "",
    " ",
    "a" * 10_000,
    "党" * 5_000,
    "😀" * 500,
    "\x00",
    "a\x00b",
    "\x01\x02\x03\x07\x08\x0b\x0c\x1b\x7f",
    "\r\nSet-Cookie: pwned=1",
    "\u202e\u200b\ufeff\u2028\u2029\u0085",
    # (Lone surrogates cannot be encoded by the test client: see RAW_ENCODED.)
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/etc/passwd%00.jpg",
    "' OR '1'='1",
    "1; DROP TABLE articles_article; --",
    "1' UNION SELECT username, password FROM auth_user --",
    "\\",
    "%",
    "_",
    "%%",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "{% load log %}{% get_admin_log 10 as log %}",
    "${7*7}",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "-1",
    "0",
    "99999999999999999999999999999999",
    "1e400",
    "NaN",
    "-0",
    "2024-13-45",
    "null",
    "[]",
    "{}",
]

# One of each kind, for the places where every combination is tried.
REPRESENTATIVE_VALUES = [
    "a" * 10_000,
    "\x00",
    "\x01\x1b\x7f",
    "\u202e\u2028\ufeff",
    "../../etc/passwd",
    "' OR '1'='1",
    "%_\\",
    "{{ settings.SECRET_KEY }}{% debug %}",
    "<script>alert(1)</script>",
    "-1",
    "99999999999999999999999999999999",
    "NaN",
]

# Percent-encoded, exactly as they go on the wire: broken UTF-8 that no
# Python str can hold.
RAW_ENCODED = [
    "%ED%A0%80",  # a lone surrogate in UTF-8 form
    "%ED%B0%80",
    "%C0%AF",  # an overlong "/"
    "%C0%AE%C0%AE%C0%AF",  # overlong "../"
    "%E0%80%AF",
    "%FF%FE%FD",
    "%00",
    "%0D%0ASet-Cookie:%20x=1",
    "%25",
    "%",
    "%E5%85",  # a character cut in half
    "%E5%85%9A" * 3000,
]

PATH_SEGMENTS = [
    "a" * 3000,
    "%ED%A0%80",
    "%C0%AF",
    "%00",
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e",
    "{{7*7}}",
    "{%25 debug %25}",
    "'%20OR%201=1--",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "-1",
    "0",
    "99999999999999999999999",
    "%E5%85%9A%E5%BB%BA",
]


def bad_input_lines():
    """The shared lists, split on "\\n" only (they hold U+2028 on purpose)."""
    if not BAD_INPUT.is_dir():
        return []
    lines = []
    for name in ("naughty.txt", "sqli.txt", "xss.txt"):
        path = BAD_INPUT / name
        if path.is_file():
            lines += path.read_text(encoding="utf-8").split("\n")[:-1]
    return lines if os.environ.get("BAD_INPUT_ALL") == "1" else lines[::20]


def all_values():
    return HOSTILE_VALUES + bad_input_lines()


def query_parameters():
    """Every field of the reading site's GET forms, plus ``page``."""
    names = {"page", "q", "topic", "year", "org", "kind"}
    for _, form_class in inspect.getmembers(article_forms, inspect.isclass):
        if issubclass(form_class, django_forms.BaseForm) and form_class.__module__ == article_forms.__name__:
            names.update(form_class.base_fields)
    return sorted(names)


def public_routes():
    """``(route, converters)`` for every URL outside the admin, e.g.
    ``("articles/<slug:slug>/", {"slug": "slug"})``."""
    routes = []

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin" or entry.app_name == "admin":
                    continue
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                if route.startswith("^"):  # a regex pattern (static/media in DEBUG): not ours
                    continue
                routes.append(route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(routes))


_CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")


def fill(route, value_for):
    """``route`` with each ``<kind:name>`` replaced by ``value_for(kind, name)``."""
    return "/" + _CONVERTER.sub(lambda m: value_for(m.group("kind") or "str", m.group("name")), route)


@pytest.fixture
def content(db):
    column = make_topic("理论学习")
    special = make_topic("专题一", parent=column)
    article = make_article("当前基层党建工作存在的问题及对策建议", topics=[column, special], sections=2, points=2)
    draft = make_draft("一篇草稿")
    return {"topic": special, "article": article, "draft": draft}


def real_paths(content):
    """Every public route filled with real objects (slugs of a topic or an
    essay, the draft's pk for previews)."""
    paths = set()
    for route in public_routes():
        if route.startswith("topics/"):
            slug = content["topic"].slug
        else:
            slug = content["article"].slug
        paths.add(fill(route, lambda kind, name, slug=slug: str(content["draft"].pk) if kind == "int" else slug))
    return sorted(paths)


def assert_no_server_errors(failures):
    assert not failures, f"{len(failures)} requests answered 5xx, e.g.:\n" + "\n".join(
        f"{status} {method} {where!r}" for status, method, where in failures[:15]
    )


@pytest.fixture
def hostile_client(client):
    client.raise_request_exception = False
    return client


@pytest.fixture
def hostile_admin_client(admin_client):
    admin_client.raise_request_exception = False
    return admin_client


def test_the_public_routes_are_discovered():
    routes = public_routes()
    for expected in ("", "articles/", "articles/<slug:slug>/", "topics/", "topics/<slug:slug>/", "preview/<int:pk>/"):
        assert expected in routes
    assert not any(route.startswith(reverse("admin:index").lstrip("/")) for route in routes)


def test_query_parameters_include_every_filter():
    assert {"q", "page", "topic", "year", "org", "kind"} <= set(query_parameters())


@pytest.mark.django_db
def test_public_pages_survive_hostile_query_parameters(hostile_client, content):
    # Every value in every parameter at once on every page, and one
    # parameter at a time (an invalid filter must not hide what the search
    # does with its value). The shared lists go to the list page, the one
    # page that reads every parameter.
    failures = []
    parameters = query_parameters()
    listing = reverse("articles:list")
    for path in real_paths(content):
        for value in all_values() if path == listing else HOSTILE_VALUES:
            for params in (dict.fromkeys(parameters, value), {"q": value}):
                status = hostile_client.get(path, params).status_code
                if status >= 500:
                    failures.append((status, "GET", f"{path}?{params!r:.120}"))
        for value in REPRESENTATIVE_VALUES[::2]:
            for name in parameters:
                status = hostile_client.get(path, {name: value}).status_code
                if status >= 500:
                    failures.append((status, "GET", f"{path}?{name}={value[:80]!r}"))
    assert_no_server_errors(failures)


@pytest.mark.django_db
def test_public_pages_survive_broken_percent_encoding(hostile_client, content):
    failures = []
    for path in real_paths(content):
        for raw in RAW_ENCODED:
            for name in query_parameters() + ["unknown"]:
                status = hostile_client.get(f"{path}?{name}={raw}").status_code
                if status >= 500:
                    failures.append((status, "GET", f"{path}?{name}={raw[:60]}"))
        for query in ("q[]=1&page[]=2", "page=1&page=x&page=", "&&&==&", "q=" + "&q=".join(["x"] * 500)):
            status = hostile_client.get(f"{path}?{query}").status_code
            if status >= 500:
                failures.append((status, "GET", f"{path}?{query[:60]}"))
    assert_no_server_errors(failures)


@pytest.mark.django_db
def test_url_path_segments_survive_hostile_values(hostile_client, content):
    failures = []
    values = PATH_SEGMENTS + [v for v in HOSTILE_VALUES if v and "/" not in v][:20]
    for route in public_routes():
        if "<" not in route:
            continue
        for value in values:
            path = fill(route, lambda kind, name, value=value: value)
            status = hostile_client.get(path).status_code
            if status >= 500:
                failures.append((status, "GET", path[:120]))
    for path in (
        "/" + "a/" * 500,
        "/%ED%A0%80/",
        "/%C0%AF/",
        "/..%2F..%2Fetc%2Fpasswd",
        "/static/..%2F..%2Fconfig%2Fsettings.py",
    ):
        status = hostile_client.get(path).status_code
        if status >= 500:
            failures.append((status, "GET", path[:120]))
    assert_no_server_errors(failures)


@pytest.mark.django_db
def test_public_pages_survive_hostile_posts_and_headers(hostile_client, content):
    failures = []
    parameters = query_parameters()
    for path in real_paths(content):
        for value in HOSTILE_VALUES:
            response = hostile_client.post(path, dict.fromkeys(parameters + ["csrfmiddlewaretoken"], value))
            if response.status_code >= 500:
                failures.append((response.status_code, "POST", f"{path} {value[:60]!r}"))
        for headers in (
            {"user-agent": "\x00" + "A" * 5000},
            {"referer": "javascript:alert(1)"},
            {"accept-language": "zh-CN;q=" + "9" * 500},
            {"x-forwarded-for": "' OR 1=1 --, 999.999.999.999"},
            {"x-forwarded-host": "evil.example"},
            {"host": "evil.example"},
        ):
            status = hostile_client.get(path, headers=headers).status_code
            if status >= 500:
                failures.append((status, "GET", f"{path} {headers}"))
    assert_no_server_errors(failures)


@pytest.mark.django_db
def test_admin_login_form_survives_hostile_input(hostile_client, django_user_model):
    django_user_model.objects.create_user("editor", password="a-long-passphrase-2026", is_staff=True)
    login = reverse("admin:login")
    failures = []
    values = all_values()
    for index, value in enumerate(values):
        for data in (
            {"username": value, "password": value},
            {"username": "editor", "password": value},
            {"username": value},
        ):
            # Spread over addresses so that the lockout (a 429, fine in
            # itself) does not hide what the form does with the value.
            address = f"10.0.{index // 250}.{index % 250 + 1}"
            response = hostile_client.post(login, data, REMOTE_ADDR=address, headers={"user-agent": value[:300]})
            if response.status_code >= 500:
                failures.append((response.status_code, "POST", f"{login} {data!r:.120}"))
        status = hostile_client.get(login, {"next": value}).status_code
        if status >= 500:
            failures.append((status, "GET", f"{login}?next={value[:80]!r}"))
    assert_no_server_errors(failures)


@pytest.mark.django_db
def test_admin_login_lockout_survives_hostile_usernames(hostile_client, settings):
    login = reverse("admin:login")
    failures = []
    for value in HOSTILE_VALUES:
        for _ in range(settings.AXES_FAILURE_LIMIT + 1):
            status = hostile_client.post(login, {"username": value, "password": value}).status_code
            if status >= 500:
                failures.append((status, "POST", f"{login} {value[:60]!r}"))
    assert_no_server_errors(failures)


def admin_changelists():
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") for model in admin.site._registry
    ]


@pytest.mark.django_db
def test_admin_changelist_search_survives_hostile_input(hostile_admin_client, content):
    # Every value in the essays' search box; representative ones in the
    # other change lists and in paging, ordering and filter parameters.
    failures = []
    essays = reverse("admin:articles_article_changelist")
    for url in admin_changelists():
        for value in all_values() if url == essays else REPRESENTATIVE_VALUES:
            status = hostile_admin_client.get(url, {"q": value}).status_code
            if status >= 500:
                failures.append((status, "GET", f"{url}?q={value[:80]!r}"))
        for value in REPRESENTATIVE_VALUES[::2]:
            for params in ({"p": value}, {"o": value}, {"_to_field": value}, {"status__exact": value}):
                status = hostile_admin_client.get(url, params).status_code
                if status >= 500:
                    failures.append((status, "GET", f"{url}?{params!r:.100}"))
        for raw in RAW_ENCODED:
            status = hostile_admin_client.get(f"{url}?q={raw}").status_code
            if status >= 500:
                failures.append((status, "GET", f"{url}?q={raw[:60]}"))
    assert_no_server_errors(failures)
