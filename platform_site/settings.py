"""Settings for the Syrian Education Platform portal.

One file, read from the environment. With nothing set it is a development site on SQLite
with console e-mail and an in-process cache; `DJANGO_ENV=production` turns on every
protection and refuses to start without the secrets it needs.
"""

import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# --- environment helpers: small, typed, loud -------------------------------------------


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = env_str(name)
    if not raw:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = env_str(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Turn postgres://user:pass@host:port/name or sqlite:///path into a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql"}:
        if not parsed.path.strip("/"):
            raise ImproperlyConfigured("DATABASE_URL must name a database: postgres://host/name.")
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        # Typo tolerance of the directory search (trigram similarity, docs/product.md §6), and the
        # cost of random reads on SSD storage (PostgreSQL's default assumes spinning disks):
        # with it the planner uses the trigram index for a search that matches a few hundred
        # rows instead of reading the whole table (7 ms → 2.5 ms at 10,000 organisations).
        options.setdefault(
            "options", "-c pg_trgm.word_similarity_threshold=0.45 -c random_page_cost=1.1"
        )
        options.setdefault("connect_timeout", "5")  # libpq waits forever by default
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
            "TEST": {"NAME": "test_" + unquote(parsed.path.lstrip("/")), "CHARSET": "UTF8"},
        }
    if parsed.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parsed.path)}
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with postgres:// or sqlite:///, not {parsed.scheme or url!r}."
    )


# --- environment ------------------------------------------------------------------------

# Under pytest the default is "test", so a bare `pytest` gets the strict test settings.
ENVIRONMENT = env_str("DJANGO_ENV", "test" if "pytest" in sys.modules else "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be development, test or production, not {ENVIRONMENT!r}."
    )
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DEBUG", ENVIRONMENT == "development")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production.")

DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else DEV_SECRET_KEY)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY is missing, the development default, or shorter than 50 characters. "
        "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(64))'"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is empty: list the site's host names, comma-separated."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- applications -----------------------------------------------------------------------

INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "simple_history",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "platform_site",
    "network",
    "credentials",
    "members",
    "working_groups",
    "knowledge_bank",
    "news",
    "events",
    "advocacy",
    "corrections",
    "api",
    "notifications",
    "search",  # whole-site search: imports every app above (search/__init__.py)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "platform_site.middleware.RequestLogMiddleware",
    # /healthz answers here, without the middleware below (platform_site/fast_paths.py).
    "platform_site.fast_paths.HealthzMiddleware",
    "platform_site.middleware.PermissionsPolicyMiddleware",
    "platform_site.fast_paths.CachedCSPMiddleware",  # django-csp's, the header built once
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "platform_site.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "platform_site.sessions.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "platform_site.audience.AudienceMiddleware",
    "credentials.middleware.StaffEnrolmentMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "api.middleware.ApiCorsMiddleware",
    "platform_site.storage_faults.StorageUnavailableMiddleware",
]

ROOT_URLCONF = "platform_site.urls"
WSGI_APPLICATION = "platform_site.wsgi.application"

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
                "django.template.context_processors.i18n",
                "platform_site.context_processors.site",
                "platform_site.context_processors.language_links",
                "platform_site.context_processors.site_urls",
            ],
        },
    }
]

# --- data -------------------------------------------------------------------------------

DEFAULT_SQLITE = f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
DATABASES = {"default": database_from_url(env_str("DATABASE_URL", DEFAULT_SQLITE))}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache with short timeouts and a circuit breaker: while Redis is
            # away pages are served without it (docs/deploy.md, "Outages").
            "BACKEND": "platform_site.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "sep"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]


def media_storage(kind: str) -> tuple[dict, list[str]]:
    """The storage of uploads (logos, documents) and the origins its addresses point to.

    "filesystem" (MEDIA_ROOT, enough for one app server) or "s3": an S3-compatible bucket, for
    several app servers. Objects stay private; pages link to them with signed addresses that
    expire (an hour, longer than any cached page lives), and members-only documents go through
    the app's download view, which checks who asks.
    """
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}, []
    if kind != "s3":
        raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3, not {kind!r}.")
    bucket = env_str("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    endpoint = env_str("AWS_S3_ENDPOINT_URL")
    options = {
        "bucket_name": bucket,
        "location": env_str("AWS_LOCATION"),
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 3600,
        "file_overwrite": False,
        "signature_version": "s3v4",  # what every S3 service accepts (not the old v2)
    }
    for option, name in [
        ("access_key", "AWS_ACCESS_KEY_ID"),  # without keys, boto3 looks for an instance role
        ("secret_key", "AWS_SECRET_ACCESS_KEY"),
        ("region_name", "AWS_S3_REGION_NAME"),
    ]:
        if env_str(name):
            options[option] = env_str(name)
    if endpoint:  # MinIO, Ceph, Garage, a cloud's S3 service: addresses as endpoint/bucket/key
        parsed = urlparse(endpoint)
        options.update(endpoint_url=endpoint, addressing_style="path")
        origins = [f"{parsed.scheme}://{parsed.netloc}"]
    else:  # Amazon S3: addresses as https://bucket.s3.region.amazonaws.com/key
        origins = ["https://*.amazonaws.com"]
    # Short timeouts and one retry: a storage that does not answer fails an upload in seconds,
    # not minutes, and the user gets a message (docs/deploy.md, "Outages").
    from botocore.config import Config

    options["client_config"] = Config(
        s3={"addressing_style": options.get("addressing_style")},
        signature_version=options["signature_version"],
        connect_timeout=2,
        read_timeout=10,
        retries={"max_attempts": 2, "mode": "standard"},
    )
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, origins


_default_storage, MEDIA_ORIGINS = media_storage(env_str("MEDIA_STORAGE", "filesystem"))
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production WhiteNoise serves straight from the source folders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# --- languages --------------------------------------------------------------------------

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "ar"
MODELTRANSLATION_LANGUAGES = ("ar", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("ar", "en"), "ar": ("en",), "en": ("ar",)}
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Damascus"
FORMAT_MODULE_PATH = ["platform_site.formats"]  # one date style, the admin included
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- accounts ---------------------------------------------------------------------------

# Django's and allauth's backends, taking the user row read with the session (one query for
# both: platform_site/sessions.py).
AUTHENTICATION_BACKENDS = [
    "platform_site.sessions.ModelBackend",
    "platform_site.sessions.AccountBackend",
]
SESSION_ENGINE = "platform_site.sessions"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "members:dashboard"
LOGOUT_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True  # in the browser that signed up
ACCOUNT_PREVENT_ENUMERATION = True
# Same answer, same time, whether or not the address is taken (credentials.forms).
ACCOUNT_FORMS = {"signup": "credentials.forms.SignupForm"}
# allauth's e-mails go through the outbox: sign-up never waits for (or fails with) the mail server.
ACCOUNT_ADAPTER = "platform_site.account_adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# People are named by the display name they chose (asked at sign-up), never the user name
# generated for them (platform_site.mail.display_name).
ACCOUNT_USER_DISPLAY = "platform_site.mail.display_name"
ACCOUNT_SIGNUP_FORM_CLASS = "platform_site.account_forms.DisplayNameSignupForm"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_REAUTHENTICATION_REQUIRED = True  # changing e-mail addresses asks for the password again
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Syrian Education Platform"
# Staff must have TOTP before they may use the admin; only a developer's own machine may
# turn this off.
STAFF_REQUIRE_MFA = env_bool("STAFF_REQUIRE_MFA", True)
if PRODUCTION and not STAFF_REQUIRE_MFA:
    raise ImproperlyConfigured("STAFF_REQUIRE_MFA cannot be turned off in production.")

# --- e-mail -----------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Syrian Education Platform <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 20
elif PRODUCTION:
    raise ImproperlyConfigured("EMAIL_HOST is empty: production must send real e-mail (SMTP).")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# E-mail goes through an outbox of tasks (platform_site.tasks) that a worker delivers:
# `manage.py db_worker` (django-tasks' database backend). /readyz reports the queue stuck when
# a due task has waited longer than QUEUE_STUCK_MINUTES.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
QUEUE_STUCK_MINUTES = env_int("QUEUE_STUCK_MINUTES", 15)

# --- security ---------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# Uploads: limits are enforced by platform_site.uploads, not by these two settings.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
IMAGE_MAX_BYTES = env_int("IMAGE_MAX_BYTES", 2 * 1024 * 1024)
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 16_000_000)
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
# Office files are zip archives: caps on their parts and on what they unpack to (zip bombs).
DOCUMENT_MAX_ENTRIES = env_int("DOCUMENT_MAX_ENTRIES", 1000)
DOCUMENT_MAX_UNPACKED_BYTES = env_int("DOCUMENT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)

# --- open data: JSON API (api/) and spreadsheet import (platform_site/spreadsheets.py) ----

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerToken", "api.throttling.PerAddress"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env_str("API_RATE_TOKEN", "600/hour"),
        "address": env_str("API_RATE_ADDRESS", "300/hour"),
    },
    "NUM_PROXIES": env_int("TRUSTED_PROXY_COUNT", 0),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Syrian Education Platform — open data API",
    "DESCRIPTION": (
        "Read-only directory data of the network: organisations (HSDS organization), "
        "programmes (HSDS service, 4W), working groups, priority statements, resources and "
        "coverage. Field descriptions name the HXL hashtag of each field."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 8 * 1024 * 1024)

FORM_RENDERER = "platform_site.forms.SiteFormRenderer"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "platform_site.middleware.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "json": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {
        "handlers": ["json" if PRODUCTION else "console"],
        "level": env_str("LOG_LEVEL", "INFO"),
    },
    "loggers": {
        "django.security.csrf": {"level": "WARNING"},
        # One structured line per request in production (see RequestLogMiddleware).
        "platform_site.requests": {"level": "INFO" if PRODUCTION else "WARNING"},
        # Django's own request log would repeat each request, with its query string.
        "django.request": {"level": "ERROR"},
    },
}

# --- tests: strict and quick (STYLE §15) ------------------------------------------------

if ENVIRONMENT == "test":
    from django.template import TemplateSyntaxError

    class InvalidTemplateVariable(str):
        """Makes any template variable that does not resolve fail the test."""

        def __mod__(self, name):
            raise TemplateSyntaxError(f"Invalid template variable: {name}")

    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # E-mails are delivered as soon as they are written; the outbox tests use the database
    # backend and a worker (tests/platform_site/test_outbox.py).
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")
    LOGGING["root"]["level"] = "WARNING"
