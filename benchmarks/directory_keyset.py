"""Benchmark: the directory's cursor pages deep in each order (not a test).

    PAGE_CACHE=off .venv/bin/python benchmarks/directory_keyset.py \\
        --database-url postgres://postgres@127.0.0.1:5432/<a million> [--depth 500000] [--explain]

Read-only: every connection it opens is set to read-only transactions (and a missing site
settings row is not created, its defaults are used), so it can run on a database others use. It finds the row at
--depth in the name order and in both date orders (one OFFSET query each, not timed), makes
the cursor tokens the page would link to, then times as benchmarks/directory.py does (in-process
django.test.Client, website.settings.test, two warm-up requests, then --runs): page 1, the old
`?page=500` (of the whole register and of the keyword 互助, and the same rows of 互助 by a cursor),
and `?after=` / `?before=` at that depth. With --explain it prints EXPLAIN
(ANALYZE, BUFFERS) of the queries of each cursor page that read the ids of its rows.
"""

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import quote

from directory import time_url  # benchmarks/directory.py: the same timing

ROOT = Path(__file__).resolve().parent.parent
KEYWORD = "互助"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--depth", type=int, default=500_000)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "website.settings.test"
    os.environ.setdefault("PAGE_CACHE", "off")  # the server time of rendering, not of a stored copy
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.db.backends.signals import connection_created
    from django.test import Client
    from django.utils import timezone

    from registry import directory, selectors
    from registry.models import Organization
    from registry.search import search_organizations

    def read_only(sender, connection, **kwargs):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET default_transaction_read_only = on")

    connection_created.connect(read_only, weak=False)

    # A site's settings row is made on first use (get_or_create); read it, or use the defaults.
    from wagtail.contrib.settings.models import BaseSiteSetting

    def settings_for_site(cls, site):
        return cls.objects.filter(site=site).first() or cls(site=site)

    BaseSiteSetting.for_site = classmethod(settings_for_site)

    today = timezone.localdate()

    def token_at(row_number, *, sort, queryset=Organization.objects.all()):
        ids = selectors.directory_page_ids(queryset, sort=sort, as_of=today,
                                           offset=row_number - 1, limit=1)
        (row,) = selectors.directory_rows(ids=ids, as_of=today)
        return directory.cursor_token(sort=sort, key=selectors.directory_sort_key(row, sort=sort))

    keyword = quote(KEYWORD)
    urls = [
        ("page 1", "/organizations/"),
        ("old ?page=500", "/organizations/?page=500"),
        (f"{KEYWORD}, old ?page=500", f"/organizations/?q={keyword}&page=500"),
        # The same rows as page 500 (9,981 to 10,000), reached by the cursor of row 9,980.
        (f"{KEYWORD}, after row 9,980", f"/organizations/?q={keyword}&after=" + token_at(
            9_980, sort="name", queryset=search_organizations(Organization.objects.all(),
                                                              keyword=KEYWORD))),
    ]
    for sort in selectors.KEYSET_SORTS:
        token = token_at(args.depth, sort=sort)
        for direction in ("after", "before"):
            urls.append((f"{sort}, {direction} row {args.depth:,}",
                         f"/organizations/?sort={sort}&{direction}={token}"))

    print(f"{connection.vendor}, {Organization.objects.count():,} organizations, {args.runs} runs per URL")
    print(f"{'what':34} {'median ms':>9} {'p90 ms':>7} {'queries':>7}  url")
    client = Client()

    def links_on(response):
        assert b'rel="next"' in response.content, response.request["QUERY_STRING"]

    for label, url in urls:
        median, p90, queries = time_url(client, url, runs=args.runs, check=links_on)
        print(f"{label:34} {median:9.1f} {p90:7.1f} {len(queries):7d}  {url}")
        if args.explain and ("after" in url or "before" in url):
            with connection.cursor() as cursor:
                for query in queries:
                    sql = query["sql"]
                    if "LIMIT 21" in sql and "registry_directorypage" not in sql and "COUNT(*)" not in sql:
                        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                        print("\n".join("    " + line for (line,) in cursor.fetchall()))


if __name__ == "__main__":
    main()
