"""Receivers that ask for a regroup when an essay or its sections change.

The receivers run no query: they queue one on-commit callback per
transaction (``library.tasks``), which checks after the commit whether the
essays concern the library at all (published, or with items) before
regrouping.
"""

from django.db.models.signals import post_delete, post_save

from articles.models import Article, Section
from library.tasks import request_regroup


def _article_changed(sender, instance, raw=False, using="default", **kwargs):
    # Publishing, unpublishing, archiving, moving to the bin: all are saves.
    if not raw:
        request_regroup(instance.pk, using)


def _section_changed(sender, instance, raw=False, using="default", **kwargs):
    if not raw:
        request_regroup(instance.article_id, using)


def connect_signals():
    post_save.connect(_article_changed, sender=Article, dispatch_uid="library.article_saved")
    post_delete.connect(_article_changed, sender=Article, dispatch_uid="library.article_deleted")
    post_save.connect(_section_changed, sender=Section, dispatch_uid="library.section_saved")
    post_delete.connect(_section_changed, sender=Section, dispatch_uid="library.section_deleted")
