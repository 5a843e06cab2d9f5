"""Load on the public site: `--connections` clients (default 64) for `--duration` seconds (60)
over a mix of public URLs, through two gunicorn servers; requests/s, errors, p50/p95/p99.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/demo .venv/bin/python benchmarks/load.py

starts two servers (bin/serve, production settings, `--workers` each) over DATABASE_URL and stops
them after. `--servers 127.0.0.1:8001,127.0.0.1:8002` drives servers already running instead.
Loopback only; a bounded client (threads, http.client), not a stress tool.
"""

import argparse
import collections
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _servers import Load, Servers, get, is_error, parse_servers, percentile  # noqa: E402

MIX = [
    "/", "/organizations/", "/organizations/?kind=registered&status=active",
    "/organizations/?q=%E4%BA%92%E5%8A%A9",  # 互助, the commonest kind of keyword
    "/organizations/?as_of=2022-12-31&sort=-registered", "/statistics/", "/statistics/?as_of=2022-12-31",
    "/services/", "/services/coverage/", "/incubation/", "/funds/", "/open-data/",
    "/api/v1/organizations",
]
ORGANIZATION = re.compile(r'href="(/organizations/[^/"?#]+/)"')


def url_mix(address, organizations=20):
    """The fixed pages, and as many organization pages as the directory's first page offers."""
    status, body = get(address, "/organizations/")
    if status != 200:
        raise SystemExit(f"/organizations/ answered {status}: is the demo loaded (load_demo, setup_site)?")
    records = list(dict.fromkeys(ORGANIZATION.findall(body.decode())))[:organizations]
    return MIX + records


def report(records, started, stopped, addresses):
    """Over the requests that finished within the run (those in flight at its end are left out)."""
    seconds = stopped - started
    records = [record for record in records if record[0] + record[1] <= stopped]
    latencies = sorted(duration for _, duration, outcome in records if not is_error(outcome))
    errors = collections.Counter(str(outcome) for _, _, outcome in records if is_error(outcome))
    lines = [
        f"servers: {', '.join(f'{host}:{port}' for host, port in addresses)}",
        f"requests: {len(records)} in {seconds:.1f} s = {len(records) / seconds:.1f} requests/s",
        f"errors: {sum(errors.values())}" + (f" {dict(errors)}" if errors else ""),
        "latency of successful requests: "
        + ", ".join(f"p{int(q * 100)} {percentile(latencies, q) * 1000:.0f} ms" for q in (0.5, 0.95, 0.99)),
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers per server")
    parser.add_argument("--servers", help="drive these loopback servers instead of starting two")
    args = parser.parse_args()

    def run(addresses):
        paths = url_mix(addresses[0])
        print(f"{args.connections} connections for {args.duration:g} s over {len(paths)} URLs", flush=True)
        load = Load(addresses, paths, args.connections).start()
        started = time.monotonic()
        time.sleep(args.duration)
        stopped = time.monotonic()
        load.join()
        print(report(load.records, started, stopped, addresses))

    if args.servers:
        run(parse_servers(args.servers))
    else:
        with Servers(workers=args.workers) as servers:
            run(servers.addresses)


if __name__ == "__main__":
    main()
