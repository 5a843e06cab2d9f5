"""Importing the organizations spreadsheet: what is created, matched, changed, refused."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import ModelLogEntry

from registry.factories import OrganizationFactory, StatusEventFactory, registered_organization
from registry.models import LegalForm, Organization, StatusEvent
from website import roles
from website.models import ImportRun, StaffScope

from tests.import_support import (
    code, community_row, import_file, make_county, org_row, snapshot, table, xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return make_county()


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("registrar", password="x")


def test_new_organizations_with_their_registration_events_and_history(county, admin):
    rows = [org_row(1), org_row(2, 组织类型="民办非企业单位", 统一社会信用代码=code("2", 2)),
            community_row(3)]
    result = import_file(xlsx_bytes(table(rows)), user=admin)

    assert (result.ok, result.committed, result.created, result.total_rows) == (True, True, 3, 3)
    group = Organization.objects.get(credit_code=code("1", 1))
    assert group.legal_form == LegalForm.SOCIAL_GROUP
    assert (group.town, group.village, group.supervising_unit) == (
        county.xitang, county.village, county.department)
    assert group.founded_on == datetime.date(2015, 3, 1)
    assert {f.name for f in group.service_fields.all()} == {"民生服务", "社区治理"}
    assert group.contact_phone == "0573-00000000"
    event = StatusEvent.objects.get(organization=group)
    assert (event.kind, event.date, event.resulting_status, event.ends_on) == (
        "registered", datetime.date(2015, 3, 2), "registered", None)
    assert Organization.objects.get(credit_code=code("2", 2)).legal_form == (
        LegalForm.SOCIAL_SERVICE_INSTITUTION)
    filed = Organization.objects.get(filing_number="嘉善备000003")
    assert filed.status_events.get().kind == "filed"

    entries = ModelLogEntry.objects.filter(action="wagtail.create", user=admin)
    assert entries.filter(object_id=str(group.pk), label=group.name).exists()
    assert entries.filter(object_id=str(event.pk)).exists()
    assert entries.count() == 6  # three organizations and their three events
    run = ImportRun.objects.get(pk=result.run.pk)
    assert (run.committed, run.created, run.total_rows, run.user, run.error_count) == (
        True, 3, 3, admin, 0)
    assert run.finished_at is not None


def test_a_second_identical_import_changes_nothing(county, admin):
    content = xlsx_bytes(table([org_row(1), org_row(2), community_row(3)]))
    import_file(content, user=admin)
    before = snapshot()
    result = import_file(content, user=admin)
    assert (result.created, result.updated, result.unchanged, result.error_rows) == (0, 0, 3, 0)
    assert snapshot() == before


def test_the_preview_writes_nothing_and_counts_what_would_change(county):
    import_file(xlsx_bytes(table([org_row(1)])))
    before = snapshot()
    content = xlsx_bytes(table([org_row(1, 联系电话="0573-11111111"), org_row(2)]))
    result = import_file(content, commit=False)
    assert (result.created, result.updated, result.unchanged, result.committed) == (1, 1, 0, False)
    assert snapshot() == before
    assert not ImportRun.objects.get(pk=result.run.pk).committed


def test_changed_rows_update_the_record_and_are_logged_as_edits(county, admin):
    import_file(xlsx_bytes(table([org_row(1), org_row(2)])))
    rows = [org_row(1, 联系电话="0573-11111111", 服务领域="矛盾化解", 村社区=""), org_row(2)]
    result = import_file(xlsx_bytes(table(rows)), user=admin)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    org = Organization.objects.get(credit_code=code("1", 1))
    assert org.contact_phone == "0573-11111111" and org.village is None
    assert [f.name for f in org.service_fields.all()] == ["矛盾化解"]
    assert ModelLogEntry.objects.filter(action="wagtail.edit", object_id=str(org.pk), user=admin).exists()
    assert StatusEvent.objects.filter(organization=org).count() == 1


def test_every_bad_row_is_reported_and_nothing_is_written(county):
    valid = registered_organization(town=county.xitang)
    before = snapshot()
    mistyped = code("1", 5)[:-1] + ("0" if code("1", 5)[-1] != "0" else "1")
    rows = [
        org_row(4),  # valid, but not written because of the others
        org_row(5, 统一社会信用代码=mistyped),
        org_row(6, 登记日期="2022-13-01"),
        org_row(7, 所属镇街="凤凰镇"),
        org_row(8, 统一社会信用代码=code("1", 4)),  # the same code as row 2
        org_row(9, 统一社会信用代码=valid.credit_code.lower()),  # another organization's code...
    ]
    rows[-1].update(社会组织名称=valid.name, 登记日期="2020-01-01")  # ...so it updates that one
    result = import_file(xlsx_bytes(table(rows)))

    assert not result.committed and snapshot() == before
    errors = {(e["row"], e["column"]): e["message"] for e in result.errors}
    expected_checksum = code("1", 5)[-1]
    assert errors == {
        (3, "统一社会信用代码"): f"统一社会信用代码校验位（第18位）不正确，应为“{expected_checksum}”，请核对是否录入有误。",
        (4, "登记日期"): "日期“2022-13-01”不存在，请核对年、月、日。",
        (5, "所属镇街"): "找不到镇街“凤凰镇”。",
        (6, "统一社会信用代码"): "与第2行的统一社会信用代码重复。",
    }
    assert (result.error_rows, result.created, result.updated) == (4, 1, 1)
    assert ImportRun.objects.get(pk=result.run.pk).error_count == 4


def test_the_models_own_rules_apply(county):
    rows = [
        org_row(1, 统一社会信用代码=""),  # a registered organization needs a code
        community_row(2, 备案编号=""),  # a filed one a filing number
        org_row(3, 组织类型="基金会"),  # a social group's code (2nd character 1) as a foundation's
        org_row(4, 社会组织名称=""),
        org_row(5, 村社区="魏塘社区"),  # not a community of 西塘镇
        org_row(6, 登记日期=""),
        org_row(7, **{"登记/备案": "备案"}),
    ]
    result = import_file(xlsx_bytes(table(rows)))
    errors = {(e["row"], e["column"]): e["message"] for e in result.errors}
    assert errors[(2, "统一社会信用代码")] == "登记的社会组织（社会团体、社会服务机构、基金会）必须填写统一社会信用代码。"
    assert errors[(3, "备案编号")] == "备案的社区社会组织必须填写备案编号。"
    assert errors[(4, "统一社会信用代码")] == "统一社会信用代码第2位应为“3”（与组织类型一致），实为“1”。"
    assert errors[(5, "社会组织名称")] == "此字段不能为空。"
    assert errors[(6, "村社区")] == "西塘镇下找不到村（社区）“魏塘社区”。"
    assert errors[(7, "登记日期")] == "新增的社会组织须填写登记日期（成立登记或备案的日期）。"
    assert errors[(8, "登记/备案")] == "组织类型为“社会团体”的社会组织应填“登记”。"
    assert Organization.objects.count() == 0


def test_rows_match_by_code_then_filing_number_then_name_within_the_town(county):
    by_code = registered_organization(town=county.xitang, name="旧名称协会")
    by_filing = registered_organization(town=county.xitang, legal_form=LegalForm.COMMUNITY_ORGANIZATION)
    by_name = OrganizationFactory(town=county.weitang, legal_form=LegalForm.COMMUNITY_ORGANIZATION,
                                  filing_number="", name="魏塘某某队")
    StatusEventFactory(organization=by_name, kind="filed", date=datetime.date(2015, 3, 2))
    rows = [
        org_row(1, 统一社会信用代码=by_code.credit_code, 社会组织名称="新名称协会", 登记日期="2020-01-01"),
        community_row(2, 备案编号=by_filing.filing_number, 社会组织名称="改名的队", 登记日期="2020-01-01"),
        community_row(3, 社会组织名称="魏塘某某队", 所属镇街="魏塘", 村社区="", 备案编号="嘉善备777777"),
    ]
    result = import_file(xlsx_bytes(table(rows)))
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 3)
    by_code.refresh_from_db(), by_filing.refresh_from_db(), by_name.refresh_from_db()
    assert by_code.name == "新名称协会"
    assert by_filing.name == "改名的队"
    assert by_name.filing_number == "嘉善备777777" and by_name.town == county.weitang


def test_an_empty_identifier_cell_does_not_clear_a_saved_one(county):
    org = registered_organization(town=county.xitang, name="嘉善县测试协会1")
    row = org_row(1, 统一社会信用代码="", 登记日期="2020-01-01")
    code_before = org.credit_code
    result = import_file(xlsx_bytes(table([row])))
    assert result.ok and result.updated == 1, result.errors
    org.refresh_from_db()
    assert org.credit_code == code_before and org.address == "西塘镇某路1号"


def test_a_status_that_disagrees_with_the_events_asks_for_the_event_instead(county):
    org = registered_organization(town=county.xitang, name="嘉善县测试协会1", on=datetime.date(2015, 3, 2))
    before = snapshot()
    row = org_row(1, 统一社会信用代码=org.credit_code, 登记状态="已注销")
    result = import_file(xlsx_bytes(table([row])))
    assert snapshot() == before
    [error] = result.errors
    assert error["column"] == "登记状态"
    assert "当前为“正常（登记）”" in error["message"] and "登记备案事项" in error["message"]


def test_a_deregistered_organization_exported_as_such_imports_unchanged(county):
    org = registered_organization(town=county.xitang, name="嘉善县测试协会1", on=datetime.date(2015, 3, 2))
    StatusEventFactory(organization=org, kind="deregistered", date=datetime.date(2021, 6, 1))
    row = org_row(1, 统一社会信用代码=org.credit_code, 登记状态="已注销", 法定代表人=org.legal_representative,
                  联系电话=org.contact_phone, 业务主管单位="", 村社区="", 住所="", 业务范围="", 服务领域="",
                  成立日期="", 登记管理机关=org.registration_authority)
    result = import_file(xlsx_bytes(table([row])))
    assert result.ok and result.unchanged == 1, result.errors


def test_a_registration_date_unlike_the_saved_event_is_an_error(county):
    org = registered_organization(town=county.xitang, name="嘉善县测试协会1", on=datetime.date(2015, 3, 2))
    row = org_row(1, 统一社会信用代码=org.credit_code, 登记日期="2016-01-01")
    [error] = import_file(xlsx_bytes(table([row]))).errors
    assert error["column"] == "登记日期" and "2015-03-02" in error["message"]


def test_the_start_event_is_added_to_a_saved_organization_without_one(county):
    org = OrganizationFactory(town=county.xitang, name="嘉善县测试协会1")
    result = import_file(xlsx_bytes(table([org_row(1, 统一社会信用代码=org.credit_code)])))
    assert result.ok and result.updated == 1
    assert org.status_events.get().date == datetime.date(2015, 3, 2)


def test_short_forms_and_messy_cells_are_understood(county):
    row = org_row(1, 统一社会信用代码=" " + code("1", 1).lower(), 所属镇街="西塘", 组织类型=" 社会团体 ",
                  成立日期="2015年3月1日", 登记日期="2015/3/2", 服务领域="民生服务；社区治理",
                  业务主管单位="教育局", 联系电话="０５７３－００００００００")
    result = import_file(xlsx_bytes(table([row])))
    assert result.ok, result.errors
    org = Organization.objects.get()
    assert org.credit_code == code("1", 1) and org.town == county.xitang
    assert org.contact_phone == "0573-00000000"
    assert import_file(xlsx_bytes(table([org_row(1)]))).unchanged == 1


def test_town_staff_import_only_their_own_town(county, django_user_model):
    roles.ensure_role_groups()
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("xitang", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.TOWN_STAFF))
    StaffScope.objects.create(user=user, town=county.xitang)
    user = django_user_model.objects.get(pk=user.pk)
    rows = [org_row(1), org_row(2, 所属镇街="魏塘街道", 村社区="")]
    result = import_file(xlsx_bytes(table(rows)), user=user)
    assert [(e["row"], e["message"]) for e in result.errors] == [(3, "该社会组织不在您的管辖范围内，不能导入。")]
    assert Organization.objects.count() == 0


def test_a_foundation_account_cannot_import_organizations(county, django_user_model):
    from funds.factories import CommunityFoundationFactory

    user = django_user_model.objects.create_user("fund", password="x", is_staff=True)
    StaffScope.objects.create(user=user, foundation=CommunityFoundationFactory(area=county.xitang))
    result = import_file(xlsx_bytes(table([org_row(1)])), user=user)
    assert result.file_error == "您的管辖范围不包括“社会组织”，不能导入。"


# -- the command --

def write(tmp_path, rows, name="组织.xlsx"):
    path = tmp_path / name
    path.write_bytes(xlsx_bytes(table(rows)))
    return str(path)


def test_the_command_imports_with_a_progress_bar_and_attributes_the_user(county, admin, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_records", "--kind", "organizations", write(tmp_path, [org_row(1), org_row(2)]),
                 "--user", "registrar", stdout=out, stderr=err)
    assert "新增2" in out.getvalue()
    assert "2/2 行" in err.getvalue()
    run = ImportRun.objects.get()
    assert (run.source, run.user, run.committed) == ("command", admin, True)
    assert Organization.objects.count() == 2


def test_the_command_dry_run_writes_nothing(county, tmp_path):
    out = io.StringIO()
    call_command("import_records", "--kind", "organizations", write(tmp_path, [org_row(1)]), "--dry-run",
                 stdout=out, stderr=io.StringIO())
    assert "预览（未写入）" in out.getvalue() and "新增1" in out.getvalue()
    assert Organization.objects.count() == 0


def test_the_command_fails_and_writes_nothing_on_bad_rows(county, tmp_path):
    err = io.StringIO()
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_records", "--kind", "organizations",
                     write(tmp_path, [org_row(1), org_row(2, 所属镇街="凤凰镇")]),
                     stdout=io.StringIO(), stderr=err)
    assert "第3行【所属镇街】找不到镇街“凤凰镇”。" in err.getvalue()
    assert Organization.objects.count() == 0


def test_the_command_fails_on_a_bad_file_and_an_unknown_user(county, tmp_path):
    path = tmp_path / "组织.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="是空的"):
        call_command("import_records", "--kind", "organizations", str(path), stdout=io.StringIO(),
                     stderr=io.StringIO())
    with pytest.raises(CommandError, match="没有用户“nobody”"):
        call_command("import_records", "--kind", "organizations", str(path), "--user", "nobody")


def test_saved_text_that_only_differs_in_spacing_or_width_is_unchanged(county):
    org = registered_organization(town=county.xitang, name="嘉善县测试协会1", on=datetime.date(2015, 3, 2),
                                  address="西塘镇某路  1号", contact_phone="０５７３-00000000")
    row = org_row(1, 统一社会信用代码=org.credit_code, 住所="西塘镇某路 1号", 联系电话="0573-00000000",
                  业务主管单位="", 村社区="", 成立日期="", 业务范围="", 服务领域="",
                  法定代表人=org.legal_representative, 登记管理机关=org.registration_authority)
    result = import_file(xlsx_bytes(table([row])))
    assert result.unchanged == 1, result.errors
    org.refresh_from_db()
    assert org.address == "西塘镇某路  1号"  # the saved form is kept


def test_an_upgraded_organization_with_both_code_and_filing_number_is_one_match(county):
    org = registered_organization(town=county.xitang, name="嘉善县测试协会1", on=datetime.date(2015, 3, 2),
                                  filing_number="嘉善备000001")
    StatusEventFactory(organization=org, kind="filed", date=datetime.date(2012, 5, 1))
    StatusEvent.objects.filter(organization=org, kind="registered").update(kind="filed_to_registered")
    row = org_row(1, 统一社会信用代码=org.credit_code, 备案编号="嘉善备000001", 登记日期="2012-05-01")
    result = import_file(xlsx_bytes(table([row])))
    assert result.ok and result.updated == 1, result.errors
    assert Organization.objects.count() == 1


def test_a_code_of_one_organization_and_a_filing_number_of_another_is_an_error(county):
    first = registered_organization(town=county.xitang, name="嘉善县测试协会1")
    other = registered_organization(town=county.xitang, legal_form=LegalForm.COMMUNITY_ORGANIZATION)
    row = org_row(1, 统一社会信用代码=first.credit_code, 备案编号=other.filing_number)
    [error] = import_file(xlsx_bytes(table([row]))).errors
    assert (error["column"], error["message"]) == (
        "备案编号", f"该备案编号已被另一个社会组织“{other.name}”使用。")


def test_quotes_commas_backslashes_and_line_breaks_are_stored_as_written(county):
    name = '嘉善县"阳光",测试\\协会'
    row = org_row(1, 社会组织名称=name, 业务范围="第一行\n\\N", 住所="", 村社区="")
    assert import_file(xlsx_bytes(table([row]))).ok
    org = Organization.objects.get()
    assert (org.name, org.business_scope, org.address, org.village) == (name, "第一行\n\\N", "", None)
    assert ModelLogEntry.objects.get(object_id=str(org.pk), content_type__model="organization").label == name


def test_the_number_of_queries_does_not_grow_with_the_rows(county):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(rows):
        with CaptureQueriesContext(connection) as context:
            assert import_file(xlsx_bytes(table(rows))).ok
        return len(context)

    queries([org_row(100)])  # fills Django's content-type cache
    small = queries([org_row(n) for n in range(1, 4)])
    large = queries([org_row(n) for n in range(4, 64)])
    assert small == large
    again = queries([org_row(n) for n in range(4, 64)])  # all matched and unchanged
    assert again <= large
