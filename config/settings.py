"""Settings for the portal, read from the environment.

One module for every deployment: development, tests and production differ
only in environment variables (see the configuration table in README.md).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.cache import caches_from
from config.client_address import parse_networks, parse_trusted_proxies

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
# With DEBUG, the reader's 404 and 500 pages are shown (config/errorpages.py);
# 1 brings back Django's technical pages (URL patterns, tracebacks).
DEBUG_TECHNICAL_PAGES = env_bool("DEBUG_TECHNICAL_PAGES", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
# Without DEBUG and without a key, the settings still load so that commands
# which sign nothing (`makemigrations --check`, `check`) run on a bare
# checkout; Django refuses any use of the empty key, and config/wsgi.py
# refuses to start serving.

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # The project package: the page cache's table (config/models.py) and system checks (config/checks.py).
    "config.apps.PortalConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_ckeditor_5",
    "csp",
    "axes",
    # Two-factor login for staff (TOTP, recovery codes): accounts/two_factor.py.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "reversion",
    # Background tasks (articles/events.py); django_tasks_db keeps them in the database.
    "django_tasks",
    "django_tasks_db",
    "topics",
    "articles",
    "library",
    "accounts",
    # Site settings editable in the admin (footer, 备案号, 网站标识码).
    "siteinfo",
]

MIDDLEWARE = [
    # First: a cached anonymous page is answered before any other middleware
    # runs (config/pagecache.py); the stored response carries their headers.
    "config.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The admin and the preview answer 404 outside ADMIN_ALLOWED_NETWORKS (accounts/network.py).
    "accounts.network.StaffNetworkMiddleware",
    "config.security.ContentSecurityPolicyMiddleware",
    "config.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The request being served, for the audit log's entries written from model signals (accounts.audit).
    "accounts.audit.AuditRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Whether this session passed the second factor (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    # Staff: idle logout, the second factor, the forced password change (accounts/policy.py).
    "accounts.policy.IdleTimeoutMiddleware",
    "accounts.policy.TwoFactorMiddleware",
    "accounts.policy.PasswordChangeMiddleware",
    # Tells an editor when the cache did not confirm a committed change.
    "config.pagecache.ChangeNoticeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.security.StoredHeadersMiddleware",
    # With DEBUG: the product's 404/500 pages instead of Django's technical ones.
    "config.errorpages.ProductErrorPagesMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# 三审三校: how many review stages an essay passes before it is published (1 to 3).
REVIEW_STAGES = min(max(int(os.environ.get("REVIEW_STAGES", "3")), 1), 3)
# How long an essay may wait at one review stage before the 待我审核 list marks
# it 已超时, in working hours (articles/editing/deadlines.py): only Monday to
# Friday count, 24 hours each, so the defaults are 1 and 2 working days.
REVIEW_LIMIT_URGENT_HOURS = int(os.environ.get("REVIEW_LIMIT_URGENT_HOURS", "24"))
REVIEW_LIMIT_ORDINARY_HOURS = int(os.environ.get("REVIEW_LIMIT_ORDINARY_HOURS", "48"))
# Statutory holidays and 调休 are not known unless listed here (YYYY-MM-DD,
# comma-separated): REVIEW_HOLIDAYS are weekdays that do not count,
# REVIEW_WORKDAYS weekend days that do (a 调休 Saturday).
REVIEW_HOLIDAYS = env_list("REVIEW_HOLIDAYS")
REVIEW_WORKDAYS = env_list("REVIEW_WORKDAYS")
# A change to a live essay marked 小修改 when sent to review (a typo, a wrong date) passes
# this many stages (1 to REVIEW_STAGES; default: all of them, i.e. no fast path).
LIVE_CORRECTION_STAGES = min(max(int(os.environ.get("LIVE_CORRECTION_STAGES", REVIEW_STAGES)), 1), REVIEW_STAGES)
# 文稿查重: from this share of copied characters (percent) the final approval
# needs the approver's explicit confirmation (articles/copies/check.py).
COPY_CHECK_CONFIRM_PERCENT = float(os.environ.get("COPY_CHECK_CONFIRM_PERCENT", "30"))

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "topics.context_processors.navigation",
                "siteinfo.context_processors.site_info",
                "accounts.context_processors.session_policy",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite under var/ is the embedded default so that a fresh clone runs with
# nothing else installed; production points DATABASE_URL at PostgreSQL.
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///var/portal.sqlite3")
if DATABASE_URL.startswith("sqlite:///") and not DATABASE_URL.startswith("sqlite:////"):
    # A relative SQLite path is taken from the project root, not the cwd.
    DATABASE_URL = "sqlite:///" + str(BASE_DIR / DATABASE_URL[len("sqlite:///") :])
# Persistent connections (CONN_MAX_AGE seconds, 600 unless set; 0 closes
# each request's connection), checked before reuse so that a restarted
# PostgreSQL costs no failed request.
CONN_MAX_AGE = int(os.environ.get("CONN_MAX_AGE", 600))
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    # An unreachable database host must fail a request in seconds, not after the
    # system's TCP timeout (minutes), with every worker thread waiting on it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", 5))
    )
# A read replica (streaming replication of the primary): public pages read
# from it, everything else from the primary (config/routers.py).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", 5))
    )
    DATABASE_ROUTERS = ["config.routers.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Local memory by default (one process); Redis shared by every worker and
# host in production (REDIS_URL=redis://127.0.0.1:6379/0). See config/cache.py.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = caches_from(REDIS_URL)

# Whole anonymous pages are cached for PAGE_CACHE_SECONDS (0 turns the page
# cache off) and invalidated on every change (config/pagecache.py). Browsers
# keep a page PAGE_CACHE_BROWSER_SECONDS (0: they revalidate each time), the
# proxy in front (nginx) PAGE_CACHE_PROXY_SECONDS, and as long again stale
# while it fetches the next copy: a withdrawn essay leaves the proxy within
# twice that. When the portal does not answer, the proxy may serve its last
# copy PAGE_CACHE_PROXY_STALE_IF_ERROR seconds more.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 600))
PAGE_CACHE_BROWSER_SECONDS = int(os.environ.get("PAGE_CACHE_BROWSER_SECONDS", 0))
PAGE_CACHE_PROXY_SECONDS = int(os.environ.get("PAGE_CACHE_PROXY_SECONDS", 1))
PAGE_CACHE_PROXY_STALE_IF_ERROR = int(os.environ.get("PAGE_CACHE_PROXY_STALE_IF_ERROR", 30))
# Each worker re-reads the database's publication epoch this often (and after
# any cache failure), so a change the cache missed still takes effect.
PAGE_CACHE_VERIFY_SECONDS = float(os.environ.get("PAGE_CACHE_VERIFY_SECONDS", 1))
# A request finding another rendering the page it wants waits this long for it.
PAGE_CACHE_RENDER_WAIT_SECONDS = float(os.environ.get("PAGE_CACHE_RENDER_WAIT_SECONDS", 1))
# While Redis is away each process keeps at most this many pages and values in
# its own memory (config/pagecache.py; pages are 20-100 KB).
PAGE_CACHE_FALLBACK_ENTRIES = int(os.environ.get("PAGE_CACHE_FALLBACK_ENTRIES", 500))
# New query variants (searches, filters, page numbers) stored per page and
# PAGE_CACHE_SECONDS window: the bound on what anonymous traffic can store.
PAGE_CACHE_VARIANTS = int(os.environ.get("PAGE_CACHE_VARIANTS", 300))

# Editors' accounts publish under the committee's name (等保 2.0): 10 characters
# at least (Django's default is 8) from three of the four classes (capitals,
# small letters, digits, symbols), not like the user name, not a common or an
# all-digit password, none of the account's last PASSWORD_HISTORY_COUNT.
PASSWORD_HISTORY_COUNT = int(os.environ.get("PASSWORD_HISTORY_COUNT", 5))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "accounts.passwords.PasswordHistoryValidator", "OPTIONS": {"count": PASSWORD_HISTORY_COUNT}},
]
# A staff password older than this many days must be changed before the admin
# opens again (0: never expires).
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", 90))
# A signed-in session unused this long is logged out (the admin warns a couple
# of minutes before); 0 switches the idle logout off.
SESSION_IDLE_TIMEOUT_MINUTES = float(os.environ.get("SESSION_IDLE_TIMEOUT_MINUTES", 30))
SESSION_IDLE_WARNING_SECONDS = int(os.environ.get("SESSION_IDLE_WARNING_SECONDS", 120))
# `manage.py lock_dormant_accounts` (deploy/systemd/portal-lock-dormant.timer)
# deactivates accounts that have not logged in for this many days.
DORMANT_ACCOUNT_DAYS = int(os.environ.get("DORMANT_ACCOUNT_DAYS", 90))
# Two-factor login (TOTP): members of these groups must have a second factor
# before the admin opens; everyone else may set one up. Groups that do not
# exist (yet) are ignored. Comma-separated; "-" for none.
_OTP_DEFAULT_GROUPS = ("管理员", "系统管理员", "安全保密管理员", "安全审计员")
OTP_REQUIRED_GROUPS = [name for name in env_list("OTP_REQUIRED_GROUPS", ",".join(_OTP_DEFAULT_GROUPS)) if name != "-"]
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "") or os.environ.get("SITE_NAME", "基层党建文稿")
# Staff access by network (互联网政务应用安全管理规定 Art. 19): the admin and the
# preview answer 404 to any client address outside these networks (CIDR,
# comma-separated; empty: everyone). The address is the real client's
# (TRUSTED_PROXIES). A wrong entry stops the portal from starting.
ADMIN_ALLOWED_NETWORKS = env_list("ADMIN_ALLOWED_NETWORKS")
parse_networks(ADMIN_ALLOWED_NETWORKS)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# The project's own wording over Django's zh_Hans catalogue (locale/zh_Hans/LC_MESSAGES,
# compiled by `make setup`): one voice (您), 账号, the admin JavaScript strings Django lacks.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # ECharts for the 问题库/对策库 charts: only echarts.min.js from node_modules.
    "library.staticfiles.EChartsFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# /healthz reports the disk of MEDIA_ROOT as low below this many free megabytes.
HEALTH_DISK_MIN_FREE_MB = int(os.environ.get("HEALTH_DISK_MIN_FREE_MB", 200))

STORAGES = {
    # FileSystemStorage that leaves no partial file when the disk is full (articles.editing.media).
    "default": {"BACKEND": "articles.editing.media.MediaStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads: a request body larger than this is refused before it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMAGE_UPLOAD_MAX_BYTES = 8 * 1024 * 1024

# ---------------------------------------------------------------- security
# The admin lives under ADMIN_URL ("admin/" unless set): a path of its own
# keeps the login page out of the way of scripts that try /admin/ everywhere.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip().strip("/") + "/"
if ADMIN_URL == "/":
    raise ImproperlyConfigured("ADMIN_URL must not be empty (e.g. ADMIN_URL=guanli/).")

SESSION_COOKIE_HTTPONLY = True
# A refused form gets the site's own Chinese page, not Django's English one.
CSRF_FAILURE_VIEW = "articles.reading.errors.csrf_failure"
CSRF_COOKIE_HTTPONLY = False  # CKEditor 5's upload adapter reads the CSRF cookie.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    # Production is served over HTTPS behind a proxy that sets
    # X-Forwarded-Proto. SECURE_COOKIES=0 is for a plain-HTTP test run only:
    # it also turns off the redirect to HTTPS.
    SECURE_COOKIES = env_bool("SECURE_COOKIES", True)
    SESSION_COOKIE_SECURE = SECURE_COOKIES
    CSRF_COOKIE_SECURE = SECURE_COOKIES
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SECURE_COOKIES)
    # The load balancer's health check speaks plain HTTP to the app.
    SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$"]
    # HSTS is only ever sent on HTTPS responses. One year, subdomains
    # included, eligible for the browsers' preload list (SECURE_HSTS_PRELOAD=0
    # to leave that out; `check --deploy` then warns about it).
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Content-Security-Policy (django-csp 4 format; config.security picks the
# admin policy under ADMIN_URL). The reading site runs no inline script and
# no inline style, loads everything from this site and can be framed by no one.
_CSP_COMMON = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "upgrade-insecure-requests": not DEBUG and env_bool("SECURE_COOKIES", True),
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_COMMON}
# The admin: CKEditor 5 and Django's admin widgets write inline styles, and a
# picture pasted into the editor is shown from a blob:/data: URL until it is
# uploaded. Scripts are still files from this site only.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **_CSP_COMMON,
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
    }
}

# Browser features no page of this site uses, switched off for every page
# (config.security.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# The reverse proxies in front of the app, whose X-Forwarded-For is believed
# (config/client_address.py: the one definition of the client's address, used
# by login throttling, view counts and the library's export limits).
# Addresses or networks, comma-separated, and "unix" for a peer on gunicorn's
# unix socket (the shipped deployment: nginx on the same host). Default: nginx
# on this host, over loopback or the socket. A wrong entry stops the portal
# from starting rather than trusting something unintended.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1,unix")
parse_trusted_proxies(TRUSTED_PROXIES)

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for
# one user name from one address, that pair is locked out for
# AXES_COOLOFF_MINUTES; a successful login clears the count. By name *and*
# address, because a committee office shares one public address and one
# mistyping colleague must not lock everyone out. The address is the real
# client's (TRUSTED_PROXIES above), not nginx's: otherwise anyone could lock
# out any account by failing five times from anywhere.
AUTHENTICATION_BACKENDS = [
    "config.security.AxesBackend",  # first: refuses locked-out logins
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "config.security.axes_username"
AXES_CLIENT_IP_CALLABLE = "config.client_address.client_address"
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429

# The audit log (accounts/audit.py): entries are kept at least this many days
# (互联网政务应用安全管理规定 Art. 20: one year; a smaller value is raised to 365)
# before `manage.py archive_audit_log` may move them to signed archive files.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", 365))
# The HMAC-SHA256 key signing those archives; empty: derived from SECRET_KEY
# (then rotating SECRET_KEY makes older archives unverifiable: set a key of its
# own, kept with the backups' keys).
AUDIT_ARCHIVE_KEY = os.environ.get("AUDIT_ARCHIVE_KEY", "")
# Site identity shown in the header, the footer and the page title.
SITE_NAME = os.environ.get("SITE_NAME", "基层党建文稿")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# django-ckeditor-5 (CKEditor 5, GPL licence key). Image upload is for staff
# only and every upload is verified by Pillow (see articles.editing.images).
CKEDITOR_5_FILE_UPLOAD_PERMISSION = "staff"
CKEDITOR_5_MAX_FILE_SIZE = 8  # megabytes
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "jpg", "png", "gif", "webp"]
CKEDITOR_5_CONFIGS = {
    "default": {
        "licenseKey": "GPL",
        "language": "zh-cn",
        # The WordCount plugin counts words by spaces ("单词数: 1" for a Chinese
        # paragraph): articles.richtext.RichTextWidget shows 字数 instead.
        "removePlugins": ["WordCount"],
        "toolbar": {
            "items": [
                "heading",
                "|",
                "bold",
                "italic",
                "link",
                "bulletedList",
                "numberedList",
                "blockQuote",
                "|",
                "insertImage",
                "insertTable",
                "|",
                "undo",
                "redo",
            ],
            "shouldNotGroupWhenFull": True,
        },
        "heading": {
            "options": [
                {"model": "paragraph", "title": "正文", "class": "ck-heading_paragraph"},
                {"model": "heading3", "view": "h3", "title": "小标题 3", "class": "ck-heading_heading3"},
                {"model": "heading4", "view": "h4", "title": "小标题 4", "class": "ck-heading_heading4"},
            ]
        },
        "image": {
            "toolbar": ["imageTextAlternative", "|", "toggleImageCaption"],
        },
        "table": {"contentToolbar": ["tableColumn", "tableRow", "mergeTableCells"]},
    },
}
# Editor uploads go to the articles admin's own endpoint (articles.admin.uploads:
# Chinese messages, JSON errors, never a 500) and are stored re-encoded under
# random names by articles.editing.storage.EditorImageStorage, whichever
# endpoint receives them.
CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "admin:articles_article_upload_image"
CKEDITOR_5_FILE_STORAGE = "articles.editing.storage.EditorImageStorage"

# ---------------------------------------------------------------- reader experience

# View counts (articles/viewcounts.py): counted in the cache from a beacon and
# written to the database in batches, when this many views are pending or the
# oldest pending view is this old (and by `manage.py flush_view_counts`).
VIEW_COUNT_FLUSH_EVERY = int(os.environ.get("VIEW_COUNT_FLUSH_EVERY", 50))
VIEW_COUNT_FLUSH_SECONDS = int(os.environ.get("VIEW_COUNT_FLUSH_SECONDS", 300))
# One browser at one client address (TRUSTED_PROXIES) counts once per essay in
# this window, one address at most VIEW_COUNT_PER_ADDRESS browsers per essay in
# it (colleagues behind one office address count; made-up User-Agents do not),
# and one address may send at most VIEW_COUNT_RATE_LIMIT beacons a minute.
VIEW_COUNT_DEDUP_SECONDS = int(os.environ.get("VIEW_COUNT_DEDUP_SECONDS", 1800))
VIEW_COUNT_PER_ADDRESS = int(os.environ.get("VIEW_COUNT_PER_ADDRESS", 10))
VIEW_COUNT_RATE_LIMIT = int(os.environ.get("VIEW_COUNT_RATE_LIMIT", 30))

# ---------------------------------------------------------------- background work
# What follows a change of essays (search index, stored pages, 问题库/对策库
# regrouping) runs as tasks (articles/events.py). By default the tasks are
# rows of the database (django_tasks_db), written in the transaction of the
# change itself, and run by `manage.py db_worker` (deploy/systemd/portal-worker.service).
# TASKS_BACKEND names another backend: the tests run tasks at once
# (django_tasks.backends.immediate.ImmediateBackend, after the commit); a site
# that outgrows one machine may move them to Redis with django-tasks-rq
# (django_tasks_rq.RQBackend, docs/deploy.md).
TASK_QUEUES = ["default", "library"]
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": TASK_QUEUES}}
if TASKS_BACKEND.startswith("django_tasks_rq."):
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {name: {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"} for name in TASK_QUEUES}
# 问题库/对策库: a change waits this long before it regroups, so that publishing
# ten essays in a row regroups once (library.tasks).
LIBRARY_REGROUP_DELAY_SECONDS = float(os.environ.get("LIBRARY_REGROUP_DELAY_SECONDS", 2))
# 问题库/对策库 exports (library/export_files.py): each file is made once per
# page-cache generation and filter and kept in LIBRARY_EXPORT_DIR -- outside
# MEDIA_ROOT and STATIC_ROOT, so nothing serves it directly -- within
# LIBRARY_EXPORT_MAX_MB; one client address may ask for LIBRARY_EXPORT_RATE_LIMIT
# exports a minute, and at most LIBRARY_EXPORT_CONCURRENCY files are made at
# once on the whole site (one: a file of the whole library keeps a core busy
# for seconds).
LIBRARY_EXPORT_DIR = Path(os.environ.get("LIBRARY_EXPORT_DIR", BASE_DIR / "var" / "exports"))
LIBRARY_EXPORT_MAX_MB = int(os.environ.get("LIBRARY_EXPORT_MAX_MB", 500))
LIBRARY_EXPORT_RATE_LIMIT = int(os.environ.get("LIBRARY_EXPORT_RATE_LIMIT", 6))
LIBRARY_EXPORT_CONCURRENCY = int(os.environ.get("LIBRARY_EXPORT_CONCURRENCY", 1))

# Word and PDF in 公文 layout (articles/export): files made for readers and
# staff, per essay version and layout version, and 汇编 files, all in
# ESSAY_EXPORT_DIR -- outside MEDIA_ROOT and STATIC_ROOT (a system check
# insists): nginx serves those directly, and a withdrawn essay's file must
# be unreachable; only the export views, which check publication on every
# request, read this folder. One client address may download
# ESSAY_EXPORT_RATE_LIMIT files a minute; LibreOffice gets
# ESSAY_EXPORT_PDF_TIMEOUT seconds for one essay (a 汇编 ten times that).
ESSAY_EXPORT_DIR = Path(os.environ.get("ESSAY_EXPORT_DIR", BASE_DIR / "var" / "essay-exports"))
ESSAY_EXPORT_RATE_LIMIT = int(os.environ.get("ESSAY_EXPORT_RATE_LIMIT", 20))
ESSAY_EXPORT_PDF_TIMEOUT = int(os.environ.get("ESSAY_EXPORT_PDF_TIMEOUT", 60))
