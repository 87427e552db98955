"""What the audit log records (``Action``), which of it is security (``SECURITY_ACTIONS``),
and the outcomes: shared by the model and ``accounts.audit`` (no Django model import here)."""

from django.db import models

SUCCESS, FAILURE, DENIED = "success", "failure", "denied"
OUTCOMES = {SUCCESS: "成功", FAILURE: "失败", DENIED: "拒绝"}


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
