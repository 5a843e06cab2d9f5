"""The import engine: the same preview and commit for the admin and the command.

A run reads the file in chunks; each chunk is checked against prefetched rows, and, when
committing and nothing has been wrong so far, written with bulk statements. The whole run is one
transaction: any bad row, anywhere, and nothing is written.
"""

import gc
import itertools
import logging
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone, translation

from website import page_cache
from website.models import ImportRun

from . import access, changes, normalize
from .kinds import CHANGED, ERROR, NEW, UNCHANGED, Row
from .readers import ImportFileError, open_table
from .writer import open_writer

logger = logging.getLogger(__name__)

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
CONNECTION_LOST = ("导入过程中与数据库的连接中断（或数据库暂时不可用），未写入任何数据。"
                   "请稍后重新导入。")
# Kept on the ImportRun for the preview page; the command prints every one.
STORED_ERRORS = 10_000


def max_upload_bytes():
    return getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


@dataclass
class ImportContext:
    kind: object
    user: object
    commit: bool
    run: ImportRun
    now: object
    uuid: object
    scope_rule: object = None  # (lookup path, scope object id) for a scoped user
    state: dict = field(default_factory=dict)  # the kind's own lookups for the whole file


@dataclass
class ImportResult:
    run: ImportRun
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_rows: int = 0
    errors: list = field(default_factory=list)  # {"row", "column", "message"}
    changes: list = field(default_factory=list)  # the first records added and changed (changes.py)
    file_error: str = ""
    committed: bool = False

    @property
    def ok(self):
        return not self.file_error and not self.error_rows


class _Rollback(Exception):
    pass


def run_import(*, kind, file_name, path=None, data=None, user=None, commit=False,
               source=ImportRun.Source.ADMIN, run=None, max_bytes=None, progress=None):
    """Preview (commit=False) or import (commit=True) a spreadsheet of `kind`.

    The file is `path` or the bytes `data`; `file_name` gives its type. `run` is the ImportRun
    of an earlier preview being confirmed, else a new one is recorded. `progress(done, total)` is
    called after each chunk. Returns an ImportResult; with any error nothing is written.
    """
    if run is None:
        run = ImportRun.objects.create(
            kind=kind.name, file_name=file_name, user=user, source=source)
    result = ImportResult(run=run)
    with translation.override(settings.LANGUAGE_CODE), _fewer_collections():
        try:
            _run(kind, result, file_name=file_name, path=path, data=data, user=user,
                 commit=commit, max_bytes=max_bytes, progress=progress)
        except ImportFileError as e:
            result.file_error = e.message
    _record(result)
    return result


@contextmanager
def _fewer_collections():
    """An import allocates a few dozen objects per row and keeps a chunk's worth alive; with the
    default thresholds the cyclic collector rescans them every few hundred rows, which cost a
    third of the run time on 100,000 rows. Collections still happen, less often."""
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _run(kind, result, *, file_name, path, data, user, commit, max_bytes, progress):
    table = open_table(file_name=file_name, path=path, data=data, max_bytes=max_bytes)
    positions = kind.match_headers(table.headers)
    ctx = ImportContext(
        kind=kind, user=user, commit=commit, run=result.run,
        now=timezone.now(), uuid=uuid.uuid4(), scope_rule=_scope_rule(kind, user),
    )
    allowed = _permissions(kind, user)
    try:
        with _transaction(kind, ctx) as writer:
            kind.start(ctx)
            done = 0
            for chunk in _chunks(table.rows, positions, kind.chunk_size, kind.labels):
                outcomes = kind.process(chunk, ctx)
                for outcome in outcomes:
                    _check_permission(kind, outcome, allowed, ctx)
                _tally(result, outcomes)
                result.changes.extend(changes.describe(
                    kind, outcomes, room=changes.STORED_CHANGES - len(result.changes)))
                if writer is not None and not result.error_rows:
                    writer.submit([o for o in outcomes if o.status in (NEW, CHANGED)])
                done += len(chunk)
                if progress:
                    progress(done, max(table.total, done))
            if writer is not None and not result.error_rows:
                writer.finish()
                result.committed = True
            else:
                raise _Rollback
        if result.committed:
            _refresh_planner_statistics(kind, written=result.created + result.updated)
            # Bulk statements send no model signals: every stored public page may be stale.
            page_cache.bump_everything()
    except _Rollback:
        pass
    except (OperationalError, InterfaceError):
        # The server went away (restarted, the connection cut): the transaction died with it.
        logger.warning("Import run %s lost its database connection", result.run.pk, exc_info=True)
        result.committed = False
        result.error_rows += 1
        result.errors.append({"row": None, "column": "", "message": CONNECTION_LOST})
    except DatabaseError as e:
        # A constraint the checks did not foresee (a concurrent edit): nothing is written.
        result.committed = False
        result.error_rows += 1
        result.errors.append(
            {"row": None, "column": "", "message": f"写入数据库时出错，未导入任何数据：{e}"})


@contextmanager
def _transaction(kind, ctx):
    """A preview reads in a transaction that is rolled back; an import gets a writer."""
    if not ctx.commit:
        with transaction.atomic():
            yield None
        return
    with open_writer(kind, ctx) as writer:
        yield writer


# After this many new or changed rows PostgreSQL's planner statistics for the tables are stale
# enough to make the next import's lookups scan (see docs/benchmarks.md); autovacuum is later.
ANALYZE_AFTER_ROWS = 10_000


def _refresh_planner_statistics(kind, *, written):
    if written < ANALYZE_AFTER_ROWS or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in kind.written_models():
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _chunks(rows, positions, size, labels=None):
    """Rows in chunks of `size`. `labels` {header: (names)}: a text cell starting with one of its
    column's names and a colon loses that label (normalize.without_label)."""
    labels = labels or {}
    items = [(header, index, labels.get(header, ())) for header, index in positions.items()]
    width = max(positions.values(), default=-1) + 1
    without_label = normalize.without_label
    iterator = iter(rows)
    while True:
        batch = list(itertools.islice(iterator, size))
        if not batch:
            return
        chunk = []
        for number, cells in batch:
            if len(cells) < width:
                cells = [*cells, *[None] * (width - len(cells))]
            chunk.append(Row(number, {
                header: (without_label(value, names)
                         if (value := cells[index]).__class__ is str and value.startswith(names)
                         else value)
                for header, index, names in items}))
        yield chunk


def _tally(result, outcomes):
    for outcome in outcomes:
        result.total_rows += 1
        if outcome.errors:
            result.error_rows += 1
            for header, message in outcome.errors:
                result.errors.append({"row": outcome.row, "column": header, "message": message})
        elif outcome.status == NEW:
            result.created += 1
        elif outcome.status == CHANGED:
            result.updated += 1
        else:
            result.unchanged += 1


def _permissions(kind, user):
    """(may add, may change) records of the kind's model; the command without --user may both."""
    if user is None:
        return True, True
    opts = kind.model._meta
    return (
        user.has_perm(f"{opts.app_label}.add_{opts.model_name}"),
        user.has_perm(f"{opts.app_label}.change_{opts.model_name}"),
    )


def _scope_rule(kind, user):
    rule = access.scope_rule(user, kind)
    if rule is access.NOT_IN_SCOPE:
        raise ImportFileError(f"您的管辖范围不包括“{kind.label}”，不能导入。")
    return rule


def _in_scope(instance, path, scope_id):
    """`path` ("town", "organization__town") followed on the instance in memory, no query."""
    *steps, last = path.split("__")
    for step in steps:
        instance = getattr(instance, step, None)
        if instance is None:
            return False
    return getattr(instance, f"{last}_id", None) == scope_id


def _check_permission(kind, outcome, allowed, ctx):
    if outcome.errors:
        return
    may_add, may_change = allowed
    verbose = kind.model._meta.verbose_name
    if outcome.status == NEW and not may_add:
        outcome.error("", f"您没有新增“{verbose}”的权限。")
    elif outcome.status == CHANGED and not may_change:
        outcome.error("", f"您没有修改“{verbose}”的权限。")
    if ctx.scope_rule is not None and outcome.status != ERROR:
        path, scope_id = ctx.scope_rule
        for target in kind.scope_targets(outcome):
            if target is not None and not _in_scope(target, path, scope_id):
                outcome.error("", f"该{verbose}不在您的管辖范围内，不能导入。")
                break


def usable_connection():
    """After a lost connection, a new one (outside a transaction Django opens it on the next
    query), so that the run is still recorded as finished."""
    if connection.connection is not None and not connection.is_usable():
        connection.close()


def _record(result):
    usable_connection()
    run = result.run
    run.state, run.progress = ImportRun.State.FINISHED, 100
    run.finished_at = timezone.now()
    run.committed = result.committed
    run.total_rows = result.total_rows
    run.created = result.created
    run.updated = result.updated
    run.unchanged = result.unchanged
    run.error_count = result.error_rows + (1 if result.file_error else 0)
    errors = list(result.errors[:STORED_ERRORS])
    if result.file_error:
        errors.insert(0, {"row": None, "column": "", "message": result.file_error})
    run.errors = errors
    run.changes = result.changes
    run.save()


__all__ = ["run_import", "ImportResult", "max_upload_bytes", "NEW", "CHANGED", "UNCHANGED"]
