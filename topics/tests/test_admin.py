"""Editors' view of topics: tree order, counts, inline editing, the two-level rule."""

import re

import pytest
from django.urls import reverse

from articles.models import Article
from topics.models import Topic

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:topics_topic_changelist")
ADD = reverse("admin:topics_topic_add")


def change_url(topic):
    return reverse("admin:topics_topic_change", args=[topic.pk])


@pytest.fixture
def tree():
    """Two columns, each with a topic; positions chosen so plain ordering would interleave them."""
    study = Topic.objects.create(name="理论学习", position=1)
    org = Topic.objects.create(name="组织建设", position=2)
    return {
        "study": study,
        "org": org,
        "study_child": Topic.objects.create(name="两学一做", parent=study, position=5),
        "org_child": Topic.objects.create(name="支部建设", parent=org, position=0),
    }


def topic_form(**overrides):
    data = {"name": "新专题", "slug": "", "parent": "", "description": "", "position": "0", "show_in_nav": "on"}
    data.update(overrides)
    return data


def test_changelist_lists_columns_each_followed_by_its_topics(admin_client, tree):
    response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    shown = [topic.name for topic in response.context["cl"].result_list]
    assert shown == ["理论学习", "两学一做", "组织建设", "支部建设"]


def test_changelist_counts_articles(admin_client, tree):
    for i in range(3):
        Article.objects.create(title=f"文{i}").topics.add(tree["study"], tree["study_child"])
    response = admin_client.get(CHANGELIST)
    counts = {topic.name: topic.article_total for topic in response.context["cl"].result_list}
    assert counts == {"理论学习": 3, "两学一做": 3, "组织建设": 0, "支部建设": 0}
    assert "文稿数" in response.content.decode()


def test_changelist_filters_by_level_and_searches(admin_client, tree):
    columns = admin_client.get(CHANGELIST + "?level=column").context["cl"].result_list
    assert {t.name for t in columns} == {"理论学习", "组织建设"}
    found = admin_client.get(CHANGELIST + "?q=支部").context["cl"].result_list
    assert [t.name for t in found] == ["支部建设"]


def test_position_and_navigation_are_editable_in_the_list(admin_client, tree):
    topics = list(admin_client.get(CHANGELIST).context["cl"].result_list)
    data = {
        "form-TOTAL_FORMS": str(len(topics)),
        "form-INITIAL_FORMS": str(len(topics)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "保存",
    }
    for i, topic in enumerate(topics):
        data[f"form-{i}-id"] = str(topic.pk)
        data[f"form-{i}-position"] = str(topic.position)
        if topic.show_in_nav:
            data[f"form-{i}-show_in_nav"] = "on"
    org_index = topics.index(tree["org"])
    data[f"form-{org_index}-position"] = "0"
    del data[f"form-{org_index}-show_in_nav"]
    response = admin_client.post(CHANGELIST, data)
    assert response.status_code == 302
    tree["org"].refresh_from_db()
    assert (tree["org"].position, tree["org"].show_in_nav) == (0, False)
    shown = [t.name for t in admin_client.get(CHANGELIST).context["cl"].result_list]
    assert shown == ["组织建设", "支部建设", "理论学习", "两学一做"]


def test_add_and_change_pages_render_without_slug_prepopulation(admin_client, tree):
    for url in (ADD, change_url(tree["study"]), change_url(tree["study_child"])):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert response.context["prepopulated_fields"] == []
        assert 'data-prepopulated-fields="[]"' in response.content.decode()


def test_adding_with_a_blank_slug_fills_in_pinyin(admin_client):
    response = admin_client.post(ADD, topic_form(name="基层党建"))
    assert response.status_code == 302
    assert Topic.objects.get(name="基层党建").slug == "ji-ceng-dang-jian"


def test_a_topic_cannot_be_made_its_own_parent_in_the_admin(admin_client, tree):
    column = tree["org"]
    Topic.objects.filter(parent=column).delete()
    data = topic_form(name=column.name, slug=column.slug, parent=str(column.pk))
    response = admin_client.post(change_url(column), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parent"] == ["不能把专题设为自己的上级。"]
    assert "不能把专题设为自己的上级。" in response.content.decode()
    column.refresh_from_db()
    assert column.parent is None


def test_a_third_level_cannot_be_created_in_the_admin(admin_client, tree):
    response = admin_client.post(ADD, topic_form(name="第三级", parent=str(tree["study_child"].pk)))
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert not Topic.objects.filter(name="第三级").exists()


def test_a_column_with_topics_cannot_be_moved_under_another_in_the_admin(admin_client, tree):
    study = tree["study"]
    data = topic_form(name=study.name, slug=study.slug, parent=str(tree["org"].pk))
    response = admin_client.post(change_url(study), data)
    assert response.status_code == 200
    assert "已有专题" in response.context["adminform"].form.errors["parent"][0]


def test_parent_choices_offer_columns_only(admin_client, tree):
    html = admin_client.get(ADD).content.decode()
    select = re.search(r'<select name="parent".*?</select>', html, re.S).group(0)
    assert "理论学习" in select and "组织建设" in select
    assert "两学一做" not in select


def test_article_form_labels_topics_with_their_column(admin_client, tree):
    html = admin_client.get(reverse("admin:articles_article_add")).content.decode()
    select = re.search(r'<select name="topics".*?</select>', html, re.S).group(0)
    labels = re.findall(r">([^<]+)</option>", select)
    assert labels == ["理论学习", "理论学习 / 两学一做", "组织建设", "组织建设 / 支部建设"]
