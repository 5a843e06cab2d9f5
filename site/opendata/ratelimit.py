"""A sliding-window request limit per client IP and scope.

Each (scope, client) keeps the moments of its admitted requests over the last period; a request is
admitted while fewer than the limit fall within the period ending now. Unlike a fixed window, no
clock boundary lets twice the limit through, and Retry-After is when the oldest admitted request
leaves the period. Refused requests are not recorded, so retrying does not push that moment back.

With Redis as the default cache (production requires it) the log is a sorted set that one Lua
script trims, counts and adds to, on Redis's own clock: every app server shares it, and two
servers cannot both take the last place. With another cache (the local-memory default of dev and
test) the log is a cache entry updated under a process lock, which holds within one process only.
"""

import functools
import logging
import math
import threading
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DEFAULT_RATE = "120/minute"
DEFAULT_REGISTER_RATE = "10/hour"

_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}

# scope -> (setting name, default rate)
SCOPES = {
    "query": ("OPEN_DATA_RATE_LIMIT", DEFAULT_RATE),
    "register": ("OPEN_DATA_REGISTER_RATE_LIMIT", DEFAULT_REGISTER_RATE),
}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    retry_after: int  # seconds until one more request would be admitted


def parse_rate(text):
    """'120/minute' -> (120, 60). Also accepts the plural and the first letter: '5/h', '10/days'."""
    try:
        count, period = str(text).split("/")
        count = int(count)
        period = period.strip().lower()
        if len(period) > 1 and period.endswith("s"):
            period = period[:-1]
        seconds = next(v for k, v in _PERIODS.items() if period in (k, k[0]))
    except (ValueError, StopIteration):
        raise ImproperlyConfigured(
            f"Rate {text!r} is not of the form '<count>/<second|minute|hour|day>'."
        ) from None
    if count < 1:
        raise ImproperlyConfigured(f"Rate {text!r} must allow at least one request.")
    return count, seconds


def client_ip(request):
    """The client's address. Behind `OPEN_DATA_TRUSTED_PROXIES` reverse proxies, the address the
    outermost trusted proxy saw, from X-Forwarded-For: entries a client adds cannot spoof it."""
    proxies = int(getattr(settings, "OPEN_DATA_TRUSTED_PROXIES", 0))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


# KEYS[1]: the log; ARGV: limit, period in microseconds, a unique member for this request.
# Returns {admitted (0/1), microseconds until the next admission (0 when admitted)}.
_SLIDING_WINDOW_LUA = """
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000000 + tonumber(now[2])
local limit, period = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - period)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(period / 1000))
  return {1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, tonumber(oldest[2]) + period - now}
"""


def _redis_decide(store, key, limit, period):
    """(admitted, seconds to wait) from the log shared in Redis."""
    key = store.make_and_validate_key(key)
    client = store._cache.get_client(key, write=True)
    script = client.register_script(_SLIDING_WINDOW_LUA)
    admitted, wait_us = script(keys=[key], args=[limit, period * 1_000_000, uuid.uuid4().hex])
    return bool(admitted), wait_us / 1_000_000


_local_lock = threading.Lock()


def _local_decide(store, key, limit, period):
    """The same rule on a list of moments in a process-local cache, under one lock."""
    with _local_lock:
        now = time.time()
        moments = [m for m in store.get(key, []) if m > now - period]
        if len(moments) < limit:
            store.set(key, [*moments, now], timeout=period + 1)
            return True, 0.0
        return False, moments[0] + period - now


def hit(request, *, scope):
    """Count one request of `scope` from the request's client and decide whether it may go on.
    A request the page cache has already counted (website.page_cache) is not counted again."""
    decided = getattr(request, "rate_limit_decisions", {}).get(scope)
    if decided is not None:
        return decided
    state = getattr(request, "page_cache", None)
    if state is not None:  # a stored copy of this answer is counted as this one was
        state.rate_limit_scope = scope
    setting, default = SCOPES[scope]
    limit, period = parse_rate(getattr(settings, setting, default))
    key = f"opendata-rate:{scope}:{period}:{client_ip(request)}"
    store = caches["default"]
    if isinstance(store, RedisCache):
        import redis

        try:
            admitted, wait = _redis_decide(store, key, limit, period)
        except redis.RedisError:  # Redis down: open data stays open rather than failing
            logger.exception("Open-data rate limit not applied: the cache is unreachable")
            admitted, wait = True, 0.0
    else:
        admitted, wait = _local_decide(store, key, limit, period)
    retry_after = 0 if admitted else max(1, math.ceil(wait))
    return Decision(allowed=admitted, limit=limit, retry_after=retry_after)


def too_many_requests(decision):
    response = HttpResponse(
        _("请求过于频繁：每个IP地址在限定时间内最多可请求%(limit)s次。请在%(seconds)s秒后重试。")
        % {"limit": decision.limit, "seconds": decision.retry_after},
        status=429, content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(decision.retry_after)
    return response


def rate_limited(scope):
    """View decorator: answer 429 with Retry-After once the client has used up `scope`'s limit."""
    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            decision = hit(request, scope=scope)
            if not decision.allowed:
                return too_many_requests(decision)
            return view(request, *args, **kwargs)
        return wrapped
    return decorator
