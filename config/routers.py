"""Read from a replica, write to the primary (``DATABASE_REPLICA_URL``).

Set when the site grows to one PostgreSQL primary and a streaming read
replica (docs/deploy.md). Reads go to ``replica``, writes, migrations and
relations to ``default`` (the primary). A request that has written (an
editor saving an essay) keeps reading the primary for the rest of that
thread's work, so an editor never reads an essay older than the one just
saved because of replication lag; the pinning is cleared per request by
``config.pagecache.PageCacheMiddleware``.
"""

import threading

_state = threading.local()


# Read from the primary always: the task queue (the worker locks its rows).
PRIMARY_ONLY_APPS = frozenset({"django_tasks_database"})


def pin_to_primary():
    _state.pinned = True


def unpin():
    _state.pinned = False


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if getattr(_state, "pinned", False) or model._meta.app_label in PRIMARY_ONLY_APPS:
            return "default"
        return "replica"

    def db_for_write(self, model, **hints):
        pin_to_primary()
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data: objects from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
