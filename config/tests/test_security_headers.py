"""Security settings: headers on every page, production cookies and HSTS,
``check --deploy``, the configurable admin path and password rules."""

import importlib
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import clear_url_caches, reverse

ROOT = Path(__file__).resolve().parents[2]


def directives(header):
    """``"a x y; b z"`` -> ``{"a": ["x", "y"], "b": ["z"]}``."""
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def production_env(**extra):
    """The environment of a production process: DEBUG off, a long random
    secret key, a real host name, none of the test run's relaxations."""
    env = {key: value for key, value in os.environ.items() if key not in {"SECURE_COOKIES", "MEDIA_ROOT"}}
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="example.cn", **extra)
    return env


# ---------------------------------------------------------------- CSP


@pytest.mark.django_db
def test_public_pages_have_a_strict_content_security_policy(client):
    header = client.get("/").headers["Content-Security-Policy"]
    policy = directives(header)
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_error_pages_have_the_public_policy_too(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert directives(response.headers["Content-Security-Policy"])["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_the_admin_allows_inline_styles_but_still_no_inline_script(admin_client):
    for url in (reverse("admin:index"), reverse("admin:articles_article_add")):
        response = admin_client.get(url)
        assert response.status_code == 200
        policy = directives(response.headers["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"], url
        assert set(policy["img-src"]) == {"'self'", "data:", "blob:"}, url
        assert policy["frame-ancestors"] == ["'none'"], url


@pytest.mark.django_db
def test_the_admin_login_page_has_the_admin_policy(client):
    policy = directives(client.get(reverse("admin:login")).headers["Content-Security-Policy"])
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_public_templates_need_no_inline_script_or_style(client):
    from articles.tests.factories import make_article, make_topic

    topic = make_topic("理论学习")
    article = make_article("一篇文稿", topics=[topic], sections=2, points=1)
    for url in ("/", "/articles/", article.get_absolute_url(), "/topics/", topic.get_absolute_url()):
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")", html), url
        assert " style=" not in html and "<style" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url


# ---------------------------------------------------------------- other headers


@pytest.mark.django_db
def test_every_page_sends_the_basic_security_headers(client):
    for url in ("/", reverse("admin:login")):
        headers = client.get(url).headers
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        policy = headers["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in policy


@pytest.mark.django_db
def test_hsts_is_sent_on_https_requests(client):
    header = client.get("/", secure=True).headers["Strict-Transport-Security"]
    assert header == "max-age=31536000; includeSubDomains; preload"


def test_session_cookie_is_httponly(client, django_user_model, db):
    django_user_model.objects.create_user("editor", password="a-long-passphrase-2026", is_staff=True)
    response = client.post(reverse("admin:login"), {"username": "editor", "password": "a-long-passphrase-2026"})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"]


def _production_settings(**extra):
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k, None) for k in ("
        "'DEBUG', 'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_SECURE', "
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SECURE_HSTS_PRELOAD', 'X_FRAME_OPTIONS', 'SECURE_REFERRER_POLICY', 'SECURE_PROXY_SSL_HEADER', "
        "'ADMIN_URL', 'AXES_FAILURE_LIMIT')}))"
    )
    env = production_env(DJANGO_SETTINGS_MODULE="config.settings", **extra)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_settings_secure_the_cookies_and_force_https():
    values = _production_settings()
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and values["SECURE_HSTS_PRELOAD"]
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["ADMIN_URL"] == "admin/"
    assert values["AXES_FAILURE_LIMIT"] == 5


def test_admin_url_and_failure_limit_come_from_the_environment():
    values = _production_settings(ADMIN_URL="/houtai/guanli", AXES_FAILURE_LIMIT="3")
    assert values["ADMIN_URL"] == "houtai/guanli/"
    assert values["AXES_FAILURE_LIMIT"] == 3


def test_check_deploy_finds_nothing_to_warn_about_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_check_deploy_in_process_with_production_like_overrides(settings):
    from django.core.management import call_command

    settings.DEBUG = False
    settings.SECRET_KEY = secrets.token_urlsafe(64)
    settings.ALLOWED_HOSTS = ["example.cn"]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600
    call_command("check", "--deploy", "--fail-level", "WARNING")


# ---------------------------------------------------------------- ADMIN_URL


@pytest.fixture
def admin_at_guanli(settings):
    import config.urls

    settings.ADMIN_URL = "guanli/"
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.ADMIN_URL = "admin/"
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.mark.django_db
def test_the_admin_moves_with_admin_url(client, admin_client, admin_at_guanli):
    assert reverse("admin:index") == "/guanli/"
    assert client.get("/admin/").status_code == 404
    response = client.get("/guanli/login/")
    assert response.status_code == 200
    # The admin policy follows the admin to its new path.
    assert "'unsafe-inline'" in response.headers["Content-Security-Policy"]
    assert admin_client.get(reverse("admin:articles_article_changelist")).status_code == 200


_ADMIN_LITERAL = re.compile(r"""["'`]/admin/""")


def test_no_code_or_template_hard_codes_the_admin_path():
    """Everything reaches the admin through reverse()/{% url %} (tests may use /admin/)."""
    offenders = []
    for folder in ("articles", "topics", "config", "templates", "static/js", "static/admin-extra"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".py", ".html", ".js", ".txt"} or "tests" in path.parts or not path.is_file():
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                if _ADMIN_LITERAL.search(line) or 'href="/admin' in line or 'action="/admin' in line:
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


# ---------------------------------------------------------------- passwords


@pytest.mark.parametrize(
    "password, code",
    [
        ("Xq7#pLm2", "password_too_short"),  # 8 characters: Django's default minimum, not ours
        ("Xq7#pLm2v", "password_too_short"),
        ("1234567890123", "password_entirely_numeric"),
        ("password1234", "password_too_common"),
    ],
)
def test_weak_passwords_are_refused(password, code):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert code in {e.code for e in error.value.error_list}


def test_a_long_unusual_password_is_accepted():
    validate_password("灯塔-Xq7#pLm2v-2026")
