"""Production fails closed: every secret and host comes from the environment, or start-up stops."""

import os

from django.core.exceptions import ImproperlyConfigured

from website.logs import json_logging

from .base import *  # noqa: F401,F403


def _required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in the environment for production.")
    return value


DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]

# Every app server must see the same cache, or each counts its own rate limits (base.py reads
# REDIS_URL into CACHES).
if CACHES["default"]["BACKEND"] != "website.redis_cache.RedisCache":  # noqa: F405
    raise ImproperlyConfigured(
        "REDIS_URL must be set in the environment for production: the cache and the open-data "
        "rate limits must be shared by every app server (e.g. REDIS_URL=redis://127.0.0.1:6379/0)."
    )

# Persistent database connections, checked before reuse so that a restarted database costs only
# the requests in flight, not every request that finds a dead connection.
# A new database connection waits this long for a restarting server (website.db.postgresql).
DATABASE_CONNECT_RETRY_SECONDS = float(os.environ.get("DATABASE_CONNECT_RETRY_SECONDS", "5"))
for _database in DATABASES.values():  # noqa: F405
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database["ENGINE"] = "website.db.postgresql"
    _database["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
    _database["CONN_HEALTH_CHECKS"] = True

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() != "false"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers poll the app servers over plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "true").lower() != "false"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Long work (PDF summaries, large imports) goes to the database queue; run `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The app servers serve their own static files (run `manage.py collectstatic` at deploy): no
# separate file server or CDN is needed, and nothing is fetched from elsewhere.
MIDDLEWARE.insert(  # noqa: F405
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"  # noqa: F405

# JSON lines on stdout: one access line per request, errors with their traceback (website.logs).
LOGGING = json_logging(os.environ.get("LOG_LEVEL", "INFO"))
