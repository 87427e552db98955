"""Signal handlers of the accounts app (connected in ``AccountsConfig.ready``): the role
groups' permissions after ``migrate``, the audit log's entries for authentication and for
changes of accounts, groups, permissions and settings, and the 三员分立 check on group
membership (``accounts.roles.refuse_officer_conflict``) at the m2m level, where neither
the shell nor a bulk action can go around it."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS, router

from accounts import audit
from accounts.audit import Action


def set_role_permissions(sender, using=DEFAULT_DB_ALIAS, apps=global_apps, **kwargs):
    """After ``migrate`` (and ``flush``): give the role groups exactly their declared permissions."""
    try:
        Group = apps.get_model("auth", "Group")
        apps.get_model("contenttypes", "ContentType")
    except LookupError:
        return  # migrated back to before auth or contenttypes
    if not router.allow_migrate_model(using, Group):
        return
    # Django creates each app's permissions on this same signal, app by app:
    # those of apps after this one may not exist yet. Creating is idempotent.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, interactive=False, using=using, apps=apps)
    from accounts.roles import apply_roles

    apply_roles(using, apps)


# --- authentication -----------------------------------------------------------------


def logged_in(sender, request, user, **kwargs):
    audit.record(Action.LOGIN, user=user, request=request)


def logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(Action.LOGOUT, user=user, request=request)


def login_failed(sender, credentials, request=None, **kwargs):
    from config.security import axes_username

    username = axes_username(request, credentials) if credentials else ""
    audit.record(Action.LOGIN_FAILED, request=request, username=username or "", outcome=audit.FAILURE)


def locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    audit.record(
        Action.LOCKOUT,
        request=request,
        username=username or "",
        outcome=audit.DENIED,
        detail="连续登录失败，账号名与来源地址已被暂时锁定。",
    )


# --- model changes ------------------------------------------------------------------
# label → (added, changed, deleted): saves and deletions of these models are audited
# with the fields that changed. The list is the one place that says which.
AUDITED_MODELS = {
    "auth.user": (Action.USER_ADD, Action.USER_CHANGE, Action.USER_DELETE),
    "auth.group": (Action.GROUP_ADD, Action.GROUP_CHANGE, Action.GROUP_DELETE),
    "articles.proofreadingrule": (Action.RULE_CHANGE,) * 3,
    "articles.formulation": (Action.RULE_CHANGE,) * 3,
    "siteinfo.sitesettings": (Action.SITE_SETTING_CHANGE,) * 3,
    "accounts.securitypolicy": (Action.SECURITY_SETTING_CHANGE,) * 3,
    "articles.sensitiveterm": (Action.SENSITIVE_WORD_CHANGE,) * 3,
}
# Fields whose change is not an event of its own: a login moves last_login (the
# login is recorded), a save moves updated_at.
_QUIET_FIELDS = {"last_login", "updated_at"}
_SECRET_FIELDS = {"password"}


def _audited(instance):
    return AUDITED_MODELS.get(instance._meta.label_lower)


def _field_names(instance):
    return [f.attname for f in instance._meta.concrete_fields if f.attname not in _QUIET_FIELDS]


def before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or _audited(instance) is None:
        return
    if update_fields is not None and set(update_fields) <= _QUIET_FIELDS:
        instance._audit_stored = None
        instance._audit_quiet = True  # a login's last_login: recorded as the login
        return
    instance._audit_quiet = False
    stored = None
    if instance.pk is not None and not instance._state.adding:
        stored = sender._base_manager.filter(pk=instance.pk).values(*_field_names(instance)).first()
    instance._audit_stored = stored


def after_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    actions = _audited(instance)
    if raw or actions is None:
        return
    if getattr(instance, "_audit_quiet", False):
        return
    stored = getattr(instance, "_audit_stored", None)
    instance._audit_stored = None
    if created or stored is None:
        audit.record(actions[0], obj=instance, detail="新增")
        return
    changed = [
        name
        for name in _field_names(instance)
        if name in stored and stored[name] != getattr(instance, name) and name not in _SECRET_FIELDS
    ]
    if sender._meta.label_lower == "auth.user" and stored.get("password") != instance.password:
        # set_password() keeps the raw password until the save: a hash upgraded at
        # login (check_password's setter clears it) is not a change of password.
        if getattr(instance, "_password", None) is not None:
            actor = audit.current_request()
            actor = getattr(actor, "user", None) if actor is not None else None
            own = actor is None or not actor.is_authenticated or actor.pk == instance.pk
            audit.record(Action.PASSWORD_CHANGE if own else Action.PASSWORD_RESET, obj=instance)
    if changed:
        labels = [str(sender._meta.get_field(_name(sender, name)).verbose_name) for name in changed]
        audit.record(actions[1], obj=instance, detail="修改了：" + "、".join(labels))


def _name(model, attname):
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field.name
    return attname


def after_delete(sender, instance, **kwargs):
    actions = _audited(instance)
    if actions is not None:
        audit.record(actions[2], obj=instance, detail="删除")


def m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Groups of a user, permissions of a user or a group: who got what, who lost what."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    User = get_user_model()

    through = {
        User.groups.through: Action.USER_GROUPS,
        User.user_permissions.through: Action.USER_PERMISSIONS,
        Group.permissions.through: Action.GROUP_PERMISSIONS,
    }.get(sender)
    if through is None:
        return
    if action == "pre_add" and sender is User.groups.through:
        from accounts.roles import refuse_officer_conflict

        refuse_officer_conflict(instance, model, pk_set, reverse=reverse)
    if action == "pre_clear":
        # After the clear the rows are gone: note them now.
        accessor = {
            (User.groups.through, False): "groups",
            (User.user_permissions.through, False): "user_permissions",
            (Group.permissions.through, False): "permissions",
            (Group.permissions.through, True): "group_set",
        }.get((sender, reverse), "user_set")
        instance._audit_cleared = list(getattr(instance, accessor).all())
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if action == "post_clear":
        others, verb = getattr(instance, "_audit_cleared", []), "移除"
    else:
        if not pk_set:
            return
        others, verb = list(model._default_manager.filter(pk__in=pk_set)), "加入" if action == "post_add" else "移除"
    if not others:
        return
    names = "、".join(sorted(str(other) for other in others))
    if reverse:
        # group.user_set.add(...), permission.group_set…: one entry per changed owner.
        for other in others:
            audit.record(through, obj=other, detail=f"{verb}：{instance}")
    else:
        audit.record(through, obj=instance, detail=f"{verb}：{names}")
