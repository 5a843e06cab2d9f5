"""Production settings fail closed: no DEBUG, secrets and hosts only from the environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from tests.redis_support import REDIS_URL

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.ALLOWED_HOSTS, "
    "s.TASKS['default']['BACKEND'])"
)


PRODUCTION_ENV = ("SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL", "DATABASE_CONN_MAX_AGE")
COMPLETE = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "registry.example.cn", "REDIS_URL": REDIS_URL}


def run_production(env_extra, probe=PROBE, command=None):
    """Run `probe` (or `command`, arguments to python) under production settings."""
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    env.update(DJANGO_SETTINGS_MODULE="website.settings.production", **env_extra)
    return subprocess.run([sys.executable, *(command or ["-c", probe])], cwd=ROOT, env=env,
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
    result = run_production(COMPLETE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False", "True", "True", "['registry.example.cn']", "django_tasks_db.DatabaseBackend"
    ]


def test_production_refuses_to_start_without_a_shared_cache():
    result = run_production({k: v for k, v in COMPLETE.items() if k != "REDIS_URL"})
    assert result.returncode != 0
    assert "REDIS_URL must be set" in result.stderr and "shared by every app server" in result.stderr


def test_production_caches_in_redis_under_the_deployment_prefix():
    probe = ("import django; django.setup(); from django.conf import settings as s; "
             "c = s.CACHES['default']; print(c['BACKEND'], c['LOCATION'], c['KEY_PREFIX'])")
    result = run_production({**COMPLETE, "CACHE_KEY_PREFIX": "jiashan"}, probe)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "website.redis_cache.RedisCache", REDIS_URL, "jiashan"]


def test_production_keeps_database_connections_and_checks_them_before_use():
    probe = ("import django; django.setup(); from django.conf import settings as s; "
             "d = s.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])")
    assert run_production(COMPLETE, probe).stdout.split() == ["60", "True"]
    assert run_production({**COMPLETE, "DATABASE_CONN_MAX_AGE": "5"}, probe).stdout.split() == [
        "5", "True"]


def test_production_passes_the_deployment_checklist_without_a_warning():
    env = {**COMPLETE, "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "example.org"}
    result = run_production(env, command=["manage.py", "check", "--deploy"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced).", result.stderr
    assert "WARNING" not in result.stderr


def test_production_sends_hsts_for_subdomains_too():
    probe = ("import django; django.setup(); from django.conf import settings as s; "
             "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)")
    assert run_production(COMPLETE, probe).stdout.split() == ["31536000", "True"]


def test_chinese_first_and_shanghai_time(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert ("en", "English") in settings.LANGUAGES
    assert settings.TIME_ZONE == "Asia/Shanghai"
