"""Put back in the queue the tasks a killed task worker left "running".

A worker killed while it runs a task (SIGKILL, out of memory, a host losing
power) leaves that task RUNNING for ever: django-tasks-db has no reaper, so
the follow-up work of a committed change (search index, stored pages,
问题库 regrouping, ``articles.events``) would never be done. Every task of
this project may run again safely (``deliver_changes`` sends its events again;
a regroup takes the library's lock), so such a task is made READY again and a
worker takes it up.

    manage.py requeue_tasks --worker portal-web1   # what that worker was running when it stopped
    manage.py requeue_tasks --older-than 30        # anything running for more than 30 minutes

``deploy/systemd/portal-worker.service`` runs the first form before the worker
starts, with the worker's own id: whatever that id still holds as running
was left by its previous life.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = "把被终止的后台任务进程遗留的“运行中”任务重新放回队列。"

    def add_arguments(self, parser):
        parser.add_argument("--worker", help="the id of a worker that is not running (db_worker --worker-id)")
        parser.add_argument("--older-than", type=int, metavar="MINUTES", help="tasks running longer than this")

    def handle(self, *args, worker=None, older_than=None, **options):
        if not worker and older_than is None:
            raise CommandError("请给出 --worker 或 --older-than。")
        if older_than is not None and older_than < 1:
            raise CommandError("--older-than 至少为 1 分钟。")
        with transaction.atomic():
            running = DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING)
            if older_than is not None:
                running = running.filter(started_at__lt=timezone.now() - timedelta(minutes=older_than))
            # The worker that last claimed a task is the last of its worker_ids.
            left = [task for task in running if not worker or (task.worker_ids and task.worker_ids[-1] == worker)]
            for task in left:
                task.status = TaskResultStatus.READY
                task.started_at = None
                task.save(update_fields=["status", "started_at"])
        for task in left:
            self.stdout.write(f"重新排队：{task.task_path} {task.id}（{', '.join(task.worker_ids)}）")
        self.stdout.write(f"共 {len(left)} 个任务重新排队。")
