"""/healthz: what a load balancer polls. 200 with the checks when the database and the cache
answer, 503 when either does not; never cached, not rate limited, no cookie."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django_tasks import task

from tests.redis_support import REDIS_URL, redis_cache  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


@task()
def waiting_task():
    """Enqueued, never run: it stands for work waiting for the worker."""


def test_healthy_with_the_database_the_cache_and_the_queue(client, redis_cache, settings):  # noqa: F811
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    waiting_task.enqueue()
    waiting_task.enqueue()
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]
    assert body["checks"]["queue"]["ready"] == 2
    assert 0 <= body["checks"]["queue"]["oldest_ready_age_s"] < 60
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert not response.cookies


def test_an_empty_queue_has_no_oldest_task(client):
    queue = client.get("/healthz").json()["checks"]["queue"]
    assert queue["ready"] == 0 and queue["oldest_ready_age_s"] is None


def test_cache_down_is_503(client, settings):
    settings.CACHES = {"default": {
        "BACKEND": "website.redis_cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # a closed port
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }}
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["cache"] == {"ok": False, "error": "ConnectionError"}
    assert body["checks"]["database"]["ok"]
    assert "127.0.0.1" not in response.content.decode()  # no address given away


def test_not_rate_limited(client, settings):
    settings.OPEN_DATA_RATE_LIMIT = "1/hour"
    settings.OPEN_DATA_REGISTER_RATE_LIMIT = "1/hour"
    assert all(client.get("/healthz").status_code == 200 for _ in range(5))


# Production settings over a database that does not answer, polled over plain HTTP as a load
# balancer on the private network does (no redirect to HTTPS).
DATABASE_DOWN = """
import django
django.setup()
from django.test import Client
response = Client().get("/healthz", HTTP_HOST="registry.example.cn")
print(response.status_code, response.content.decode())
"""


def test_database_down_is_503_under_production_settings(redis_cache):  # noqa: F811
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_REPLICA_URLS",)}
    env.update(DJANGO_SETTINGS_MODULE="website.settings.production", SECRET_KEY="x" * 50,
               ALLOWED_HOSTS="registry.example.cn", REDIS_URL=REDIS_URL,
               DATABASE_URL="postgres://postgres@127.0.0.1:1/none",
               DATABASE_CONNECT_RETRY_SECONDS="0")  # a server that is down, not restarting
    result = subprocess.run([sys.executable, "-c", DATABASE_DOWN], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    *log_lines, answer = result.stdout.splitlines()  # production logs to stdout too
    status, body = answer.split(" ", 1)
    assert status == "503"
    checks = json.loads(body)["checks"]
    assert not checks["database"]["ok"] and checks["cache"]["ok"]
    assert checks["queue"] == {"ok": False}
    warnings = [json.loads(line) for line in log_lines if '"WARNING"' in line]
    assert any("Health check database failed" in line["message"] for line in warnings)
