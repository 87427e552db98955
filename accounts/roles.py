"""The four roles of 三审三校 and what each may do: the one place that says so.

撰稿人 write and submit their own drafts; 编辑 edit any essay, submit it and
curate the 问题库与对策库; 审核人 approve or send back (初审、复审、终审);
管理员 may do everything but what only superusers do (``SUPERUSER_ONLY``),
users included (``accounts.admin``).

Roles are Django groups, and ``articles.editing.workflow`` checks permissions, never
group names. After every ``migrate`` (and ``flush``) :func:`apply_roles`
*sets* each group's permissions to what is declared here, so the code stays
the truth: a permission ticked by hand on a role group is undone by the next
deploy, and a model added later — in an app of its own or not — reaches
管理员 without anyone touching a migration. Migration ``articles.0021_roles``
created the groups first and stays as history; what it granted is replaced
here after every migrate.
"""

from pathlib import Path

from django.apps import apps as global_apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

AUTHOR, EDITOR, REVIEWER, ADMINISTRATOR = "撰稿人", "编辑", "审核人", "管理员"
ROLES = (AUTHOR, EDITOR, REVIEWER, ADMINISTRATOR)


def _perms(app_label, model, *actions):
    return {f"{app_label}.{action}_{model}" for action in actions}


_WRITING = {
    *_perms("articles", "article", "add", "change", "view", "delete"),
    "articles.submit_article",
    *_perms("articles", "section", "add", "change", "view", "delete"),
    "articles.view_articletransition",
    "topics.view_topic",
}

# The roles other than 管理员, permission by permission ("app_label.codename").
DECLARED = {
    AUTHOR: frozenset(_WRITING),
    EDITOR: frozenset(
        {
            *_WRITING,
            "articles.edit_any_article",
            *_perms("topics", "topic", "add", "change", "delete"),
            *_perms("articles", "proofreadingrule", "view", "add", "change"),
            # The spinner detector's 常见提法: editors extend the lexicon.
            *_perms("articles", "formulation", "view", "add", "change"),
            # Curating the library: rename, merge and split themes, move items,
            # confirm, reject or add countermeasure links. Nothing is deleted there.
            *_perms("library", "theme", "view", "change"),
            *_perms("library", "libraryitem", "view", "change"),
            *_perms("library", "countermeasurelink", "view", "change", "add"),
            # The library's 概念词: editors add concepts and wordings, or switch them off.
            *_perms("library", "concept", "view", "add", "change"),
        }
    ),
    REVIEWER: frozenset(
        {
            "articles.view_article",
            "articles.review_article",
            "articles.view_section",
            "articles.view_articletransition",
            "topics.view_topic",
            "articles.view_proofreadingrule",
            "articles.view_formulation",
        }
    ),
}

# 管理员 holds every permission of these apps and of the project's own apps …
ADMINISTRATOR_APPS = frozenset({"auth"})
# … and may read what the background tasks did (django-tasks' results in the
# admin: a regroup or a re-index that failed shows there); only the task
# worker writes them.
ADMINISTRATOR_EXTRA = frozenset({"django_tasks_database.view_dbtaskresult"})
# … except what only superusers should do.
SUPERUSER_ONLY = frozenset(
    {
        # What a permission means, and what each role holds (declared here, not in the admin).
        *_perms("auth", "permission", "add", "change", "delete"),
        *_perms("auth", "group", "add", "change", "delete"),
        # The 流转记录 is written by the workflow only: nobody rewrites it.
        *_perms("articles", "articletransition", "add", "change", "delete"),
    }
)


def is_project_app(app_config):
    """An app of this project (a top-level folder next to ``manage.py``), not Django's or a library's."""
    return Path(app_config.path).resolve().parent == Path(settings.BASE_DIR).resolve()


def project_app_labels(apps=global_apps):
    return {app_config.label for app_config in apps.get_app_configs() if is_project_app(app_config)}


def permissions_of(role, available, project_apps=None):
    """The permissions ``role`` holds, out of the ``available`` ones ("app_label.codename").

    管理员's follow from the apps (every permission of ``project_apps`` and
    ``ADMINISTRATOR_APPS`` but ``SUPERUSER_ONLY``), so a new model is
    covered; the other roles' are listed in ``DECLARED``.
    """
    if role == ADMINISTRATOR:
        project_apps = project_app_labels() if project_apps is None else project_apps
        apps = ADMINISTRATOR_APPS | set(project_apps)
        held = {name for name in available if name.split(".", 1)[0] in apps and name not in SUPERUSER_ONLY}
        return held | (ADMINISTRATOR_EXTRA & set(available))
    return DECLARED[role] & set(available)


def apply_roles(using=DEFAULT_DB_ALIAS, apps=global_apps):
    """Create the role groups if needed and set each one's permissions to the declared ones.

    Idempotent: running it again changes nothing. A declared permission that
    does not exist (yet: a partial migrate) is left out until the next run.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    rows = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    project_apps = project_app_labels()
    for role in ROLES:
        group, _ = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set(sorted(rows[name] for name in permissions_of(role, rows, project_apps)))


# --- who may manage whose account -------------------------------------------------
# Holding auth.change_user is not enough to hand out power: a user who is not a
# superuser gives people only the role groups whose every permission they hold
# themselves, never individual permissions nor superuser status, and cannot
# change (password, groups, active flag …) or delete an account that holds more
# than they do — a superuser's above all: that would be a takeover.

# User fields only superusers change (read-only for everyone else).
SUPERUSER_ONLY_ACCOUNT_FIELDS = ("is_superuser", "user_permissions")


def held_permission_ids(user):
    """The ids of the permissions ``user`` holds through their groups and in their own
    right, whether the account is active or not (an inactive account can be switched on)."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    return set(Permission.objects.filter(Q(user=user) | Q(group__user=user)).values_list("pk", flat=True))


def may_manage_account(actor, account):
    """Whether ``actor`` may change or delete ``account``."""
    if actor.is_superuser:
        return True
    if account.is_superuser:
        return False
    return account.pk == actor.pk or held_permission_ids(account) <= held_permission_ids(actor)


def grantable_groups(actor, groups):
    """The ``groups`` (a queryset) ``actor`` may put people in: those holding no permission ``actor`` lacks."""
    if actor.is_superuser:
        return groups
    from django.contrib.auth.models import Permission

    lacking = Permission.objects.exclude(pk__in=held_permission_ids(actor))
    return groups.exclude(permissions__in=lacking)
