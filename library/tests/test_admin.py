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


def test_the_essays_admin_page_lists_its_links_and_confirms_or_rejects_them(admin_client):
    link = CountermeasureLink.objects.filter(status=CountermeasureLink.Status.SUGGESTED).first()
    essay = link.countermeasure.article
    page_url = reverse("admin:articles_article_change", args=[essay.pk])
    page = admin_client.get(page_url).content.decode()
    assert "问题与对策关联" in page and link.countermeasure.heading in page
    assert f'value="{link.pk}:confirmed"' in page and 'id="library-links-form"' in page
    assert f"?essay={essay.pk}" in page
    decide = reverse("admin:library_countermeasurelink_decide")
    response = admin_client.post(decide, {"decision": f"{link.pk}:confirmed", "next": page_url})
    assert response.status_code == 302 and response["Location"] == page_url
    link.refresh_from_db()
    assert link.status == CountermeasureLink.Status.CONFIRMED
    admin_client.post(decide, {"decision": f"{link.pk}:rejected", "next": "https://evil.example/"})
    link.refresh_from_db()
    assert link.status == CountermeasureLink.Status.REJECTED
    # The essay's filter in the library admin lists only its links.
    listed = admin_client.get(reverse("admin:library_countermeasurelink_changelist"), {"essay": essay.pk})
    assert listed.status_code == 200 and link.countermeasure.heading in listed.content.decode()


@pytest.mark.parametrize(
    "decision", ["", "x:confirmed", "999999:confirmed", "1:suggested", "1:<script>", "9" * 40 + ":rejected"]
)
def test_a_bad_decision_is_a_400_with_a_chinese_message(admin_client, decision):
    response = admin_client.post(reverse("admin:library_countermeasurelink_decide"), {"decision": decision})
    assert response.status_code == 400
    assert "无效的操作" in response.content.decode()


def test_deciding_needs_a_post(admin_client):
    assert admin_client.get(reverse("admin:library_countermeasurelink_decide")).status_code == 405


@pytest.mark.parametrize("value", ["abc", "-1", "9" * 40])
def test_a_bad_essay_filter_lists_nothing_rather_than_failing(admin_client, value):
    response = admin_client.get(reverse("admin:library_countermeasurelink_changelist"), {"essay": value})
    assert response.status_code == 200
