"""config.routers: reads to the replica, writes (and what follows them) to the primary."""

from django.test import RequestFactory

from articles.models import Article
from config import routers
from config.pagecache import PageCacheMiddleware


def test_reads_go_to_the_replica_and_writes_to_the_primary():
    router = routers.PrimaryReplicaRouter()
    routers.unpin()
    assert router.db_for_read(Article) == "replica"
    assert router.db_for_write(Article) == "default"
    # After a write, the same request reads what it wrote.
    assert router.db_for_read(Article) == "default"
    routers.unpin()


def test_only_the_primary_is_migrated():
    router = routers.PrimaryReplicaRouter()
    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate("replica", "articles")
    assert router.allow_relation(object(), object())


def test_editors_and_the_admin_read_the_primary(settings):
    router = routers.PrimaryReplicaRouter()
    seen = []
    middleware = PageCacheMiddleware(lambda request: seen.append(router.db_for_read(Article)) or _response())
    factory = RequestFactory()
    middleware(factory.get("/robots.txt"))
    editor = factory.get("/robots.txt")
    editor.COOKIES[settings.SESSION_COOKIE_NAME] = "x"
    middleware(editor)
    middleware(factory.get("/" + settings.ADMIN_URL))
    middleware(factory.get("/robots.txt"))
    assert seen == ["replica", "default", "default", "replica"]


def _response():
    from django.http import HttpResponse

    return HttpResponse("ok", headers={"Cache-Control": "private"})


def test_settings_add_the_replica_from_the_environment(monkeypatch):
    import importlib

    import config.settings as project_settings

    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://reader@replica.example:5432/portal")
    monkeypatch.setenv("DATABASE_URL", "postgres://writer@primary.example:5432/portal")
    try:
        fresh = importlib.reload(project_settings)
        assert fresh.DATABASES["replica"]["HOST"] == "replica.example"
        assert fresh.DATABASES["replica"]["CONN_HEALTH_CHECKS"] is True
        assert fresh.DATABASES["default"]["CONN_MAX_AGE"] == 600
        assert fresh.DATABASE_ROUTERS == ["config.routers.PrimaryReplicaRouter"]
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)


def test_the_task_queue_and_the_tasks_read_the_primary():
    """The worker locks task rows (a replica cannot), and a task follows a change
    that just committed, which a lagging replica may not have yet."""
    from django_tasks.backends.immediate import ImmediateBackend
    from django_tasks.signals import task_started
    from django_tasks_db.models import DBTaskResult

    router = routers.PrimaryReplicaRouter()
    routers.unpin()
    assert router.db_for_read(DBTaskResult) == "default"
    assert router.db_for_read(Article) == "replica"
    task_started.send_robust(sender=ImmediateBackend, task_result=None)  # (the logging receiver wants a real one)
    assert router.db_for_read(Article) == "default"
    routers.unpin()
