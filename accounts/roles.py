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
CONTENT_ROLES = (AUTHOR, EDITOR, REVIEWER, ADMINISTRATOR)

# 三员分立 (等保 2.0 三级: separation of the three administrators). No account
# holds two of them (``refuse_officer_conflict``, checked on every change of
# an account's groups, whoever makes it); none approves content.
SYSTEM_ADMIN, SECURITY_ADMIN, AUDITOR = "系统管理员", "安全保密管理员", "安全审计员"
OFFICERS = (SYSTEM_ADMIN, SECURITY_ADMIN, AUDITOR)

ROLES = CONTENT_ROLES + OFFICERS


def _perms(app_label, model, *actions):
    return {f"{app_label}.{action}_{model}" for action in actions}


_WRITING = {
    *_perms("articles", "article", "add", "change", "view", "delete"),
    "articles.submit_article",
    *_perms("articles", "section", "add", "change", "view", "delete"),
    "articles.view_articletransition",
    "topics.view_topic",
    # Reviewers' comments on sections: read, and marked resolved on essays the
    # user may edit (articles.editing.comments.can_resolve).
    "articles.view_sectioncomment",
    "articles.resolve_sectioncomment",
}

# The roles other than 管理员, permission by permission ("app_label.codename").
# The 保密审查 lists (敏感词与人名, articles.SensitiveTerm): 管理员 holds them as part of
# the project's apps; the 安全保密管理员 role (issue 22, 三员分立) is to hold exactly these.
SENSITIVE_LIST_PERMISSIONS = frozenset(_perms("articles", "sensitiveterm", "view", "add", "change", "delete"))

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
            # 文稿汇编 (Word/PDF of chosen essays): build and download.
            *_perms("articles", "compilation", "view", "add"),
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
            # Comments on a section or point of an essay in review.
            *_perms("articles", "sectioncomment", "view", "add"),
        }
    ),
    # 系统管理员: accounts (within the account rules below: no role it does not
    # hold itself, so in practice none — roles are the 安全保密管理员's) and the
    # site settings; reads the audit log's non-security entries and the tasks.
    SYSTEM_ADMIN: frozenset(
        {
            *_perms("auth", "user", "add", "change", "view", "delete"),
            *_perms("siteinfo", "sitesettings", "add", "change", "view"),
            "accounts.view_auditentry",
            "django_tasks_database.view_dbtaskresult",
        }
    ),
    # 安全保密管理员: who holds which role (any non-superuser account but their
    # own), the security settings, the sensitive-word and names lists (敏感词与人名),
    # and the whole audit log, to follow up on what they configure.
    SECURITY_ADMIN: frozenset(
        {
            "accounts.assign_roles",
            "auth.view_user",
            "auth.view_group",
            *_perms("accounts", "securitypolicy", "view", "add", "change"),
            "accounts.view_auditentry",
            "accounts.view_security_auditentry",
            *SENSITIVE_LIST_PERMISSIONS,
        }
    ),
    # 安全审计员: reads and exports the audit log, every entry; nothing else.
    AUDITOR: frozenset(
        {
            "accounts.view_auditentry",
            "accounts.view_security_auditentry",
            "accounts.export_auditentry",
        }
    ),
}

# The three officers' own powers: 管理员, whose permissions follow from the
# apps, does not get these (it stays a content role).
OFFICERS_ONLY = frozenset(
    {
        "accounts.assign_roles",
        "accounts.view_security_auditentry",
        "accounts.export_auditentry",
        *_perms("accounts", "securitypolicy", "add", "change", "delete"),
    }
)

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
        # Nobody edits or removes a reviewer's comment, however high their role.
        *_perms("articles", "sectioncomment", "change", "delete"),
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
        refused = SUPERUSER_ONLY | OFFICERS_ONLY
        held = {name for name in available if name.split(".", 1)[0] in apps and name not in refused}
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


def may_assign_roles(actor, account=None):
    """Whether ``actor`` may change the groups of ``account`` as the 安全保密管理员 does
    (``accounts.assign_roles``): any account but a superuser's and their own."""
    if not actor.has_perm("accounts.assign_roles"):
        return False
    return account is None or (not account.is_superuser and account.pk != actor.pk)


def grantable_groups(actor, groups):
    """The ``groups`` (a queryset) ``actor`` may put people in: those holding no permission
    ``actor`` lacks — or any, for a superuser and for the 安全保密管理员."""
    if actor.is_superuser or actor.has_perm("accounts.assign_roles"):
        return groups
    from django.contrib.auth.models import Permission

    lacking = Permission.objects.exclude(pk__in=held_permission_ids(actor))
    return groups.exclude(permissions__in=lacking)


# --- 三员分立: no account holds two of the three officers' roles ---------------------

OFFICER_CONFLICT = "三员分立：同一账号不能兼任系统管理员、安全保密管理员、安全审计员中的两个角色。"


def officer_roles_among(group_names):
    return sorted(set(group_names) & set(OFFICERS))


def officer_conflict(group_names):
    """The message refusing ``group_names`` (an account's groups after a change), or None."""
    held = officer_roles_among(group_names)
    if len(held) > 1:
        return f"{OFFICER_CONFLICT}（所选：{'、'.join(held)}）"
    return None


def refuse_officer_conflict(instance, model, pk_set, *, reverse):
    """Raise ValidationError when adding groups would give an account two officers' roles.

    Called on ``m2m_changed`` (``pre_add``) of ``User.groups`` in either
    direction: ``user.groups.add(group)`` and ``group.user_set.add(user)``, so
    neither the shell nor a bulk action goes around the admin form's check.
    """
    from django.contrib.auth.models import Group
    from django.core.exceptions import ValidationError

    if not pk_set:
        return
    if not reverse:
        added = set(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
        if not added & set(OFFICERS):
            return
        message = officer_conflict(added | set(instance.groups.values_list("name", flat=True)))
        if message:
            raise ValidationError(message, code="officer_conflict")
        return
    if instance.name not in OFFICERS:
        return
    for user in model._default_manager.filter(pk__in=pk_set):
        message = officer_conflict({instance.name, *user.groups.values_list("name", flat=True)})
        if message:
            raise ValidationError(message, code="officer_conflict")
