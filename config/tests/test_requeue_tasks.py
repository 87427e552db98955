"""manage.py requeue_tasks: tasks a killed worker left RUNNING are queued again and then run."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.tests.factories import make_article

pytestmark = pytest.mark.django_db


def running_task(worker_ids, started_minutes_ago=1):
    return DBTaskResult.objects.create(
        status="RUNNING",
        args_kwargs={"args": [], "kwargs": {"essay_ids": [], "site": True}},
        task_path="articles.events.deliver_changes",
        queue_name="default",
        backend_name="default",
        run_after=timezone.now() - timedelta(minutes=started_minutes_ago),
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago),
        worker_ids=worker_ids,
    )


def requeue(*args):
    out = StringIO()
    call_command("requeue_tasks", *args, stdout=out)
    return out.getvalue()


def test_the_tasks_a_worker_left_running_are_queued_again():
    mine = running_task(["web1", "web2"])  # first claimed by web1, which died; now web2's
    other = running_task(["web2", "web1"])
    output = requeue("--worker", "web1")
    other.refresh_from_db()
    mine.refresh_from_db()
    assert (other.status, mine.status) == ("READY", "RUNNING")
    assert other.started_at is None
    assert "共 1 个任务重新排队" in output


def test_tasks_running_too_long_are_queued_again():
    old, recent = running_task(["web1"], started_minutes_ago=45), running_task(["web1"], started_minutes_ago=5)
    requeue("--older-than", "30")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == ("READY", "RUNNING")


def test_finished_tasks_are_left_alone():
    done = running_task(["web1"])
    DBTaskResult.objects.filter(pk=done.pk).update(status="SUCCESSFUL")
    requeue("--worker", "web1")
    done.refresh_from_db()
    assert done.status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_a_requeued_task_is_run_by_the_next_worker(database_tasks, run_task_worker):
    make_article()
    task = running_task(["dead-worker"])
    run_task_worker()
    task.refresh_from_db()
    assert task.status == "RUNNING"  # no worker takes a task that is running
    requeue("--worker", "dead-worker")
    run_task_worker()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert task.worker_ids[-1] != "dead-worker"


def test_it_needs_a_worker_or_an_age():
    with pytest.raises(CommandError, match="--worker"):
        requeue()
    with pytest.raises(CommandError, match="至少"):
        requeue("--older-than", "0")
