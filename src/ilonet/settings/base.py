"""Settings shared by every profile, read from the environment (12-factor).

Every variable is documented in README.md ("Configuration"). Bad values fail at start-up.
"""

from datetime import date
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parent.parent  # src/ilonet
BASE_DIR = SRC_DIR.parent.parent  # repository root

env = environ.Env()
DATA_DIR = Path(env.str("ILONET_DATA_DIR", default=str(BASE_DIR / "var")))

SECRET_KEY = env.str("ILONET_SECRET_KEY", default="")
DEBUG = env.bool("ILONET_DEBUG", default=False)
ALLOWED_HOSTS = env.list("ILONET_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("ILONET_CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'ilonet.sqlite3'}")}
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
):
    raise ImproperlyConfigured("DATABASE_URL must be a sqlite:// or postgres:// URL.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with the audit events of a transaction appended just before it commits:
    # the audit chain's head is locked for the commit only (ilonet.audit.db.postgresql).
    DATABASES["default"]["ENGINE"] = "ilonet.audit.db.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the single writer; IMMEDIATE avoids upgrade deadlocks. The
    # PRAGMAs run once per connection, and connections persist across requests (below):
    # opening one and setting them cost a third of a bare signed-in request (docs/benchmarks.md).
    # secure_delete: a deleted or overwritten value is zeroed in the file, not left in a free page
    # (the erasure jobs then checkpoint the log, ``ilonet.shared.wipe``; GDPR Art. 17, Art. 10(2)).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000; PRAGMA secure_delete=ON;",
    }
# Keep connections open between requests and between jobs (the worker checks them after each
# job): opening a connection costs more than most requests, and closing the last SQLite
# connection checkpoints its write-ahead log.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("ILONET_DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A PostgreSQL streaming replica the report pages read from (ilonet.shared.replica): a page falls
# back to the primary when the replica is down or more than REPLICA_MAX_LAG_SECONDS behind,
# checked at most every REPLICA_CHECK_SECONDS per process. Writes never go there.
REPLICA_DATABASE_URL = env.str("ILONET_REPLICA_DATABASE_URL", default="")
REPLICA_MAX_LAG_SECONDS = env.float("ILONET_REPLICA_MAX_LAG_SECONDS", default=30.0)
REPLICA_CHECK_SECONDS = env.float("ILONET_REPLICA_CHECK_SECONDS", default=5.0)
if REPLICA_DATABASE_URL:
    DATABASES["replica"] = env.db_url_config(REPLICA_DATABASE_URL)
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("ILONET_REPLICA_DATABASE_URL must be a postgres:// URL.")
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "ILONET_REPLICA_CONNECT_TIMEOUT", default=2
    )
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # Tests run on one database: the replica alias is the default database's connection.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["ilonet.shared.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_countries",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "csp",
    # The task queue (django-tasks with its database backend): no extra server (ilonet.jobs).
    "django_tasks",
    "django_tasks_db",
    # ILOnet domain apps: each owns its models; others use its services/selectors.
    "ilonet.site",
    "ilonet.directory",
    "ilonet.accounts",
    "ilonet.audit",
    "ilonet.deployments",
    "ilonet.networks",
    "ilonet.board",
    "ilonet.situation_reports",
    "ilonet.exchange",
    "ilonet.notifications",
    "ilonet.indicators",
    "ilonet.returns",
    "ilonet.cooperation",
    "ilonet.jobs",
    "ilonet.search",
    "ilonet.personaldata",
    "ilonet.policy",  # last of the domain apps: its ready() autodiscovers each app's policies.py
    "ilonet.api",
    "ninja",
]

MIDDLEWARE = [
    # First: counts and times every request, whatever answers it (ilonet.shared.metrics).
    "ilonet.shared.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files keep their caching), before everything else answers.
    "ilonet.shared.middleware.NoStoreMiddleware",
    "ilonet.shared.middleware.ApiErrorShapeMiddleware",
    # django-csp's middleware, the settings' header built once (ilonet.shared.middleware).
    "ilonet.shared.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ilonet.audit.middleware.RequestContextMiddleware",
    "ilonet.accounts.middleware.RequireSecondFactorMiddleware",
    # AxesMiddleware must be last (documented requirement of django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ilonet.urls"
WSGI_APPLICATION = "ilonet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.static",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ilonet.site.context_processors.navigation",
                "ilonet.site.context_processors.notifications",
            ],
            # Dates the EU way in every template: |long_date, |short_date (ilonet/shared/date_tags.py).
            "builtins": [
                "ilonet.shared.date_tags",
                "ilonet.shared.rowtemplate",
                "ilonet.shared.icon_tags",
                "ilonet.shared.fragments",
            ],
        },
    }
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# --- django-allauth: e-mail login, no self sign-up, mandatory second factor ---
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"  # accounts are created by administrators
ACCOUNT_ADAPTER = "ilonet.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
ACCOUNT_SESSION_REMEMBER = False
SOCIALACCOUNT_ADAPTER = "ilonet.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_ONLY = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("ILONET_WEBAUTHN_INSECURE_ORIGIN", default=False)
MFA_TOTP_ISSUER = "ILOnet"
MFA_RECOVERY_CODE_COUNT = 10

# Optional OpenID Connect single sign-on (EU Login speaks OIDC): on when the URL is set.
OIDC_SERVER_URL = env.str("ILONET_OIDC_SERVER_URL", default="")
SOCIALACCOUNT_PROVIDERS: dict = {}
if OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": env.str("ILONET_OIDC_PROVIDER_ID", default="eulogin"),
                "name": env.str("ILONET_OIDC_NAME", default="EU Login"),
                "client_id": env.str("ILONET_OIDC_CLIENT_ID"),
                "secret": env.str("ILONET_OIDC_CLIENT_SECRET"),
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ]
    }

# --- django-axes: lock an account+address pair after repeated failures ---
AXES_FAILURE_LIMIT = env.int("ILONET_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("ILONET_LOGIN_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False
# One client address for throttling and the audit trail (ilonet.shared.clientip): behind
# ILONET_PROXY_COUNT proxies, the address those proxies saw, not the nearest proxy's.
PROXY_COUNT = env.int("ILONET_PROXY_COUNT", default=0)
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT
AXES_CLIENT_IP_CALLABLE = "ilonet.shared.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "ilonet.accounts.adapters.lockout_response"
ALLAUTH_TRUSTED_PROXY_COUNT = PROXY_COUNT

# --- outgoing e-mail (password reset): SMTP from the environment; dev prints, tests keep it ---
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env.str("ILONET_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("ILONET_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("ILONET_EMAIL_USER", default="")
EMAIL_HOST_PASSWORD = env.str("ILONET_EMAIL_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("ILONET_EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str("ILONET_DEFAULT_FROM_EMAIL", default="ilonet@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Notification mails go out over this many SMTP connections at once (ilonet.notifications.mail).
NOTIFICATION_SMTP_CONNECTIONS = env.int("ILONET_NOTIFICATION_SMTP_CONNECTIONS", default=4)
if not 1 <= NOTIFICATION_SMTP_CONNECTIONS <= 32:
    raise ImproperlyConfigured("ILONET_NOTIFICATION_SMTP_CONNECTIONS must be between 1 and 32.")


# --- the accessibility statement (Directive (EU) 2016/2102; ilonet/site/accessibility.py) ---
def _setting(name: str, value: str, check) -> str:
    try:
        check(value)
    except (ValidationError, ValueError):
        raise ImproperlyConfigured(f"{name}: {value!r} is not valid (see README.md).") from None
    return value


ACCESSIBILITY_CONTACT_EMAIL = _setting(
    "ILONET_ACCESSIBILITY_CONTACT_EMAIL",
    env.str("ILONET_ACCESSIBILITY_CONTACT_EMAIL", default=DEFAULT_FROM_EMAIL),
    validate_email,
)
# Where a complaint goes when the reply to feedback does not satisfy (the enforcement
# procedure): the operator's enforcement body; empty name = the European Ombudsman (translated).
ACCESSIBILITY_ENFORCEMENT_BODY = env.str("ILONET_ACCESSIBILITY_ENFORCEMENT_BODY", default="")
ACCESSIBILITY_ENFORCEMENT_URL = _setting(
    "ILONET_ACCESSIBILITY_ENFORCEMENT_URL",
    env.str("ILONET_ACCESSIBILITY_ENFORCEMENT_URL", default="https://www.ombudsman.europa.eu/"),
    URLValidator(schemes=["https", "http"]),
)
# The day the operator last reviewed the statement (ISO); empty = the review date in the code.
ACCESSIBILITY_REVIEWED_ON = _setting(
    "ILONET_ACCESSIBILITY_REVIEWED_ON",
    env.str("ILONET_ACCESSIBILITY_REVIEWED_ON", default=""),
    lambda value: value and date.fromisoformat(value),
)

# --- sessions and cookies ---
SESSION_COOKIE_AGE = env.int("ILONET_SESSION_SECONDS", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "ilonet.site.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Content Security Policy: everything from our own origin, no inline code ---
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
        "base-uri": ["'none'"],  # no <base> element anywhere (ASVS 5.0 V3.4.3)
        "object-src": ["'none'"],
    }
}

# --- i18n: English and Dutch from day one ---
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nl", _("Dutch"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
# Dates in the EU's day-month-year order in every language (ilonet/formats, docs/architecture.md).
FORMAT_MODULE_PATH = ["ilonet.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Brussels"
LANGUAGE_COOKIE_SECURE = False
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Kosovo has the user-assigned code XK, unknown to ISO 3166 and django-countries; EU documents
# name it "Kosovo*" with a footnote (ilonet.directory.reference.KOSOVO_FOOTNOTE).
COUNTRIES_OVERRIDE = {"XK": {"names": [_("Kosovo*")], "alpha3": "XKX"}}

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [SRC_DIR / "static"]
# --- uploaded files (ilonet.shared.uploads): private storage, never served by a URL ---
# Local disk under <data dir>/media by default; S3-compatible object storage with ILONET_STORAGE=s3.
STORAGE_KIND = env.str("ILONET_STORAGE", default="local")
if STORAGE_KIND == "local":
    _uploads_storage: dict = {
        "BACKEND": "ilonet.shared.uploads.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "media")},
    }
elif STORAGE_KIND == "s3":
    _uploads_storage = {
        "BACKEND": "ilonet.shared.uploads.s3.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": env.str("ILONET_S3_BUCKET"),
            "endpoint_url": env.str("ILONET_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("ILONET_S3_REGION", default="") or None,
            "access_key": env.str("ILONET_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("ILONET_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("ILONET_S3_PREFIX", default=""),
            "addressing_style": env.str("ILONET_S3_ADDRESSING_STYLE", default="") or None,
        },
    }
else:
    raise ImproperlyConfigured("ILONET_STORAGE must be 'local' or 's3'.")
STORAGES = {
    "default": _uploads_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads above 2.5 MB go to a temporary file (TemporaryFileUploadHandler), never memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_TEMP_DIR = env.str("ILONET_UPLOAD_TEMP_DIR", default="") or None
UPLOAD_MAX_BYTES = env.int("ILONET_UPLOAD_MAX_BYTES", default=100 * 1024 * 1024)
# Malware scanning by clamd: a unix socket, or a host and port. Unset: no scanning (development
# only; the production profile refuses to start without it).
CLAMAV_SOCKET = env.str("ILONET_CLAMAV_SOCKET", default="")
CLAMAV_HOST = env.str("ILONET_CLAMAV_HOST", default="")
CLAMAV_PORT = env.int("ILONET_CLAMAV_PORT", default=3310)
CLAMAV_TIMEOUT = env.float("ILONET_CLAMAV_TIMEOUT", default=120.0)
CLAMAV_WAIT_SECONDS = env.float("ILONET_CLAMAV_WAIT_SECONDS", default=5.0)

# --- Encryption of personal data at rest (ilonet.shared.crypto): "id:base64key,…" ---
ENCRYPTION_KEYS = env.str("ILONET_ENCRYPTION_KEYS", default="")

# --- Personal data of Art. 10 (ilonet.personaldata) ---
# The key store of the data subjects' keys, kept apart from the database and its backups: a
# backup of the database holds no key, so a subject erased since cannot be read from it.
PERSONAL_DATA_KEY_DIR = Path(
    env.str("ILONET_PERSONAL_DATA_KEY_DIR", default=str(DATA_DIR / "personal-data-keys"))
)
# Where a bulk import of return cases prepares its next batch while one is written: "thread"
# (the default) or "process" (a forked process; returns.conf, docs/benchmarks.md).
RETURNS_IMPORT_PREPARER = env.str("ILONET_RETURNS_IMPORT_PREPARER", default="thread")
# HMAC key of the name search (blind index), separate from the data keys and the keyring
# (base64, 32 bytes). Empty: derived from SECRET_KEY (development and tests only).
PERSONAL_DATA_INDEX_KEY = env.str("ILONET_PERSONAL_DATA_INDEX_KEY", default="")
# Retention per purpose of Art. 3(6) in days (Art. 10(2)): the review or erasure date of a record.
# The contact list holds the officers deployed now (Art. 9(2)(d)): their phone and e-mail are kept
# this many days after their last deployment ended (hand-over), then their key is destroyed
# (storage limitation, GDPR Art. 5(1)(e), Regulation 2018/1725 Art. 4(1)(e)).
CONTACT_DETAILS_RETENTION_DAYS = env.int("ILONET_CONTACT_DETAILS_RETENTION_DAYS", default=30)
# The list of board members (Art. 9(2)(c)) likewise: a person's name and e-mail on the list are
# kept this many days after their last membership ended, then their key is destroyed.
BOARD_MEMBER_DETAILS_RETENTION_DAYS = env.int("ILONET_BOARD_MEMBER_DETAILS_RETENTION_DAYS", default=30)
PERSONAL_DATA_RETENTION_DAYS = {
    "return": env.int("ILONET_RETENTION_RETURN_DAYS", default=365),
    "resettlement": env.int("ILONET_RETENTION_RESETTLEMENT_DAYS", default=365),
    "legal_migration": env.int("ILONET_RETENTION_LEGAL_MIGRATION_DAYS", default=180),
    "exchange": env.int("ILONET_RETENTION_EXCHANGE_DAYS", default=730),
}
PERSONAL_DATA_MAX_BIOMETRIC_BYTES = env.int(
    "ILONET_PERSONAL_DATA_MAX_BIOMETRIC_BYTES", default=5 * 1024 * 1024
)

# --- Personal-data guard (ilonet.shared.personal_data_guard): HMAC key of finding fingerprints, so
# that an override names a finding without storing its value. Empty: derived from SECRET_KEY.
PERSONAL_DATA_GUARD_KEY = env.str("ILONET_PERSONAL_DATA_GUARD_KEY", default="")

# --- Audit chain (ilonet.audit.keys): HMAC key(s) "id:base64key,…" (the first keys new events)
# and the Ed25519 key that signs checkpoints, written to an append-only file outside the database.
AUDIT_CHAIN_KEY = env.str("ILONET_AUDIT_CHAIN_KEY", default="")
AUDIT_SIGNING_KEY = env.str("ILONET_AUDIT_SIGNING_KEY", default="")
AUDIT_PUBLIC_KEY = env.str("ILONET_AUDIT_PUBLIC_KEY", default="")
AUDIT_CHECKPOINT_DIR = Path(
    env.str("ILONET_AUDIT_CHECKPOINT_DIR", default=str(DATA_DIR / "audit-checkpoints"))
)

# --- API tokens: how long a personal token may live at most ---
API_TOKEN_MAX_DAYS = env.int("ILONET_API_TOKEN_MAX_DAYS", default=365)
# Issuing or revoking an API token needs a second factor given this recently in the session.
SECOND_FACTOR_MAX_AGE_MINUTES = env.int("ILONET_SECOND_FACTOR_MAX_AGE_MINUTES", default=10)

# --- invitations (accounts.invitations): how long a link lives, and the site's address in mails ---
INVITATION_DAYS = env.int("ILONET_INVITATION_DAYS", default=7)
if not 1 <= INVITATION_DAYS <= 60:
    raise ImproperlyConfigured("ILONET_INVITATION_DAYS must be between 1 and 60.")
SITE_URL = env.str("ILONET_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("ILONET_SITE_URL must start with http:// or https://.")

# --- background work (ilonet.jobs): the queue lives in the database, SQLite or PostgreSQL alike;
# `manage.py db_worker` runs the jobs, `manage.py run_scheduler` enqueues the periodic ones.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# How long finished jobs stay on the operations page (succeeded and cancelled; dead jobs stay).
JOBS_KEEP_DAYS = env.int("ILONET_JOBS_KEEP_DAYS", default=14)
if not 1 <= JOBS_KEEP_DAYS <= 3650:
    raise ImproperlyConfigured("ILONET_JOBS_KEEP_DAYS must be between 1 and 3650.")

# --- monitoring (ilonet.site.monitoring): /metrics answers only this bearer token; empty: 404 ---
METRICS_TOKEN = env.str("ILONET_METRICS_TOKEN", default="")
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    raise ImproperlyConfigured("ILONET_METRICS_TOKEN must be at least 32 random characters.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("ILONET_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# A database cache is shared by all worker processes: login throttling, rate limits and the
# replay guard of one-time codes (allauth marks used TOTP codes in the cache) need that.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ilonet_cache",
    }
}
AXES_USERNAME_CALLABLE = "ilonet.accounts.adapters.axes_username"
