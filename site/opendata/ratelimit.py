"""A fixed-window request limit per client IP, counted in Django's cache.

The counter lives in the default cache, so every app server must share it (Redis or Memcached) for
the limit to hold across servers; the local-memory default counts per process.
"""

import functools
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.utils.translation import gettext as _

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
    retry_after: int  # seconds until the window resets


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


def hit(request, *, scope):
    """Count one request of `scope` from the request's client and decide whether it may go on."""
    setting, default = SCOPES[scope]
    limit, period = parse_rate(getattr(settings, setting, default))
    now = time.time()
    window = int(now // period)
    key = f"opendata-rate:{scope}:{client_ip(request)}:{period}:{window}"
    # add() then incr() is atomic in Redis and Memcached, and locked in the local-memory cache.
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=period + 1)
        count = 1
    retry_after = max(1, math.ceil((window + 1) * period - now))
    return Decision(allowed=count <= limit, limit=limit, retry_after=retry_after)


def too_many_requests(decision):
    response = HttpResponse(
        _("请求过于频繁:每个IP地址在限定时间内最多可请求%(limit)s次。请在%(seconds)s秒后重试。")
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
