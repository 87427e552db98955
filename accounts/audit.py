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

from accounts.actions import DENIED, FAILURE, OUTCOMES, SECURITY_ACTIONS, SUCCESS, Action  # noqa: F401 - the API
from config.client_address import client_address

USERNAME_MAX, REPR_MAX, DETAIL_MAX = 255, 255, 4000

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
        "restore_revision": Action.REVISION_RESTORE,
    }.get(transition.action, Action.ESSAY_TRANSITION)
    detail = f"{transition.get_action_display()}：{transition.from_status} → {transition.to_status}"
    if transition.comment:
        detail += f"；意见：{transition.comment}"
    return record(action, user=transition.user, obj=article, detail=detail)
