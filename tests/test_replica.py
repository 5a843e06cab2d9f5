"""Read replicas (website.db_router): the router's decisions, then for real through the streaming
replica that `.ci/run` makes on 127.0.0.1:5433 (deploy/postgresql/local-replica.sh).

The real tests need PostgreSQL and the replica: without them they fail under CI=true and are
skipped elsewhere. TEST_DATABASE_REPLICA_URL points them at another replica (default: the test
database on 127.0.0.1:5433).
"""

import os
import time

import psycopg2
import pytest
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth.models import AnonymousUser
from django.db import connections, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from wagtail.models import Site

from registry.factories import registered_organization
from registry.models import Organization
from tests.db_support import empty_and_restore
from tests.server_support import ROOT, AppServer, database_url, production_env
from tests.test_admin import admin_url
from website.db_router import PrimaryReplicaRouter, PublicReadMiddleware, replica_databases
from website.public_pages import ensure_public_pages

ROUTER = PrimaryReplicaRouter()
REPLICA_URL = os.environ.get("TEST_DATABASE_REPLICA_URL", "postgres://postgres@127.0.0.1:5433")


class _SignedIn:
    is_authenticated = True


def read_alias_during(request, *, during=None):
    """The alias an ORM read would use inside `request`, after `during()` ran in it."""
    seen = []

    def view(request):
        if during:
            during()
        seen.append(ROUTER.db_for_read(Organization))
        return None

    PublicReadMiddleware(view)(request)
    return seen[0]


@pytest.fixture
def one_replica(settings):
    settings.DATABASE_REPLICAS = ["replica1"]


def anonymous(request):
    request.user = AnonymousUser()
    return request


def test_an_anonymous_get_or_head_of_a_public_page_reads_the_replica(one_replica):
    rf = RequestFactory()
    assert read_alias_during(anonymous(rf.get("/organizations/"))) == "replica1"
    assert read_alias_during(anonymous(rf.head("/statistics/"))) == "replica1"


def test_the_admin_staff_and_writes_read_the_primary(one_replica):
    rf = RequestFactory()
    assert read_alias_during(anonymous(rf.get("/admin/login/"))) == "default"
    assert read_alias_during(anonymous(rf.post("/i18n/setlang/"))) == "default"
    signed_in = rf.get("/organizations/")
    signed_in.user = _SignedIn()
    assert read_alias_during(signed_in) == "default"


def test_a_public_read_reads_the_primary_after_it_writes(one_replica):
    request = anonymous(RequestFactory().get("/organizations/"))
    assert read_alias_during(request, during=lambda: ROUTER.db_for_write(Organization)) == "default"


def test_without_replicas_or_outside_a_request_everything_reads_the_primary(settings):
    settings.DATABASE_REPLICAS = []
    assert read_alias_during(anonymous(RequestFactory().get("/organizations/"))) == "default"
    settings.DATABASE_REPLICAS = ["replica1"]
    assert ROUTER.db_for_read(Organization) == "default"
    assert ROUTER.db_for_write(Organization) == "default"


def test_migrations_run_on_the_primary_only():
    assert ROUTER.allow_migrate("default", "registry")
    assert not ROUTER.allow_migrate("replica1", "registry")


def test_replica_urls_become_copies_of_the_primary_with_their_own_server():
    primary = {"ENGINE": "django.db.backends.postgresql", "NAME": "registry", "USER": "app",
               "PASSWORD": "secret", "HOST": "db1", "PORT": 5432, "CONN_MAX_AGE": 60,
               "CONN_HEALTH_CHECKS": True, "OPTIONS": {"options": "-c jit=off"}}
    replicas = replica_databases(primary, "postgres://app:secret@db2:5432, postgres://ro:pw@db3:6432/copy")
    assert list(replicas) == ["replica1", "replica2"]
    assert replicas["replica1"] | {"TEST": None} == primary | {"HOST": "db2", "TEST": None}
    assert (replicas["replica2"]["HOST"], replicas["replica2"]["PORT"], replicas["replica2"]["NAME"],
            replicas["replica2"]["USER"]) == ("db3", 6432, "copy", "ro")
    assert replicas["replica2"]["CONN_HEALTH_CHECKS"] and replicas["replica2"]["OPTIONS"] == primary["OPTIONS"]
    # The test runner neither creates nor flushes a replica: it reads the primary's test database.
    assert replicas["replica1"]["TEST"] == {"MIRROR": "default"}
    assert replica_databases(primary, " ") == {}


# --- for real, through the streaming replica ---------------------------------------------------

def _in_ci():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _unavailable(reason):
    if _in_ci():
        pytest.fail(f"the read replica is needed in CI: {reason} (bash deploy/postgresql/local-replica.sh)")
    pytest.skip(reason)


def replica_settings():
    """The replica's DATABASES entry for the test database, or skip (fail in CI)."""
    primary = connections["default"].settings_dict
    if connections["default"].vendor != "postgresql":
        pytest.skip("the replica tests run on PostgreSQL (CI's PostgreSQL run has them)")
    entry = replica_databases(primary, REPLICA_URL)["replica1"]
    entry["TEST"] = {**primary["TEST"], "MIRROR": "default"}
    try:
        probe = psycopg2.connect(host=entry["HOST"], port=entry["PORT"], user=entry["USER"],
                                 password=entry["PASSWORD"], dbname=entry["NAME"], connect_timeout=3)
    except psycopg2.OperationalError as error:
        _unavailable(f"no replica at {REPLICA_URL}: {error}".strip())
    with probe, probe.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        (in_recovery,) = cursor.fetchone()
    probe.close()
    if not in_recovery:
        _unavailable(f"{REPLICA_URL} is not a standby")
    return entry


@pytest.fixture(scope="module")
def replica_alias(django_db_setup, django_db_blocker):
    """replica1: a second connection, to the standby, reading the test database. Defined for
    this module only (the rest of the suite reads the primary); the tests list it in their
    databases, and Django never flushes it (a mirror). Yields what the migrations made, which
    the module's committing tests put back."""
    connections.settings["replica1"] = replica_settings()
    with django_db_blocker.unblock():
        migrated = connections["default"].creation.serialize_db_to_string()
        try:
            yield migrated
        finally:
            empty_and_restore(connections["default"], migrated)
            connections["replica1"].close()
            del connections["replica1"]
            del connections.settings["replica1"]


@pytest.fixture
def real_replica(replica_alias, transactional_db, settings):
    if not Site.objects.exists():  # flushed by the previous test of the module
        empty_and_restore(connections["default"], replica_alias)
    settings.DATABASE_REPLICAS = ["replica1"]
    return connections["replica1"]


def wait_until_replayed(replica, organization, timeout=15):
    deadline = time.monotonic() + timeout
    while not Organization.objects.using(replica.alias).filter(pk=organization.pk).exists():
        if time.monotonic() > deadline:
            pytest.fail(f"the replica did not replay organization {organization.pk} in {timeout} s")
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True, databases=["default", "replica1"])
def test_a_record_written_to_the_primary_is_read_from_the_replica_on_its_public_page(
        real_replica, client, django_user_model):
    with transaction.atomic():
        ensure_public_pages()
        organization = registered_organization(name="嘉善县副本读取测试协会")
    wait_until_replayed(real_replica, organization)
    url = f"/organizations/{organization.credit_code}/"

    with CaptureQueriesContext(real_replica) as on_replica, \
            CaptureQueriesContext(connections["default"]) as on_primary:
        response = client.get(url)
    assert response.status_code == 200
    assert "嘉善县副本读取测试协会" in response.content.decode()
    assert any("registry_organization" in query["sql"] for query in on_replica.captured_queries)
    assert not any("registry_organization" in query["sql"] for query in on_primary.captured_queries)
    with real_replica.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), inet_server_port()")
        assert cursor.fetchone() == (True, int(real_replica.settings_dict["PORT"]))

    # Signed-in staff read the primary, the public page and the admin alike.
    staff = django_user_model.objects.create_superuser("replica-admin", password="x")
    client.force_login(staff)
    with CaptureQueriesContext(real_replica) as on_replica:
        assert client.get(url).status_code == 200
        assert client.get(admin_url(Organization, "edit", organization)).status_code == 200
    assert on_replica.captured_queries == []


def staff_session_cookie(user):
    """The session cookie of `user` signed in, as the login form would leave it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{django_settings.SESSION_COOKIE_NAME}={session.session_key}"


@pytest.mark.django_db(transaction=True, databases=["default", "replica1"])
def test_the_production_server_reads_public_pages_from_the_replica_and_staff_from_the_primary(
        real_replica, django_user_model, tmp_path):
    """Through gunicorn with DATABASE_REPLICA_URLS: while the replica's replay is paused, a record
    written to the primary is missing from the public page and present for signed-in staff."""
    with transaction.atomic():
        ensure_public_pages()
        before = registered_organization(name="嘉善县暂停前登记的协会")
        staff = django_user_model.objects.create_superuser("replica-staff", password="x")
    wait_until_replayed(real_replica, before)
    env = production_env(
        database=database_url(connections["default"].settings_dict),
        DATABASE_REPLICA_URLS=database_url(real_replica.settings_dict),
        SECRET_KEY=django_settings.SECRET_KEY,  # the server reads the test's session
        GUNICORN_WORKERS="1",
    )
    manifest = ROOT / "var" / "static" / "staticfiles.json"
    server = AppServer(env=env, log_dir=tmp_path, collect_static=not manifest.exists())
    staff_cookie = {"Cookie": staff_session_cookie(staff)}
    try:
        server.wait_until_serving()
        with real_replica.cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_pause()")
        during = registered_organization(name="嘉善县回放暂停时登记的协会")
        page = f"/organizations/{during.credit_code}/"

        assert server.get(f"/organizations/{before.credit_code}/")[0] == 200
        assert server.get(page)[0] == 404  # the public read went to the paused replica
        status, _, body = server.get(page, headers=staff_cookie)
        assert (status, during.name in body.decode()) == (200, True), server.log_tail(15)

        with real_replica.cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
        wait_until_replayed(real_replica, during)
        assert server.get(page)[0] == 200
    finally:
        with real_replica.cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
        assert server.stop() == 0
