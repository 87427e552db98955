"""Pinyin slugs: readable, ASCII, unique."""

import pytest

from topics.models import Topic
from topics.slugs import pinyin_slug


def test_pinyin_slug_is_the_hyphenated_pinyin_of_the_name():
    assert pinyin_slug("基层党建") == "ji-ceng-dang-jian"


def test_pinyin_slug_keeps_latin_letters_and_digits_and_drops_punctuation():
    assert pinyin_slug("“两学一做”2026!") == "liang-xue-yi-zuo-2026"


def test_pinyin_slug_is_cut_at_a_syllable_boundary():
    slug = pinyin_slug("当前基层党建工作存在的问题及对策建议", max_length=20)
    assert len(slug) <= 20 and not slug.endswith("-")
    assert slug.startswith("dang-qian-ji-ceng")


def test_pinyin_slug_of_nothing_readable_falls_back():
    assert pinyin_slug("!!!") == "item"


@pytest.mark.django_db
def test_topics_with_the_same_pinyin_get_distinct_slugs():
    first = Topic.objects.create(name="党建")
    second = Topic.objects.create(name="党鉴")
    assert first.slug == "dang-jian"
    assert second.slug == "dang-jian-2"
    assert first.get_absolute_url() == "/topics/dang-jian/"
