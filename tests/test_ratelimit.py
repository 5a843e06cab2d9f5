"""The open-data rate limit is a sliding window shared by every app server.

Against a real Redis: two OS processes share one limit, a burst across a clock boundary gets no
more than the limit, and Retry-After says when the next request will pass. The local-memory
default (dev, test) gives the same answers within one process, threads included.
"""

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.test import RequestFactory

from tests.redis_support import REDIS_URL, redis_cache  # noqa: F401  (fixture)
from website.opendata.ratelimit import hit

ROOT = Path(__file__).resolve().parent.parent

# One process of the pair: say it is ready, wait for "go", try `attempts` requests, print how many
# passed.
WORKER = """
import sys, time
import django
django.setup()
from django.test import RequestFactory
from website.opendata.ratelimit import hit
attempts = int(sys.argv[1])
request = RequestFactory().get("/open-data/organizations.csv", REMOTE_ADDR="198.51.100.7")
print("ready", flush=True)
sys.stdin.readline()
passed = 0
for _ in range(attempts):
    passed += hit(request, scope="query").allowed
    time.sleep(0.002)  # so that the two processes take turns
print(passed, flush=True)
"""


def request_from(address="192.0.2.10"):
    return RequestFactory().get("/open-data/organizations.csv", REMOTE_ADDR=address)


def wait_until_fraction(fraction):
    """Sleep until the clock's current second reaches `fraction` (the old fixed windows were
    aligned on whole seconds, minutes and hours of the epoch)."""
    delay = (fraction - time.time() % 1) % 1
    time.sleep(delay)


def burst(request, seconds):
    """Hit as fast as possible for `seconds`; the moments at which a request passed."""
    passed, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        if hit(request, scope="query").allowed:
            passed.append(time.monotonic())
        time.sleep(0.0005)
    return passed


# --- against Redis ------------------------------------------------------------------------------

def test_two_processes_share_one_limit_exactly(redis_cache, settings):  # noqa: F811
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="website.settings.test", REDIS_URL=REDIS_URL,
               CACHE_KEY_PREFIX=redis_cache["KEY_PREFIX"], OPEN_DATA_RATE_LIMIT="25/hour")
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, "40"], cwd=ROOT, env=env,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
               for _ in range(2)]
    for worker in workers:
        assert worker.stdout.readline().strip() == "ready"
    for worker in workers:
        worker.stdin.write("go\n")
        worker.stdin.flush()
    results = [worker.communicate(timeout=60) for worker in workers]
    for worker in workers:
        assert worker.returncode == 0
    passed = [int(out) for out, _err in results]
    assert sum(passed) == 25, passed
    assert all(n > 0 for n in passed), f"the processes did not overlap: {passed}"  # both really competed
    # The test process, a third client of the same store, is refused too.
    settings.OPEN_DATA_RATE_LIMIT = "25/hour"
    assert not hit(request_from("198.51.100.7"), scope="query").allowed


def test_a_burst_across_a_window_boundary_gets_no_more_than_the_limit(redis_cache, settings):  # noqa: F811
    settings.OPEN_DATA_RATE_LIMIT = "5/second"
    request = request_from()
    wait_until_fraction(0.6)
    passed = burst(request, 0.8)  # from .6 of one second to .4 of the next
    assert len(passed) == 5, len(passed)
    # Once the first of them is a second old, the client may go on, at the same pace.
    time.sleep(max(0, passed[0] + 1.05 - time.monotonic()))
    assert hit(request, scope="query").allowed


def test_in_any_period_no_more_than_the_limit_pass(redis_cache, settings):  # noqa: F811
    settings.OPEN_DATA_RATE_LIMIT = "4/second"
    passed = burst(request_from(), 2.6)
    assert 8 <= len(passed) <= 12
    for i, moment in enumerate(passed):
        within = [m for m in passed[i:] if m - moment < 0.95]  # slack for the clocks
        assert len(within) <= 4, (i, within)


def test_retry_after_is_when_the_oldest_request_leaves_the_window(redis_cache, settings):  # noqa: F811
    settings.OPEN_DATA_RATE_LIMIT = "2/minute"
    request = request_from()
    assert hit(request, scope="query").allowed
    time.sleep(2)
    assert hit(request, scope="query").allowed
    refused = hit(request, scope="query")
    assert not refused.allowed and refused.limit == 2
    assert refused.retry_after == 58  # the first request leaves the minute 58 s from now
    # Refused requests are not counted: retrying does not push the time back.
    assert hit(request, scope="query").retry_after == 58


def test_the_answer_429_carries_retry_after(redis_cache, settings, client):  # noqa: F811
    settings.OPEN_DATA_REGISTER_RATE_LIMIT = "1/hour"
    assert client.get("/open-data/register/areas.csv").status_code == 200
    response = client.get("/open-data/register/areas.csv")
    assert response.status_code == 429
    assert 3590 <= int(response["Retry-After"]) <= 3600
    assert "请求过于频繁" in response.content.decode()


def test_scopes_and_clients_are_counted_apart(redis_cache, settings):  # noqa: F811
    settings.OPEN_DATA_RATE_LIMIT = "1/minute"
    settings.OPEN_DATA_REGISTER_RATE_LIMIT = "1/minute"
    assert hit(request_from("192.0.2.1"), scope="query").allowed
    assert not hit(request_from("192.0.2.1"), scope="query").allowed
    assert hit(request_from("192.0.2.1"), scope="register").allowed
    assert hit(request_from("192.0.2.2"), scope="query").allowed


def test_an_unreachable_redis_lets_requests_through(settings, caplog):
    """Open data stays open while Redis is down, and the failure is logged."""
    settings.CACHES = {"default": {
        "BACKEND": "website.redis_cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 0.5},
    }}
    assert hit(request_from(), scope="query").allowed
    assert "rate limit" in caplog.text.lower()


# --- the local-memory default ---------------------------------------------------------------------

@pytest.fixture
def local_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": f"ratelimit-{uuid.uuid4().hex}"}}


def test_local_memory_threads_share_one_limit_exactly(local_cache, settings):
    settings.OPEN_DATA_RATE_LIMIT = "30/hour"
    request, passed = request_from(), []

    def client():
        passed.append(sum(hit(request, scope="query").allowed for _ in range(20)))

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(passed) == 30


def test_local_memory_has_no_boundary_burst_and_the_same_retry_after(local_cache, settings):
    settings.OPEN_DATA_RATE_LIMIT = "5/second"
    wait_until_fraction(0.6)
    assert len(burst(request_from(), 0.8)) == 5
    settings.OPEN_DATA_RATE_LIMIT = "1/minute"
    other = request_from("192.0.2.99")
    assert hit(other, scope="query").allowed
    time.sleep(1)
    assert hit(other, scope="query").retry_after == 59

