"""PostgreSQL, as Django's backend, but a new connection is retried for a few seconds.

A PostgreSQL restart (a minor upgrade, a fail-over to the replica) refuses connections for about a
second. Without a retry every request that arrives in that second is a 500; with it, the request
waits and is served once the server is back. Only requests whose queries were running when the
server went down still fail. `DATABASE_CONNECT_RETRY_SECONDS` bounds the wait (0: no retry).
"""

import time

from django.conf import settings
from django.db.backends.postgresql import base
from psycopg2 import OperationalError

FIRST_PAUSE = 0.05  # seconds; doubles after each refusal, up to MAX_PAUSE
MAX_PAUSE = 0.5


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        deadline = time.monotonic() + float(getattr(settings, "DATABASE_CONNECT_RETRY_SECONDS", 0))
        pause = FIRST_PAUSE
        while True:
            try:
                return super().get_new_connection(conn_params)
            except OperationalError:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise
                time.sleep(min(pause, remaining))
                pause = min(pause * 2, MAX_PAUSE)
