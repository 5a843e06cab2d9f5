"""Where a committing import's writes go.

`InlineWriter` writes each chunk in the engine's own transaction, as it comes. On PostgreSQL,
outside any transaction, `ThreadedWriter` prepares each chunk's writes (keys, rows, COPY text)
and hands them to a thread with its own connection and transaction: the database server stores
one chunk (the COPYs, their indexes and foreign-key checks, in its own process) while Python
checks the next one, so the two cores work at once. The engine's lookups then see the database
as it was before the import; the kinds catch a row that repeats an earlier row of the file from
what they remember (the same as a preview).

Either way the import is one transaction: all chunks and `kind.finish` commit together or not at
all.
"""

import queue
import threading

from django.db import connection, connections, transaction

from . import history
from .bulk import DeferredStore, DirectStore

_FINISH, _ABORT = object(), object()


def write_chunk(kind, ctx, outcomes, store):
    """Write a chunk's new and changed records and their history entries through `store`."""
    created, changed = kind.write(outcomes, ctx, store)
    history.log_imported(
        created=created, changed=changed, user=ctx.user, uuid=ctx.uuid,
        timestamp=ctx.now, data={"import_run": ctx.run.pk}, store=store,
    )


def open_writer(kind, ctx):
    """The writer for a committing import run from the calling thread."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        return ThreadedWriter(kind, ctx)
    return InlineWriter(kind, ctx)


class InlineWriter:
    """Writes in the caller's transaction (opened here); the caller's reads see the writes."""

    def __init__(self, kind, ctx):
        self.kind, self.ctx = kind, ctx
        self._atomic = transaction.atomic()

    def __enter__(self):
        self._atomic.__enter__()
        return self

    def __exit__(self, *exc_info):
        return self._atomic.__exit__(*exc_info)

    def submit(self, outcomes):
        write_chunk(self.kind, self.ctx, outcomes, DirectStore())

    def finish(self):
        self.kind.finish(self.ctx)


class ThreadedWriter:
    """Writes in a thread of its own, on its own connection, one transaction for the run.

    Foreign keys are checked as each statement ends (not all at the commit), so that this work
    too overlaps the caller's. Two chunks at most wait in the queue: memory stays bounded when
    the database is the slower side. An error in the thread is raised in the caller at its next
    `submit` or at `finish`; the thread's transaction is rolled back."""

    def __init__(self, kind, ctx):
        self.kind, self.ctx = kind, ctx
        self._queue = queue.Queue(maxsize=2)
        self._error = None
        self._aborting = False
        self._thread = threading.Thread(target=self._work, name="import-writer", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._thread.is_alive():
            self._aborting = True  # chunks still queued are not written
            self._queue.put(_ABORT)  # an error in the caller: the thread rolls back
            self._thread.join()
        return False

    def submit(self, outcomes):
        """Prepare the chunk's writes here (keys, rows, COPY text: all the Python work, so that
        the thread only waits on the database) and queue them."""
        self._raise_error()
        store = DeferredStore()
        write_chunk(self.kind, self.ctx, outcomes, store)
        self._queue.put(store)

    def finish(self):
        self._queue.put(_FINISH)
        self._thread.join()
        self._raise_error()

    def _raise_error(self):
        if self._error is not None:
            raise self._error

    def _work(self):
        finishing = False
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                while True:
                    item = self._queue.get()
                    if item is _ABORT or self._aborting:
                        raise _Aborted
                    if item is _FINISH:
                        finishing = True
                        self.kind.finish(self.ctx)
                        break
                    item.execute()
        except _Aborted:
            pass
        except BaseException as e:  # handed to the caller, which reports it
            self._error = e
            if not finishing:  # else the caller is already waiting in finish()
                self._drain()
        finally:
            connections.close_all()  # this thread's connections only

    def _drain(self):
        """After an error: take what the caller still sends until it finishes or aborts."""
        while self._queue.get() not in (_FINISH, _ABORT):
            pass


class _Aborted(Exception):
    pass
