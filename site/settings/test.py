from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The tests that need a replica add it themselves (tests/test_replica.py): an exported
# DATABASE_REPLICA_URLS must not send every public-page test to it.
DATABASES = {"default": DATABASES["default"]}  # noqa: F405
DATABASE_REPLICAS = []
