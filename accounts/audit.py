"""The audit log's one door: ``record(action, …)`` writes an ``AuditEntry``.

What is recorded, and where it is hooked:

* authentication — logins, failed logins, logouts (Django's auth signals),
  lockouts (django-axes' ``user_locked_out``), password changes and resets
  (``accounts.signals``, on the password hash changing);
* accounts, groups and permissions — saves, deletions and m2m changes of
  users, groups and permissions (model signals in ``accounts.signals``);
* essays — every status transition and recycle-bin step
  (``record_transition`` in ``articles.editing.workflow``), purges, restores
  of revisions, the 保密审查 confirmation;
* proofreading rules, site settings, security settings, library exports,
  cache purges, the audit archive itself.

Each entry: time, user (and the name as typed or as it was), the client's
real address behind the proxy (``config.client_address``), action, object
(content type, id, text), outcome (success / failure / denied) and detail.

Where no request is passed, the request being served is used
(``AuditRequestMiddleware`` keeps it in a context variable), so model
signals fired deep inside the admin still know who and from where; from the
shell or a management command there is none, and the entry says so
(no address, user as given).

*Security* entries — the ``SECURITY_ACTIONS`` below — are readable only with
``accounts.view_security_auditentry`` (安全审计员, 安全保密管理员): a
系统管理员, who manages accounts, must not read the trail of what they did to
them (三员分立).
"""

from __future__ import annotations

import contextvars

from django.db import models

from config.client_address import client_address

SUCCESS, FAILURE, DENIED = "success", "failure", "denied"
OUTCOMES = {SUCCESS: "成功", FAILURE: "失败", DENIED: "拒绝"}

USERNAME_MAX, REPR_MAX, DETAIL_MAX = 255, 255, 4000


class Action(models.TextChoices):
    # authentication and sessions
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOCKOUT = "lockout", "登录锁定"
    LOGOUT = "logout", "退出登录"
    SESSION_EXPIRED = "session_expired", "会话超时退出"
    PASSWORD_CHANGE = "password_change", "修改密码"
    PASSWORD_RESET = "password_reset", "重置密码"
    PASSWORD_EXPIRED = "password_expired", "密码过期"
    ACCOUNT_DORMANT_LOCKED = "account_dormant_locked", "长期未登录账号锁定"
    OTP_SETUP = "otp_setup", "设置双因素认证"
    OTP_REMOVED = "otp_removed", "移除双因素认证"
    OTP_FAILED = "otp_failed", "双因素认证失败"
    OTP_RECOVERY_USED = "otp_recovery_used", "使用恢复码"
    NETWORK_DENIED = "network_denied", "来源地址不允许访问后台"
    # accounts, roles, permissions
    USER_ADD = "user_add", "新增用户"
    USER_CHANGE = "user_change", "修改用户"
    USER_DELETE = "user_delete", "删除用户"
    USER_GROUPS = "user_groups", "变更用户角色"
    USER_PERMISSIONS = "user_permissions", "变更用户权限"
    GROUP_ADD = "group_add", "新增用户组"
    GROUP_CHANGE = "group_change", "修改用户组"
    GROUP_DELETE = "group_delete", "删除用户组"
    GROUP_PERMISSIONS = "group_permissions", "变更用户组权限"
    ROLE_CONFLICT_REFUSED = "role_conflict_refused", "拒绝兼任三员角色"
    # security settings and lists
    SECURITY_SETTING_CHANGE = "security_setting_change", "修改安全设置"
    SENSITIVE_WORD_CHANGE = "sensitive_word_change", "修改敏感词表"
    # the audit log itself
    AUDIT_EXPORT = "audit_export", "导出审计日志"
    AUDIT_ARCHIVE = "audit_archive", "归档审计日志"
    # content
    ESSAY_TRANSITION = "essay_transition", "文稿流转"
    ESSAY_DELETE = "essay_delete", "删除文稿（回收站）"
    ESSAY_RESTORE = "essay_restore", "从回收站恢复文稿"
    ESSAY_PURGE = "essay_purge", "彻底删除文稿"
    REVISION_RESTORE = "revision_restore", "恢复历史版本"
    SECRECY_REVIEW = "secrecy_review", "保密审查确认"
    RULE_CHANGE = "rule_change", "修改校对规则"
    SITE_SETTING_CHANGE = "site_setting_change", "修改网站信息"
    EXPORT = "export", "导出"
    CACHE_PURGE = "cache_purge", "清除缓存"
    OTHER = "other", "其他"


SECURITY_ACTIONS = frozenset(
    {
        Action.LOGIN,
        Action.LOGIN_FAILED,
        Action.LOCKOUT,
        Action.LOGOUT,
        Action.SESSION_EXPIRED,
        Action.PASSWORD_CHANGE,
        Action.PASSWORD_RESET,
        Action.PASSWORD_EXPIRED,
        Action.ACCOUNT_DORMANT_LOCKED,
        Action.OTP_SETUP,
        Action.OTP_REMOVED,
        Action.OTP_FAILED,
        Action.OTP_RECOVERY_USED,
        Action.NETWORK_DENIED,
        Action.USER_ADD,
        Action.USER_CHANGE,
        Action.USER_DELETE,
        Action.USER_GROUPS,
        Action.USER_PERMISSIONS,
        Action.GROUP_ADD,
        Action.GROUP_CHANGE,
        Action.GROUP_DELETE,
        Action.GROUP_PERMISSIONS,
        Action.ROLE_CONFLICT_REFUSED,
        Action.SECURITY_SETTING_CHANGE,
        Action.SENSITIVE_WORD_CHANGE,
        Action.AUDIT_EXPORT,
        Action.AUDIT_ARCHIVE,
    }
)

_current_request = contextvars.ContextVar("audit_request", default=None)


class AuditRequestMiddleware:
    """Keep the request being served where ``record`` finds it (a context variable:
    each thread and each task has its own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def current_request():
    return _current_request.get()


def _clean(text, limit):
    # PostgreSQL text cannot hold NUL; a hostile user name in a failed login carries one.
    return str(text or "").replace("\x00", "\ufffd")[:limit]


def record(
    action,
    *,
    user=None,
    request=None,
    obj=None,
    outcome=SUCCESS,
    detail="",
    username=None,
):
    """Write one audit entry and return it.

    ``action``: an ``Action`` (or its value). ``user``: who acted; by default the
    request's signed-in user. ``request``: for the client address; by default the
    request being served, if any. ``obj``: the model instance acted on (its
    content type, primary key and text are kept; the entry survives its
    deletion). ``outcome``: ``SUCCESS``, ``FAILURE`` or ``DENIED``. ``detail``:
    free text for people (Chinese). ``username``: the name to keep when there
    is no user (a failed login's typed name).

    Written in the caller's transaction: an action rolled back leaves no entry.
    """
    from django.contrib.contenttypes.models import ContentType

    from accounts.models import AuditEntry

    action = Action(action)
    if request is None:
        request = current_request()
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if username is None:
        username = user.get_username() if user is not None else ""
    entry = AuditEntry(
        user_id=user.pk if user is not None else None,
        username=_clean(username, USERNAME_MAX),
        address=client_address(request) if request is not None else None,
        action=action.value,
        security=action in SECURITY_ACTIONS,
        outcome=outcome,
        detail=_clean(detail, DETAIL_MAX),
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_id = _clean(obj.pk, 64)
        entry.object_repr = _clean(obj, REPR_MAX)
    entry.save(force_insert=True)
    return entry


def record_transition(transition):
    """Audit one ``ArticleTransition`` (a workflow or recycle-bin step), as it was written."""
    article = transition.article
    action = {
        "delete": Action.ESSAY_DELETE,
        "undelete": Action.ESSAY_RESTORE,
    }.get(transition.action, Action.ESSAY_TRANSITION)
    detail = f"{transition.get_action_display()}：{transition.from_status} → {transition.to_status}"
    if transition.comment:
        detail += f"；意见：{transition.comment}"
    return record(action, user=transition.user, obj=article, detail=detail)
