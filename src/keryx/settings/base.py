"""Keryx settings, read from the environment (django-environ).

One code path serves both shapes: with no ``DATABASE_URL`` Keryx is *embedded* (SQLite in WAL
mode and a SQLite Huey queue under ``KERYX_HOME``); with ``DATABASE_URL=postgres://…`` and
``REDIS_URL=redis://…`` it is *scaled out* (any number of web and worker processes).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import environ
from django.utils.translation import gettext_lazy as _

from keryx.settings.paths import PACKAGE_DIR, keryx_home, read_or_create_secret

env = environ.Env()

KERYX_HOME: Path = keryx_home()
BASE_DIR = PACKAGE_DIR

DEBUG = env.bool("KERYX_DEBUG", default=False)

# --- secrets -------------------------------------------------------------------------------
# Given by the environment in the scaled shape (every machine must share them); generated on
# first run and kept in KERYX_HOME (0600) in the embedded shape.
KERYX_SECRET_FROM_FILE = not env.str("KERYX_SECRET_KEY", default="")
SECRET_KEY = env.str("KERYX_SECRET_KEY", default="") or read_or_create_secret(
    KERYX_HOME / "secret_key", kind="django"
)
KERYX_ENCRYPTION_KEYS_FROM_FILE = not env.str("KERYX_ENCRYPTION_KEYS", default="")
KERYX_ENCRYPTION_KEYS: list[str] = env.list("KERYX_ENCRYPTION_KEYS", default=[]) or [
    read_or_create_secret(KERYX_HOME / "encryption_key", kind="fernet")
]

# Default: where `keryx serve` listens on this machine (PORT, as `make run` passes it).
KERYX_BASE_URL: str = env.str(
    "KERYX_BASE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}"
).rstrip("/")
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[KERYX_BASE_URL])

# --- apps ----------------------------------------------------------------------------------
INSTALLED_APPS = [
    "keryx.core",
    "keryx.accounts",
    "keryx.seminars",
    "keryx.networks",
    "keryx.content",
    "keryx.notifications",
    "keryx.publishing",
    "keryx.registrations",
    "keryx.links",
    "keryx.insights",
    "keryx.privacy",
    "keryx.surveys",
    "keryx.community",
    "keryx.live",
    "keryx.analytics",
    "keryx.inbox",
    "keryx.web",
    "keryx.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "ninja",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "keryx.core.observability.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "keryx.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "keryx.urls"
WSGI_APPLICATION = "keryx.wsgi.application"
ASGI_APPLICATION = "keryx.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "keryx.web.context.navigation",
                "keryx.notifications.context.unread",
                "keryx.publishing.context.active_pauses",
            ],
        },
    },
]

# --- database ------------------------------------------------------------------------------
_SQLITE_OPTIONS: dict[str, Any] = {
    # WAL lets readers and the writer work together; IMMEDIATE transactions take the write
    # lock up front so two writers queue instead of failing with "database is locked".
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
        "PRAGMA busy_timeout=20000;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def database_config(url: str | None) -> dict[str, Any]:
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(KERYX_HOME / "keryx.sqlite3"),
            "OPTIONS": dict(_SQLITE_OPTIONS),
        }
    config: dict[str, Any] = environ.Env.db_url_config(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = dict(_SQLITE_OPTIONS)
    else:
        # Web processes serve Django over ASGI, where every request runs in a thread of its own:
        # persistent connections would pile up one per request (`keryx web` sets 0); workers
        # keep theirs.
        config.setdefault("CONN_MAX_AGE", env.int("KERYX_DB_CONN_MAX_AGE", default=60))
        config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASES = {"default": database_config(env.str("DATABASE_URL", default="") or None)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
KERYX_EMBEDDED = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"

# --- queue and cache ---------------------------------------------------------------------
REDIS_URL: str = env.str("REDIS_URL", default="")


def huey_config(redis_url: str, *, immediate: bool = False) -> dict[str, Any]:
    common: dict[str, Any] = {
        "name": "keryx",
        "immediate": immediate,
        "consumer": {
            "workers": env.int("KERYX_WORKER_THREADS", default=4),
            "worker_type": "thread",
            # SIGTERM (systemd, containers, `keryx serve`) lets running tasks finish;
            # queued tasks stay in the queue's storage either way.
            "graceful_signal": "TERM",
        },
    }
    if redis_url:
        # Redis blocks on the queue: a worker wakes as soon as a message arrives.
        return {**common, "huey_class": "huey.RedisHuey", "connection": {"url": redis_url}}
    # SQLite is polled; an idle worker looks at least once a second (Huey's default backs off
    # to 10 s, which would make a due post up to 10 s late).
    common["consumer"]["max_delay"] = 1.0
    return {
        **common,
        "huey_class": "huey.SqliteHuey",
        "filename": str(KERYX_HOME / "queue.sqlite3"),
    }


HUEY = huey_config(REDIS_URL)

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "keryx",
        }
    }
else:
    # The embedded shape runs one web process, so its memory is the whole cache.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- publishing --------------------------------------------------------------------------
# docs/publishing.md explains each knob; per-network caps and quotas are declared in
# keryx/publishing/limits.py and may be overridden here, e.g.
# KERYX_PUBLISH_LIMITS='{"instagram": {"concurrency": 2, "quota": 25}}'.
KERYX_PUBLISHING: dict[str, Any] = {
    "RETRY_BASE_SECONDS": env.float("KERYX_PUBLISH_RETRY_BASE", default=30.0),
    "MAX_TRIES": env.int("KERYX_PUBLISH_MAX_TRIES", default=5),
    "STUCK_AFTER_SECONDS": env.float("KERYX_PUBLISH_STUCK_AFTER", default=300.0),
    "RECONCILE_AFTER_SECONDS": env.float("KERYX_PUBLISH_RECONCILE_AFTER", default=60.0),
    "SWEEP_SECONDS": env.int("KERYX_PUBLISH_SWEEP_SECONDS", default=20),
    "REDELIVER_SECONDS": env.float("KERYX_PUBLISH_REDELIVER_SECONDS", default=120.0),
    "MAX_LATENESS_HOURS": env.float("KERYX_PUBLISH_MAX_LATENESS_HOURS", default=6.0),
    "BATCH_SIZE": env.int("KERYX_PUBLISH_BATCH_SIZE", default=25),
    "SENDER_THREADS": env.int("KERYX_PUBLISH_SENDER_THREADS", default=64),
    "LIMITS": env.json("KERYX_PUBLISH_LIMITS", default={}),
}
# A local HTTP "network" for tests, benchmarks and demos; never offered to real users.
KERYX_ENABLE_TEST_NETWORK = env.bool("KERYX_ENABLE_TEST_NETWORK", default=False)

# --- tracked links (keryx.links) ------------------------------------------------------------
# Where the redirect puts click events before the database: "memory" (a queue in the web
# process, written in batches by a thread), "redis" (a Redis stream that `keryx worker` drains)
# or "spool" (anonymous batch files under KERYX_HOME/clicks-spool that `keryx worker` stores).
KERYX_CLICKS_QUEUE: str = env.str("KERYX_CLICKS_QUEUE", default="redis" if REDIS_URL else "spool")
# Seconds between two batches of the click writer (a batch is also written at shutdown).
KERYX_CLICKS_INTERVAL: float = env.float("KERYX_CLICKS_INTERVAL", default=0.2)
# Reverse proxies in front of Keryx that append to X-Forwarded-For (0: the socket's address).
KERYX_PROXY_COUNT: int = env.int("KERYX_PROXY_COUNT", default=0)
KERYX_GA4_ENDPOINT: str = env.str(
    "KERYX_GA4_ENDPOINT", default="https://www.google-analytics.com/mp/collect"
)

# --- auth ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_ADAPTER = "keryx.accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
KERYX_OPEN_SIGNUP = env.bool("KERYX_OPEN_SIGNUP", default=False)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Keryx"

AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False

# --- security ----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the meta tag, not the cookie
CSRF_FAILURE_VIEW = "keryx.web.errors.csrf_failure"  # translated, with the menu
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
_HTTPS = KERYX_BASE_URL.startswith("https://")
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_SSL_REDIRECT = env.bool("KERYX_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _HTTPS else None
SECURE_HSTS_SECONDS = env.int("KERYX_HSTS_SECONDS", default=31536000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
# Django's deployment checks that are the operator's choices, not Keryx's (decision 0747):
# HSTS for the subdomains of someone else's domain and the browsers' preload list (W005,
# W021), and the redirect to HTTPS, which the proxy in front does (W008; KERYX_SSL_REDIRECT
# turns it on here). `keryx check` is then clean for a proper configuration.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W008", "security.W021"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Inline *styles* are allowed for the vendored widgets that set them (FullCalendar,
        # Chart.js); inline *scripts* never are. See docs/decisions/0004-csp.md.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- i18n ----------------------------------------------------------------------------------
LANGUAGE_CODE = env.str("KERYX_LANGUAGE", default="en")
LANGUAGES = [("el", _("Greek")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "keryx_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = env.str("KERYX_TIME_ZONE", default="Europe/Athens")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS: list[str] = []
FORMAT_MODULE_PATH = ["keryx.formats"]
USE_THOUSAND_SEPARATOR = False  # ids in templates must never be grouped; use |intcomma for figures

# --- files ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.str("KERYX_STATIC_ROOT", default=str(KERYX_HOME / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("KERYX_MEDIA_ROOT", default=str(KERYX_HOME / "media"))
# Static files are collected by `keryx serve` / `keryx web` and served by granian itself
# (hashed names, long cache); the reverse proxy may serve them instead in the scaled shape.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
KERYX_DJANGO_SERVES_MEDIA = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- e-mail --------------------------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS", False))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL", False))
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str("KERYX_FROM_EMAIL", default="Keryx <keryx@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- API -----------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 200

# --- network apps: Facebook, Instagram, Threads, LinkedIn (docs/networks/<key>.md) ---------
KERYX_META_APP_ID: str = env.str("KERYX_META_APP_ID", default="")
KERYX_META_APP_SECRET: str = env.str("KERYX_META_APP_SECRET", default="")
KERYX_THREADS_APP_ID: str = env.str("KERYX_THREADS_APP_ID", default="")
KERYX_THREADS_APP_SECRET: str = env.str("KERYX_THREADS_APP_SECRET", default="")
KERYX_LINKEDIN_CLIENT_ID: str = env.str("KERYX_LINKEDIN_CLIENT_ID", default="")
KERYX_LINKEDIN_CLIENT_SECRET: str = env.str("KERYX_LINKEDIN_CLIENT_SECRET", default="")
# The LinkedIn API version (YYYYMM) Keryx speaks; LinkedIn supports each for at least a year.
KERYX_LINKEDIN_VERSION: str = env.str("KERYX_LINKEDIN_VERSION", default="202607")
# Organisation pages need LinkedIn's Community Management API; a member-only app sets
# "openid profile w_member_social".
KERYX_LINKEDIN_SCOPES: str = env.str(
    "KERYX_LINKEDIN_SCOPES",
    default="openid profile w_member_social r_organization_social w_organization_social "
    "rw_organization_admin",
)

# KERYX_LOG_FORMAT=json: one JSON object a line (keryx.core.logs.JsonFormatter).
KERYX_LOG_FORMAT: str = env.str("KERYX_LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "keryx.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if KERYX_LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("KERYX_LOG_LEVEL", default="INFO")},
    "loggers": {
        "huey": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}

# --- networks ------------------------------------------------------------------------------
# The developer apps Keryx authorises as; docs/networks/<key>.md says how to create each.
# Empty: that network's "Connect" button explains what the administrator must set.
KERYX_X_CLIENT_ID: str = env.str("KERYX_X_CLIENT_ID", default="")
KERYX_X_CLIENT_SECRET: str = env.str("KERYX_X_CLIENT_SECRET", default="")
# Signed webhooks (docs/networks/README.md#reading-back): Meta's verify token (any secret
# string, typed again in the app's Webhooks settings) and X's consumer secret (its CRC).
KERYX_META_WEBHOOK_VERIFY_TOKEN: str = env.str("KERYX_META_WEBHOOK_VERIFY_TOKEN", default="")
KERYX_X_CONSUMER_SECRET: str = env.str("KERYX_X_CONSUMER_SECRET", default="")
# Facebook, Instagram, Threads, LinkedIn: KERYX_META_APP_ID, KERYX_THREADS_APP_ID and
# KERYX_LINKEDIN_CLIENT_ID (+ _SECRET), set with their connectors.
# Mastodon and Bluesky need no app credentials: Keryx registers itself with each Mastodon
# server, and Bluesky accounts sign in with an app password.
KERYX_BLUESKY_DEFAULT_PDS: str = env.str("KERYX_BLUESKY_DEFAULT_PDS", default="https://bsky.social")
# Allow http:// and private addresses for servers and webhooks users type in (a LAN server,
# development, tests). Off in production: Keryx then only calls public https:// addresses.
KERYX_ALLOW_PRIVATE_URLS: bool = env.bool("KERYX_ALLOW_PRIVATE_URLS", default=DEBUG)

# --- operations ----------------------------------------------------------------------------
# /metrics (Prometheus) answers only a request with "Authorization: Bearer <this token>";
# unset, the endpoint does not exist. /healthz and /readyz need no token.
KERYX_METRICS_TOKEN: str = env.str("KERYX_METRICS_TOKEN", default="")
# --- real-time (keryx.core.realtime) --------------------------------------------------------
# Seconds between two reads of the events table when no wake-up signal came (events written
# by another process without Redis: the embedded shape's worker).
KERYX_EVENTS_POLL: float = env.float("KERYX_EVENTS_POLL", default=1.0)
# A coalesced event (a poll's counts) is built and published at most this often per process.
KERYX_EVENTS_COALESCE: float = env.float("KERYX_EVENTS_COALESCE", default=0.25)
# An SSE stream sends at most one batch per interval, and a comment after this much silence.
KERYX_SSE_INTERVAL: float = env.float("KERYX_SSE_INTERVAL", default=0.2)
KERYX_SSE_HEARTBEAT: float = env.float("KERYX_SSE_HEARTBEAT", default=15.0)
# The vote fast path (docs/live.md): off answers every vote through Django; its writer commits
# at most one batch of votes per this many milliseconds.
KERYX_LIVE_FAST_VOTES: bool = env.bool("KERYX_LIVE_FAST_VOTES", default=True)
KERYX_LIVE_GROUP_COMMIT_MS: float = env.float("KERYX_LIVE_GROUP_COMMIT_MS", default=10.0)
# Django requests one web process handles at once (each holds a thread and a database
# connection under ASGI); the rest wait their turn. Fast paths and SSE streams do not count.
KERYX_WEB_CONCURRENCY: int = env.int("KERYX_WEB_CONCURRENCY", default=24)

# --- AI drafting (keryx.insights.ai_client; docs/insights.md, "AI drafting") ------------------
# Off unless KERYX_AI_URL is set: the base URL of any OpenAI-compatible server, with its /v1
# (https://api.openai.com/v1, a local http://127.0.0.1:8080/v1). KERYX_AI_KEY may stay empty
# for a local server that takes no key. Only the seminar's public description and the user's
# own draft are sent (decision 0910).
KERYX_AI_URL: str = env.str("KERYX_AI_URL", default="")
KERYX_AI_MODEL: str = env.str("KERYX_AI_MODEL", default="")
KERYX_AI_KEY: str = env.str("KERYX_AI_KEY", default="")
# Seconds to wait for one answer; then the composer says so and keeps what the user wrote.
KERYX_AI_TIMEOUT: float = env.float("KERYX_AI_TIMEOUT", default=20.0)
# Suggestions one user may ask for in ten minutes (a rewrite asked twice counts once).
KERYX_AI_RATE_LIMIT: int = env.int("KERYX_AI_RATE_LIMIT", default=30)
