"""Signal handlers of the articles app (connected in ``ArticlesConfig.ready``)."""

import sys

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, router


def sync_proofreading_rules(sender, app_config=None, using=DEFAULT_DB_ALIAS, apps=global_apps, verbosity=1, **kwargs):
    """After ``migrate`` (and ``flush``), copy the shipped proofreading rules
    into the database, so a fresh database (test databases included) has
    them. Editors' choices survive: see ``sync_shipped_rules``."""
    try:
        apps.get_model("articles", "ProofreadingRule")
    except LookupError:
        return  # migrated back to before the rules table existed
    from articles.editing.rules import sync_shipped_rules
    from articles.models import ProofreadingRule

    if not router.allow_migrate_model(using, ProofreadingRule):
        return
    report = sync_shipped_rules(using=using)
    if (verbosity >= 1 and report.changed) or verbosity >= 2:
        stdout = kwargs.get("stdout") or sys.stdout
        stdout.write(str(report) + "\n")


def sync_formulations(sender, app_config=None, using=DEFAULT_DB_ALIAS, apps=global_apps, verbosity=1, **kwargs):
    """After ``migrate`` (and ``flush``), copy the shipped formulations (提法) of
    the spinner detector into the database; editors' entries and choices
    survive (see ``sync_shipped_formulations``)."""
    try:
        apps.get_model("articles", "Formulation")
    except LookupError:
        return  # migrated back to before the table existed
    from articles.editing.formulations import sync_shipped_formulations
    from articles.models import Formulation

    if not router.allow_migrate_model(using, Formulation):
        return
    report = sync_shipped_formulations(using=using)
    if (verbosity >= 1 and report.changed) or verbosity >= 2:
        stdout = kwargs.get("stdout") or sys.stdout
        stdout.write(str(report) + "\n")
