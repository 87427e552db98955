"""Topics: the two-level rule, pinyin slugs, navigation querysets."""

import pytest
from django.core.exceptions import ValidationError

from topics.models import Topic
from topics.slugs import pinyin_slug

pytestmark = pytest.mark.django_db


@pytest.fixture
def column():
    return Topic.objects.create(name="理论学习")


def test_a_blank_slug_becomes_the_pinyin_of_the_name():
    assert Topic.objects.create(name="基层党建").slug == "ji-ceng-dang-jian"


def test_a_given_slug_is_kept():
    assert Topic.objects.create(name="基层党建", slug="grassroots").slug == "grassroots"


def test_slugs_stay_unique_when_names_sound_alike():
    first = Topic.objects.create(name="党建")
    second = Topic.objects.create(name="党健")  # same pinyin, different name
    assert first.slug == "dang-jian"
    assert second.slug == "dang-jian-2"


def test_resaving_keeps_the_slug():
    topic = Topic.objects.create(name="党建")
    topic.name = "党的建设"
    topic.save()
    topic.refresh_from_db()
    assert topic.slug == "dang-jian"


def test_pinyin_slug_of_text_without_letters_falls_back():
    assert pinyin_slug("——") == "item"
    assert pinyin_slug("两学一做 2024") == "liang-xue-yi-zuo-2024"


def test_a_topic_under_a_column_is_valid(column):
    Topic(name="两学一做", parent=column).full_clean()


def test_a_topic_cannot_be_its_own_parent(column):
    column.parent = column
    with pytest.raises(ValidationError) as error:
        column.full_clean()
    assert error.value.message_dict["parent"] == ["不能把专题设为自己的上级。"]


def test_there_is_no_third_level(column):
    child = Topic.objects.create(name="两学一做", parent=column)
    with pytest.raises(ValidationError) as error:
        Topic(name="第三级", parent=child).clean()
    assert "上级必须是栏目" in error.value.message_dict["parent"][0]


def test_a_column_with_topics_cannot_get_a_parent(column):
    Topic.objects.create(name="两学一做", parent=column)
    other = Topic.objects.create(name="组织建设")
    column.parent = other
    with pytest.raises(ValidationError) as error:
        column.clean()
    assert "已有专题" in error.value.message_dict["parent"][0]


def test_navigation_shows_visible_columns_only(column):
    Topic.objects.create(name="两学一做", parent=column)
    hidden = Topic.objects.create(name="内部", show_in_nav=False)
    second = Topic.objects.create(name="组织建设")
    assert set(Topic.objects.in_navigation()) == {column, second}
    assert hidden not in Topic.objects.columns().in_navigation()
    assert set(Topic.objects.columns()) == {column, hidden, second}


def test_topics_are_ordered_by_position_then_id():
    b = Topic.objects.create(name="乙", position=2)
    a = Topic.objects.create(name="甲", position=1)
    c = Topic.objects.create(name="丙", position=2)
    assert list(Topic.objects.all()) == [a, b, c]


def test_absolute_url_uses_the_slug(column):
    assert column.get_absolute_url() == f"/topics/{column.slug}/"
