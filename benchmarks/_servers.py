"""Two gunicorn app servers (bin/serve, production settings) on free loopback ports, for the load
and restart benchmarks; and the bounded HTTP client they drive them with."""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(**extra):
    """Production settings over DATABASE_URL, plain HTTP on loopback, and no open-data rate limit
    (the load comes from one address)."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("set DATABASE_URL to the PostgreSQL database to serve (the demo)")
    env = {key: value for key, value in os.environ.items() if not key.startswith("GUNICORN_")}
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/4")
    env.update(DJANGO_SETTINGS_MODULE="website.settings.production",
               ALLOWED_HOSTS="127.0.0.1,localhost", SECURE_SSL_REDIRECT="false",
               OPEN_DATA_RATE_LIMIT="100000000/minute", LOG_LEVEL="WARNING")
    env.update(extra)
    return env


class Servers:
    """`count` servers of `workers` workers each, started and stopped as a block."""

    def __init__(self, *, count=2, workers=4, env=None, log_dir="var/bench"):
        self.ports = [free_port() for _ in range(count)]
        self.env = env or server_env()
        self.workers = workers
        self.log_dir = ROOT / log_dir
        self.processes = []

    def __enter__(self):
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for index, port in enumerate(self.ports):
            env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{port}",
                   "GUNICORN_WORKERS": str(self.workers),
                   "SKIP_COLLECTSTATIC": "0" if index == 0 else "1"}
            log = open(self.log_dir / f"web-{port}.log", "wb")
            self.processes.append(subprocess.Popen(
                ["bash", str(ROOT / "bin" / "serve")], cwd=ROOT, env=env, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True))
            wait_until_serving(port, self.processes[-1])
        return self

    def __exit__(self, *exc):
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            process.wait(timeout=60)

    @property
    def addresses(self):
        return [("127.0.0.1", port) for port in self.ports]


def wait_until_serving(port, process, timeout=300, path="/robots.txt"):
    """Until `path` answers 200 on the port (another server than ours: a path it serves)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server on port {port} exited ({process.returncode})")
        try:
            if get(("127.0.0.1", port), path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the server on port {port} did not answer in {timeout} s")


def get(address, path, timeout=30):
    connection = http.client.HTTPConnection(*address, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "localhost"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def parse_servers(text):
    """host:port,host:port on loopback only: the benchmarks never load another machine."""
    addresses = []
    for item in text.split(","):
        parts = urlsplit(f"//{item.strip()}")
        if parts.hostname not in LOOPBACK or not parts.port:
            raise SystemExit(f"{item!r}: loopback host:port only")
        addresses.append((parts.hostname, parts.port))
    return addresses


class Load:
    """`connections` client threads, each on its own keep-alive connection to one server in
    turn, walking `paths`, until `stop` is set. Each request is recorded as
    (start time, seconds, status or the error's name)."""

    def __init__(self, addresses, paths, connections):
        self.addresses, self.paths, self.connections = addresses, paths, connections
        self.stop = threading.Event()
        self.records = []  # list.append is atomic under the GIL
        self.threads = [threading.Thread(target=self._client, args=(n,), daemon=True)
                        for n in range(connections)]

    def start(self):
        for thread in self.threads:
            thread.start()
        return self

    def join(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)

    def _client(self, number):
        address = self.addresses[number % len(self.addresses)]
        connection = http.client.HTTPConnection(*address, timeout=30)
        step = number
        while not self.stop.is_set():
            path = self.paths[step % len(self.paths)]
            step += 1
            started = time.monotonic()
            try:
                connection.request("GET", path, headers={"Host": "localhost"})
                response = connection.getresponse()
                response.read()
                outcome = response.status
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException) as error:
                outcome = type(error).__name__
                connection.close()
            self.records.append((started, time.monotonic() - started, outcome))
        connection.close()


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, int(round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def is_error(outcome):
    return not isinstance(outcome, int) or outcome >= 400
