"""Security events of the password policy, the second factor and the sensitive lists, into the audit log.

Callers name the event (``"otp_failed"``, ``"account_locked_dormant"`` …) with
its details; :data:`EVENTS` maps each to the audit log's action and outcome
(``accounts.audit``). Events the audit log already records by itself — a
password changed or reset (the hash changed on the user's save), an account
created, saves and deletions of the sensitive lists (``accounts.signals``) —
are only logged here, so nothing is written twice.
"""

import logging

from accounts import audit as audit_log
from accounts.actions import Action

logger = logging.getLogger("accounts.security")

# event → (audit action, outcome); None: recorded elsewhere already.
EVENTS = {
    "account_locked_dormant": (Action.ACCOUNT_DORMANT_LOCKED, audit_log.SUCCESS),
    "otp_enabled": (Action.OTP_SETUP, audit_log.SUCCESS),
    "otp_setup_failed": (Action.OTP_SETUP, audit_log.FAILURE),
    "otp_recovery_codes_renewed": (Action.OTP_SETUP, audit_log.SUCCESS),
    "otp_disabled": (Action.OTP_REMOVED, audit_log.SUCCESS),
    "otp_reset": (Action.OTP_REMOVED, audit_log.SUCCESS),
    "otp_failed": (Action.OTP_FAILED, audit_log.FAILURE),
    "otp_recovery_code_used": (Action.OTP_RECOVERY_USED, audit_log.SUCCESS),
    "sensitive_terms_enabled": (Action.SENSITIVE_WORD_CHANGE, audit_log.SUCCESS),
    "sensitive_terms_disabled": (Action.SENSITIVE_WORD_CHANGE, audit_log.SUCCESS),
    "password_changed": None,
    "password_reset": None,
    "account_created": None,
    "sensitive_term_deleted": None,
}


def audit(action, *, user=None, request=None, target=None, **details):
    """Record the security event ``action``: ``user`` the name of who acted (or of the account
    a failure concerns), ``target`` the account acted on, ``details`` shown in the entry."""
    logger.info(
        "%s user=%r target=%r %s", action, user, target, " ".join(f"{k}={v!r}" for k, v in sorted(details.items()))
    )
    event = EVENTS.get(action)
    if event is None:
        return None
    audit_action, outcome = event
    parts = [f"账号：{target}"] if target else []
    parts += [f"{key}：{value}" for key, value in sorted(details.items())]
    detail = "；".join(parts)
    signed_in = getattr(getattr(request, "user", None), "is_authenticated", False)
    return audit_log.record(
        audit_action,
        request=request,
        outcome=outcome,
        detail=detail,
        # A failure before the login completes has no signed-in user: keep the typed name.
        username=None if signed_in else (user or target or ""),
    )
