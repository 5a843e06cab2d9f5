"""Resilience: 64 connections through two gunicorn servers while PostgreSQL restarts (about a
second); how many requests fail, when, and how long until every request succeeds again.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/demo .venv/bin/python benchmarks/pg_restart.py
    DATABASE_URL=… .venv/bin/python benchmarks/pg_restart.py --conn-max-age 0

The first uses the production defaults (persistent connections, checked before reuse); the
second opens a connection per request. Restarts the local cluster with pg_ctlcluster (root):
every other client of that cluster sees it too. The servers read the primary only (no replicas).
"""

import argparse
import collections
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _servers import Load, Servers, is_error, server_env  # noqa: E402

# Pages that read the database on every request.
PATHS = ["/", "/organizations/", "/statistics/", "/services/", "/incubation/", "/funds/",
         "/api/v1/organizations"]


def restart_postgresql(version, cluster):
    started = time.monotonic()
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "restart"],
                   check=True)
    return started, time.monotonic()


def report(records, restart_began, restart_ended, end):
    """Times are when a request finished (under queueing, one may start seconds before the
    restart and fail in it), relative to the restart's start."""
    failed = sorted((start + seconds, outcome) for start, seconds, outcome in records
                    if is_error(outcome))
    kinds = collections.Counter(str(outcome) for _, outcome in failed)
    lines = [
        f"requests: {len(records)}, failed: {len(failed)}" + (f" {dict(kinds)}" if kinds else ""),
        f"pg_ctlcluster restart took {restart_ended - restart_began:.2f} s "
        f"(began {time.strftime('%H:%M:%S', time.gmtime(time.time() - (time.monotonic() - restart_began)))} UTC)",
    ]
    if failed:
        first, last = failed[0][0] - restart_began, failed[-1][0] - restart_began
        lines.append(f"failed requests finished from {first:+.2f} s to {last:+.2f} s")
        lines.append(f"recovery: the last failure {max(0.0, failed[-1][0] - restart_ended):.2f} s "
                     "after pg_ctlcluster returned")
    tail = [outcome for start, seconds, outcome in records if start + seconds > end - 5]
    lines.append(f"last 5 s: {len(tail)} requests finished, {sum(map(is_error, tail))} failed")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers per server")
    parser.add_argument("--before", type=float, default=5, help="seconds of load before the restart")
    parser.add_argument("--after", type=float, default=15, help="seconds of load after it")
    parser.add_argument("--conn-max-age", help="DATABASE_CONN_MAX_AGE for the servers (default: production's)")
    parser.add_argument("--cluster", default="15/main", help="VERSION/NAME for pg_ctlcluster")
    args = parser.parse_args()

    extra = {"DATABASE_CONN_MAX_AGE": args.conn_max_age} if args.conn_max_age is not None else {}
    env = server_env(**extra)
    env.pop("DATABASE_REPLICA_URLS", None)
    if args.conn_max_age is None:
        env.pop("DATABASE_CONN_MAX_AGE", None)
    version, cluster = args.cluster.split("/")
    with Servers(workers=args.workers, env=env) as servers:
        print(f"{args.connections} connections, DATABASE_CONN_MAX_AGE="
              f"{env.get('DATABASE_CONN_MAX_AGE', 'production default')}", flush=True)
        load = Load(servers.addresses, PATHS, args.connections).start()
        time.sleep(args.before)
        began, ended = restart_postgresql(version, cluster)
        time.sleep(args.after)
        load.join()
        print(report(load.records, began, ended, time.monotonic()))


if __name__ == "__main__":
    main()
