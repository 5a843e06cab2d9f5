"""A bounded loopback load from several client processes, each running `_servers.Load` (threads,
one keep-alive http.client connection each, reconnecting when the server closes), so that one
interpreter's GIL does not cap the rate; and the CPU time of process trees, read from /proc.

`window()` starts the processes, lets them run `ramp` seconds, then measures `seconds`: the
requests that finished inside the window, the CPU the server processes and the client processes
used during it, and the byte range the server's log grew by.
"""

import multiprocessing
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from _servers import Load

TICK = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid):
    """The fields of /proc/<pid>/stat after the command name (state is [0], ppid [1])."""
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2:].split()


def descendants(pid):
    """`pid` and every live process under it."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                children.setdefault(int(_stat_fields(entry)[1]), []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass  # exited meanwhile
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, ()))
    return found


def pids_named(command):
    """The pids of the processes whose command name is `command`."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if Path(f"/proc/{entry}/comm").read_text().strip() == command:
                    found.append(int(entry))
            except OSError:
                pass
    return found


def cpu_seconds(pids):
    """utime + stime of each process in the trees of `pids`, and cutime + cstime (the children it
    has reaped: a gunicorn worker recycled during a window counts in its master's)."""
    total = 0
    for pid in {p for root in pids for p in descendants(root)}:
        try:
            fields = _stat_fields(pid)
        except OSError:
            continue
        total += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return total / TICK


def machine_cpu_seconds():
    """CPU time the whole machine has spent busy (every core), from /proc/stat."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / TICK


def _client(address, paths, connections, ready, stop, out):
    load = Load([address], paths, connections).start()
    ready.set()
    stop.wait()
    load.join()
    out.send(load.records)
    out.close()


@dataclass
class Window:
    started: float
    stopped: float
    records: list  # (start, seconds, outcome) of the requests that finished inside the window
    server_cpu: float  # seconds
    client_cpu: float  # seconds
    client_processes: int
    log_range: tuple = field(default=(0, 0))
    database_cpu: float = 0.0  # seconds, of the processes `database_pids` named
    machine_cpu: float = 0.0  # seconds, every process on the machine

    @property
    def seconds(self):
        return self.stopped - self.started


def window(address, paths, *, connections, processes, seconds, ramp=0.2, server_pids=(),
           log_path=None, database_pids=None):
    """Load `address` with `connections` connections spread over `processes` processes.
    `database_pids`, a function, names the database server's processes that work for the server
    (read at both ends of the window: one that ends within it is missed)."""
    context = multiprocessing.get_context("fork")  # the parent holds no threads; the clients
    # leave alone the database connection it may hold, and end with os._exit
    processes = max(1, min(processes, connections))
    stop = context.Event()
    clients, pipes = [], []
    for index in range(processes):
        share = connections // processes + (index < connections % processes)
        rotated = paths[index * share % len(paths):] + paths[:index * share % len(paths)]
        ready = context.Event()
        receiving, sending = context.Pipe(duplex=False)
        process = context.Process(target=_client, daemon=True,
                                  args=(address, rotated, share, ready, stop, sending))
        process.start()
        sending.close()
        clients.append((process, ready))
        pipes.append(receiving)
    for _process, ready in clients:
        ready.wait(30)
    client_pids = [process.pid for process, _ in clients]
    time.sleep(ramp)

    def log_size():
        return log_path.stat().st_size if log_path is not None else 0

    backends = list(database_pids()) if database_pids else []
    machine_start = machine_cpu_seconds()
    started, log_start = time.monotonic(), log_size()
    server_start, client_start = cpu_seconds(server_pids), cpu_seconds(client_pids)
    database_start = {pid: cpu_seconds([pid]) for pid in backends}
    time.sleep(seconds)
    stopped, log_stop = time.monotonic(), log_size()
    server_stop, client_stop = cpu_seconds(server_pids), cpu_seconds(client_pids)
    machine_stop = machine_cpu_seconds()
    if database_pids:
        backends = set(backends) | set(database_pids())
    # A backend that started in the window counts whole; one gone by its end counts nothing.
    database = sum(cpu_seconds([pid]) - database_start.get(pid, 0.0) for pid in backends
                   if Path(f"/proc/{pid}").exists())
    stop.set()
    records = []
    for pipe in pipes:
        records.extend(pipe.recv())
    for process, _ready in clients:
        process.join(60)
    finished = [r for r in records if started <= r[0] + r[1] <= stopped]
    return Window(started, stopped, finished, server_stop - server_start,
                  client_stop - client_start, processes, (log_start, log_stop),
                  database_cpu=database, machine_cpu=machine_stop - machine_start)
