"""Settings for every environment.

Development, tests and production differ only in environment values (see `.env.example`); there is no
separate settings module per environment. Helpers from django-environ fail loudly on malformed values.
"""

from datetime import time
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
# A local `.env` (written once by `make run`, never committed) supplies development values.
if env.bool("DJANGO_READ_DOT_ENV", default=True) and (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core --------------------------------------------------------------------------------------------
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
PLATFORM_NAME = env.str("PLATFORM_NAME", default="Ehrenamt im Kreis Gütersloh")

INSTALLED_APPS = [
    # Project apps first so that their templates override those of the libraries.
    "volunteering",
    "cms",
    "notifications",
    # Wagtail and its helpers
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    # Django
    "config.admin.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.forms",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.LocaleMiddleware",  # Django's, without language redirects for admin 404s
    "config.middleware.RememberLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cms.middleware.CampaignCodeMiddleware",  # remembers ?kampagne=<code> for sign-up attribution
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.AdminContentSecurityPolicyMiddleware",
    "config.middleware.PrivatePagesNoStoreMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "config.middleware.AccessPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that it sees the final authentication result of every login path.
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
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "config.context_processors.platform",
            ],
        },
    },
]

# --- Data --------------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "volunteering.User"

REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {"default": env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}

# --- Internationalisation ----------------------------------------------------------------------------
# German first; the community languages of the Kreis follow (DOMAIN.md). ar and fa are right-to-left.
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", "Deutsch"),
    ("en", "English"),
    ("uk", "Українська"),
    ("ru", "Русский"),
    ("ar", "العربية"),
    ("tr", "Türkçe"),
    ("ro", "Română"),
    ("fa", "فارسی"),
]
LANGUAGES_BIDI = ["ar", "fa"]
# locale_overrides: formal German ("Sie") for django-allauth's strings; kept apart so that makemessages
# never touches it.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# --- Static and media --------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/kern", BASE_DIR / "node_modules" / "@kern-ux" / "native" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Private files (portraits in stories, cms/private_files.py): never below MEDIA_ROOT, served only by
# views that check who may see them.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATIC_STORAGE", default="whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Wagtail -----------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = PLATFORM_NAME
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_LOGIN_URL = "account_login"  # one login for everyone, with the second factor
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "ods", "txt"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Wagtail runs its own background work (search index, references, renditions) through django-tasks.
# No Celery backend for django-tasks installs on Python 3.11, so it stays inline on purpose; the
# platform's own work runs on Celery directly.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Anonymous page views: fragments of page templates are cached this long (cms/cache.py); publishing a
# page or a change of a taster offer's seats purges them at once, the timeout only bounds time-dependent
# parts (an offer that has begun, the live figures on the start page).
CMS_PAGE_CACHE_SECONDS = env.int("CMS_PAGE_CACHE_SECONDS", default=300)

# --- Accounts (django-allauth, django-axes) -----------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = env.list(
    "PASSWORD_HASHERS",
    default=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    ],
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "volunteering.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "volunteering.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
PASSWORD_RESET_TIMEOUT = 60 * 60  # reset links are valid for one hour
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# Changing the email address or password, and the privacy actions, ask for the password again.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PLATFORM_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # django-axes locks failed logins first (all login paths); allauth's own count is the backstop.
    "login_failed": "30/m/ip,15/15m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = PLATFORM_NAME

# django-axes: failed logins per IP and account, counted in the shared cache, released after a cool-off.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# Counting needs a cache all processes share: Redis in production and CI; the embedded default (file
# cache) falls back to the database handler, which also works across processes.
AXES_HANDLER = (
    "axes.handlers.cache.AxesCacheHandler"
    if CACHES["default"]["BACKEND"].endswith("RedisCache")
    else "axes.handlers.database.AxesDatabaseHandler"
)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
# Lock an account name per address, and an address that tries many names (credential stuffing).
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"], "ip_address"]
AXES_USERNAME_CALLABLE = "config.axes.login_name"
AXES_LOCKOUT_TEMPLATE = "429.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no login names or addresses in the logs
# Only trust X-Forwarded-For when a proxy in front of us is configured to set it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if TRUSTED_PROXY_COUNT else ["REMOTE_ADDR"]
)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
USERSESSIONS_TRACK_ACTIVITY = True

# --- Email -------------------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="notifications.backends.MailboxBackend")
EMAIL_MAILBOX_DIR = VAR_DIR / "mail"
if env.str("EMAIL_URL", default=""):
    vars().update(env.email("EMAIL_URL", backend="django.core.mail.backends.smtp.EmailBackend"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Ehrenamt Kreis Gütersloh <ehrenamt@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The development mailbox page exists only when this is on (never in production).
MAILBOX_ENABLED = env.bool("MAILBOX_ENABLED", default=DEBUG)

# --- Celery ------------------------------------------------------------------------------------------
# Default: no external broker. The filesystem transport lets `make run` start a real worker and beat
# without Redis; production sets CELERY_BROKER_URL to Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        "control_folder": str(VAR_DIR / "broker" / "control"),
        "store_processed": False,
    }
else:
    # Longer than any task's time limit, so that a running task is never delivered twice (checked below).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60)
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=5 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT * 4 // 5
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Notifications (the outbox in notifications/; see notifications/services/delivery.py) ------------
NOTIFICATIONS_SWEEP_SECONDS = env.float("NOTIFICATIONS_SWEEP_SECONDS", default=60.0)
# After a commit that wrote a due row, ask a worker to sweep at once (harmless if the broker is down).
NOTIFICATIONS_NUDGE = env.bool("NOTIFICATIONS_NUDGE", default=True)
NOTIFICATIONS_BATCH_SIZE = env.int("NOTIFICATIONS_BATCH_SIZE", default=500)
NOTIFICATIONS_MAX_PER_SWEEP = env.int("NOTIFICATIONS_MAX_PER_SWEEP", default=5000)
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=6)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.int("NOTIFICATIONS_RETRY_BASE_SECONDS", default=60)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.int("NOTIFICATIONS_RETRY_MAX_SECONDS", default=6 * 60 * 60)
# A worker owns the row it sends for this long: longer than the task time limit, so that a live worker
# never loses it; a dead worker's row is swept again after it.
NOTIFICATIONS_LEASE_SECONDS = env.int("NOTIFICATIONS_LEASE_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60)
# A claimed row that no worker started within this time lost its task message (e.g. a Redis restart).
NOTIFICATIONS_CLAIM_TIMEOUT = env.int("NOTIFICATIONS_CLAIM_TIMEOUT", default=10 * 60)
NOTIFICATIONS_DIGEST_TIME = time(7, 0)  # local time (TIME_ZONE) of the daily and weekly digests
NOTIFICATIONS_DIGEST_WEEKDAY = 0  # Monday
NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE_DAYS = env.int("NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE_DAYS", default=90)
NOTIFICATIONS_RETENTION_DAYS = env.int("NOTIFICATIONS_RETENTION_DAYS", default=180)
if NOTIFICATIONS_LEASE_SECONDS <= CELERY_TASK_TIME_LIMIT:
    raise environ.ImproperlyConfigured("NOTIFICATIONS_LEASE_SECONDS must exceed CELERY_TASK_TIME_LIMIT.")
if CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", float("inf")) <= NOTIFICATIONS_LEASE_SECONDS:
    raise environ.ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must exceed every task time limit.")

# --- Needs (volunteering/services/needs.py) -----------------------------------------------------------
# Listings expire this many days after publishing or the last review; admins are reminded before.
NEED_EXPIRY_DAYS = env.int("NEED_EXPIRY_DAYS", default=90)
NEED_REVIEW_NOTICE_DAYS = env.int("NEED_REVIEW_NOTICE_DAYS", default=7)

# --- Tandems (volunteering/services/tandems.py) -------------------------------------------------------
# The newcomer's data is deleted this many months after the tandem ends (at once when withdrawn).
TANDEM_RETENTION_MONTHS = env.int("TANDEM_RETENTION_MONTHS", default=6)
# Requests nobody could be found for are deleted after this many months without a tandem.
TANDEM_OPEN_REQUEST_RETENTION_MONTHS = env.int("TANDEM_OPEN_REQUEST_RETENTION_MONTHS", default=12)
# Previews of batch runs (ids and scores only) are kept this many days.
MATCHING_RUN_RETENTION_DAYS = env.int("MATCHING_RUN_RETENTION_DAYS", default=14)
# Public request form: at most this many requests per address and hour.
TANDEM_REQUEST_RATE_LIMIT = env.str("TANDEM_REQUEST_RATE_LIMIT", default="5/h/ip")

# --- eFZ records, §72a SGB VIII (volunteering/services/efz.py) -----------------------------------------
# A certificate counts for this many years from its date; the volunteer is reminded this many days before.
EFZ_VALIDITY_YEARS = env.int("EFZ_VALIDITY_YEARS", default=5)
EFZ_RENEWAL_NOTICE_DAYS = env.int("EFZ_RENEWAL_NOTICE_DAYS", default=60)
# Records are deleted at the latest this many months after the engagement they were inspected for ends.
EFZ_RETENTION_MONTHS_AFTER_END = env.int("EFZ_RETENTION_MONTHS_AFTER_END", default=3)

# --- Letters (volunteering/letters/): lookups of the public verification page per client and window ------
LETTER_VERIFY_RATE = env.int("LETTER_VERIFY_RATE", default=30)
LETTER_VERIFY_WINDOW_SECONDS = env.int("LETTER_VERIFY_WINDOW_SECONDS", default=600)

# --- Security ----------------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 14 * 24 * 60 * 60
X_FRAME_OPTIONS = "DENY"

# Public and volunteer pages: a strict, nonce-based policy. The Wagtail admin gets the relaxed policy
# in config.middleware (documented there), because its editors rely on inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    },
}

# --- Logging -----------------------------------------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Request logs carry query strings with email addresses; keep them out.
        "django.request": {"level": "ERROR"},
        # django-axes would log the login name and address of every failed attempt.
        "axes": {"level": "ERROR"},
        "django_tasks": {"level": "WARNING"},
    },
}

FORM_RENDERER = "config.forms.KernFormRenderer"
