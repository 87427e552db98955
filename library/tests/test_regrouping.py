"""Items from published essays, regrouping, editors' choices surviving it, and the signals."""

import pytest
from django.db import transaction

from articles.models import Article, Section
from articles.tests.factories import make_draft, make_section
from library import services
from library.models import CountermeasureLink, Library, LibraryItem, Theme
from library.regrouping import regroup
from library.tests.factories import ATTITUDE, ORGANIZATION, STUDY, make_essay

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_signals(no_task_worker):
    # These tests call regroup() themselves; the tests of what follows a change
    # run the tasks (tasks_run_at_once, or the database backend and its worker).
    pass


def corpus():
    essays = [
        make_essay(problems=[ATTITUDE[i], ORGANIZATION[i]], countermeasures=STUDY, author_org=f"单位{i}")
        for i in range(3)
    ]
    regroup()
    return essays


def theme_of(heading):
    return LibraryItem.objects.filter(heading=heading).first().theme


def test_points_become_items_with_a_permalink_to_the_point():
    [essay, *_] = corpus()
    item = LibraryItem.objects.get(heading=ATTITUDE[0])
    assert item.kind == "problems" and item.ordinal == 0
    assert item.get_absolute_url() == f"/library/items/{item.section_id}-0/"
    assert item.essay_url() == f"{essay.get_absolute_url()}#section-{item.section_id}"


def test_yi_shi_er_shi_parts_become_items_of_their_own():
    make_essay(problems=[("组织建设有短板", "一是组织覆盖不够全面；二是书记队伍结构有待优化；三是后备力量不足。")])
    regroup()
    items = list(LibraryItem.objects.order_by("ordinal"))
    assert [item.ordinal for item in items] == [1, 2, 3]
    assert items[0].heading == "组织覆盖不够全面"


def test_similar_problems_across_essays_form_one_theme_with_counts():
    corpus()
    theme = theme_of(ATTITUDE[0])
    assert {theme_of(text).pk for text in ATTITUDE} == {theme.pk}
    assert theme_of(ORGANIZATION[0]).pk != theme.pk
    assert theme.library == Library.PROBLEMS
    assert (theme.item_count, theme.essay_count, theme.unit_count) == (3, 3, 3)
    assert theme.central_item.theme_id == theme.pk
    assert theme.words


def test_drafts_and_essays_without_library_sections_have_no_items():
    make_draft(sections=2, points=2)
    essay = make_essay(problems=["只有一个问题"])
    essay_without = make_essay()
    make_section(essay_without, "重要意义", kind=Section.Kind.SIGNIFICANCE)
    regroup()
    assert list(LibraryItem.objects.values_list("article_id", flat=True)) == [essay.pk]
    assert Theme.objects.get().item_count == 1


def test_unpublishing_removes_the_items_and_empty_themes():
    essays = corpus()
    for essay in essays:
        essay.status = Article.Status.ARCHIVED
        essay.save()
    regroup()
    assert not LibraryItem.objects.exists()
    assert not Theme.objects.exists()


def test_theme_ids_are_stable_across_regroups():
    corpus()
    before = theme_of(ATTITUDE[0]).pk
    make_essay(problems=["对党建重要性认识不足，重业务轻党建的思想仍然存在"])
    regroup()
    assert theme_of(ATTITUDE[0]).pk == before
    assert theme_of("对党建重要性认识不足，重业务轻党建的思想仍然存在").pk == before


def test_item_ids_survive_regrouping():
    corpus()
    ids = set(LibraryItem.objects.values_list("pk", flat=True))
    regroup()
    assert set(LibraryItem.objects.values_list("pk", flat=True)) == ids


def test_a_rename_survives_regrouping():
    corpus()
    services.rename_theme(theme_of(ATTITUDE[0]), "对党建工作重要性认识不足")
    regroup()
    theme = theme_of(ATTITUDE[0])
    assert theme.label == "对党建工作重要性认识不足" and theme.pinned
    assert theme.item_count == 3


def test_a_merge_survives_regrouping():
    corpus()
    merged = services.merge_themes([theme_of(ATTITUDE[0]), theme_of(ORGANIZATION[0])], "思想和组织生活")
    regroup()
    assert {theme_of(text).pk for text in ATTITUDE + ORGANIZATION} == {merged.pk}
    assert Theme.objects.get(pk=merged.pk).item_count == 6


def test_a_split_survives_regrouping():
    corpus()
    source = theme_of(ATTITUDE[0])
    new = services.split_theme([LibraryItem.objects.get(heading=ATTITUDE[2])], "思想倾向")
    regroup()
    assert theme_of(ATTITUDE[2]).pk == new.pk
    assert theme_of(ATTITUDE[0]).pk == source.pk
    assert Theme.objects.get(pk=new.pk).label == "思想倾向"


def test_a_moved_item_stays_where_the_editor_put_it():
    corpus()
    target = theme_of(ORGANIZATION[0])
    services.move_item(LibraryItem.objects.get(heading=ATTITUDE[1]), target)
    regroup()
    assert theme_of(ATTITUDE[1]).pk == target.pk
    assert theme_of(ATTITUDE[0]).pk != target.pk


def test_services_refuse_what_cannot_be_done():
    corpus()
    problem_theme = theme_of(ATTITUDE[0])
    countermeasure_theme = theme_of(STUDY[0])
    with pytest.raises(services.LibraryError):
        services.merge_themes([problem_theme])
    with pytest.raises(services.LibraryError):
        services.merge_themes([problem_theme, countermeasure_theme])
    with pytest.raises(services.LibraryError):
        services.move_item(LibraryItem.objects.get(heading=ATTITUDE[0]), countermeasure_theme)
    with pytest.raises(services.LibraryError):
        services.rename_theme(problem_theme, "   ")
    with pytest.raises(services.LibraryError):
        services.split_theme([])


def test_links_are_suggested_within_an_essay_and_decisions_survive():
    [essay, *_] = corpus()
    link = CountermeasureLink.objects.get(countermeasure__article=essay, countermeasure__heading=STUDY[1])
    assert link.problem.heading == ORGANIZATION[0]
    assert link.status == CountermeasureLink.Status.SUGGESTED
    assert all(link.problem.article_id == link.countermeasure.article_id for link in CountermeasureLink.objects.all())
    services.decide_links([link], CountermeasureLink.Status.REJECTED)
    regroup()
    assert CountermeasureLink.objects.get(pk=link.pk).status == CountermeasureLink.Status.REJECTED
    assert CountermeasureLink.objects.filter(problem=link.problem, countermeasure=link.countermeasure).count() == 1


def test_the_command_regroups_with_a_report(capsys):
    from django.core.management import call_command

    make_essay(problems=ATTITUDE)
    call_command("regroup_items", "--no-progress")
    assert "重新归类完成" in capsys.readouterr().out
    assert LibraryItem.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_publishing_regroups_after_commit(tasks_run_at_once):
    essay = make_essay(problems=ATTITUDE, status=Article.Status.DRAFT, published_at=None)
    assert not LibraryItem.objects.exists()  # a draft is not in the library
    with transaction.atomic():
        essay.status = Article.Status.PUBLISHED
        essay.published_at = essay.created_at
        essay.save()
        assert not LibraryItem.objects.exists()  # not before the commit
    assert LibraryItem.objects.filter(article=essay).count() == 3


@pytest.mark.django_db(transaction=True)
def test_editing_a_draft_never_regroups(tasks_run_at_once, monkeypatch):
    calls = []
    monkeypatch.setattr("library.regrouping.regroup", lambda *a, **k: calls.append(1))
    draft = make_draft()
    draft.title = "改过的标题"
    draft.save()
    assert calls == []
    make_essay(problems=["一个问题"])
    assert calls


@pytest.mark.django_db(transaction=True)
def test_changes_in_a_row_queue_one_regroup(database_tasks):
    """Publishing several essays one after the other: the first change queues a regroup a
    little later, the others find it waiting (it will see them all)."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from articles.events import deliver_changes
    from library import tasks

    essays = [make_essay(problems=[ATTITUDE[i]]) for i in range(3)]
    for essay in essays:
        deliver_changes.call(essay_ids=[essay.pk])  # what the worker runs after each change
    waiting = DBTaskResult.objects.filter(task_path=tasks.regroup_library.module_path)
    assert waiting.count() == 1
    assert waiting.get().status == TaskResultStatus.READY
    assert waiting.get().queue_name == "library"
    assert not DBTaskResult.objects.ready().filter(task_path=tasks.regroup_library.module_path).exists()  # not yet due


@pytest.mark.django_db(transaction=True)
def test_regroups_wait_for_each_other_on_a_database_lock():
    """A second regroup cannot start while one holds the RegroupState row: it waits for
    the commit (PostgreSQL's row lock; SQLite's write lock). The lock dies with its connection."""
    import threading

    from django.db import connection, connections

    from library.models import RegroupState

    if connection.vendor == "sqlite":
        pytest.skip("an in-memory SQLite test database is one connection: nothing to wait for")
    make_essay(problems=ATTITUDE)
    regroup()  # makes the row
    order = []
    holding = threading.Event()

    def first():
        try:
            with transaction.atomic():
                RegroupState.objects.filter(pk=RegroupState.ROW).update(started_at=None)  # as regroup() does
                holding.set()
                order.append("first holds the lock")
                import time

                time.sleep(0.5)
                order.append("first commits")
        finally:
            connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    holding.wait(5)
    regroup()
    order.append("second regrouped")
    thread.join()
    assert order == ["first holds the lock", "first commits", "second regrouped"]
