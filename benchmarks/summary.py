"""Benchmark: time and size of the county annual summary PDF.

Run against whatever database DATABASE_URL names (default: the SQLite demo database), e.g.

    DATABASE_URL=sqlite:///var/bench-demo.sqlite3 .venv/bin/python benchmarks/summary.py --year 2022 --runs 3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python benchmarks/summary.py --year 2022

It reports the time to gather the figures and the time to render the PDF separately, so a slow
database aggregation and slow typesetting can be told apart. Not a test: it prints numbers.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from registry.models import Organization  # noqa: E402
from website.summaries.context import summary_context  # noqa: E402
from website.summaries.render import render_pdf  # noqa: E402
from website.summaries.services import TEMPLATE, check_request  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    check_request(year=args.year)
    organizations = Organization.objects.count()
    gather, render, sizes, pages = [], [], [], []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        context = summary_context(year=args.year)
        t1 = time.perf_counter()
        pdf, page_count = render_pdf(template=TEMPLATE, context=context)
        t2 = time.perf_counter()
        gather.append(t1 - t0)
        render.append(t2 - t1)
        sizes.append(len(pdf))
        pages.append(page_count)
    total = [g + r for g, r in zip(gather, render)]
    print(f"database: {connection.vendor}, organizations: {organizations:,}, year: {args.year}")
    print(f"figures (median of {args.runs}): {statistics.median(gather):.2f} s")
    print(f"PDF rendering (median):      {statistics.median(render):.2f} s")
    print(f"total (median):              {statistics.median(total):.2f} s")
    print(f"size: {sizes[-1] / 1024 / 1024:.2f} MB, pages: {pages[-1]}")


if __name__ == "__main__":
    main()
