"""Security events that the audit log must record (password changes, second-factor
set-ups and failures …). For now they are logged only; the audit log
(issue 22, item 1) takes them over here, so callers need not change."""

import logging

logger = logging.getLogger("accounts.security")


def audit(action, **kw):
    """Record the security event ``action`` with its details (user, outcome, …)."""
    logger.info("%s %s", action, " ".join(f"{key}={value!r}" for key, value in sorted(kw.items())))
