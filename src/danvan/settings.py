"""Settings for danvan, read from environment variables.

Defaults make the demo run on a laptop with SQLite. ``DANVAN_ENV=production`` turns the
defaults strict: the process refuses to start with DEBUG on or with the demo secret key.
"""

import datetime
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from danvan.env import envbool, envint, envlist, envstr, secret_key_weakness
from danvan.ops.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(envstr("DANVAN_DATA_DIR", str(Path.cwd() / "var"))).resolve()

DANVAN_ENV = envstr("DANVAN_ENV", "development")
if DANVAN_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"DANVAN_ENV must be development, production or test, got {DANVAN_ENV!r}"
    )
PRODUCTION = DANVAN_ENV == "production"

DEMO_SECRET_KEY = "danvan-demo-secret-key-do-not-use-in-production"
SECRET_KEY = envstr("SECRET_KEY", DEMO_SECRET_KEY)
DEBUG = envbool("DEBUG", not PRODUCTION)

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off when DANVAN_ENV=production")
    # The demo key, the example of deploy/danvan.env.example and any other obviously weak
    # value are refused (danvan.env.secret_key_weakness says why).
    if weakness := secret_key_weakness(SECRET_KEY):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters "
            f"when DANVAN_ENV=production ({weakness}); generate one with "
            "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
        )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's host(s) in production")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "csp",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # danvan.core first: its db_worker (a run loop that outlives database errors) replaces
    # django-tasks-db's.
    "danvan.core",
    "django_tasks",
    "django_tasks_db",
    "danvan.accounts",
    "danvan.areas",
    "danvan.orgs",
    "danvan.initiatives",
    "danvan.review",
    "danvan.notifications",
    "danvan.stats",
    "danvan.reports",
    "danvan.imports",
    "danvan.web",
    "danvan.demo",
    "danvan.ops",
]

MIDDLEWARE = [
    # Server-Timing: the request's own time and its database time on every answer.
    "danvan.ops.timing.ServerTimingMiddleware",
    "danvan.ops.middleware.RequestIdMiddleware",
    # Logs every refused answer (401, 403, 429, a signed-in person's 404) as a security event.
    "danvan.core.security_log.SecurityEventMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # django-csp: the Content-Security-Policy of CONTENT_SECURITY_POLICY below.
    "csp.middleware.CSPMiddleware",
    "danvan.ops.middleware.DatabaseUnavailableMiddleware",
    # Lag-tolerant reads to the streaming replicas, when DATABASE_REPLICA_URLS names any.
    "danvan.core.replicas.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # request.htmx: whether a request comes from htmx, and which kind (django-htmx).
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "danvan.accounts.middleware.LoginRateLimitMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # "Last seen" of the person's sessions (written at most every few minutes).
    "danvan.accounts.middleware.SessionActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a clear refusal.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "danvan.urls"
WSGI_APPLICATION = "danvan.wsgi.application"
ASGI_APPLICATION = "danvan.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The product's sign-in and password pages (registration/*.html) live here, ahead of
        # the admin's templates of the same names.
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite in WAL mode by default, anything dj-database-url understands otherwise.
DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'danvan.sqlite3'}"
# DANVAN_TEST_POSTGRES=1 points a test run at the local PostgreSQL unless DATABASE_URL says more.
if envbool("DANVAN_TEST_POSTGRES", False):
    DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test"
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", DEFAULT_DATABASE_URL), conn_max_age=envint("DB_CONN_MAX_AGE", 0)
    )
}
# A cache every process of the server shares: the sign-in rate limit and the progress of an
# import being applied are read by other processes than the one that writes them. Files under
# the data directory suit one server; CACHE_URL=redis://host:6379/0 is for several.
# CACHE_URL=locmem:// keeps it inside each process (the test suite uses it).
CACHE_URL = envstr("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif CACHE_URL:
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis://, rediss://, unix:// or locmem://, not {CACHE_URL!r}"
    )
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": DATA_DIR / "cache",
        }
    }

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run while one writer writes; IMMEDIATE takes the write lock at the
        # start of a transaction so two writers queue instead of failing half-way.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        # How long a request waits for the write lock (seconds) before it answers "busy, try
        # again" (danvan.ops.middleware): a large import holds the lock for its whole apply.
        # The task worker waits longer (WORKER_SQLITE_TIMEOUT, danvan.core.worker).
        "timeout": envint("SQLITE_TIMEOUT", 3),
    }
    DATABASES["default"]["TEST"] = {"NAME": envstr("DANVAN_TEST_SQLITE", "") or None}
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
# A kept connection is checked before reuse, so the app recovers by itself after a restart.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL compiles a query costed above jit_above_cost to machine code first: 20–55 ms
# spent on questions that then take 30–150 ms (the dated breakdowns by unit × kind of
# organisation, docs/performance.md). The app asks short questions only, so it turns JIT off
# for its own sessions. Its breakdowns by unit sort or hash tens of thousands of rollup rows
# (a province's communes restated over all years: 36,000 rows, 5 MB); under the server's
# default work_mem of 4 MB the sort went to disk and took two thirds of the question (48 ->
# 33 ms at national scale with 16 MB). 16 MB is per sort or hash of a query, a few per
# question. A pooler that refuses start-up options (PgBouncer without
# ignore_startup_parameters) takes DATABASE_PG_OPTIONS= (empty).
PG_OPTIONS = envstr("DATABASE_PG_OPTIONS", "-c jit=off -c work_mem=16MB")


def _with_pg_options(database: dict) -> None:
    if database["ENGINE"].startswith("django.db.backends.postgresql") and PG_OPTIONS:
        database.setdefault("OPTIONS", {}).setdefault("options", PG_OPTIONS)


_with_pg_options(DATABASES["default"])

# How the figures follow a saved ledger entry. "inline": the rollups are updated inside the
# saving transaction (exact at commit; every save holds the national rows it adds to until it
# commits, so concurrent savers wait in line). "deferred" (PostgreSQL): a save appends its
# entry to a pending list and the rollups take it in right after the commit, many saves in
# one statement (danvan.stats.rollups.fold); the figures trail a save by that fold.
STATS_UPKEEP = envstr("DANVAN_STATS_UPKEEP", "inline")
if STATS_UPKEEP not in {"inline", "deferred"}:
    raise ImproperlyConfigured(
        f"DANVAN_STATS_UPKEEP must be inline or deferred, got {STATS_UPKEEP!r}"
    )
if STATS_UPKEEP == "deferred" and not DATABASES["default"]["ENGINE"].startswith(
    "django.db.backends.postgresql"
):
    raise ImproperlyConfigured(
        "DANVAN_STATS_UPKEEP=deferred needs PostgreSQL: SQLite has one writer at a time, "
        "so there is no waiting to spare"
    )

# Streaming replicas for the reads that tolerate a second of lag (dashboards, lists, the stats
# API, exports, reports): DATABASE_REPLICA_URLS=postgres://host-a/db,postgres://host-b/db.
# Writes, the pages being edited and a client's reads right after its own write stay on the
# primary (danvan.core.replicas). The tests read the replicas' aliases from the primary.
for _number, _url in enumerate(envlist("DATABASE_REPLICA_URLS", []), start=1):
    DATABASES[f"replica{_number}"] = {
        **dj_database_url.parse(_url, conn_max_age=envint("DB_CONN_MAX_AGE", 0)),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
    _with_pg_options(DATABASES[f"replica{_number}"])
DATABASE_ROUTERS = ["danvan.core.replicas.ReplicaRouter"]
# URL names (shell patterns) whose GET answers may be read from a replica.
REPLICA_READ_VIEWS = envlist(
    "REPLICA_READ_VIEWS",
    [
        "web:*",
        "stats-*",
        "initiatives:list",
        "initiative-list",
        "organisation-list",
        "area-list",
        "reports:index",
        "reports:export",
        "reports:initiatives_csv",
        "reports:download",
        "report-list",
    ],
)
# After a successful write, that client's reads stay on the primary this long.
REPLICA_PIN_SECONDS = envint("REPLICA_PIN_SECONDS", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Brute-force protection: lock a username from an address after repeated failures.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind nginx every request comes from 127.0.0.1; axes must lock out the real client.
AXES_CLIENT_IP_CALLABLE = "danvan.core.security_log.axes_client_address"
# Sign-in attempts one address may make per minute, whatever the user names.
LOGIN_ATTEMPTS_PER_MINUTE = envint("LOGIN_ATTEMPTS_PER_MINUTE", 20)
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        # ASVS 2.1.1: at least 12 characters.
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # ASVS 2.1.7-2.1.8: length is not enough; refuse repeats, sequences and keyboard runs.
    {"NAME": "danvan.accounts.passwords.GuessablePasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Languages: Vietnamese first, English, Arabic (right to left).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English")), ("ar", _("Arabic"))]
# The catalogues live inside the package (src/danvan/locale/vi, …/en, …/ar), so a wheel ships
# the compiled .mo files with the code (package-data in pyproject.toml).
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as Vietnamese and Arabic write them where Django's own formats do not (05/12/2026).
FORMAT_MODULE_PATH = ["danvan.formats"]
TIME_ZONE = envstr("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# The browser libraries come from npm (package-lock.json; `npm ci` in the Makefile) and are
# served from node_modules under /static/vendor/<name>/, never from a CDN. Only folders that
# exist are listed, so the project still starts (and `danvan check` stays quiet) before `npm ci`.
NODE_MODULES = BASE_DIR.parent.parent / "node_modules"
VENDOR_DIRS = {
    "bootstrap": "bootstrap/dist",
    "htmx": "htmx.org/dist",
    "echarts": "echarts/dist",
}
STATICFILES_DIRS = [
    (f"vendor/{name}", NODE_MODULES / folder)
    for name, folder in VENDOR_DIRS.items()
    if (NODE_MODULES / folder).is_dir()
]
# Uploaded and generated files are private: no URL serves MEDIA_ROOT (see urls.py); each file
# is read through a view that checks the person's scope.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(DATA_DIR / "media")))

# Background work (reports, large imports): the Django tasks API on a database queue, so no
# broker is needed; `danvan db_worker` runs the tasks. Tests and the single-process demo can
# set DANVAN_TASKS_IMMEDIATE=1 to run each task at once, in the process that enqueued it.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if envbool("DANVAN_TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

# Evidence uploads: size cap in bytes (default 20 MiB).
EVIDENCE_MAX_BYTES = envint("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
# Spreadsheet imports (docs/imports.md): the file's size, what a zip package (XLSX, ODS) may
# unpack to, and the rows of its sheet. nginx's client_max_body_size must stay above both caps.
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", 30 * 1024 * 1024)
IMPORT_MAX_UNPACKED_BYTES = envint("IMPORT_MAX_UNPACKED_BYTES", 400 * 1024 * 1024)
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 200_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Security: strict by default in production, relaxed only for the local demo over HTTP.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", PRODUCTION)
# ASVS 3.4.4: a secure cookie gets the __Host- prefix, which browsers accept only when it is
# Secure, for the whole site (Path=/) and set by the host itself (no Domain), so a sibling
# subdomain cannot plant or overwrite it.
if SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
if CSRF_COOKIE_SECURE:
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", PRODUCTION)
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Addresses of the proxies believed when they name the client in X-Forwarded-For (only with
# BEHIND_TLS_PROXY): nginx on the same machine by default (danvan.core.security_log).
SECURITY_TRUSTED_PROXIES = envlist("SECURITY_TRUSTED_PROXIES", ["127.0.0.1", "::1"])

# REST API v1: session (the web pages, with CSRF) or personal tokens; one error shape.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "danvan.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        # A write's permission is asked before its body is read (danvan.accounts.permissions).
        "danvan.accounts.permissions.WriteScope",
    ],
    "DEFAULT_PAGINATION_CLASS": "danvan.api.pagination.Pagination",
    # Lists filter through their selectors (docs/development.md: no django-filter).
    "DEFAULT_FILTER_BACKENDS": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "danvan.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "tokens": envstr("API_TOKEN_RATE", "10/minute"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON, with limits on depth and size (danvan.api.parsers). Only the uploads (imports,
    # evidence, an award's decision) also read multipart: a form cannot say null, a number or a
    # list, so elsewhere it would be read as something the client did not mean.
    "DEFAULT_PARSER_CLASSES": ["danvan.api.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "danvan API",
    "DESCRIPTION": (
        'Registry, review and statistics of the "Dân vận khéo" (Skilled Mass Mobilization) '
        "movement. Authenticate with a personal token: `Authorization: Token <key>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Error responses on every operation, closed request bodies (danvan.api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "danvan.api.schema.add_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "AreaKindEnum": "danvan.areas.models.AreaKind",
        "OrganisationKindEnum": "danvan.orgs.models.OrgKind",
        "ContributionKindEnum": "danvan.initiatives.catalogues.ContributionKind",
        "EvidenceKindEnum": "danvan.initiatives.catalogues.EvidenceKind",
        "InitiativeStatusEnum": "danvan.initiatives.catalogues.Status",
        "NotificationKindEnum": "danvan.notifications.models.NotificationKind",
        "AreaLevelEnum": "danvan.areas.models.AreaLevel",
        "RecognitionLevelEnum": "danvan.review.models.RecognitionLevel",
        "AwardStageEnum": "danvan.review.models.AwardStage",
        "InitiativeFieldEnum": "danvan.initiatives.catalogues.Field",
        "TransitionNameEnum": "danvan.review.api.serializers.TRANSITION_NAMES",
        "ReportKindEnum": "danvan.reports.models.ReportKind",
        "ImportKindEnum": "danvan.imports.models.ImportKind",
        "ImportStatusEnum": "danvan.imports.models.BatchStatus",
    },
}

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "danvan.core.mail.ConsoleEmailBackend")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "danvan@localhost")
# The SMTP server of the smtp backend: the province's mail server, or a relay on the machine.
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)

# Logs: one line per record, JSON for a collector or text; each carries the request id.
LOGGING = logging_config(
    log_format=envstr("DANVAN_LOG_FORMAT", "text"), level=envstr("LOG_LEVEL", "INFO")
)
# Operations (danvan.ops): /health/ thresholds.
HEALTH_TASK_MAX_AGE_MINUTES = envint("HEALTH_TASK_MAX_AGE_MINUTES", 10)
HEALTH_TASK_BACKLOG_MAX = envint("HEALTH_TASK_BACKLOG_MAX", 0)
HEALTH_TASK_MAX_RUNNING_MINUTES = envint("HEALTH_TASK_MAX_RUNNING_MINUTES", 60)
HEALTH_DISK_MIN_FREE_MB = envint("HEALTH_DISK_MIN_FREE_MB", 1024)
# Tasks waiting while no worker has written its heartbeat (danvan.core.worker) for this long:
# the workers stopped taking jobs.
HEALTH_WORKER_STALE_SECONDS = envint("HEALTH_WORKER_STALE_SECONDS", 120)
# Content-Security-Policy (django-csp): scripts, styles and images from the site itself only, no
# inline code, no plugins, no framing. The API documentation pages relax it for their own inline
# code (danvan.api_urls). CSP_REPORT_ONLY=1 sends it as Content-Security-Policy-Report-Only, to
# watch for violations before enforcing. (django-csp refuses a setting named CSP_REPORT_ONLY,
# the name of its old format, hence the underscore.)
_CSP_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
if envbool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP_POLICY
else:
    CONTENT_SECURITY_POLICY = _CSP_POLICY
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
