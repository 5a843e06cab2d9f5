"""A restarting PostgreSQL costs only the requests in flight: a new connection waits for the
server (website.db.postgresql) instead of failing the request at once.

The server "restarts" by being unreachable on a port until a relay to the real one opens there:
real PostgreSQL behind a real socket, no restart of the cluster other tests use.
"""

import socket
import threading
import time

import pytest
from django.db import OperationalError, connection

from website.db.postgresql.base import DatabaseWrapper

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's connections"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Relay:
    """Listens on `port` from `opens_after` seconds on, and pipes each connection to PostgreSQL."""

    def __init__(self, port, *, target, opens_after):
        self.port, self.target, self.opens_after = port, target, opens_after
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join(5)

    def _serve(self):
        if self.stopped.wait(self.opens_after):
            return
        with socket.create_server(("127.0.0.1", self.port)) as server:
            server.settimeout(0.1)
            while not self.stopped.is_set():
                try:
                    client, _ = server.accept()
                except TimeoutError:
                    continue
                upstream = socket.create_connection(self.target)
                for a, b in ((client, upstream), (upstream, client)):
                    threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def wrapper_on(port):
    return DatabaseWrapper({**connection.settings_dict, "HOST": "127.0.0.1", "PORT": port},
                           alias="reconnect_probe")


def target():
    return (connection.settings_dict.get("HOST") or "127.0.0.1",
            int(connection.settings_dict.get("PORT") or 5432))


def test_a_new_connection_waits_for_a_restarting_server_and_is_served(settings):
    settings.DATABASE_CONNECT_RETRY_SECONDS = 5
    port = free_port()
    database = wrapper_on(port)
    started = time.monotonic()
    with Relay(port, target=target(), opens_after=1.0):
        try:
            with database.cursor() as cursor:
                cursor.execute("SELECT 1")
                assert cursor.fetchone() == (1,)
        finally:
            database.close()
    assert time.monotonic() - started >= 1.0  # it waited for the server rather than failing


def test_without_the_retry_the_same_request_fails_at_once(settings):
    settings.DATABASE_CONNECT_RETRY_SECONDS = 0
    port = free_port()
    database = wrapper_on(port)
    with Relay(port, target=target(), opens_after=1.0):
        started = time.monotonic()
        with pytest.raises(OperationalError):
            database.ensure_connection()
        assert time.monotonic() - started < 1.0
        database.close()


def test_a_server_that_stays_down_fails_after_the_bound(settings):
    settings.DATABASE_CONNECT_RETRY_SECONDS = 0.6
    database = wrapper_on(free_port())
    started = time.monotonic()
    with pytest.raises(OperationalError):
        database.ensure_connection()
    assert 0.6 <= time.monotonic() - started < 3
    database.close()
