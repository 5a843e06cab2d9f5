"""A committing import over several chunks, as the command and the admin run it: outside any
transaction, so that on PostgreSQL the writer thread stores the chunks on its own connection
(writer.py) while the engine checks the next. Rows repeating earlier rows of the file get the
same answer as in the preview, whether or not the earlier rows are already written."""

import datetime

import pytest
from django.db import connection
from wagtail.models import ModelLogEntry

from registry.factories import registered_organization
from registry.models import Organization, ServiceField, StatusEvent
from website.importer import engine, writer
from website.importer.kinds import get_kind

from tests.db_support import migrated_state_kept
from tests.import_support import (
    code, community_row, import_file, make_county, org_row, snapshot, table, xlsx_bytes,
)

pytestmark = pytest.mark.django_db(transaction=True)

CHUNK = 20


@pytest.fixture(scope="module", autouse=True)
def migrations_rows_put_back(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), migrated_state_kept(connection):
        yield


@pytest.fixture
def county():
    return make_county()


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("registrar", password="x")


@pytest.fixture
def small_chunks(monkeypatch):
    for name in ("organizations", "status_events"):
        monkeypatch.setattr(get_kind(name), "chunk_size", CHUNK)


@pytest.fixture
def writers(monkeypatch):
    """The writer classes the runs used."""
    used = []

    def recording(kind, ctx):
        opened = open_writer(kind, ctx)
        used.append(type(opened))
        return opened

    open_writer = writer.open_writer
    monkeypatch.setattr(engine, "open_writer", recording)
    return used


def expected_writer():
    return writer.ThreadedWriter if connection.vendor == "postgresql" else writer.InlineWriter


def test_an_import_of_several_chunks_is_written_whole(county, admin, small_chunks, writers):
    rows = [org_row(n, 服务领域="民生服务、矛盾化解") if n % 2 else community_row(n)
            for n in range(1, 3 * CHUNK + 6)]
    result = import_file(xlsx_bytes(table(rows)), user=admin)

    assert (result.ok, result.committed, result.created) == (True, True, len(rows)), result.errors
    assert writers == [expected_writer()]
    assert Organization.objects.count() == len(rows)
    assert StatusEvent.objects.filter(kind__in=["registered", "filed"]).count() == len(rows)
    group = Organization.objects.get(credit_code=code("1", 3 * CHUNK + 5))
    assert {f.name for f in group.service_fields.all()} == {"民生服务", "矛盾化解"}
    entries = ModelLogEntry.objects.filter(user=admin, action="wagtail.create")
    assert entries.count() == 2 * len(rows)
    assert ModelLogEntry.objects.filter(object_id=str(group.pk), label=group.name).exists()

    again = import_file(xlsx_bytes(table(rows)), user=admin)
    assert (again.committed, again.created, again.updated, again.unchanged) == (
        True, 0, 0, len(rows)), again.errors


def test_an_area_tree_over_several_chunks(county, admin, monkeypatch, writers):
    """New towns and their villages: a village's town is new in the same chunk or an earlier
    one (written, or on PostgreSQL still on its way to the writer thread)."""
    from registry.models import Area

    monkeypatch.setattr(get_kind("areas"), "chunk_size", 4)
    towns = [f"330421{n:03d}" for n in range(120, 123)]
    rows = [["区划代码", "名称", "英文名称", "层级"]]
    for n, town in enumerate(towns):
        rows.append([town, f"新{n}镇", f"Xin{n} Town", "镇"])
        rows.extend([f"{town}{v:03d}", f"新{n}村{v}", f"Xin{n} Village {v}", "村"] for v in range(201, 204))
    result = import_file(xlsx_bytes(rows), kind="areas", user=admin)

    assert (result.committed, result.created) == (True, len(rows) - 1), result.errors
    assert writers == [expected_writer()]
    for n, town in enumerate(towns):
        area = Area.objects.get(code=town)
        assert (area.parent, area.name_en) == (county.county, f"Xin{n} Town")
        assert sorted(area.children.values_list("code", flat=True)) == [
            f"{town}{v:03d}" for v in range(201, 204)]
    again = import_file(xlsx_bytes(rows), kind="areas", user=admin)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(rows) - 1)


def test_a_database_error_while_writing_leaves_nothing_written(county, admin, small_chunks):
    """A service field deleted by someone else after the import has read them: the rows of the
    second chunk refer to it, the database refuses them, and the first chunk goes too."""
    rows = [org_row(n, 服务领域="民生服务") for n in range(1, CHUNK + 1)] + [
        org_row(n, 服务领域="矛盾化解") for n in range(CHUNK + 1, 2 * CHUNK + 1)]
    before = snapshot()
    mediation = ServiceField.objects.get(name="矛盾化解")

    def delete_field_after_first_chunk(done, total):
        if done == CHUNK:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM registry_servicefield WHERE id = %s", [mediation.pk])

    result = import_file(xlsx_bytes(table(rows)), user=admin,
                         progress=delete_field_after_first_chunk)

    assert not result.committed
    assert "写入数据库时出错，未导入任何数据" in result.errors[-1]["message"]
    assert snapshot() == before


def test_rows_repeating_earlier_rows_get_the_preview_answer(county, small_chunks):
    first = community_row(1, 社会组织名称="西塘社区睦邻志愿服务队")
    rows = [first, *[org_row(n) for n in range(2, CHUNK + 3)],
            # next chunk: the same name in the same town with another filing number, the same
            # organization again, and a credit code used by an earlier row
            community_row(50, 社会组织名称="西塘社区睦邻志愿服务队"),
            community_row(1),
            org_row(51, 统一社会信用代码=code("1", 2))]
    content = xlsx_bytes(table(rows))
    before = snapshot()

    preview = import_file(content, commit=False)
    result = import_file(content)

    assert not result.committed and snapshot() == before
    assert result.errors == preview.errors
    errors = [(e["row"], e["column"], e["message"]) for e in result.errors]
    assert errors == [
        (CHUNK + 4, "备案编号", "第2行新增了西塘镇的同名社会组织，其备案编号为嘉善备000001\uFF0C与本行不一致。"),
        (CHUNK + 5, "备案编号", "与第2行的备案编号重复。"),
        (CHUNK + 6, "统一社会信用代码", "与第3行的统一社会信用代码重复。"),
    ]


def test_status_events_follow_earlier_rows_in_other_chunks(county, small_chunks):
    orgs = [registered_organization(town=county.xitang, name=f"嘉善县事项协会{n}",
                                    on=datetime.date(2015, 3, 2)) for n in range(CHUNK + 1)]

    def event(org, kind, date):
        return {"统一社会信用代码": org.credit_code, "事项": kind, "生效日期": date}

    rows = [event(orgs[0], "注销登记", "2022-06-01"),
            *[event(org, "变更登记", "2020-01-01") for org in orgs[1:]],
            event(orgs[0], "变更登记", "2022-08-01")]  # after its deregistration, a chunk later
    headers = ["统一社会信用代码", "事项", "生效日期"]
    content = xlsx_bytes(table(rows, headers=headers))

    preview = import_file(content, kind="status_events", commit=False)
    result = import_file(content, kind="status_events")

    assert [(e["row"], e["column"]) for e in result.errors] == [(CHUNK + 3, "事项")]
    assert result.errors == preview.errors
    assert not result.committed
    assert not StatusEvent.objects.filter(kind="deregistered").exists()

    ok = import_file(xlsx_bytes(table(rows[:-1], headers=headers)), kind="status_events")
    assert (ok.committed, ok.created) == (True, CHUNK + 1), ok.errors
    assert orgs[0].status_events.get(kind="registered").ends_on == datetime.date(2022, 6, 1)


def test_text_that_csv_and_copy_treat_specially_is_stored_as_written(county):
    tricky = org_row(
        1, 社会组织名称='嘉善县"银发，互助"协会', 住所="\\N", 业务范围="第一行\n第二行\\末尾",
        法定代表人="", 联系电话="", 成立日期="", 业务主管单位="")
    result = import_file(xlsx_bytes(table([tricky])))

    assert result.committed, result.errors
    org = Organization.objects.get(credit_code=code("1", 1))
    assert (org.name, org.address, org.business_scope) == (
        '嘉善县"银发，互助"协会', "\\N", "第一行\n第二行\\末尾")
    assert (org.legal_representative, org.contact_phone) == ("", "")
    assert (org.founded_on, org.supervising_unit) == (None, None)
    again = import_file(xlsx_bytes(table([tricky])))
    assert (again.unchanged, again.updated) == (1, 0), again.errors


def test_an_error_at_the_end_of_a_threaded_import_is_reported_not_waited_on(county):
    """kind.finish (or the commit) failing in the writer thread: finish() raises it."""
    if connection.vendor != "postgresql":
        pytest.skip("the writer thread is PostgreSQL's")
    import threading
    import types

    from django.db import DatabaseError

    def fail(ctx):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")

    kind = types.SimpleNamespace(finish=fail)
    outcome = {}

    def run():
        with writer.ThreadedWriter(kind, ctx=None) as threaded:
            try:
                threaded.finish()
            except DatabaseError as e:
                outcome["error"] = e

    caller = threading.Thread(target=run, daemon=True)
    caller.start()
    caller.join(timeout=30)
    assert not caller.is_alive(), "finish() still waiting for the writer thread"
    assert "division by zero" in str(outcome["error"])


def test_the_admin_confirm_writes_through_the_writer(county, admin, client, writers):
    """The registrar's upload, preview and confirm: the confirm runs in a request, outside any
    transaction, so on PostgreSQL its writes go through the writer thread."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from website.models import ImportRun

    client.force_login(admin)
    rows = [org_row(n) for n in range(1, 4)]
    client.post(reverse("importer:index"), {
        "kind": "organizations", "file": SimpleUploadedFile("组织.xlsx", xlsx_bytes(table(rows)))})
    run = ImportRun.objects.get()

    done = client.post(reverse("importer:confirm", args=[run.pk]), follow=True)

    assert "已导入“组织.xlsx”：新增3\uFF0C变更0\uFF0C未变0。" in done.content.decode()
    assert writers == [expected_writer()]
    assert Organization.objects.count() == 3
    assert ModelLogEntry.objects.filter(user=admin, data__import_run=run.pk).count() == 6
