"""Production settings fail closed: no DEBUG, secrets and hosts only from the environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.ALLOWED_HOSTS, "
    "s.TASKS['default']['BACKEND'])"
)


def run_production(env_extra):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")}
    env.update(DJANGO_SETTINGS_MODULE="website.settings.production", **env_extra)
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env,
                          capture_output=True, text=True)


def test_production_refuses_to_start_without_secret_key():
    result = run_production({"ALLOWED_HOSTS": "registry.example.cn"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_production({"SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_runs_without_debug_with_secure_cookies_and_the_task_queue():
    result = run_production({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "registry.example.cn"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False", "True", "True", "['registry.example.cn']", "django_tasks_db.DatabaseBackend"
    ]


def test_chinese_first_and_shanghai_time(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert ("en", "English") in settings.LANGUAGES
    assert settings.TIME_ZONE == "Asia/Shanghai"
