"""Production logs: one JSON object a line on stdout, for the process manager to collect.

Every line carries the request id of the request it was written in (website.request_log sets it),
so an error's traceback and the request's access line can be joined.
"""

import contextvars
import json
import logging
from datetime import datetime, timezone

request_id = contextvars.ContextVar("request_id", default=None)

# Attributes every LogRecord has; anything else on a record was passed as `extra=` and is logged.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonLinesFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if (current := request_id.get()) is not None:
            line["request_id"] = current
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        elif record.stack_info:
            line["traceback"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def json_logging(level="INFO"):
    """The LOGGING setting of production: everything to stdout as JSON lines."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "website.logs.JsonLinesFormatter"}},
        "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout",
                                "formatter": "json"}},
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            # Django's own handlers (console in DEBUG, mail to ADMINS) give way to stdout.
            "django": {"handlers": ["stdout"], "level": level, "propagate": False},
            # The access line already records 4xx answers; keep 5xx, which carry the traceback.
            "django.request": {"handlers": ["stdout"], "level": "ERROR", "propagate": False},
        },
    }
