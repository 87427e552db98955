"""The order of author units, and that reader pages never load pypinyin (~57 MB a worker)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from articles.collation import chinese_sort_key
from articles.reading.forms import sorted_orgs
from articles.tests.factories import make_article, make_draft

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("安徽", "北京"),  # an < bei
        ("北京", "长沙"),  # bei < chang
        ("长春", "长沙"),  # same first character: chun < sha
        ("长沙", "大通"),  # chang < da
        ("大通", "格尔木"),  # da < ge
        ("海西州", "西宁"),  # hai < xi
        ("郑州", "重庆"),  # GB2312 files 重 under zhong only: zheng < zhong
        ("中国", "重庆"),  # both zhong: 中 before 重 within the syllable
        ("座", "亍"),  # the last character of level 1 < the first of level 2
        ("Z县", "安徽"),  # ASCII before hanzi
        ("（筹）", "安徽"),  # full-width punctuation before hanzi
    ],
)
def test_key_orders_names_as_the_national_character_set(first, second):
    assert chinese_sort_key(first) < chinese_sort_key(second)


def test_a_common_name_prefix_sorts_first():
    assert chinese_sort_key("海西州") < chinese_sort_key("海西州纪委")


@pytest.mark.parametrize("text", ["", "abc", "ABC 123", "😀党建", "🇨🇳", "a\ud800b", "\udfff", "\x00", "廣州", "堃"])
def test_key_never_raises_and_is_bytes(text):
    key = chinese_sort_key(text)
    assert isinstance(key, bytes)
    assert sorted([text, "北京"], key=chinese_sort_key)  # comparable with any other key


def test_a_lone_surrogate_becomes_a_question_mark():
    assert chinese_sort_key("a\ud800b") == b"a?b"


def test_sorted_orgs_orders_units_and_returns_a_list():
    units = iter(["重庆市委组织部", "北京市委党校", "安徽省委", "长沙市委", "大通县委", "长春市委"])
    assert sorted_orgs(units) == ["安徽省委", "北京市委党校", "长春市委", "长沙市委", "大通县委", "重庆市委组织部"]


@pytest.mark.django_db
def test_list_page_offers_published_units_in_that_order(client):
    for org in ("西宁市委", "安徽省委", "格尔木市委", "北京市委"):
        make_article(f"{org}的文稿", author_org=org)
    make_draft("草稿", author_org="阿坝州委")

    html = client.get("/articles/").content.decode()

    positions = [html.index(f'<option value="{org}">') for org in ("安徽省委", "北京市委", "格尔木市委", "西宁市委")]
    assert positions == sorted(positions)
    assert "阿坝州委" not in html


def test_reader_site_and_the_masters_preload_do_not_import_pypinyin():
    """pypinyin stays for the admin's slugs (topics.slugs imports it on use)."""
    script = (
        "import django; django.setup(); "
        "import config.urls, articles.reading.views, library.views, articles.reading.forms, library.forms; "
        "from config.wsgi import application; "
        "import types; namespace = {}; "
        "exec(compile(open('config/gunicorn.conf.py').read(), 'gunicorn.conf.py', 'exec'), namespace); "
        "log = types.SimpleNamespace(warning=lambda *args: print('warning', *args)); "
        "namespace['on_starting'](types.SimpleNamespace(log=log)); "
        "import sys; print('pypinyin' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1")
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
