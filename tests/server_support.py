"""Real server processes for the tests: gunicorn through `bin/serve` and the task worker
(`manage.py db_worker`), with the production settings, over the test database and Redis."""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/4")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(settings_dict):
    """A DATABASE_URL for a Django DATABASES entry (PostgreSQL)."""
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"


def production_env(*, database, **extra):
    """The environment of a production process: secrets and hosts as an operator sets them,
    plain HTTP on loopback (no TLS redirect), Redis for the shared cache."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DATABASE_", "DJANGO_", "GUNICORN_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="website.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        REDIS_URL=REDIS_URL,
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database,
        GUNICORN_WORKERS="2",
    )
    env.update(extra)
    return env


class Process:
    """A child process with its output in a log file, stopped by SIGTERM."""

    def __init__(self, name, command, env, log_dir):
        self.name = name
        self.log_path = Path(log_dir) / f"{name}.log"
        self._log = open(self.log_path, "wb")
        self.popen = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self._log,
                                      stderr=subprocess.STDOUT, start_new_session=True)

    def log_tail(self, lines=40):
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def running(self):
        return self.popen.poll() is None

    def stop(self, timeout=40):
        """SIGTERM, as systemd stops a unit; the exit status of a clean stop."""
        if self.running():
            self.popen.send_signal(signal.SIGTERM)
        try:
            return self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()
            raise
        finally:
            self._log.close()


class AppServer(Process):
    def __init__(self, *, env, log_dir, collect_static=True):
        self.port = free_port()
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}",
               "SKIP_COLLECTSTATIC": "0" if collect_static else "1"}
        super().__init__(f"web-{self.port}", ["bash", str(ROOT / "bin" / "serve")], env, log_dir)

    def get(self, path, *, timeout=30, headers=None):
        """(status, headers, body) of one GET."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path, headers={"Host": "localhost", **(headers or {})})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def wait_until_serving(self, timeout=180):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running():
                raise RuntimeError(f"{self.name} exited:\n{self.log_tail()}")
            try:
                status, _, _ = self.get("/robots.txt", timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not serve in {timeout} s:\n{self.log_tail()}")


class TaskWorker(Process):
    def __init__(self, *, env, log_dir):
        command = [sys.executable, str(ROOT / "manage.py"), "db_worker", "--interval", "0.2",
                   "--no-startup-delay"]
        super().__init__("db-worker", command, env, log_dir)
