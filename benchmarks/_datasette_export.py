"""The directory's rows as one SQLite table, for benchmarks/vs_datasette.py to serve with Datasette.

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/_datasette_export.py var/bench/register.db

Run in its own process (Django set up with the production settings, as the app servers are), so
the benchmark's load client never carries Django. Table `organizations`, one row per organization
the directory lists, each with what a directory row shows today, read through the open-data table
(`website.opendata.tables.ORGANIZATIONS`: its columns and the `registry.facts` twins they call), in
chunks of 2,000 with its prefetches, so memory stays flat at any size:

    identifier (primary key: the credit code, else the filing number), name, legal_form, kind
    (登记 / 备案: the track of today's status, as the directory's `kind` filter means it), town,
    village, status, registered_on, grade, credit_lists (names joined with 、), and the codes
    behind two labels the benchmark's URLs need, legal_form_code and town_code.

Indexes a careful publisher would add for the pages Datasette serves: (name, identifier) for
`_sort=name` and its `_next` token (Datasette orders by the sort column, then the primary key),
(town, legal_form, name, identifier) for the two filters in name order, and ANALYZE for SQLite's
planner. The file is written under a temporary name and renamed when complete.

A JSON file beside it records the database's fingerprint (row counts, largest ids and PostgreSQL's
insert/update/delete counters of the register's tables) and the day the facts were read on; with
`--reuse` an existing file is kept when both still match (today's status is a fact of the day).
"""

import argparse
import dataclasses
import json
import os
import resource
import sqlite3
import sys
import time
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS))
sys.path.insert(0, str(BENCHMARKS.parent))
from _servers import server_env  # noqa: E402

# The tables whose rows the export reads.
SOURCE_TABLES = ("registry_organization", "registry_statusevent", "registry_evaluationgrade",
                 "registry_creditlistentry", "registry_area")
PREFETCHED = ("prefetched_status_events", "prefetched_evaluation_grades",
              "prefetched_credit_list_entries")
COLUMNS = ("identifier", "name", "legal_form", "kind", "town", "village", "status",
           "registered_on", "grade", "credit_lists", "legal_form_code", "town_code")
SCHEMA = """
CREATE TABLE organizations (
    identifier TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    legal_form TEXT,
    kind TEXT,
    town TEXT,
    village TEXT,
    status TEXT,
    registered_on TEXT,
    grade TEXT,
    credit_lists TEXT,
    legal_form_code TEXT,
    town_code TEXT
);
"""
INDEXES = (
    "CREATE INDEX organizations_name ON organizations (name, identifier)",
    "CREATE INDEX organizations_town_legal_form ON organizations (town, legal_form, name, identifier)",
)


def sidecar(path):
    return path.with_name(path.name + ".json")


def fingerprint(connection):
    """What changes whenever a row the export reads changes (or the statistics are reset, which
    only costs a rebuild)."""
    with connection.cursor() as cursor:
        found = {}
        for table in SOURCE_TABLES:
            cursor.execute(f"SELECT count(*), max(id) FROM {table}")  # noqa: S608 (fixed names)
            found[table] = list(cursor.fetchone())
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables "
                "WHERE relname = ANY(%s) ORDER BY relname", [list(SOURCE_TABLES)])
            for name, *counters in cursor.fetchall():
                found[name] += counters
    return found


def rows(table, context):
    """(identifier, …) for each organization with a public identifier, in id order."""
    from registry.facts import FILED_TRACK, REGISTERED_TRACK
    from registry.filters import KIND_CHOICES
    from registry.models import Organization
    from website.opendata.writers import LIST_SEPARATOR

    kinds = dict(KIND_CHOICES)
    kind_of = {**{s.value: str(kinds["registered"]) for s in REGISTERED_TRACK},
               **{s.value: str(kinds["filed"]) for s in FILED_TRACK}}
    column = {c.key: c for c in table.columns}
    name, legal_form, status = column["name"], column["legal_form"], column["status"]
    registered_on, grade, credit_lists = column["registered_on"], column["grade"], column["credit_lists"]
    town, village = column["town"], column["village"]
    queryset = Organization.objects.order_by("pk").only(
        "id", "name", "legal_form", "credit_code", "filing_number",
        "town__name", "town__code", "village__name", "village__code")
    for organization in table.records(queryset):
        identifier = organization.public_identifier
        if not identifier:
            continue  # no public page: the directory lists it without a link
        started = registered_on.get(organization, context)
        status_code = status.code(organization, context)
        yield (
            identifier, name.get(organization, context), legal_form.get(organization, context),
            kind_of.get(status_code), town.get(organization, context),
            village.get(organization, context), status.get(organization, context),
            started.isoformat() if started else None, grade.get(organization, context),
            LIST_SEPARATOR.join(credit_lists.get(organization, context)) or None,
            legal_form.code(organization, context), town.code(organization, context),
        )


def export(path, *, reuse=False, quiet=False):
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from website.opendata.columns import Context
    from website.opendata.tables import ORGANIZATIONS

    today = timezone.localdate()
    state = {"day": today.isoformat(), "database": fingerprint(connection)}
    info_path = sidecar(path)
    if reuse and path.exists() and info_path.exists():
        info = json.loads(info_path.read_text())
        if {key: info.get(key) for key in state} == json.loads(json.dumps(state)):
            info["reused"] = True
            return info

    # Only what the columns read: the open-data table's other prefetches (former names, service
    # fields) and joins (supervising unit) feed columns the directory does not show.
    table = dataclasses.replace(
        ORGANIZATIONS, select_related=("town", "village"),
        prefetch_related=tuple(p for p in ORGANIZATIONS.prefetch_related
                               if getattr(p, "to_attr", None) in PREFETCHED))
    context = Context(today=today)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    started = time.monotonic()
    sqlite = sqlite3.connect(partial)
    sqlite.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
    insert = f"INSERT OR IGNORE INTO organizations VALUES ({', '.join('?' * len(COLUMNS))})"
    batch, written, peak = [], 0, []
    for row in rows(table, context):
        batch.append(row)
        if len(batch) == 10_000:
            sqlite.executemany(insert, batch)
            written += len(batch)
            batch.clear()
            if written % 100_000 == 0:
                peak.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
                if not quiet:
                    print(f"  exported {written:,} rows, {time.monotonic() - started:.0f} s, "
                          f"peak RSS {peak[-1]} MB", file=sys.stderr, flush=True)
    sqlite.executemany(insert, batch)
    sqlite.commit()
    loaded = time.monotonic()
    for statement in INDEXES:
        sqlite.execute(statement)
    sqlite.execute("ANALYZE")
    sqlite.commit()
    count = sqlite.execute("SELECT count(*) FROM organizations").fetchone()[0]
    sqlite.close()
    os.replace(partial, path)
    info = {
        **state, "rows": count, "skipped": written + len(batch) - count,
        "read_seconds": round(loaded - started, 1),
        "index_seconds": round(time.monotonic() - loaded, 1),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "peak_rss_mb_by_100k_rows": peak, "bytes": path.stat().st_size, "reused": False,
    }
    info_path.write_text(json.dumps(info, indent=1))
    return info


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", type=Path)
    parser.add_argument("--reuse", action="store_true",
                        help="keep an existing file made today from the same database state")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    os.environ.update(server_env(LOG_LEVEL="WARNING"))
    print(json.dumps(export(args.path.resolve(), reuse=args.reuse, quiet=args.quiet)))


if __name__ == "__main__":
    main()
