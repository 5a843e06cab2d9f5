"""Side by side with Datasette: the directory served by this project, and the same rows published
as a SQLite table with Datasette, under the same bounded loopback load.

    # demo scale, about a minute
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vs_demo .venv/bin/python benchmarks/vs_datasette.py
    # a million organizations: the export takes about 4 minutes here, --keep-export keeps it
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vs_million \\
        .venv/bin/python benchmarks/vs_datasette.py --seconds 15 --keep-export

Datasette is a benchmark-only dependency, the `bench` extra (`.venv/bin/pip install -e
'.[bench]'`), installed in the project's own virtualenv: it changes no version the project pins.

1. Export. `_datasette_export.py`, in its own process, writes var/bench/datasette-<database>/
   register.db: one table `organizations` with what each directory row shows today, read through
   the open-data table and `registry.facts` in chunks (flat memory, about 210 MB at a million),
   indexed on (name, identifier) and (town, legal_form, name, identifier). The file is removed
   after the run unless `--keep-export`; a kept file is reused while it was made today from the
   same database state (row counts, largest ids, PostgreSQL's row counters).
2. Servers, on free loopback ports. The project twice, with gunicorn (bin/serve, production
   settings, `--workers` sync workers, LOG_LEVEL=INFO so each request's `cpu_ms` is in its log):
   "uncached" with PAGE_CACHE=off and "cached" with the page cache on, each with its own
   CACHE_KEY_PREFIX (Redis db 6 unless REDIS_URL says otherwise). And Datasette:
   `datasette serve -i register.db --inspect-file register.inspect.json --setting
   default_page_size 20 --setting suggest_facets off`: immutable, as a read-only export is
   published, with the row count `datasette inspect` records (else each unfiltered page counts
   the table again), and without facet suggestions, as a publisher of a large table would run it
   (on, every table page tries a facet on each column, 50 ms each: 1.1 s a page at a million;
   `--datasette-setting suggest_facets=on` measures that). Its time limits are the defaults.
3. Cases, the same content on each side (`--only` picks some): the directory's first page in
   name order; one town and one legal form (the pair with the most rows); keyword 互助
   (Datasette: `name__contains`); page 500 (ours: the `rel="next"` link of page 499 when it has
   one, else `?page=500`; Datasette: its `_next` token for the row before offset 9,980 in its
   order; at demo scale the last full page instead); one organization's page (a few in
   rotation). Before measuring, every URL must answer 200 on every server, and the directory
   cases' first rows are compared. They differ, with a warning: Datasette sorts names by code
   point, the directory by pinyin; our keyword also matches former names and codes.
4. Load. `--connections` connections spread over `--client-processes` processes of threads
   (`_procload.py`; keep-alive where the server allows: gunicorn's sync workers close each
   connection and the client reconnects), a warm-up over every URL, then `--seconds` per case
   per server, interleaved (uncached, cached, Datasette, then the next case) for `--rounds`
   rounds. Requests per second count the requests that finished within the window.
5. CPU per request over each window, from /proc: the server's process tree (the gunicorn master,
   its workers, and workers recycled meanwhile; Datasette's one process, SQLite included); for
   the project also the median of the access log's `cpu_ms`, and its PostgreSQL backends (by
   application_name) plus the Redis server; the client's processes, to tell whether the client
   was the bottleneck; and what the rest of the machine used meanwhile (other people's work).

Loopback only; a bounded client, not a stress tool.
"""

import argparse
import collections
import html
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlencode, urljoin, urlsplit

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS))
from _procload import pids_named, window  # noqa: E402
from _servers import ROOT, free_port, is_error, percentile, server_env, wait_until_serving  # noqa: E402

KEYWORD = "互助"
PAGE_SIZE = 20  # the directory's, and Datasette's here
DEEP_PAGE = 500
RESULT_CAP = 10_000  # the directory's pages end at row 10,000
DATABASE_NAME = "register"  # the file's stem: Datasette's /register/…
CASES = {
    "first": "directory, first page, by name",
    "town-form": "directory, town + legal form",
    "keyword": f"keyword {KEYWORD} (Datasette: `name__contains`)",
    "page500": "page 500 (Datasette: its next-page token)",
    "organization": "one organization's page",
}
DIRECTORY_CASES = ("first", "town-form", "keyword", "page500")
SIDES = ("uncached", "cached", "datasette")
ORGANIZATION_LINK = re.compile(r'href="/organizations/([^/"?#]+)/"')


# --- the export and what the URLs need from it --------------------------------------------------

def run_export(path, *, database_url):
    """The SQLite file for `database_url`, built (or reused) by _datasette_export.py."""
    env = {**os.environ, "DATABASE_URL": database_url}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / "_datasette_export.py"), str(path), "--reuse"],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True)
    info = json.loads(result.stdout.strip().splitlines()[-1])
    info["wall_seconds"] = round(time.monotonic() - started, 1)
    return info


def tilde_encode(text):
    """Datasette's encoding of a key in a path or a `_next` token: letters, digits, _ and - as
    they are, a space as +, every other UTF-8 byte as ~XX."""
    safe = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    return "".join(chr(byte) if byte in safe else "+" if byte == 32 else f"~{byte:02X}"
                   for byte in text.encode("utf-8"))


@dataclass
class Plan:
    rows: int
    town_code: str
    town: str
    legal_form_code: str
    legal_form: str
    town_form_rows: int
    deep_page: int
    deep_token: str
    deep_rows: list  # identifiers on that page in Datasette's order
    organizations: list  # identifiers in rotation


def plan(path, *, organizations):
    sqlite = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = sqlite.execute("SELECT count(*) FROM organizations").fetchone()[0]
        town_code, town, form_code, form, count = sqlite.execute(
            "SELECT town_code, town, legal_form_code, legal_form, count(*) FROM organizations "
            "WHERE town IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC, 1, 3 LIMIT 1").fetchone()
        # Page 500 ends at row 10,000; a smaller register gets its last full page.
        deep_page = max(2, min(DEEP_PAGE, min(rows, RESULT_CAP) // PAGE_SIZE))
        offset = (deep_page - 1) * PAGE_SIZE
        found = sqlite.execute(
            "SELECT name, identifier FROM organizations ORDER BY name, identifier "
            "LIMIT ? OFFSET ?", (PAGE_SIZE + 1, offset - 1)).fetchall()
        name, identifier = found[0]
        step = max(1, rows // (organizations + 1))
        chosen = [sqlite.execute("SELECT identifier FROM organizations WHERE rowid >= ? "
                                 "ORDER BY rowid LIMIT 1", (step * (n + 1),)).fetchone()[0]
                  for n in range(organizations)]
    finally:
        sqlite.close()
    return Plan(rows=rows, town_code=town_code, town=town, legal_form_code=form_code,
                legal_form=form, town_form_rows=count, deep_page=deep_page,
                deep_token=f"{tilde_encode(name)},{tilde_encode(identifier)}",
                deep_rows=[row[1] for row in found[1:]], organizations=chosen)


def datasette_paths(plan, cases):
    table = f"/{DATABASE_NAME}/organizations"
    by_name = {"_sort": "name", "_size": PAGE_SIZE}
    paths = {
        "first": [f"{table}?{urlencode(by_name)}"],
        "town-form": [f"{table}?{urlencode({'town': plan.town, 'legal_form': plan.legal_form, **by_name})}"],
        "keyword": [f"{table}?{urlencode({'name__contains': KEYWORD, '_size': PAGE_SIZE})}"],
        # The token is already in Datasette's own encoding, which a query string carries as is.
        "page500": [f"{table}?{urlencode(by_name)}&_next={plan.deep_token}"],
        "organization": [f"{table}/{tilde_encode(identifier)}" for identifier in plan.organizations],
    }
    return {case: paths[case] for case in cases}


def our_paths(plan, cases, deep_path):
    paths = {
        "first": ["/organizations/"],
        "town-form": [f"/organizations/?{urlencode({'town': plan.town_code, 'legal_form': plan.legal_form_code})}"],
        "keyword": [f"/organizations/?{urlencode({'q': KEYWORD})}"],
        "page500": [deep_path],
        "organization": [f"/organizations/{quote(identifier)}/" for identifier in plan.organizations],
    }
    return {case: paths[case] for case in cases}


def our_deep_page(address, page):
    """Our URL of directory page `page`: the `rel="next"` link of the page before it when there is
    one (a cursor link, if the directory has them), else `?page=N`."""
    before = f"/organizations/?page={page - 1}" if page > 2 else "/organizations/"
    status, _headers, body = fetch(address, before)
    if status == 200:
        for tag in re.findall(r"<a\b[^>]*>", body.decode("utf-8", "replace")):
            href = re.search(r'\bhref="([^"]*)"', tag)
            if re.search(r'\brel="next"', tag) and href:
                return urljoin("/organizations/", html.unescape(href.group(1)))
    return f"/organizations/?page={page}"


# --- servers ------------------------------------------------------------------------------------

@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log_path: Path
    database_pids: object = None  # a function: its PostgreSQL backends (the project's servers)

    @property
    def address(self):
        return ("127.0.0.1", self.port)

    def stop(self):
        if self.database_pids is not None:
            self.database_pids.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()


def static_files_current():
    """Whether collectstatic's manifest is newer than every static source of the project."""
    manifest = ROOT / "var" / "static" / "staticfiles.json"
    if not manifest.exists():
        return False
    newest = max((p.stat().st_mtime for p in (ROOT / "site" / "static").rglob("*") if p.is_file()),
                 default=0)
    return manifest.stat().st_mtime > newest


def with_application_name(database_url, name):
    """The URL with PostgreSQL's application_name set (dj-database-url passes it on), so that
    the server's backends can be told apart in pg_stat_activity."""
    return f"{database_url}{'&' if '?' in database_url else '?'}application_name={name}"


def backends(database_url):
    """A function listing the pids of the PostgreSQL backends of one application_name, and of
    the Redis server (the cache's work; shared with whoever else uses it meanwhile)."""
    import psycopg2

    connection = psycopg2.connect(database_url.split("?", 1)[0])
    connection.autocommit = True
    name = database_url.rsplit("application_name=", 1)[1]

    def pids():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", [name])
            return [row[0] for row in cursor.fetchall()] + pids_named("redis-server")

    pids.close = connection.close
    return pids


def start_ours(name, *, workers, extra, log_dir, collectstatic, worker_class="sync", threads=1):
    port = free_port()
    env = {**server_env(**extra), "GUNICORN_BIND": f"127.0.0.1:{port}",
           "GUNICORN_WORKERS": str(workers), "SKIP_COLLECTSTATIC": "0" if collectstatic else "1",
           "GUNICORN_WORKER_CLASS": worker_class, "GUNICORN_THREADS": str(threads)}
    log_path = log_dir / f"{name}-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(["bash", str(ROOT / "bin" / "serve")], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return Server(name, port, process, log_path, backends(env["DATABASE_URL"]))


def datasette_command():
    return str(Path(sys.executable).with_name("datasette"))


def datasette_inspect(path):
    """The file of `datasette inspect` for the export (its table's row count), made again when
    older than the export: with it an immutable database's unfiltered pages are not counted on
    every request."""
    inspected = path.with_name(path.stem + ".inspect.json")
    if not inspected.exists() or inspected.stat().st_mtime < path.stat().st_mtime:
        subprocess.run([datasette_command(), "inspect", str(path), "--inspect-file", str(inspected)],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return inspected


def start_datasette(path, *, settings, log_dir):
    port = free_port()
    command = [datasette_command(), "serve", "-i", str(path),
               "--inspect-file", str(datasette_inspect(path)),
               "--host", "127.0.0.1", "--port", str(port), "--setting", "default_page_size",
               str(PAGE_SIZE)]
    for setting in ("suggest_facets=off", *settings):
        command += ["--setting", *setting.split("=", 1)]
    log_path = log_dir / f"datasette-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    return Server("datasette", port, process, log_path)


def fetch(address, path, timeout=120):
    connection = http.client.HTTPConnection(*address, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "localhost"})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


# --- the check before measuring -----------------------------------------------------------------

def our_rows(body):
    text = body.decode("utf-8", "replace")
    identifiers = list(dict.fromkeys(
        unquote(html.unescape(i)) for i in ORGANIZATION_LINK.findall(text)))
    total = re.search(r'data-total="(\d+)"', text)
    return identifiers, int(total.group(1)) if total else None


def datasette_rows(address, path):
    parts = urlsplit(path)
    status, _headers, body = fetch(address, f"{parts.path}.json?{parts.query}&_shape=objects")
    if status != 200:
        return None, None
    data = json.loads(body)
    return [row["identifier"] for row in data["rows"]], data.get("filtered_table_rows_count")


def compare(ours, theirs):
    if ours == theirs:
        return "same rows, same order"
    common = len(set(ours) & set(theirs))
    if common == len(ours) == len(theirs):
        return "same rows, another order"
    return f"{common} of {len(ours)} rows in common"


def check_export(export_path, identifiers, body):
    """The organizations of our first page are in the export, under the names our page shows."""
    if not identifiers:
        return ["(our page lists no organization)"]
    sqlite = sqlite3.connect(f"file:{export_path}?mode=ro", uri=True)
    try:
        names = dict(sqlite.execute(
            f"SELECT identifier, name FROM organizations WHERE identifier IN "
            f"({', '.join('?' * len(identifiers))})", identifiers).fetchall())
    finally:
        sqlite.close()
    text = body.decode("utf-8", "replace")
    return [i for i in identifiers if i not in names or html.escape(names[i]) not in text]


def check(servers, paths, plan, export_path):
    """Every URL answers 200 everywhere; the directory cases' rows side by side. Returns the
    warnings."""
    warnings = []
    for side in SIDES:
        for urls in paths[side].values():
            for url in urls:
                status, _headers, _body = fetch(servers[side].address, url)
                if status != 200:
                    raise SystemExit(f"{side} {url} answered {status} (log: {servers[side].log_path})")
    cached_state = fetch(servers["cached"].address, paths["cached"][next(iter(paths["cached"]))][0])[1]
    print(f"page cache: X-Cache {cached_state.get('X-Cache', 'absent')} on the cached server's "
          "second request", flush=True)
    for case in DIRECTORY_CASES:
        if case not in paths["uncached"]:
            continue
        _status, _headers, body = fetch(servers["uncached"].address, paths["uncached"][case][0])
        ours, our_total = our_rows(body)
        if case == "first" and (missing := check_export(export_path, ours, body)):
            warnings.append(f"the export lacks or names differently {len(missing)} organizations "
                            f"of our first page: {missing[:3]}")
        theirs, their_total = datasette_rows(servers["datasette"].address, paths["datasette"][case][0])
        theirs = theirs or []
        verdict = compare(ours, theirs)
        counts = f"directory counts {our_total if our_total is not None else '?'} (capped at "\
                 f"{RESULT_CAP:,}), Datasette {their_total if their_total is not None else '?'}"
        print(f"  {case}: {verdict}; {counts}", flush=True)
        if verdict != "same rows, same order":
            warnings.append(f"{case}: the two sides show different first rows ({verdict}): {counts}")
        if case == "page500" and theirs != plan.deep_rows:
            warnings.append("page500: Datasette's token page is not the rows at offset "
                            f"{(plan.deep_page - 1) * PAGE_SIZE} of its own order")
    return warnings


# --- measuring ----------------------------------------------------------------------------------

@dataclass
class Result:
    rps: list = field(default_factory=list)  # one a round
    latencies: list = field(default_factory=list)
    errors: collections.Counter = field(default_factory=collections.Counter)
    requests: int = 0
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    database_cpu: float = 0.0
    others_cpu: float = 0.0  # the rest of the machine: other people's work
    seconds: float = 0.0
    client_busy: list = field(default_factory=list)  # share of the client processes' time
    cpu_ms: list = field(default_factory=list)  # the access log's, project only

    def add(self, measured, cpu_ms):
        records = measured.records
        self.rps.append(len(records) / measured.seconds)
        self.latencies += [seconds for _start, seconds, outcome in records if not is_error(outcome)]
        self.errors.update(str(outcome) for _s, _d, outcome in records if is_error(outcome))
        self.requests += len(records)
        self.server_cpu += measured.server_cpu
        self.client_cpu += measured.client_cpu
        self.database_cpu += measured.database_cpu
        self.others_cpu += max(0.0, measured.machine_cpu - measured.server_cpu
                               - measured.client_cpu - measured.database_cpu)
        self.seconds += measured.seconds
        self.client_busy.append(measured.client_cpu / (measured.seconds * measured.client_processes))
        self.cpu_ms += cpu_ms

    def per_request_ms(self, seconds):
        return seconds * 1000 / self.requests if self.requests else float("nan")


def access_cpu_ms(log_path, log_range):
    """The `cpu_ms` of the access lines the server wrote within the byte range."""
    start, stop = log_range
    with open(log_path, "rb") as log:
        log.seek(start)
        chunk = log.read(stop - start)
    found = []
    for line in chunk.splitlines():
        if line.startswith(b"{"):
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("logger") == "website.access" and "cpu_ms" in entry:
                found.append(float(entry["cpu_ms"]))
    return found


def measure(servers, paths, args):
    results = {(side, case): Result() for side in SIDES for case in paths["uncached"]}

    def run(side, case, seconds):
        server = servers[side]
        return window(server.address, paths[side][case], connections=args.connections,
                      processes=args.client_processes, seconds=seconds,
                      server_pids=[server.process.pid], database_pids=server.database_pids,
                      log_path=server.log_path if side != "datasette" else None)

    for side in SIDES:  # every worker has served every URL, the page cache holds each
        server = servers[side]
        every = [url for urls in paths[side].values() for url in urls]
        window(server.address, every, connections=args.connections,
               processes=args.client_processes, seconds=args.warmup)
    for round_number in range(1, args.rounds + 1):
        for case in paths["uncached"]:
            line = []
            for side in SIDES:
                measured = run(side, case, args.seconds)
                cpu_ms = (access_cpu_ms(servers[side].log_path, measured.log_range)
                          if side != "datasette" else [])
                results[side, case].add(measured, cpu_ms)
                line.append(f"{side} {results[side, case].rps[-1]:.0f}")
            print(f"  round {round_number}, {case}: " + ", ".join(line) + " requests/s", flush=True)
    return results


# --- the report ---------------------------------------------------------------------------------

def spread(values):
    low, high = min(values), max(values)
    return f"{low:.0f}" if round(low) == round(high) else f"{low:.0f}–{high:.0f}"


def mean(values):
    return sum(values) / len(values) if values else float("nan")


def ms(value):
    return "—" if value != value else f"{value:.1f}"  # NaN: nothing measured


def median_or_nan(values):
    return statistics.median(values) if values else float("nan")


def report(results, cases, labels):
    lines = [
        "| page | ours uncached rps | ours cached rps | Datasette rps | uncached / Datasette "
        "| cached / Datasette | ours CPU ms/request uncached (cpu_ms median / server) "
        "| ours cached (cpu_ms median / server) | Datasette CPU ms/request (server) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for case in cases:
        un, ca, ds = (results[side, case] for side in SIDES)
        lines.append(
            f"| {labels[case]} | {spread(un.rps)} | {spread(ca.rps)} | {spread(ds.rps)} "
            f"| {mean(un.rps) / mean(ds.rps):.2f}× | {mean(ca.rps) / mean(ds.rps):.2f}× "
            f"| {ms(median_or_nan(un.cpu_ms))} / {ms(un.per_request_ms(un.server_cpu))} "
            f"| {ms(median_or_nan(ca.cpu_ms))} / {ms(ca.per_request_ms(ca.server_cpu))} "
            f"| {ms(ds.per_request_ms(ds.server_cpu))} |")
    lines += [
        "",
        "| page | server | requests | errors | p50 ms | p99 ms | PostgreSQL + Redis CPU ms/request "
        "| client CPU ms/request | client busy | other processes, cores |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for case in cases:
        for side in SIDES:
            result = results[side, case]
            latencies = sorted(result.latencies)
            errors = sum(result.errors.values())
            lines.append(
                f"| {case} | {side} | {result.requests} | {errors}"
                + (f" {dict(result.errors)}" if errors else "")
                + f" | {ms(percentile(latencies, 0.5) * 1000)} | {ms(percentile(latencies, 0.99) * 1000)}"
                f" | {ms(result.per_request_ms(result.database_cpu)) if side != 'datasette' else '—'}"
                f" | {ms(result.per_request_ms(result.client_cpu))} | {max(result.client_busy):.0%}"
                f" | {result.others_cpu / result.seconds:.1f} |")
    return "\n".join(lines)


def targets(results, cases):
    """The issue's targets, each met or not, as one line each."""
    checks = []
    for case in cases:
        un, ca, ds = (mean(results[side, case].rps) for side in SIDES)
        factor = 3 if case == "keyword" else 1
        checks.append((f"uncached {case} ≥ {factor}× Datasette ({un / ds:.2f}×)", un >= factor * ds))
        checks.append((f"cached {case} ≥ 5× Datasette ({ca / ds:.2f}×)", ca >= 5 * ds))
    uncached = median_or_nan([v for case in cases for v in results["uncached", case].cpu_ms])
    cached = median_or_nan([v for case in cases for v in results["cached", case].cpu_ms])
    checks.append((f"uncached median cpu_ms < 10 ({ms(uncached)})", uncached < 10))
    checks.append((f"cached median cpu_ms < 2 ({ms(cached)})", cached < 2))
    met = sum(ok for _text, ok in checks)
    lines = [f"targets met: {met} of {len(checks)}"]
    lines += [f"- {'met' if ok else 'NOT met'}: {text}" for text, ok in checks]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--seconds", type=float, default=1.0, help="per case per server per round")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of each project server")
    parser.add_argument("--worker-class", default="sync",
                        help="gunicorn worker class (gthread keeps connections alive)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument("--only", help=f"comma-separated cases of {', '.join(CASES)}")
    parser.add_argument("--keep-export", action="store_true",
                        help="keep the SQLite file (reused by the next run while the database is unchanged, the same day)")
    parser.add_argument("--warmup", type=float, default=2.0,
                        help="seconds of load over all the URLs on each server first")
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--organizations", type=int, default=5, help="organization pages in rotation")
    parser.add_argument("--datasette-setting", action="append", default=[], metavar="NAME=VALUE",
                        help="a Datasette setting on top of default_page_size 20 and "
                             "suggest_facets off (suggest_facets=on restores its default)")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        raise SystemExit("--database-url (or DATABASE_URL): the PostgreSQL database to serve")
    chosen = {c.strip() for c in args.only.split(",")} if args.only else set(CASES)
    if unknown := chosen - set(CASES):
        raise SystemExit(f"unknown cases {sorted(unknown)}; cases are {', '.join(CASES)}")
    cases = [case for case in CASES if case in chosen]
    if not Path(datasette_command()).exists():
        raise SystemExit("datasette is not installed: .venv/bin/pip install -e '.[bench]'")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/6")
    began = time.monotonic()
    load_before = os.getloadavg()

    database = urlsplit(args.database_url).path.strip("/") or "default"
    export_dir = ROOT / "var" / "bench" / f"datasette-{database}"
    export_path = export_dir / f"{DATABASE_NAME}.db"
    info = run_export(export_path, database_url=args.database_url)
    print(f"export: {info['rows']:,} rows, {info['bytes'] / 1e6:.0f} MB, "
          + ("reused" if info["reused"] else
             f"read in {info['read_seconds']} s, indexed in {info['index_seconds']} s, "
             f"peak RSS {info['peak_rss_mb']} MB")
          + f" ({info['wall_seconds']} s)", flush=True)
    the_plan = plan(export_path, organizations=args.organizations)
    print(f"town + legal form: {the_plan.town} ({the_plan.town_code}) + {the_plan.legal_form}, "
          f"{the_plan.town_form_rows:,} rows; deep page {the_plan.deep_page}", flush=True)

    log_dir = ROOT / "var" / "bench"
    prefix = f"vs-datasette-{database}-{secrets.token_hex(4)}"
    collect = not static_files_current()
    # bin/serve reinstalls the project when pyproject.toml is newer than the last install: done
    # here once, not by two servers starting at the same moment (which breaks the install).
    subprocess.run(["bash", "-c", "source bin/_venv.sh"], cwd=ROOT, check=True)
    servers = {}
    try:
        servers["uncached"] = start_ours(
            "uncached", workers=args.workers, log_dir=log_dir, collectstatic=collect,
            worker_class=args.worker_class, threads=args.threads,
            extra={"PAGE_CACHE": "off", "LOG_LEVEL": "INFO", "CACHE_KEY_PREFIX": f"{prefix}-uncached",
                   "DATABASE_URL": with_application_name(args.database_url, f"{prefix}-uncached")})
        if collect:  # the second server waits for the files the first one collects
            wait_until_serving(servers["uncached"].port, servers["uncached"].process)
        servers["cached"] = start_ours(
            "cached", workers=args.workers, log_dir=log_dir, collectstatic=False,
            worker_class=args.worker_class, threads=args.threads,
            extra={"PAGE_CACHE": "on", "LOG_LEVEL": "INFO", "CACHE_KEY_PREFIX": f"{prefix}-cached",
                   "DATABASE_URL": with_application_name(args.database_url, f"{prefix}-cached")})
        servers["datasette"] = start_datasette(export_path, settings=args.datasette_setting,
                                               log_dir=log_dir)
        for side in ("uncached", "cached"):
            wait_until_serving(servers[side].port, servers[side].process)
        wait_until_serving(servers["datasette"].port, servers["datasette"].process,
                           path="/-/versions.json")
        print(f"servers up after {time.monotonic() - began:.0f} s: "
              + ", ".join(f"{side} :{servers[side].port}" for side in SIDES), flush=True)

        deep = our_deep_page(servers["uncached"].address, the_plan.deep_page) \
            if "page500" in cases else ""
        if "page500" in cases:
            print(f"our page {the_plan.deep_page}: {deep}", flush=True)
        ours = our_paths(the_plan, cases, deep)
        paths = {"uncached": ours, "cached": ours, "datasette": datasette_paths(the_plan, cases)}
        warnings = check(servers, paths, the_plan, export_path)
        print(f"measuring: {args.connections} connections from {args.client_processes} client "
              f"processes, {args.seconds:g} s per case per server, {args.rounds} rounds", flush=True)
        results = measure(servers, paths, args)
    except BaseException:
        for server in servers.values():
            print(f"log of {server.name}: {server.log_path}", file=sys.stderr)
        raise
    else:
        for server in servers.values():
            server.log_path.unlink(missing_ok=True)  # the access lines of every request
    finally:
        for server in servers.values():
            server.stop()
        if not args.keep_export:
            shutil.rmtree(export_dir, ignore_errors=True)

    print()
    print(f"{the_plan.rows:,} organizations (export {'reused' if info['reused'] else 'built'}); "
          f"{args.connections} connections, {args.seconds:g} s × {args.rounds} rounds per case per "
          f"server; {args.workers} gunicorn workers; load average "
          f"{load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after; "
          f"{time.monotonic() - began:.0f} s in all")
    print()
    labels = dict(CASES)
    if the_plan.deep_page != DEEP_PAGE:
        labels["page500"] = (f"page {the_plan.deep_page}, the last full one "
                             "(Datasette: its next-page token)")
    print(report(results, cases, labels))
    print()
    print(targets(results, cases))
    for warning in warnings:
        print(f"warning: {warning}")
    if warnings:
        print("(Datasette orders names by code point, SQLite's BINARY collation; the directory by "
              "pinyin. The directory's keyword also matches former names, credit codes and filing "
              "numbers, and lists matches in pinyin order; Datasette's name__contains lists them "
              "in primary-key order.)")


if __name__ == "__main__":
    main()
