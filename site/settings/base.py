"""Settings shared by every environment. Environment files override only what differs."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent  # site/
BASE_DIR = PROJECT_DIR.parent  # the repository root

INSTALLED_APPS = [
    "website",
    "registry",
    "incubator",
    "funds",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
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
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "website.request_log.RequestLogMiddleware",  # first: its duration and status cover the rest
    "django.middleware.security.SecurityMiddleware",
    "website.security_headers.ContentSecurityPolicyMiddleware",
    "website.security_headers.PermissionsPolicyMiddleware",
    "website.language.PathLanguageMiddleware",  # /en/… is English, the rest Chinese
    "website.page_cache.middleware.PageCacheMiddleware",  # before sessions: hits need none
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "website.urls"
WSGI_APPLICATION = "website.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "website.language.context",
            ],
        },
    },
]

# One settings path for the database: DATABASE_URL, else SQLite in a file under the project.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: the register's queries are short, and a misestimated semi-join (an organization
    # filter over dated facts) made PostgreSQL spend 0.3-0.4 s compiling a query that runs in
    # 0.15 s (docs/benchmarks.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Read replicas (DATABASE_REPLICA_URLS, comma separated) serve the public pages' reads; the admin,
# signed-in staff and every write use the primary (website.db_router).
from website.db_router import replica_databases  # noqa: E402

DATABASES.update(
    replica_databases(DATABASES["default"], os.environ.get("DATABASE_REPLICA_URLS", ""))
)
DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["website.db_router.PrimaryReplicaRouter"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "website.db_router.PublicReadMiddleware",
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# locale/: the project's own catalogue (English for its Chinese source strings). admin_locale/:
# Chinese for the Wagtail admin strings Wagtail's own zh_Hans catalogue leaves in English.
LOCALE_PATHS = [BASE_DIR / "locale", PROJECT_DIR / "admin_locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60  # the reader's choice of language is kept for a year
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES[:1]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = _("社会组织与社区基金公示平台")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
# Admin listings search with the ORM (icontains), which finds a Chinese substring on SQLite and
# PostgreSQL alike; Wagtail's database backend tokenizes a run of Chinese as one word.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "xlsx"]

# Bulk import (website.importer): the largest spreadsheet staff may upload.
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# What a file may hold, checked before it is read (website.importer.limits has the defaults and
# why): rows (the header included) and columns of a sheet or CSV, bytes a workbook unpacks to.
from website.importer.limits import DEFAULTS as _IMPORT_LIMITS  # noqa: E402

IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", _IMPORT_LIMITS["IMPORT_MAX_ROWS"]))
IMPORT_MAX_COLUMNS = int(
    os.environ.get("IMPORT_MAX_COLUMNS", _IMPORT_LIMITS["IMPORT_MAX_COLUMNS"]))
IMPORT_MAX_UNPACKED_BYTES = int(
    os.environ.get("IMPORT_MAX_UNPACKED_BYTES", _IMPORT_LIMITS["IMPORT_MAX_UNPACKED_BYTES"]))
IMPORT_MAX_PART_BYTES = int(
    os.environ.get("IMPORT_MAX_PART_BYTES", _IMPORT_LIMITS["IMPORT_MAX_PART_BYTES"]))
# An upload not confirmed this long after its preview is removed (manage.py purge_import_uploads).
IMPORT_UPLOAD_MAX_AGE_HOURS = int(os.environ.get("IMPORT_UPLOAD_MAX_AGE_HOURS", "24"))

# An incubation's term (孵化期): a group not out of incubation this many months after it began,
# and with no other planned end recorded, is overdue (逾期未出壳).
INCUBATION_TERM_MONTHS = int(os.environ.get("INCUBATION_TERM_MONTHS", "12"))

# Tasks run immediately unless an environment asks for the database queue (production).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# The default cache holds the open-data rate limits (website.opendata.ratelimit). Several app
# servers must share it: REDIS_URL selects Redis (production requires it). CACHE_KEY_PREFIX keeps
# deployments that share one Redis apart.
CACHES = {"default": {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
}}
if os.environ.get("REDIS_URL"):
    CACHES["default"].update({
        "BACKEND": "website.redis_cache.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        # A stalled Redis must not hold a request for long: the rate limit then lets it through
        # and /healthz reports the cache down.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    })

# The public page cache (website.page_cache): whole anonymous responses in the "pages" cache,
# kept while the versions of what they show hold. PAGE_CACHE=off turns it off (benchmarks).
CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": CACHES["default"]["KEY_PREFIX"] + ":pages"}
if CACHES["pages"]["BACKEND"].endswith("LocMemCache"):
    # One process's memory: bounded by entries times PAGE_CACHE_MAX_BYTES.
    CACHES["pages"].update(LOCATION="pages", OPTIONS={"MAX_ENTRIES": 300})
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_ENABLED = os.environ.get("PAGE_CACHE", "on").lower() != "off"
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))  # longest any copy is kept
PAGE_CACHE_MAX_BYTES = int(os.environ.get("PAGE_CACHE_MAX_BYTES", str(512 * 1024)))
# How long a browser or CDN may keep a public page without asking again.
PAGE_CACHE_PUBLIC_MAX_AGE = int(os.environ.get("PAGE_CACHE_PUBLIC_MAX_AGE", "60"))
# Part of every stored page's key, so no copy outlives a deployment: RELEASE, else the commit.
from website.page_cache.release import current_release  # noqa: E402

PAGE_CACHE_RELEASE = current_release(BASE_DIR)
PAGE_CACHE_EXCLUDED_PATHS = ("/admin/", "/documents/", "/healthz", "/i18n/", "/django-admin/")

# Requests per client IP: query downloads and API together, and whole-register downloads.
OPEN_DATA_RATE_LIMIT = os.environ.get("OPEN_DATA_RATE_LIMIT", "120/minute")
OPEN_DATA_REGISTER_RATE_LIMIT = os.environ.get("OPEN_DATA_REGISTER_RATE_LIMIT", "10/hour")
# Reverse proxies in front of the app that append to X-Forwarded-For (0: use REMOTE_ADDR).
OPEN_DATA_TRUSTED_PROXIES = int(os.environ.get("OPEN_DATA_TRUSTED_PROXIES", "0"))

# Security headers (website.security_headers). The public site: scripts and styles only from this
# origin (the 500 page's own inline style by its hash), nothing framed, no plugins.
from csp.constants import NONE, SELF, UNSAFE_INLINE  # noqa: E402

from website.security_headers import inline_style_hashes  # noqa: E402

CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF, *inline_style_hashes(BASE_DIR / "templates" / "500.html")],
    "img-src": [SELF, "data:"],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}}
# Wagtail's admin writes inline scripts and styles, shows uploads as blob: and data: images, and
# frames its own previews.
ADMIN_CONTENT_SECURITY_POLICY = {"URL_PREFIXES": ["/admin/"], "DIRECTIVES": {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF, "data:"],
    "frame-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}}
# Browser features no page of the site uses, turned off for it and anything it embeds.
PERMISSIONS_POLICY = {feature: [] for feature in (
    "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone",
    "payment", "usb",
)}
# The admin fetches nothing from other sites: no staff e-mail hash to gravatar.com, no version
# check against releases.wagtail.org (the admin's policy would block both anyway).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
