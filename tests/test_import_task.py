"""The admin's import as the task worker runs it, and what a run survives: the upload is kept
exactly as previewed, tied to its run by its stored path and SHA-256, and removed once it is no
longer needed; a lost database connection is reported on the run; a real `db_worker` process
runs a real import."""

import datetime
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from registry.models import Organization
from website.models import ImportRun

from tests.db_support import migrated_state_kept
from tests.import_support import (
    csv_bytes, import_file, make_county, org_row, snapshot, table, xlsx_bytes,
)

ROOT = Path(__file__).resolve().parent.parent
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def county(db):
    return make_county()


@pytest.fixture
def registrar(client, django_user_model, db):
    user = django_user_model.objects.create_superuser("registrar", password="x")
    client.force_login(user)
    client.user = user
    return client


def upload(client, content, name="组织.xlsx", kind="organizations"):
    return client.post(reverse("importer:index"), {"kind": kind, "file": SimpleUploadedFile(name, content)})


def stored_files(settings):
    return sorted(str(p.relative_to(settings.MEDIA_ROOT))
                  for p in (Path(settings.MEDIA_ROOT) / "imports").glob("*/*"))


def names():
    return set(Organization.objects.values_list("name", flat=True))


# The file previewed is the file imported.

def test_the_confirm_imports_the_file_previewed_when_an_old_upload_is_in_the_way(
        county, registrar, settings):
    # Files left under the ids the next run may get (a database reset, a restore).
    probe = ImportRun.objects.create(kind="organizations", file_name="x.xlsx").pk
    ImportRun.objects.filter(pk=probe).delete()
    stale = xlsx_bytes(table([org_row(9, 社会组织名称="嘉善县旧文件协会")]))
    for pk in (probe, probe + 1):
        folder = Path(settings.MEDIA_ROOT) / "imports" / str(pk)
        folder.mkdir(parents=True)
        (folder / "upload.xlsx").write_bytes(stale)

    upload(registrar, xlsx_bytes(table([org_row(1), org_row(2)])))
    run = ImportRun.objects.get()
    preview = registrar.get(reverse("importer:preview", args=[run.pk])).content.decode()
    assert "确认导入" in preview
    registrar.post(reverse("importer:confirm", args=[run.pk]))

    assert names() == {"嘉善县测试协会1", "嘉善县测试协会2"}
    run.refresh_from_db()
    assert run.committed and run.created == 2 and run.stored_file == ""
    # The old files are not the run's: they stay for the purge to judge by their age.
    assert stored_files(settings) == sorted(f"imports/{pk}/upload.xlsx" for pk in (probe, probe + 1))


def test_a_file_changed_after_the_preview_is_not_imported(county, registrar, settings):
    upload(registrar, xlsx_bytes(table([org_row(1)])))
    run = ImportRun.objects.get()
    assert run.stored_file and len(run.sha256) == 64
    (Path(settings.MEDIA_ROOT) / run.stored_file).write_bytes(
        xlsx_bytes(table([org_row(1), org_row(2, 社会组织名称="嘉善县夹带协会")])))

    done = registrar.post(reverse("importer:confirm", args=[run.pk]), follow=True)

    page = done.content.decode()
    assert "与预览时的文件不一致" in page and "SHA-256" in page
    assert Organization.objects.count() == 0
    run.refresh_from_db()
    assert not run.committed and run.finished_at and run.errors[0]["message"].startswith("服务器上保存的文件")
    assert stored_files(settings) == [] and "确认导入" not in page


def test_uploads_are_removed_once_refused_or_imported(county, registrar, settings):
    upload(registrar, xlsx_bytes(table([org_row(1, 所属镇街="凤凰镇")])))
    assert stored_files(settings) == []  # rows with errors: nothing to confirm
    upload(registrar, xlsx_bytes([["名称"], ["某协会"]]))
    assert stored_files(settings) == []  # the file refused as a whole
    upload(registrar, xlsx_bytes(table([org_row(1)])))
    run = ImportRun.objects.get(error_count=0)
    assert stored_files(settings) == [run.stored_file]
    registrar.post(reverse("importer:confirm", args=[run.pk]))
    assert stored_files(settings) == [] and Organization.objects.count() == 1
    assert not (Path(settings.MEDIA_ROOT) / "imports" / str(run.pk)).exists()


def test_abandoned_uploads_are_purged_after_the_set_time(county, registrar, settings):
    settings.IMPORT_UPLOAD_MAX_AGE_HOURS = 24
    for n in (1, 2):
        upload(registrar, xlsx_bytes(table([org_row(n)])))
    old, fresh = ImportRun.objects.order_by("pk")
    ImportRun.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(hours=25))
    orphans = Path(settings.MEDIA_ROOT) / "imports" / "999999"
    orphans.mkdir()
    (orphans / "upload.csv").write_bytes(b"old")
    (orphans / "upload_new.csv").write_bytes(b"new")
    a_day_ago = time.time() - 25 * 3600
    os.utime(orphans / "upload.csv", (a_day_ago, a_day_ago))

    out = io.StringIO()
    call_command("purge_import_uploads", stdout=out)

    assert "已删除2个超过24小时未确认的导入文件" in out.getvalue()
    assert stored_files(settings) == sorted([fresh.stored_file, "imports/999999/upload_new.csv"])
    old.refresh_from_db()
    assert old.stored_file == ""
    preview = registrar.get(reverse("importer:preview", args=[old.pk])).content.decode()
    assert "确认导入" not in preview
    assert "确认导入" in registrar.get(reverse("importer:preview", args=[fresh.pk])).content.decode()


def test_the_purge_task_does_what_the_command_does(county, registrar, settings):
    from website.importer.tasks import purge_import_uploads_task

    settings.IMPORT_UPLOAD_MAX_AGE_HOURS = 1
    upload(registrar, xlsx_bytes(table([org_row(1)])))
    ImportRun.objects.update(finished_at=timezone.now() - datetime.timedelta(hours=2))
    assert purge_import_uploads_task.enqueue().return_value == 1
    assert stored_files(settings) == []


# The page while the task waits or runs.

def test_the_preview_page_shows_progress_until_the_task_is_done(county, registrar, settings):
    from website.importer import runs

    settings.TASKS = DUMMY_TASKS  # tasks queued, not run: as before a worker takes them
    upload(registrar, xlsx_bytes(table([org_row(1), org_row(2)])))
    run = ImportRun.objects.get()
    page = registrar.get(reverse("importer:preview", args=[run.pk])).content.decode()
    assert run.state == "preview_queued" and "等待预览" in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "确认导入" not in page and "<script>" not in page.split("<body")[1].split("wagtail")[0]
    assert Organization.objects.count() == 0

    runs.preview(run_id=run.pk)  # what the worker does
    page = registrar.get(reverse("importer:preview", args=[run.pk])).content.decode()
    assert "http-equiv=\"refresh\"" not in page and "这是预览，尚未写入" in page and "确认导入" in page

    done = registrar.post(reverse("importer:confirm", args=[run.pk]), follow=True).content.decode()
    assert "正在后台导入" in done and "等待导入" in done and "http-equiv=\"refresh\"" in done
    again = registrar.post(reverse("importer:confirm", args=[run.pk]))  # a second click
    assert again.status_code == 302 and ImportRun.objects.get().state == "import_queued"

    runs.commit(run_id=run.pk)
    runs.commit(run_id=run.pk)  # a task delivered twice imports once
    run.refresh_from_db()
    assert run.committed and run.created == 2 and run.progress == 100
    assert Organization.objects.count() == 2
    assert "已写入" in registrar.get(reverse("importer:preview", args=[run.pk])).content.decode()


# A cell past the csv module's limit.

def test_an_admin_csv_with_a_cell_over_131072_characters_is_explained(county, registrar):
    rows = table([org_row(1), org_row(2, 业务范围="长" * 131_073)])
    response = upload(registrar, csv_bytes(rows), name="组织.csv")
    run = ImportRun.objects.get()
    assert response.status_code == 302
    page = registrar.get(reverse("importer:preview", args=[run.pk])).content.decode()
    assert "第3行" in page and "131072个字符的上限" in page
    assert Organization.objects.count() == 0


def test_the_command_explains_a_cell_over_131072_characters_in_chinese(county, tmp_path):
    path = tmp_path / "组织.csv"
    path.write_bytes(csv_bytes(table([org_row(1, 业务范围="长" * 131_073)])))
    with pytest.raises(CommandError) as refusal:
        call_command("import_records", str(path), "--kind", "organizations", stderr=io.StringIO())
    assert "第2行" in str(refusal.value) and "131072个字符的上限" in str(refusal.value)


# PostgreSQL: a connection lost, and a real worker. Their writes are committed.

@pytest.fixture(scope="module")
def committed_rows_put_back(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), migrated_state_kept(connection):
        yield


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")


@pytest.mark.django_db(transaction=True)
def test_losing_the_database_mid_import_is_reported_on_the_run(
        postgresql, committed_rows_put_back, monkeypatch):
    from website.importer.kinds import get_kind

    make_county()
    monkeypatch.setattr(get_kind("organizations"), "chunk_size", 5)
    before = snapshot()
    killed = []

    def progress(done, total):
        if not killed:  # after the first chunk, from a second connection
            pid = connection.connection.info.backend_pid
            killer = connections.create_connection("default")
            with killer.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            killer.close()
            killed.append(pid)

    result = import_file(xlsx_bytes(table([org_row(n) for n in range(1, 21)])), progress=progress)

    assert killed
    run = ImportRun.objects.get(pk=result.run.pk)
    assert not run.committed and run.finished_at is not None and run.state == "finished"
    assert run.errors[0]["message"].startswith("导入过程中与数据库的连接中断")
    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_preview_and_the_import(
        postgresql, committed_rows_put_back, client, django_user_model, settings):
    make_county()
    user = django_user_model.objects.create_superuser("registrar", password="x")
    client.force_login(user)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    database = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "website.settings.test_worker",
           "MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "DATABASE_URL": (f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
                            f"/{database['NAME']}")}
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay",
         "--no-reload"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        upload(client, xlsx_bytes(table([org_row(n) for n in range(1, 6)])))
        run = ImportRun.objects.get()
        assert run.state in ("preview_queued", "previewing")
        run = wait_for(run, lambda r: not r.in_progress, worker)
        assert (run.total_rows, run.created, run.error_count) == (5, 5, 0)
        assert Organization.objects.count() == 0

        client.post(reverse("importer:confirm", args=[run.pk]))
        # Finished, then its upload removed (a moment later: wait for both).
        run = wait_for(run, lambda r: not r.in_progress and not r.stored_file, worker)
        assert run.committed and run.finished_at and run.created == 5, run.errors
        assert Organization.objects.count() == 5 and run.stored_file == ""
        page = client.get(reverse("importer:preview", args=[run.pk])).content.decode()
        assert "已写入" in page
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def wait_for(run, done, worker, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if done(run):
            return run
        if worker.poll() is not None:
            pytest.fail(f"the worker exited: {worker.stdout.read().decode()[-3000:]}")
        time.sleep(0.2)
    pytest.fail(f"the worker did not finish run {run.pk} in {timeout} s (state {run.state})")
