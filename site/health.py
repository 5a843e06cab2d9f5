"""/healthz for the load balancer: the database, the cache and the task queue, as JSON.

503 when the database or the cache fails, so the balancer takes this server out; the queue's depth
and the age of its oldest ready task are reported for the operator (a stalled worker) but do not
fail the check, since this server can still answer. Errors are named by class only: the answer
is public and must not give away addresses.
"""

import logging
import time
import uuid

from django.core.cache import caches
from django.db import connections
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def _timed(check):
    started = time.perf_counter()
    try:
        detail = check() or {}
    except Exception as error:  # whatever fails, the answer is "not healthy", not a 500
        logger.warning("Health check %s failed", check.__name__, exc_info=True)
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1), **detail}


def database():
    with connections["default"].cursor() as cursor:  # the primary, whatever the router says
        cursor.execute("SELECT 1")
        cursor.fetchone()


def cache():
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    store = caches["default"]
    store.set(key, value, timeout=10)
    if store.get(key) != value:
        raise LookupError("the cache did not return what was stored")
    store.delete(key)


def queue():
    ready = DBTaskResult.objects.using("default").ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = (timezone.now() - oldest).total_seconds() if oldest else None
    return {"ready": ready.count(), "oldest_ready_age_s": None if age is None else round(age, 1)}


@never_cache
def healthz(request):
    checks = {"database": _timed(database), "cache": _timed(cache)}
    checks["queue"] = _timed(queue) if checks["database"]["ok"] else {"ok": False}
    healthy = checks["database"]["ok"] and checks["cache"]["ok"]
    return JsonResponse({"status": "ok" if healthy else "unavailable", "checks": checks},
                        status=200 if healthy else 503)
