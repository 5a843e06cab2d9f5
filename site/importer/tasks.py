"""The import's tasks: inline on the immediate backend (dev, tests, the embedded default), on the
database queue in production (`manage.py db_worker`)."""

from django_tasks import task

from . import runs


@task()
def preview_import_task(*, run_id):
    runs.preview(run_id=run_id)
    return run_id


@task()
def commit_import_task(*, run_id):
    runs.commit(run_id=run_id)
    return run_id


@task()
def purge_import_uploads_task():
    """The purge_import_uploads command, for a scheduler that enqueues tasks."""
    return runs.purge_abandoned_uploads()
