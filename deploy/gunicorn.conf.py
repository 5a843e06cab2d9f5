"""gunicorn settings for the app servers (bin/serve; deploy/systemd/registry-web@.service).

Everything an operator tunes comes from the environment; the command line still overrides it.
"""

import os


def _int(name, default):
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Pages are CPU-bound (about 30 ms each), so processes, not threads, carry the load.
workers = _int("GUNICORN_WORKERS", os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = _int("GUNICORN_THREADS", 1)

# A sync worker is killed when one request runs longer than this: the slowest legitimate ones are
# a profile PDF and a whole-register download.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)  # SIGTERM: finish what is in flight
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then, staggered, so slow growth in memory never builds up.
# A worker is replaced after this many requests (a guard against slow leaks). Each replacement
# costs a fork, new connections and its templates parsed again: at a cached page's rate (500 a
# second a worker) 2,000 meant a new worker every 4 s.
max_requests = _int("GUNICORN_MAX_REQUESTS", 50_000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 5_000)
# The heartbeat file on tmpfs: a worker must never block on a slow disk to say it is alive.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Load Django once in the master; workers fork from it (less memory, a fast respawn). Code
# changes need a restart (systemctl restart), not a HUP.
preload_app = True

# Only the proxy on this machine may set X-Forwarded-Proto / -For.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The app writes its own JSON lines for every request (website LOGGING): no access log here.
# gunicorn's own messages (start, worker restarts) go to stderr, which systemd keeps.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "registry-web " + bind

# gunicorn's control socket has one default path per user: two servers on one machine would
# share it. Off unless a server is given its own path.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket

def pre_fork(server, worker):
    # A connection the master opened while loading (none is expected) must not be inherited:
    # two processes on one socket corrupt each other's queries. Each worker connects itself.
    from django.db import connections

    connections.close_all()
