"""A real Redis for the tests that need one (127.0.0.1:6379, database 3 unless TEST_REDIS_URL).

When Redis is unreachable the tests fail under CI=true and are skipped elsewhere, as the browser
tests do, so a CI run cannot pass by skipping them. Each test gets its own key prefix instead of
flushing the database, so tests sharing the server never see each other's keys.
"""

import os
import uuid

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


def _in_ci():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_redis():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        message = f"Redis is not reachable at {REDIS_URL}: {error}"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)


def redis_caches(prefix=None):
    """A CACHES setting whose default is the test Redis under a prefix of its own."""
    return {"default": {
        "BACKEND": "website.redis_cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": prefix or f"test-{uuid.uuid4().hex}",
    }}


@pytest.fixture
def redis_cache(settings):
    """Point the default cache at the test Redis for one test."""
    require_redis()
    settings.CACHES = redis_caches()
    yield settings.CACHES["default"]
