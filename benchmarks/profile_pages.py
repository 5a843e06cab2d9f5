"""Benchmark: the app server's CPU per public page, and where it goes (not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<demo> .venv/bin/python benchmarks/profile_pages.py
    ... --profile "organization page"     # pyinstrument's top lines for one case
    ... --page-cache off                  # the same with the page cache off

Each request goes through the production WSGI application in this process (production settings,
every middleware, Wagtail routing, the view, its queries, the templates), built from a WSGI
environ as gunicorn would pass it; no network, no client. For each URL: two warm-up requests,
then --runs requests; it prints the median and 90th percentile of this thread's CPU time per
request (what a worker spends, without waiting on the database), the wall time, the number of
queries and the status.
"""

import argparse
import io
import os
import secrets
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent


def wsgi_environ(url, cookies=""):
    parts = urlsplit(url)
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": parts.path, "QUERY_STRING": parts.query,
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1", "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
        "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }
    if cookies:
        environ["HTTP_COOKIE"] = cookies
    return environ


def request(application, url, cookies=""):
    """(status, body bytes, CPU ms, wall ms) of one request."""
    status = []
    cpu, wall = time.thread_time(), time.perf_counter()
    chunks = application(wsgi_environ(url, cookies), lambda s, h, *a: status.append(s))
    body = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return (int(status[0].split()[0]), body, (time.thread_time() - cpu) * 1000,
            (time.perf_counter() - wall) * 1000)


def cases():
    from registry.models import Area, Organization, TransferredService
    from registry.urls_public import organization_url

    town = Area.objects.filter(level__in=Area.TOWN_LEVELS).order_by("code").first()
    busy = Organization.objects.get(
        pk=TransferredService.objects.order_by("organization_id").values("organization_id")[:1]
    )
    return [
        ("home page", "/"),
        ("directory, first page", "/organizations/"),
        ("directory, town + legal form", f"/organizations/?town={town.code}&legal_form=social_group"),
        ("directory, keyword 互助", "/organizations/?q=" + quote("互助")),
        ("directory, page 400", "/organizations/?page=400"),
        ("organization page", organization_url(busy)),
        ("statistics", "/statistics/"),
        ("API list", "/api/v1/organizations"),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--profile", help="print pyinstrument's profile of the case with this label")
    parser.add_argument("--page-cache", choices=("on", "off"), default="off",
                        help="off (the default) measures the uncached page")
    parser.add_argument("--language", choices=("zh-hans", "en"), default="zh-hans")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database with the demo (or more)")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="website.settings.production", ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false", LOG_LEVEL="WARNING", PAGE_CACHE=args.page_cache,
        OPEN_DATA_RATE_LIMIT="100000000/minute",
    )
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")
    sys.path.insert(0, str(ROOT))
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cookies = "" if args.language == "zh-hans" else f"django_language={args.language}"
    chosen = cases()
    if args.profile:
        chosen = [case for case in chosen if case[0] == args.profile] or SystemExit(
            f"no case {args.profile!r}; the cases: {', '.join(c[0] for c in cases())}")
        if isinstance(chosen, SystemExit):
            raise chosen
    print(f"{'what':32} {'cpu med':>7} {'cpu p90':>7} {'wall med':>8} {'queries':>7} status")
    for label, url in chosen:
        for _ in range(2):
            request(application, url, cookies)
        cpu, wall = [], []
        for _ in range(args.runs):
            status, _body, cpu_ms, wall_ms = request(application, url, cookies)
            cpu.append(cpu_ms)
            wall.append(wall_ms)
        with CaptureQueriesContext(connection) as queries:
            request(application, url, cookies)
        p90 = statistics.quantiles(cpu, n=10)[-1]
        print(f"{label:32} {statistics.median(cpu):7.1f} {p90:7.1f} {statistics.median(wall):8.1f}"
              f" {len(queries):7d} {status}")
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002)
            profiler.start()
            for _ in range(args.runs):
                request(application, url, cookies)
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
