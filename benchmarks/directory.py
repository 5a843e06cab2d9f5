"""Benchmark: server time of the directory and of an organization page (not a test).

    # demo scale, SQLite (a scratch file; --load-demo migrates and loads it when empty)
    .venv/bin/python benchmarks/directory.py --database-url sqlite:////tmp/directory-demo.sqlite3 --load-demo
    # a million organizations, PostgreSQL (prepare the database first, see docs/benchmarks.md)
    .venv/bin/python benchmarks/directory.py --database-url postgres://postgres@127.0.0.1:5432/bench_directory

Each request goes through the whole Django stack in-process (django.test.Client: middleware,
Wagtail routing, the view, its queries, the templates), with DEBUG off. Every URL is requested
twice to warm caches, then --runs times; the median, 90th percentile and query count are printed.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS_MS = {"sqlite": 50, "postgresql": 150}


def prepare_demo(database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "website.settings.test"}
    for command in (["migrate", "-v0"], ["load_demo"], ["setup_site"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--load-demo", action="store_true",
                        help="migrate the database and load the demo (idempotent) first")
    args = parser.parse_args()
    if args.load_demo:
        prepare_demo(args.database_url)

    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "website.settings.test"
    os.environ.setdefault("PAGE_CACHE", "off")  # the server time of rendering, not of a stored copy
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from registry.models import Area, Organization, TransferredService
    from registry.urls_public import organization_url

    town = Area.objects.filter(level__in=Area.TOWN_LEVELS).order_by("code").first()
    # An organization with a long public history: the first undertaker of a transferred service.
    busy = Organization.objects.get(
        pk=TransferredService.objects.order_by("organization_id").values("organization_id")[:1]
    )
    urls = [
        ("directory, no filter", "/organizations/"),
        ("directory, two filters (town + status)", f"/organizations/?town={town.code}&status=active"),
        ("directory, keyword 互助", "/organizations/?q=%E4%BA%92%E5%8A%A9"),
        ("organization page", organization_url(busy)),
        ("directory, one-character keyword 助", "/organizations/?q=%E5%8A%A9"),
        ("directory, four-character keyword 志愿服务",
         "/organizations/?q=%E5%BF%97%E6%84%BF%E6%9C%8D%E5%8A%A1"),
        ("directory, keyword + filter + date order",
         "/organizations/?q=%E4%BA%92%E5%8A%A9&kind=registered&sort=-registered"),
        ("directory, grade 4 by grade", "/organizations/?grade=4&sort=-grade"),
        ("directory, page 400", "/organizations/?page=400"),
        ("directory, registered as of 2020-12-31", "/organizations/?as_of=2020-12-31&kind=registered"),
        ("directory, on a credit list", "/organizations/?credit_list=yes"),
        ("organization page as of 2020-12-31", organization_url(busy) + "?as_of=2020-12-31"),
    ]
    vendor = connection.vendor
    organizations = Organization.objects.count()
    print(f"{vendor}, {organizations:,} organizations, {args.runs} runs per URL "
          f"(target: median under {TARGETS_MS[vendor]} ms for the first four)")
    print(f"{'what':42} {'median ms':>9} {'p90 ms':>7} {'queries':>7}  url")
    client = Client()
    for label, url in urls:
        median, p90, queries = time_url(client, url, runs=args.runs)
        print(f"{label:42} {median:9.1f} {p90:7.1f} {len(queries):7d}  {url}")


def time_url(client, url, *, runs, check=None):
    """(median ms, 90th percentile ms, the queries of one more request) of `url`, after two
    warm-up requests that must answer 200 (and pass `check(response)` if given)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if check is not None:
            check(response)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(timings), statistics.quantiles(timings, n=10)[-1], queries.captured_queries


if __name__ == "__main__":
    main()
