"""Base settings for Lantern, read from the environment (django-environ).

Every secret can also be given as a file (``NAME_FILE``), the way container and systemd secrets are mounted.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent.parent  # the checkout: src/lantern/settings -> repo root

env = environ.Env()


def secret(name: str, default: str | None = None) -> str | None:
    """Read a secret from ``NAME`` or from the file named by ``NAME_FILE``."""
    file_name = env.str(f"{name}_FILE", default="")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name} cannot be read: {exc}") from exc
    return env.str(name, default=default)


VAR_DIR = Path(env.str("LANTERN_VAR_DIR", default=str(BASE_DIR / "var")))

SECRET_KEY = secret("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# How many reverse proxies (nginx) stand in front; their X-Forwarded-For gives the client address.
LANTERN_TRUSTED_PROXIES = env.int("LANTERN_TRUSTED_PROXIES", default=0)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "lantern.authz",
    "lantern.web",
    "lantern.accounts",
    "lantern.audit",
    "lantern.screening",
    "lantern.cases",
    "lantern.referrals",
    "lantern.legal",
    "lantern.records",
    "lantern.dedup",
    "lantern.insights",
    "lantern.releases",
    "lantern.training",
    "lantern.campaigns",
    "lantern.public",
    "lantern.backups",
]

MIDDLEWARE = [
    "lantern.web.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lantern.web.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    # A database outage during a request answers 503 "not saved" with the input kept (lantern.web.db_errors).
    "lantern.web.db_errors.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The "Not saved" page's resend token passes the CSRF check (lantern.web.resend).
    "lantern.web.resend.ResendTokenMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lantern.accounts.middleware.InactivityTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lantern.authz.middleware.GateMiddleware",
    # An API write with an Idempotency-Key acts once; its answer is kept (lantern.web.api_idempotency).
    "lantern.web.api_idempotency.ApiIdempotencyMiddleware",
    # AxesMiddleware last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lantern.urls"
WSGI_APPLICATION = "lantern.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lantern.web.context_processors.shell",
            ],
        },
    }
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'lantern.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE serialises writers up front instead of failing half-way with "database is locked";
    # WAL lets readers go on while one writer works.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"

# django-axes: lock the username (from any address) after repeated failures.
AXES_FAILURE_LIMIT = env.int("LANTERN_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("LANTERN_LOGIN_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = ["username"]
# Wrong authentication codes are counted under their own name, which a correct password does not reset.
AXES_USERNAME_CALLABLE = "lantern.accounts.two_factor.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Lock by username only: reception centres share one public address, and locking that address would lock a
# whole centre out. Address-based limits on the sign-in page are nginx's job (deploy/nginx.conf).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions: server-side, short-lived, never readable by scripts.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 8 * 60 * 60
# The CSRF secret lives in the session: a tampered session cookie makes every form post fail with 403.
CSRF_USE_SESSIONS = True
CSRF_FAILURE_VIEW = "lantern.web.views.csrf_failure"
# Minutes of inactivity before a user is signed out (roles that see personal data / other roles).
LANTERN_INACTIVITY_MINUTES_PERSONAL = env.int("LANTERN_INACTIVITY_MINUTES_PERSONAL", default=15)
LANTERN_INACTIVITY_MINUTES_OTHER = env.int("LANTERN_INACTIVITY_MINUTES_OTHER", default=60)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A strict CSP: scripts and styles only from our own static files, nothing inline, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("el", _("Greek")),
    ("ar", _("Arabic")),
]
LANGUAGES_BIDI = ["ar", "fa", "he", "ur"]
# Catalogues live in each app (src/lantern/<app>/locale/); no project-wide LOCALE_PATHS to override them.
LOCALE_PATHS: list[Path] = []
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "lantern.accounts.api_auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["lantern.authz.api.GatePermission"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "lantern.web.api_pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["lantern.web.api_parsers.DepthLimitedJSONParser"],
    "EXCEPTION_HANDLER": "lantern.authz.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "600/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lantern API",
    "DESCRIPTION": "Identification, referral and support of presumed victims of trafficking. "
    "Every endpoint goes through Lantern's authorisation gate; objects of other organisations answer 404.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Several models have a "status": named enums keep the schema's names stable.
    "ENUM_NAME_OVERRIDES": {"HandoverStatusEnum": "lantern.cases.models.HandoverStatus"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "lantern.authz.api_schema.document_error_responses",
        "lantern.web.api_idempotency.document_idempotency_key",
    ],
}

# Encryption of identifying data: a keyring file (see lantern.crypto). No key, no start.
LANTERN_KEYRING_FILE = env.str("LANTERN_KEYRING_FILE", default=str(VAR_DIR / "keyring.json"))
LANTERN_KEYRING = env.str("LANTERN_KEYRING", default="")  # inline JSON, else the file above

# Documents: the largest upload accepted (nginx's client_max_body_size must allow it).
LANTERN_MAX_UPLOAD_MB = env.int("LANTERN_MAX_UPLOAD_MB", default=10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # form fields (not files): Django's default, stated on purpose
# Retention: a closed case is anonymised this many days after closing (`lantern retention run`).
LANTERN_RETENTION_DAYS_AFTER_CLOSE = env.int("LANTERN_RETENTION_DAYS_AFTER_CLOSE", default=1826)
# Backups (`lantern backup` / `lantern restore`): encrypted with their own key, kept this many days. The
# erasure ledger file must live outside the backups: it is replayed after a restore (see lantern.backups).
# Empty paths mean "under VAR_DIR": backups/, backup.key and erasure-ledger.jsonl.
LANTERN_BACKUP_DIR = env.str("LANTERN_BACKUP_DIR", default="")
LANTERN_BACKUP_KEY_FILE = env.str("LANTERN_BACKUP_KEY_FILE", default="")
LANTERN_BACKUP_KEEP_DAYS = env.int("LANTERN_BACKUP_KEEP_DAYS", default=35)
LANTERN_ERASURE_LEDGER_FILE = env.str("LANTERN_ERASURE_LEDGER_FILE", default="")
# Signed checkpoints of the audit chain (`lantern audit checkpoint`), outside the database; empty means
# VAR_DIR/audit-checkpoints/. Keep a copy off the server (docs/runbook.md).
LANTERN_AUDIT_CHECKPOINT_DIR = env.str("LANTERN_AUDIT_CHECKPOINT_DIR", default="")
# Training certificates expire this many days after they are issued.
LANTERN_CERTIFICATE_VALID_DAYS = env.int("LANTERN_CERTIFICATE_VALID_DAYS", default=730)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "lantern.web.log_format.RequestContextFilter"}},
    "formatters": {"json": {"()": "lantern.web.log_format.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_context"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LANTERN_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
