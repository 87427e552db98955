"""The page cache's one table: a counter of changes to what the public sees.

The page cache (``config.pagecache``) keeps its generation in the cache
itself, which is fast but can miss an invalidation (Redis hung, refusing or
restarting at that moment). This counter is the database's record of the
same events: advanced after every change that starts a new generation, and
read by each worker at most every ``PAGE_CACHE_VERIFY_SECONDS`` and after any
cache failure. A generation older than the counter is not trusted, so a
withdrawal the cache never heard of still takes effect.
"""

from django.db import models


class PublicationEpoch(models.Model):
    """One row (id 1): how many times public pages have changed."""

    ROW = 1

    value = models.BigIntegerField("变更次数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "公开页面变更计数"

    def __str__(self):
        return str(self.value)
