"""Settings, read from environment variables.

Development defaults are safe to run on a laptop (SQLite, in-process tasks, DEBUG on).
Production (``DJANGO_DEBUG=false``) refuses to start without a real secret key.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DJANGO_DEBUG", "true")
SECRET_KEY = os.getenv("DJANGO_SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 32 characters "
        "when DJANGO_DEBUG is false."
    )

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "core",
    "clusters",
    "pledges",
    "meetings",
    "scoring",
    "votes",
    "awards",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.RequestSizeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
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

DATABASES = {
    "default": dj_database_url.parse(
        os.getenv("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", "0"),
        # A kept connection is checked before a request reuses it (the server may have
        # restarted or dropped it meanwhile).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # ``QuerySet.iterator()`` (which every model select of a form uses for its options)
    # would otherwise declare a cursor on the server, fetch from it and close it: three
    # round trips instead of one, for lists of a few dozen rows. Nothing here streams a
    # result too big to hold, and a pooler in transaction mode needs this anyway.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    # Statements are prepared only where a query asks for it (``core.sql.planned_once``):
    # a threshold no query reaches by repetition, where Django's default (None) would
    # refuse even those.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 2**31 - 1)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A transaction that writes takes SQLite's write lock when it begins, so two writers
    # queue (up to the timeout) instead of one failing with "database is locked" when
    # both read first (simultaneous ballots on the embedded server).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses a locked account-and-address pair before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reports:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Language: Vietnamese unless the user picked English with the switch (a cookie).
# The browser's Accept-Language is deliberately ignored: officials' browsers are
# often set to English while they expect the Vietnamese interface.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
FORMAT_MODULE_PATH = ["config.formats"]
# Grouping is applied where a template asks for it (the ``number`` filter), so that
# years and codes are never printed as "2.023".
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end libraries come from npm (package.json + lockfile), never from a CDN.
    ("vendor/bootstrap", BASE_DIR / "node_modules/bootstrap/dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules/bootstrap-icons/font"),
    ("vendor/htmx", BASE_DIR / "node_modules/htmx.org/dist"),
    ("vendor/tom-select", BASE_DIR / "node_modules/tom-select/dist"),
    ("vendor/flatpickr", BASE_DIR / "node_modules/flatpickr/dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded files live outside the static root and are served only through
# permission-checked views.
MEDIA_ROOT = Path(os.getenv("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# No request body may be larger (files included): refused before it is read.
MAX_REQUEST_BYTES = envint("THIDUA_MAX_REQUEST_MB", "30") * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

FILTERS_EMPTY_CHOICE_LABEL = _("— all —")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The cache: Redis when configured (shared by every worker process: the throttles count
# across them), the process's memory otherwise (the embedded single-process server).
CACHE_REDIS_URL = os.getenv("CACHE_REDIS_URL", "")
if CACHE_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The throttles count in this cache: production needs the shared one (a deploy check,
# votes.checks, says so).
# Wrong ballot codes allowed per address (see votes.public), as django-ratelimit writes a
# rate: count / period (s, m, h, d; e.g. 10m for ten minutes).
BALLOT_CODE_FAILURE_RATE = os.getenv("THIDUA_BALLOT_CODE_FAILURE_RATE", "30/10m")

# Background jobs: Redis when configured, in-process otherwise.
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.getenv("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A background file still waiting after this many seconds means no worker is answering:
# its page offers to build it at once instead. A file being built this long is stuck.
EXPORT_WAIT_SECONDS = int(os.getenv("EXPORT_WAIT_SECONDS", "90"))
EXPORT_STUCK_SECONDS = int(os.getenv("EXPORT_STUCK_SECONDS", "1800"))
# How many files one user may have waiting or being built at once.
EXPORTS_UNFINISHED_PER_USER = int(os.getenv("EXPORTS_UNFINISHED_PER_USER", "3"))

SESSION_COOKIE_AGE = envint("DJANGO_SESSION_AGE", str(8 * 3600))


def envheader(name: str, default: str) -> tuple[str, str] | None:
    """``X-Forwarded-Proto=https`` as Django's ``("HTTP_X_FORWARDED_PROTO", "https")``;
    empty for none."""
    value = os.getenv(name, default).strip()
    if not value:
        return None
    header, sep, expected = (part.strip() for part in value.partition("="))
    if not sep or not header or not expected:
        raise ImproperlyConfigured(f"{name} must read HEADER=value, not {value!r}")
    return "HTTP_" + header.upper().replace("-", "_"), expected


if not DEBUG:
    SESSION_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", "true")
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # The reverse proxy terminates HTTPS and says so in this header; it must set (or
    # strip) the header on every request, or a client could claim HTTPS itself.
    SECURE_PROXY_SSL_HEADER = envheader("DJANGO_SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto=https")
    # HTTPS by default wherever the cookies are secure (everywhere but a closed network
    # on plain HTTP): plain-HTTP requests are redirected, and browsers told to keep to
    # HTTPS for a year.
    SECURE_SSL_REDIRECT = envbool("DJANGO_SSL_REDIRECT", str(SESSION_COOKIE_SECURE))
    SECURE_HSTS_SECONDS = envint(
        "DJANGO_HSTS_SECONDS", str(365 * 24 * 3600) if SESSION_COOKIE_SECURE else "0"
    )
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", "true")
    SECURE_HSTS_PRELOAD = envbool("DJANGO_HSTS_PRELOAD", "true")
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from this site
# only, nothing inline. The one exception is the <style> inside a server-drawn chart's
# SVG, which carries the request's nonce (the ``chart`` template tag); the nonce
# appears in the header only on pages that show a chart.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        # Bootstrap draws its form controls' icons as data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features no page of the product uses, turned off for every page (and for
# anything a page could embed).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
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

# Login throttling (django-axes): after THIDUA_LOGIN_FAILURES wrong passwords in a row
# for one account from one address, the next wrong one locks that pair for
# THIDUA_LOGIN_LOCK_MINUTES; other addresses and other accounts are not affected. Staff
# unlock in the admin (Axes › Access attempts) or with
# ``manage.py axes_reset_username USERNAME``.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
LOGIN_FAILURES = envint("THIDUA_LOGIN_FAILURES", "5")
LOGIN_LOCK_MINUTES = envint("THIDUA_LOGIN_LOCK_MINUTES", "15")
if LOGIN_FAILURES < 1 or LOGIN_LOCK_MINUTES < 1:
    raise ImproperlyConfigured(
        "THIDUA_LOGIN_FAILURES and THIDUA_LOGIN_LOCK_MINUTES must be at least 1."
    )
AXES_FAILURE_LIMIT = LOGIN_FAILURES + 1
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCK_MINUTES)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# The client's address is REMOTE_ADDR, unless THIDUA_CLIENT_IP_HEADER names the header
# in which the reverse proxy passes it on. The proxy must overwrite that header on every
# request with the address it sees (nginx: ``proxy_set_header X-Real-IP $remote_addr;``),
# or a client could choose its own address.
CLIENT_IP_HEADER = os.getenv("THIDUA_CLIENT_IP_HEADER", "").strip()
AXES_IPWARE_META_PRECEDENCE_ORDER = [
    *(["HTTP_" + CLIENT_IP_HEADER.upper().replace("-", "_")] if CLIENT_IP_HEADER else []),
    "REMOTE_ADDR",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("DJANGO_LOG_LEVEL", "WARNING")},
}

# Page sizes of list pages.
PAGE_SIZE = envint("THIDUA_PAGE_SIZE", "50")
