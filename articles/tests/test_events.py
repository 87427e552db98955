"""What follows a change of essays (articles/events.py): one batch, one task, and
nothing lost or half done when a process dies, a transaction rolls back or the
follow-up work fails."""

import logging
import threading
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import OperationalError, connection, connections, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles import events
from articles.models import Article
from articles.search.models import SearchDocument
from articles.tests.test_admin import article_data, change_url, management, section_data
from config import pagecache
from library import tasks as library_tasks
from library.models import LibraryItem
from library.tests.factories import ATTITUDE, STUDY, make_essay

DELIVER = events.deliver_changes.module_path
REGROUP = library_tasks.regroup_library.module_path


def task_rows(path):
    return DBTaskResult.objects.filter(task_path=path)


# ---------------------------------------------------------------- durability


@pytest.mark.django_db(transaction=True)
def test_a_web_worker_killed_after_the_commit_loses_no_follow_up_work(database_tasks, run_task_worker):
    epoch = pagecache.read_epoch()
    # The web worker commits the essay and dies at once: no on-commit callback
    # of its process ever runs.
    with mock.patch.object(transaction, "on_commit", lambda *args, **kwargs: None):
        with transaction.atomic(), events.changes():
            essay = make_essay(problems=ATTITUDE, countermeasures=STUDY, title="网格化管理的实践")
    # What it committed: the essay, the page cache's epoch and one task, waiting.
    assert pagecache.read_epoch() == epoch + 1
    waiting = task_rows(DELIVER).get()
    assert waiting.status == TaskResultStatus.READY
    assert waiting.args_kwargs["kwargs"] == {"essay_ids": [essay.pk], "site": False}
    assert not SearchDocument.objects.filter(article=essay).exists()
    assert not LibraryItem.objects.exists()

    run_task_worker()  # the task worker, whenever it runs next
    assert task_rows(DELIVER).get().status == TaskResultStatus.SUCCESSFUL
    assert SearchDocument.objects.filter(article=essay).exists()
    # The regroup waits a moment (more changes may come), then runs as a task of its own.
    assert task_rows(REGROUP).get().status == TaskResultStatus.READY
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        run_task_worker()
    assert task_rows(REGROUP).get().status == TaskResultStatus.SUCCESSFUL
    assert LibraryItem.objects.filter(article=essay).count() == len(ATTITUDE) + len(STUDY)


@pytest.mark.django_db(transaction=True)
def test_a_database_error_in_the_follow_up_work_still_answers_the_editor_with_success(admin_client, caplog):
    essay = make_essay(problems=ATTITUDE, title="原来的标题")
    # Withdrawn first: a live essay's text changes only through a working copy, and
    # this save, publishing it again with a new title, is the editor's save here.
    Article.objects.filter(pk=essay.pk).update(status=Article.Status.DRAFT)
    sections = list(essay.sections.order_by("position"))
    data = article_data(title="改过的标题", status="published", **management(len(sections), len(sections)))
    data["published_at_0"], data["published_at_1"] = (
        timezone.localtime(essay.published_at).strftime("%Y-%m-%d %H:%M:%S").split()
    )
    for index, section in enumerate(sections):
        data.update(
            section_data(
                index,
                pk=section.pk,
                heading=section.heading,
                level=section.level,
                position=section.position,
                body=section.body,
                kind=section.kind,
            )
        )
    hiccup = OperationalError("server closed the connection unexpectedly")
    with (
        caplog.at_level(logging.ERROR),
        mock.patch("articles.search.indexing.index_article", side_effect=hiccup),
        mock.patch("library.regrouping.regroup", side_effect=hiccup),
    ):
        response = admin_client.post(change_url(essay), data)
    assert response.status_code == 302
    essay.refresh_from_db()
    assert essay.title == "改过的标题"
    failures = [record for record in caplog.records if record.levelno >= logging.ERROR]
    logged = "\n".join(record.getMessage() for record in failures)
    assert "articles.search.updates.essays_changed" in logged
    assert any(record.exc_info and record.exc_info[0] is OperationalError for record in failures)


@pytest.mark.django_db
def test_a_rolled_back_transaction_enqueues_nothing_and_leaves_the_epoch(database_tasks):
    essay = make_essay(problems=ATTITUDE)
    DBTaskResult.objects.all().delete()
    epoch = pagecache.read_epoch()
    with pytest.raises(RuntimeError), transaction.atomic(), events.changes():
        essay.title = "回滚的标题"
        essay.save()
        raise RuntimeError("the editor's save fails")
    with pytest.raises(RuntimeError), transaction.atomic():
        with events.changes():
            essay.title = "也回滚的标题"
            essay.save()
        raise RuntimeError("after the batch, before the commit")
    assert not DBTaskResult.objects.exists()
    assert pagecache.read_epoch() == epoch
    # Nothing of the rolled-back batches stays behind for the next one.
    other = make_essay(problems=STUDY)
    assert {tuple(row.args_kwargs["kwargs"]["essay_ids"]) for row in task_rows(DELIVER)} == {(other.pk,)}
    DBTaskResult.objects.all().delete()
    with transaction.atomic(), events.changes():
        other.title = "提交的标题"
        other.save()
    assert [row.args_kwargs["kwargs"]["essay_ids"] for row in task_rows(DELIVER)] == [[other.pk]]


@pytest.mark.django_db
def test_one_admin_save_of_an_essay_and_its_sections_enqueues_one_task(admin_client, database_tasks):
    data = article_data(title="一次保存", status="published", **management(4))
    data.update(section_data(0, heading="存在的问题", position=0, kind="problems"))
    for index in range(1, 4):
        data.update(section_data(index, heading=ATTITUDE[index - 1], position=index, level=2, kind="problems"))
    epoch = pagecache.read_epoch()
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    essay = Article.objects.get(title="一次保存")
    assert essay.sections.count() == 4
    rows = list(task_rows(DELIVER))
    assert len(rows) == 1
    assert rows[0].args_kwargs["kwargs"] == {"essay_ids": [essay.pk], "site": False}
    assert pagecache.read_epoch() == epoch + 1  # and one new page-cache epoch


@pytest.mark.django_db(transaction=True)
def test_the_epoch_advances_inside_the_transaction_of_the_change(no_task_worker):
    # (No task runs: a regroup after the commit would advance the epoch once more.)
    if connection.vendor != "postgresql":
        pytest.skip("the shared in-memory SQLite test database cannot show another connection's view")
    essay = make_essay(problems=ATTITUDE)
    before = pagecache.read_epoch()
    seen = {}

    def read_from_another_connection(key):
        try:
            seen[key] = pagecache.read_epoch()
        finally:
            connections.close_all()

    with transaction.atomic():
        with events.changes():
            essay.title = "改过的标题"
            essay.save()
        assert pagecache.read_epoch() == before + 1  # this transaction sees it
        thread = threading.Thread(target=read_from_another_connection, args=("during",))
        thread.start()
        thread.join()
    thread = threading.Thread(target=read_from_another_connection, args=("after",))
    thread.start()
    thread.join()
    assert seen == {"during": before, "after": before + 1}


# ---------------------------------------------------------------- the library


@pytest.mark.django_db(transaction=True)
def test_publishing_regroups_the_library_through_a_task_seen_in_the_admin(
    admin_client,
    database_tasks,
    run_task_worker,
):
    essay = make_essay(problems=ATTITUDE, status=Article.Status.DRAFT, published_at=None)
    run_task_worker()
    assert not task_rows(REGROUP).exists()  # a draft does not concern the library
    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "publish_selected",
            "_selected_action": [essay.pk],
            "confirm_political": "on",
            "post": "yes",
            "confirm_secrecy": "on",
        },
    )
    assert response.status_code in (200, 302)
    essay.refresh_from_db()
    assert essay.status == Article.Status.PUBLISHED
    assert not LibraryItem.objects.exists()
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        run_task_worker()  # delivers the change, which queues the regroup: not due yet
        assert task_rows(REGROUP).get().status == TaskResultStatus.READY
    with time_machine.travel(timezone.now() + timedelta(seconds=10), tick=False):
        run_task_worker()
    result = task_rows(REGROUP).get()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value  # the regroup's report
    assert LibraryItem.objects.filter(article=essay).count() == len(ATTITUDE)
    # Task results are listed in the admin (read only) for those allowed to see them.
    changelist = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    page = admin_client.get(changelist)
    assert page.status_code == 200
    assert "regroup_library" in page.content.decode()


@pytest.mark.django_db
def test_task_results_are_shown_to_staff_with_the_permission_only(client):
    from django.contrib.auth.models import Group

    from accounts.roles import EDITOR

    changelist = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    editor = get_user_model().objects.create_user("editor", password="x-very-long-password", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(editor)
    assert client.get(changelist).status_code == 403
    editor.user_permissions.add(Permission.objects.get(codename="view_dbtaskresult"))
    assert client.get(changelist).status_code == 200


@pytest.mark.django_db
def test_a_change_outside_any_batch_is_acted_on_at_once(database_tasks):
    essay = make_essay(problems=ATTITUDE)
    DBTaskResult.objects.all().delete()
    essay.title = "在命令行里改的标题"
    essay.save()  # the shell, a management command: no batch
    assert [row.args_kwargs["kwargs"] for row in task_rows(DELIVER)] == [{"essay_ids": [essay.pk], "site": False}]


@pytest.mark.django_db
def test_a_topic_renamed_is_a_site_change_with_the_essays_of_the_topic(database_tasks):
    from articles.tests.factories import make_topic

    topic = make_topic("廉政教育")
    essay = make_essay(problems=ATTITUDE)
    essay.topics.add(topic)
    DBTaskResult.objects.all().delete()
    topic.name = "纪律教育"
    topic.save()
    assert [row.args_kwargs["kwargs"] for row in task_rows(DELIVER)] == [{"essay_ids": [essay.pk], "site": True}]
