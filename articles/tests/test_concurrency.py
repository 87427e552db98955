"""Two writes of one essay at the same moment, on PostgreSQL: each gets its own version,
and a status change is made once.

These need real concurrency (two connections, row locks), so they are skipped on
SQLite, where the test database is one connection shared by every thread.
"""

import threading

import pytest
from django.db import connection, connections, transaction

from articles.editing import workflow
from articles.models import Article, ArticleTransition
from articles.tests.factories import make_draft

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor == "sqlite":
        pytest.skip("needs two real database connections and row locks (PostgreSQL); SQLite tests share one")


def at_once(*jobs):
    """Run each job in its own thread and connection, all released together; return their results."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [None] * len(jobs), []

    def run(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def test_two_saves_from_the_same_copy_get_two_versions():
    essay = make_draft(title="原来的标题")
    start = essay.version
    copies = [Article.objects.get(pk=essay.pk), Article.objects.get(pk=essay.pk)]

    def save(copy, title):
        def job():
            with transaction.atomic():
                copy.title = title
                copy.save()
            return copy.version

        return job

    versions = at_once(save(copies[0], "张三改的标题"), save(copies[1], "李四改的标题"))
    assert sorted(versions) == [start + 1, start + 2]
    essay.refresh_from_db()
    assert essay.version == start + 2


def test_two_publish_clicks_at_once_publish_once():
    essay = make_draft(title="待发布的文稿")
    start = essay.version
    copies = [Article.objects.get(pk=essay.pk), Article.objects.get(pk=essay.pk)]

    def publish(copy):
        return lambda: workflow.publish(copy, None, confirm_secrecy=True).version

    versions = at_once(publish(copies[0]), publish(copies[1]))
    assert sorted(versions) == [start + 1, start + 2]
    steps = ArticleTransition.objects.filter(article=essay, action=ArticleTransition.Action.PUBLISH)
    assert steps.count() == 1  # the second click found the essay already published
    essay.refresh_from_db()
    assert essay.status == Article.Status.PUBLISHED and essay.version == start + 2


def test_publish_and_unpublish_at_once_end_in_a_consistent_history():
    """Whatever the order, the recorded steps chain: each starts from the status the previous one left."""
    essay = make_draft(title="同时发布又撤回")
    copies = [Article.objects.get(pk=essay.pk), Article.objects.get(pk=essay.pk)]
    workflow.publish(
        Article.objects.get(pk=essay.pk), None, confirm_secrecy=True
    )  # published; both copies still say draft
    at_once(
        lambda: workflow.unpublish(copies[0], None), lambda: workflow.publish(copies[1], None, confirm_secrecy=True)
    )
    steps = list(ArticleTransition.objects.filter(article=essay).order_by("pk"))
    for earlier, later in zip(steps, steps[1:], strict=False):
        assert later.from_status == earlier.to_status
    essay.refresh_from_db()
    assert essay.status == steps[-1].to_status


def test_two_editors_saving_the_same_version_at_once_one_is_refused_with_the_conflict_message():
    """Optimistic locking under real concurrency: the form's check reads the row under a lock."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from articles.tests.test_admin import article_data, change_url

    essay = make_draft(title="原来的标题")
    opened = str(essay.version)
    clients = []
    for name in ("zhang", "li"):
        client = Client()
        client.force_login(get_user_model().objects.create_superuser(name, password="x"))
        clients.append(client)

    def save(client, title):
        return lambda: client.post(change_url(essay), article_data(title=title, lock_version=opened))

    responses = at_once(save(clients[0], "张的标题"), save(clients[1], "李的标题"))
    assert sorted(response.status_code for response in responses) == [200, 302]
    refused = next(response for response in responses if response.status_code == 200)
    assert "已修改并保存了这篇文稿" in refused.content.decode()
    essay.refresh_from_db()
    assert essay.version == int(opened) + 1
    assert essay.title in ("张的标题", "李的标题")
