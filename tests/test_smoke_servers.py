"""Smoke test of the production stack on this machine: two gunicorn servers (bin/serve) and one
task worker, with the production settings over the test database (PostgreSQL) and Redis, the
site crawled through both. With the local streaming replica up (deploy/postgresql/local-replica.sh)
the servers read their public pages from it, as deployed.

PostgreSQL only: on SQLite, the production servers and the test would each hold the database file."""

import re

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from tests.db_support import migrated_state_kept
from tests.server_support import ROOT, AppServer, TaskWorker, database_url, production_env
from tests.test_pages import build_world
from website.summaries.models import AnnualSummary
from website.summaries.services import request_summary

pytestmark = pytest.mark.django_db(transaction=True)

REPLICA = {"host": "127.0.0.1", "port": 5433}
LINK = re.compile(r'href="(/[^"#?]*)')
NOT_CRAWLED = ("/admin/", "/static/", "/documents/", "/i18n/", "/open-data/register")


@pytest.fixture(scope="module", autouse=True)
def migrations_rows_put_back(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), migrated_state_kept(connection):
        yield


def replica_url():
    """The local replica's URL for the test database, when it is up."""
    name = connection.settings_dict["NAME"]
    try:
        probe = psycopg2.connect(dbname=name, user="postgres", connect_timeout=2, **REPLICA)
    except psycopg2.OperationalError:
        return None
    probe.close()
    return f"postgres://postgres@{REPLICA['host']}:{REPLICA['port']}/{name}"


def wait_for_summary(summary, timeout=180):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        summary.refresh_from_db()
        if summary.state in (AnnualSummary.State.DRAFT, AnnualSummary.State.FAILED):
            return summary
        time.sleep(0.5)
    pytest.fail(f"the worker left the summary {summary.state} after {timeout} s")


def crawl(server, paths):
    """Status of each path, and of every same-site link found on the pages (bounded)."""
    statuses = {}
    queue = list(paths)
    while queue and len(statuses) < 60:
        path = queue.pop(0)
        if path in statuses:
            continue
        status, headers, body = server.get(path)
        for _ in range(5):  # a redirect within the site is followed (/api/v1/ to its documentation)
            location = headers.get("Location", "")
            if status not in (301, 302) or not location.startswith("/"):
                break
            status, headers, body = server.get(location)
        statuses[path] = status
        if status == 200 and headers.get("Content-Type", "").startswith("text/html"):
            queue += [link for link in LINK.findall(body.decode())
                      if not link.startswith(NOT_CRAWLED)]
    return statuses


def test_two_app_servers_and_a_worker_serve_the_public_site(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the production servers run over PostgreSQL")
    world = build_world(organizations=4)
    call_command("setup_site", stdout=open("/dev/null", "w"))
    organization = world["organizations"][0]
    paths = [
        "/", "/organizations/", f"/organizations/{organization.credit_code}/", "/statistics/",
        "/services/", "/incubation/", "/funds/", "/open-data/", "/open-data/organizations.csv",
        "/api/v1/", "/api/v1/organizations", f"/api/v1/organizations/{organization.credit_code}",
        "/api/v1/openapi.json", "/sitemap.xml",
    ]
    replica = replica_url()
    env = production_env(database=database_url(connection.settings_dict),
                         **({"DATABASE_REPLICA_URLS": replica} if replica else {}))

    first = AppServer(env=env, log_dir=tmp_path)  # collects the static files, once
    processes = [first]
    try:
        first.wait_until_serving()
        second = AppServer(env=env, log_dir=tmp_path, collect_static=False)
        worker = TaskWorker(env=env, log_dir=tmp_path)
        processes += [second, worker]
        second.wait_until_serving()

        for server in (first, second):
            statuses = crawl(server, paths)
            assert {path: statuses[path] for path in paths} == {path: 200 for path in paths}, (
                server.log_tail(15))
            errors = {path: status for path, status in statuses.items() if status >= 500}
            assert errors == {}, server.log_tail(15)
            assert len(statuses) > len(paths)  # the pages' own links were followed too
        status, _, body = first.get(f"/organizations/{organization.credit_code}/")
        assert organization.name in body.decode()

        # Long work goes through the database queue to the worker process.
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
            summary = request_summary(year=2023)
        summary = wait_for_summary(summary)
        assert summary.state == AnnualSummary.State.DRAFT, (summary.message, worker.log_tail())
        assert summary.page_count >= 1
        (ROOT / "var" / "media" / summary.file.name).unlink(missing_ok=True)
    finally:
        exits = {process.name: process.stop() for process in processes}
    assert exits == {process.name: 0 for process in processes}
