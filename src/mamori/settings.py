"""mamori settings: one module, configured only through MAMORI_* environment variables.

See README.md "Configuration" for the list. Bad values stop start-up with a message
naming the variable (mamori.config.ConfigError).
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from mamori.config import ConfigError, Env, email_backend, redact_url, secret_key
from mamori.rules import roles as role_catalogue

env = Env()

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env.str("DATA_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env.bool("DEBUG", False)
SECRET_KEY = secret_key(env, debug=DEBUG, data_dir=DATA_DIR)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ConfigError("MAMORI_ALLOWED_HOSTS is required when MAMORI_DEBUG is off")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "ninja",  # serves the API docs' assets locally (closed network, strict CSP)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "mamori.web",
    "mamori.org",
    "mamori.systems",
    "mamori.trail",
    "mamori.notices",
    "mamori.approvals",
    "mamori.assets",
    "mamori.incidents",
    "mamori.compliance",
    "mamori.compliance.assessments",
    "mamori.compliance.audits",
    "mamori.compliance.exceptions",
    "mamori.sharing",
    "mamori.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "mamori.web.middleware.MfaRequiredMiddleware",
]

ROOT_URLCONF = "mamori.urls"
WSGI_APPLICATION = "mamori.wsgi.application"
ASGI_APPLICATION = "mamori.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "mamori.web.context.navigation",
            ],
        },
    }
]

# --- database ---------------------------------------------------------------
_default_db = f"sqlite:///{DATA_DIR / 'mamori.sqlite3'}"
_db_url = env.str("DATABASE_URL", _default_db)
try:
    _db = dj_database_url.parse(_db_url, conn_max_age=env.int("DB_CONN_MAX_AGE", 60))
except (ValueError, KeyError) as exc:
    raise ConfigError(f"MAMORI_DATABASE_URL={redact_url(_db_url)!r}: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        # WAL lets readers go on while one writer commits; IMMEDIATE avoids
        # "database is locked" upgrades inside write transactions.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    if _db["NAME"] not in ("", ":memory:"):
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif _db["ENGINE"] not in ("django.db.backends.postgresql",):
    raise ConfigError(
        f"MAMORI_DATABASE_URL={redact_url(_db_url)!r}: only sqlite:// and postgres:// are supported"
    )
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # The database cache is shared by every app process, so login throttling and
    # lock-out hold across processes behind a proxy.
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "mamori_cache",
    }
}

# --- background work ----------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.choice(
            "TASKS_BACKEND",
            "django_tasks_db.DatabaseBackend",
            {"django_tasks_db.DatabaseBackend", "django_tasks.backends.immediate.ImmediateBackend"},
        )
    }
}

# --- authentication -----------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_ADAPTER = "mamori.web.auth.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
LOGIN_FAILURES_ALLOWED = env.int("LOGIN_FAILURES", 5, minimum=1, maximum=100)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1, maximum=24 * 60)
ACCOUNT_RATE_LIMITS = {
    # After LOGIN_FAILURES failed attempts on one account, that account is locked
    # for LOGIN_LOCKOUT_MINUTES; an address trying many accounts is throttled too.
    "login_failed": f"30/m/ip,{LOGIN_FAILURES_ALLOWED}/{LOGIN_LOCKOUT_MINUTES * 60}s/key",
    "login": "60/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_ISSUER", "mamori")
MFA_RECOVERY_CODE_COUNT = 10
# Roles whose holders must use a second factor: those who see the whole organisation,
# handle incidents or audit (統一基準 7.1.1 主体認証 for privileged users).
MFA_REQUIRED_ROLES = env.list(
    "MFA_REQUIRED_ROLES",
    [
        "ciso",
        "deputy_ciso",
        "chief_isec_officer",
        "cio",
        "csirt_lead",
        "csirt",
        "cymat",
        "isec_auditor",
        "ia_chief",
        "ia_audit_chief",
        "ia_audit_officer",
        "incident_chief",
        "pii_chief",
        "pii_auditor",
        "cip_nisc",
        "cip_liaison",
    ],
)
MFA_REQUIRED_FOR_ALL = env.bool("MFA_REQUIRED_FOR_ALL", False)
_unknown_roles = set(MFA_REQUIRED_ROLES) - set(role_catalogue.catalogue())
if _unknown_roles:
    raise ConfigError(f"MAMORI_MFA_REQUIRED_ROLES: unknown role codes {sorted(_unknown_roles)}")
if not MFA_REQUIRED_ROLES and not MFA_REQUIRED_FOR_ALL:
    raise ConfigError(
        "MAMORI_MFA_REQUIRED_ROLES is empty: name at least one role "
        "or set MAMORI_MFA_REQUIRED_FOR_ALL=true"
    )

AUTH_PASSWORD_VALIDATORS = [
    # Length over complexity and nothing derived from the user's own details
    # (統一基準(R7) 8.1.1(6) 解説「推測されないもの」); no forced periodic change.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", 12, minimum=8, maximum=128)},
    },
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "first_name", "last_name", "email")},
    },
    {"NAME": "mamori.web.passwords.NotDerivedFromNameValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- sessions and security headers -------------------------------------------
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", 30, minimum=1, maximum=24 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True  # the age counts from the last request: an idle timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE = env.bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- uploads --------------------------------------------------------------------
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", 10, minimum=1, maximum=1024) * 1024 * 1024
UPLOAD_ALLOWED_TYPES = env.list(
    "UPLOAD_TYPES",
    ["pdf", "txt", "csv", "png", "jpg", "jpeg", "docx", "xlsx", "pptx", "odt", "ods", "zip"],
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"  # never served directly: downloads go through permission-checked views

# --- e-mail -----------------------------------------------------------------------
globals().update(email_backend(env.str("EMAIL_URL", "console:")))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "mamori@localhost")
SITE_URL = env.str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- language and time ------------------------------------------------------------
_LANGUAGE_NAMES = {"ja": _("日本語"), "en": _("English")}
LANGUAGE_CODE = "ja"
LANGUAGES = [
    (code, _LANGUAGE_NAMES[code])
    for code in env.list("LANGUAGES", ["ja", "en"])
    if code in _LANGUAGE_NAMES
]
if not LANGUAGES or LANGUAGES[0][0] != "ja":
    raise ConfigError("MAMORI_LANGUAGES must list ja first (e.g. ja,en)")
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Tokyo"
USE_TZ = True

# --- static files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", str(DATA_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names in production (run `mamori collectstatic`); plain names
    # straight from the source folders when MAMORI_STATIC_MANIFEST is off (debug, tests).
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not env.bool("STATIC_MANIFEST", not DEBUG)

# --- information handling ----------------------------------------------------------
# An agency's own policy file (YAML) that tightens the baseline handling rules. It is
# checked at start-up: a file that would loosen any baseline rule stops the process
# with the clause it conflicts with.
HANDLING_POLICY_FILE = env.str("HANDLING_POLICY", "")
HANDLING_POLICY = None
if HANDLING_POLICY_FILE:
    from mamori.rules.policy import PolicyError, load_policy_file

    try:
        HANDLING_POLICY = load_policy_file(HANDLING_POLICY_FILE)
    except (OSError, PolicyError) as exc:
        raise ConfigError(f"MAMORI_HANDLING_POLICY={HANDLING_POLICY_FILE!r}: {exc}") from None

# --- incidents -------------------------------------------------------------------------
# Hours given for a report the rules require 速やかに ("promptly", no fixed time in the
# seeds): the due time of such reporting-chain items. 直ちに items are due at once.
INCIDENT_PROMPTLY_HOURS = env.int("INCIDENT_PROMPTLY_HOURS", 24, minimum=1, maximum=720)

# --- audit trail ---------------------------------------------------------------------
TRAIL_SEGMENT_SIZE = env.int("TRAIL_SEGMENT_SIZE", 1000, minimum=10, maximum=1_000_000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env.choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"}),
    },
    # WeasyPrint reports every rendering step at INFO ("Step 2 - Fetching and parsing
    # CSS"), even for its own stylesheet on import: noise in the server's output.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
