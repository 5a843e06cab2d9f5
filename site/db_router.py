"""Public reads go to a read replica; everything else goes to the primary.

A request is a public read when it is a GET or HEAD outside the admin from a reader who is not
signed in (PublicReadMiddleware). Its reads go to one replica, picked for the whole request, until
it writes: from then on, and while the primary has a transaction open, it reads the primary, so a
request always sees its own writes. Outside such a request (the admin, signed-in staff, forms,
commands, the task worker, migrations) every query goes to the primary.

Replicas come from DATABASE_REPLICA_URLS (comma separated) as replica1, replica2…, each a copy
of the primary's settings with its own host, port, user and password.
"""

import contextvars
import random

import dj_database_url
from django.conf import settings
from django.db import connections

PRIMARY = "default"

# The replica this request reads, or None when it must read the primary.
_request_replica = contextvars.ContextVar("request_replica", default=None)


def replica_databases(primary, urls):
    """DATABASES entries for the comma-separated replica `urls`, each inheriting what the
    primary's entry sets (options, connection age, health checks). A URL without a database
    name reads the primary's database."""
    replicas = {}
    urls = [url.strip() for url in urls.split(",") if url.strip()]
    for number, url in enumerate(urls, start=1):
        parsed = dj_database_url.parse(url)
        entry = {**primary, "OPTIONS": dict(primary.get("OPTIONS", {}))}
        for key in ("HOST", "PORT", "USER", "PASSWORD", "NAME"):
            if parsed.get(key):
                entry[key] = parsed[key]
        # Django's test runner neither creates nor flushes a mirror: it only gives it the test
        # database's NAME, keeping its own HOST and PORT, so tests read the real replica.
        entry["TEST"] = {"MIRROR": PRIMARY}
        replicas[f"replica{number}"] = entry
    return replicas


def replicas():
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        replica = _request_replica.get()
        if replica is None or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return replica

    def db_for_write(self, model, **hints):
        _request_replica.set(None)  # the rest of this request reads what it wrote
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Every alias holds the same rows: an object read from a replica may point at one
        # read from the primary.
        ours = {PRIMARY, *replicas()}
        if obj1._state.db in ours and obj2._state.db in ours:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class PublicReadMiddleware:
    """Marks a public read (after AuthenticationMiddleware, which it asks about the reader)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._admin_prefix = None

    def __call__(self, request):
        choices = replicas()
        if not choices or not self._is_public_read(request):
            return self.get_response(request)
        token = _request_replica.set(random.choice(choices))
        try:
            # A streamed body is read after this returns, from the primary.
            return self.get_response(request)
        finally:
            _request_replica.reset(token)

    def _is_public_read(self, request):
        if request.method not in ("GET", "HEAD"):
            return False
        if request.path.startswith(self.admin_prefix()):
            return False
        # Loads the session (from the primary) only when the request carries a session cookie.
        return not request.user.is_authenticated

    def admin_prefix(self):
        if self._admin_prefix is None:
            from django.urls import reverse

            self._admin_prefix = reverse("wagtailadmin_home")
        return self._admin_prefix
