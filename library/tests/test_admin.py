"""Editing the library in the admin: rename, merge, split, move, decide links."""

import pytest
from django.urls import reverse

from library.models import CountermeasureLink, LibraryItem, Theme
from library.regrouping import regroup
from library.tests.factories import ATTITUDE, ORGANIZATION, STUDY, make_essay

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _corpus(no_task_worker):
    for i in range(3):
        make_essay(problems=[ATTITUDE[i], ORGANIZATION[i]], countermeasures=STUDY)
    regroup()


def theme_of(heading):
    return LibraryItem.objects.filter(heading=heading).first().theme


@pytest.mark.parametrize("name", ["theme", "libraryitem", "countermeasurelink"])
def test_changelists_open(admin_client, name):
    response = admin_client.get(reverse(f"admin:library_{name}_changelist"))
    assert response.status_code == 200
    assert "问题库与对策库" in response.content.decode()


def test_rename_in_the_change_form_survives_regrouping(admin_client):
    theme = theme_of(ATTITUDE[0])
    url = reverse("admin:library_theme_change", args=[theme.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "custom_label": "对党建工作重要性认识不足",
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    regroup()
    theme = theme_of(ATTITUDE[0])
    assert theme.label == "对党建工作重要性认识不足" and theme.pinned


def test_merge_action(admin_client):
    themes = [theme_of(ATTITUDE[0]), theme_of(ORGANIZATION[0])]
    response = admin_client.post(
        reverse("admin:library_theme_changelist"),
        {
            "action": "merge_selected",
            "_selected_action": [t.pk for t in themes],
        },
        follow=True,
    )
    assert "已合并为主题" in response.content.decode()
    assert theme_of(ATTITUDE[0]).pk == theme_of(ORGANIZATION[0]).pk


def test_merging_across_libraries_is_refused_with_a_message(admin_client):
    themes = [theme_of(ATTITUDE[0]), theme_of(STUDY[0])]
    response = admin_client.post(
        reverse("admin:library_theme_changelist"),
        {
            "action": "merge_selected",
            "_selected_action": [t.pk for t in themes],
        },
        follow=True,
    )
    assert "不能相互合并" in response.content.decode()
    assert Theme.objects.filter(pk__in=[t.pk for t in themes]).count() == 2


def test_split_action(admin_client):
    item = LibraryItem.objects.get(heading=ATTITUDE[2])
    response = admin_client.post(
        reverse("admin:library_libraryitem_changelist"),
        {
            "action": "split_selected",
            "_selected_action": [item.pk],
        },
        follow=True,
    )
    assert "已拆分出新主题" in response.content.decode()
    new = theme_of(ATTITUDE[2])
    assert new.pinned and new.pk != theme_of(ATTITUDE[0]).pk
    regroup()
    assert theme_of(ATTITUDE[2]).pk == new.pk


def test_move_an_item_in_its_change_form(admin_client):
    item = LibraryItem.objects.get(heading=ATTITUDE[1])
    target = theme_of(ORGANIZATION[0])
    response = admin_client.post(reverse("admin:library_libraryitem_change", args=[item.pk]), {"theme": target.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.theme_id == target.pk and item.locked_by_editor
    regroup()
    assert theme_of(ATTITUDE[1]).pk == target.pk


def test_moving_to_the_other_library_is_refused(admin_client):
    item = LibraryItem.objects.get(heading=ATTITUDE[1])
    response = admin_client.post(
        reverse("admin:library_libraryitem_change", args=[item.pk]), {"theme": theme_of(STUDY[0]).pk}
    )
    assert response.status_code == 200
    assert "同一个库" in response.content.decode()


def test_confirm_and_reject_links(admin_client):
    links = list(CountermeasureLink.objects.all()[:2])
    url = reverse("admin:library_countermeasurelink_changelist")
    admin_client.post(url, {"action": "confirm_selected", "_selected_action": [links[0].pk]})
    admin_client.post(url, {"action": "reject_selected", "_selected_action": [links[1].pk]})
    regroup()
    assert CountermeasureLink.objects.get(pk=links[0].pk).status == "confirmed"
    assert CountermeasureLink.objects.get(pk=links[1].pk).status == "rejected"


def test_an_editor_link_must_be_within_one_essay(admin_client):
    problem = LibraryItem.objects.filter(kind="problems").first()
    other = LibraryItem.objects.filter(kind="countermeasures").exclude(article=problem.article).first()
    response = admin_client.post(
        reverse("admin:library_countermeasurelink_add"),
        {
            "problem": problem.pk,
            "countermeasure": other.pk,
            "status": "confirmed",
        },
    )
    assert response.status_code == 200
    assert "同一篇文稿" in response.content.decode()
