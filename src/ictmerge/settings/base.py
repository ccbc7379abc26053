"""Settings shared by every profile; everything that varies comes from the environment."""

from __future__ import annotations

import datetime
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from ictmerge.settings.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(env_str("ICTMERGE_DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _development_secret_key() -> str:
    """Generate a secret key once and keep it in the data directory."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY", "") or _development_secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "ictmerge.core",
    "ictmerge.reforms",
    "ictmerge.inventory",
    "ictmerge.reports",
    "ictmerge.imports",
    "ictmerge.consolidation",
    "ictmerge.software",
    "ictmerge.systems",
    "ictmerge.planning",
    "ictmerge.review",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ictmerge.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, whose view hook reads a form's body.
    "ictmerge.core.middleware.BodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ictmerge.core.middleware.CurrentUserMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its refusal page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling: five failures for one user name from one address lock it for 15 min.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# The worker hands the records of former municipalities over on their reform date. Off
# unless asked for (production turns it on): a reform loaded after its date (the demo)
# describes the state before it, which an automatic handover would move at once.
ICTMERGE_AUTO_HANDOVER = env_bool("ICTMERGE_AUTO_HANDOVER", False)

# No inline scripts anywhere; the pages need none (charts are server-side SVG).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

ROOT_URLCONF = "ictmerge.urls"
WSGI_APPLICATION = "ictmerge.wsgi.application"

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
                "ictmerge.core.context_processors.navigation",
                "ictmerge.core.context_processors.job_banner",
            ],
            # The engine's explanations in the reader's language, in every template.
            "builtins": ["ictmerge.core.templatetags.explain"],
        },
    },
]


def _database() -> dict[str, object]:
    """The database from DATABASE_URL, or a SQLite file in the data directory."""
    url = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'ictmerge.sqlite3'}")
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock
        # at BEGIN so that two writers queue on the busy timeout instead of failing.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 30),
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;"
            ),
        }
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "lv"
LANGUAGES = [("lv", _("Latvian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Riga"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "media/"
# The national report is cached under a key made of the history's version counters
# (reports.services): a file cache, so that every gunicorn worker on the host shares it.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "reports": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str("ICTMERGE_CACHE_DIR", str(DATA_DIR / "cache")),
        "TIMEOUT": env_int("ICTMERGE_REPORT_CACHE_SECONDS", 3600),
    },
    # Rendered parts of pages (core.pagecache): a cache of their own, so that the many
    # entries a write leaves behind (every list's pages, keyed by the version counters) never
    # make the file cache cull the report's. At most 3,000 entries of 5-50 KB (an assumption:
    # the lists and pages users open within the hour).
    "pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str("ICTMERGE_PAGE_CACHE_DIR", str(DATA_DIR / "cache-pages")),
        "TIMEOUT": env_int("ICTMERGE_REPORT_CACHE_SECONDS", 3600),
        "OPTIONS": {"MAX_ENTRIES": env_int("ICTMERGE_PAGE_CACHE_ENTRIES", 3000)},
    },
}
# The publisher named in the open data's DCAT-AP metadata (reports.opendata): the body that
# publishes the package on the open-data portal.
OPEN_DATA_PUBLISHER = env_str("ICTMERGE_OPEN_DATA_PUBLISHER", "ictmerge")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Any body but a file upload (JSON, form fields) is read into memory: at most this, unless
# ICTMERGE_BODY_LIMITS gives its endpoint another limit (core.middleware.BodyLimitMiddleware
# answers 413 before reading a larger one).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ICTMERGE_BODY_LIMITS = {
    "api_token": 64 * 1024,
    "login": 64 * 1024,
    # At most 10,000 titles of a few hundred characters.
    "api_software_normalise_titles": 10 * 1024 * 1024,
    # An inventory agent's report (compressed): the view itself refuses, and logs, one whose
    # body or decompressed content is above AGENT_MAX_REPORT_MB; twice that is not read.
    "agent_report": 2 * env_int("AGENT_MAX_REPORT_MB", 32) * 1024 * 1024,
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# An upload above FILE_UPLOAD_MAX_MEMORY_SIZE streams to a temporary file on disk, so the
# import limit can take a whole country's inventory (1,000,000 computers: about 115 MB).
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", 512)
# Inventory agents (imports.agents): the largest report after decompression (a computer
# with 3,000 programs is about 1 MB), the reports one enrolment token may send a minute
# (refused above: 429), and the days without a report after which a device is flagged.
# All three are assumptions, to be set per installation.
AGENT_MAX_REPORT_MB = env_int("AGENT_MAX_REPORT_MB", 32)
AGENT_REPORTS_PER_MINUTE = env_int("AGENT_REPORTS_PER_MINUTE", 120)
AGENT_STALE_DAYS = env_int("AGENT_STALE_DAYS", 30)
# The address agents reach this server at, for the agent URL `agents token create` prints
# (the web page and the API take it from the request).
ICTMERGE_BASE_URL = env_str("ICTMERGE_BASE_URL", "http://127.0.0.1:8000")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "ictmerge.core.api.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
#: The longest free text (a TextField such as notes) a form, the API or an import takes.
ICTMERGE_TEXT_MAX_CHARS = 20_000
#: The most rows one page of a list holds, whatever `?limit=` (API) or `?per_page=` (UI) asks.
ICTMERGE_MAX_PAGE_SIZE = 1000
SPECTACULAR_SETTINGS = {
    "TITLE": "ictmerge API",
    "DESCRIPTION": "The ICT takeover of merging municipalities: inventory, plans, reports.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "ENUM_NAME_OVERRIDES": {"LevelEnum": "ictmerge.inventory.choices.Level",
                            "GovernanceModelEnum": "ictmerge.inventory.choices.GovernanceModel",
                            "TaskStatusEnum": "ictmerge.planning.choices.TaskStatus",
                            "ChecklistStatusEnum": "ictmerge.review.choices.EntryStatus"},
    # Swagger UI from the installed sidecar package: no CDN, the machines have no internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
