"""A request id for every request, and one access line when it is answered.

The id comes from the proxy's X-Request-ID when that looks like an id (so the proxy's and our
logs join), else a new one; it is echoed in the response's X-Request-ID.
"""

import logging
import re
import time
import uuid

from website.logs import request_id

logger = logging.getLogger("website.access")

_SANE_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _SANE_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(request.request_id)
        started, cpu_started = time.perf_counter(), time.thread_time()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            user = getattr(request, "user", None)
            logger.info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra={
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    # This thread's CPU: what the request cost the app server, without waits.
                    "cpu_ms": round((time.thread_time() - cpu_started) * 1000, 2),
                },
            )
            return response
        finally:
            request_id.reset(token)
