"""The admin's import runs, from upload to confirm.

The upload is stored once and the run keeps the name the storage gave it and its SHA-256: the
preview and the import read that file and no other, and the import refuses it if it changed.
Preview and import run as tasks (website.importer.tasks): in the worker in production, inline on
the immediate backend. The upload is removed once nothing can come of it: the preview refused
it, the import ran, or it waited longer than IMPORT_UPLOAD_MAX_AGE_HOURS
(`manage.py purge_import_uploads`).
"""

import hashlib
import logging
import os
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.db.models import Q
from django.utils import timezone

from website.models import ImportRun

from .engine import max_upload_bytes, run_import, usable_connection
from .kinds import get_kind

logger = logging.getLogger(__name__)

UPLOAD_FOLDER = "imports"
DEFAULT_UPLOAD_MAX_AGE_HOURS = 24

FILE_GONE = "上传的文件已不在服务器上\uff08可能因超过保留时间已被清理\uff09\uff0c未导入任何数据。请重新上传。"
FILE_CHANGED = ("服务器上保存的文件与预览时的文件不一致\uff08SHA-256校验值不符\uff09\uff0c"
                "未导入任何数据。请重新上传文件并预览。")
UNEXPECTED = "处理时出现意外错误\uff0c未导入任何数据。请稍后重试\uff1b如仍出错\uff0c请联系系统管理员。"
NOT_STORED = "上传的文件未能保存到服务器\uff0c请稍后重新上传。"


def upload_max_age():
    return timedelta(hours=getattr(settings, "IMPORT_UPLOAD_MAX_AGE_HOURS",
                                   DEFAULT_UPLOAD_MAX_AGE_HOURS))


def start_preview(*, kind, file_name, data, user):
    """Record a run, store its file and start its preview."""
    from .tasks import preview_import_task

    run = ImportRun.objects.create(
        kind=kind.name, file_name=file_name[:255], user=user, source=ImportRun.Source.ADMIN,
        state=ImportRun.State.PREVIEW_QUEUED,
    )
    extension = os.path.splitext(file_name)[1].lower()
    try:
        # A file may already be there (a folder left by an earlier database): the storage then
        # picks another name, and the run keeps the one it picked.
        run.stored_file = default_storage.save(f"{UPLOAD_FOLDER}/{run.pk}/upload{extension}",
                                               ContentFile(data))
    except OSError:
        logger.exception("Import run %s: the upload could not be stored", run.pk)
        _finish_with_error(run, NOT_STORED)
        return run
    run.sha256 = hashlib.sha256(data).hexdigest()
    run.save(update_fields=["stored_file", "sha256"])
    preview_import_task.enqueue(run_id=run.pk)
    run.refresh_from_db()
    return run


def may_confirm(run):
    """A finished preview without errors whose file still waits."""
    return (run.state == ImportRun.State.FINISHED and not run.committed and run.error_count == 0
            and run.total_rows > 0 and bool(run.stored_file)
            and default_storage.exists(run.stored_file))


def confirm(*, run):
    """Queue the import of a previewed run; False when it was confirmed already (the state
    moves in one UPDATE, so two confirms cannot both import)."""
    from .tasks import commit_import_task

    if not may_confirm(run):
        return False
    moved = ImportRun.objects.filter(
        pk=run.pk, state=ImportRun.State.FINISHED, committed=False, error_count=0,
    ).update(state=ImportRun.State.IMPORT_QUEUED, progress=0)
    if not moved:
        return False
    commit_import_task.enqueue(run_id=run.pk)
    run.refresh_from_db()
    return True


def preview(*, run_id):
    """The preview task's work."""
    _work(run_id, ImportRun.State.PREVIEW_QUEUED, ImportRun.State.PREVIEWING, commit=False)


def commit(*, run_id):
    """The import task's work."""
    _work(run_id, ImportRun.State.IMPORT_QUEUED, ImportRun.State.IMPORTING, commit=True)


def _work(run_id, queued, running, *, commit):
    # A task delivered twice finds its run moved on, and leaves it.
    if not ImportRun.objects.filter(pk=run_id, state=queued).update(state=running, progress=0):
        return
    run = ImportRun.objects.select_related("user").get(pk=run_id)
    progress = _Progress(run)
    try:
        data, problem = _stored_data(run)
        if problem:
            _finish_with_error(run, problem)
        else:
            result = run_import(kind=get_kind(run.kind), file_name=run.file_name, data=data,
                                user=run.user, commit=commit, run=run,
                                max_bytes=max_upload_bytes(), progress=progress)
            if commit or not result.ok:
                delete_upload(run)
    except Exception:
        logger.exception("Import run %s failed", run_id)
        _finish_with_error(run, UNEXPECTED)
        raise
    finally:
        progress.close()


def _stored_data(run):
    """(the run's file, None), or (None, why it cannot be read)."""
    if not run.stored_file or not default_storage.exists(run.stored_file):
        return None, FILE_GONE
    with default_storage.open(run.stored_file, "rb") as stored:
        data = stored.read(max_upload_bytes() + 1)
    if hashlib.sha256(data).hexdigest() != run.sha256:
        return None, FILE_CHANGED
    return data, None


def _finish_with_error(run, message):
    """The run ends with `message` and nothing written; its counts stay those of the preview."""
    usable_connection()
    run.state, run.finished_at, run.committed = ImportRun.State.FINISHED, timezone.now(), False
    run.errors = [{"row": None, "column": "", "message": message}]
    run.error_count = max(run.error_count, 1)
    run.save(update_fields=["state", "finished_at", "committed", "errors", "error_count"])
    delete_upload(run)


def delete_upload(run):
    if run.stored_file:
        default_storage.delete(run.stored_file)
        _remove_empty_folder(os.path.dirname(run.stored_file))
        run.stored_file = ""
        ImportRun.objects.filter(pk=run.pk).update(stored_file="")


def _remove_empty_folder(folder):
    try:
        os.rmdir(default_storage.path(folder))
    except (NotImplementedError, OSError):  # not a local folder, or not empty
        pass


class _Progress:
    """Puts the run's percentage where the admin page can read it while the run's own
    transaction is open: on PostgreSQL through a second connection of its own (autocommit),
    at most once per percent. Elsewhere (SQLite: inline, a single writer) the page shows the
    run when it is done."""

    def __init__(self, run):
        self.run_id, self.percent, self._connection = run.pk, -1, None

    def __call__(self, done, total):
        percent = min(99, done * 100 // max(total, 1))
        if percent == self.percent or connection.vendor != "postgresql":
            return
        self.percent = percent
        try:
            if self._connection is None:
                self._connection = connections.create_connection(connection.alias)
            with self._connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {connection.ops.quote_name(ImportRun._meta.db_table)}"
                    " SET progress = %s WHERE id = %s", [percent, self.run_id])
        except Exception:  # progress is a courtesy: never the reason an import fails
            logger.warning("Import run %s: progress not recorded", self.run_id, exc_info=True)

    def close(self):
        if self._connection is not None:
            self._connection.close()


def purge_abandoned_uploads(*, now=None):
    """Remove the uploads that waited longer than IMPORT_UPLOAD_MAX_AGE_HOURS for a confirm,
    and files under imports/ that no run refers to (a run deleted, a database restored) once
    they are as old. Returns how many files were removed."""
    cutoff = (now or timezone.now()) - upload_max_age()
    removed = 0
    waiting = ImportRun.objects.filter(state=ImportRun.State.FINISHED).exclude(stored_file="")
    for run in waiting.filter(Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True,
                                                            started_at__lt=cutoff)):
        delete_upload(run)
        removed += 1
    referred = set(ImportRun.objects.exclude(stored_file="").values_list("stored_file", flat=True))
    for name in _stored_files():
        if name not in referred and default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)
            _remove_empty_folder(os.path.dirname(name))
            removed += 1
    return removed


def _stored_files():
    try:
        folders, _files = default_storage.listdir(UPLOAD_FOLDER)
    except FileNotFoundError:
        return []
    names = []
    for folder in folders:
        _subfolders, files = default_storage.listdir(f"{UPLOAD_FOLDER}/{folder}")
        names.extend(f"{UPLOAD_FOLDER}/{folder}/{name}" for name in files)
    return names
