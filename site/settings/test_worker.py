"""The test settings with the database task queue, for a real `manage.py db_worker` that a test
starts (tests/test_import_task.py). The test gives it DATABASE_URL (its own test database) and
MEDIA_ROOT in the environment."""

import os

from .test import *  # noqa: F401,F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
MEDIA_ROOT = os.environ["MEDIA_ROOT"]
