"""Each kind besides organizations: a valid row is written (once: importing it again changes
nothing), an invalid one is reported on its row and column and stops the whole file."""

import datetime
from decimal import Decimal

import pytest
from wagtail.models import ModelLogEntry

from funds.factories import CommunityFoundationFactory, SpecialFundFactory
from funds.models import MoneyMovement, SpecialFund
from incubator.factories import IncubationCenterFactory
from incubator.models import Incubation
from registry.factories import registered_organization
from registry.models import (
    AnnualInspection, CreditListEntry, EvaluationGrade, LegalForm, StatusEvent, TransferredService,
)
from website.importer.kinds import get_kind
from website.models import ImportRun

from tests.import_support import import_file, make_county, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return make_county()


@pytest.fixture
def org(county):
    return registered_organization(town=county.xitang, name="嘉善县测试协会", on=datetime.date(2015, 3, 2))


def run(kind, rows, **kwargs):
    headers = list(rows[0])
    content = xlsx_bytes([headers] + [[row.get(h, "") for h in headers] for row in rows])
    return import_file(content, kind=kind, **kwargs)


def check(kind, valid, invalid, *, column, message):
    """The invalid row stops the file; the valid one alone is written once. Returns the record."""
    model = get_kind(kind).model
    count = model.objects.count()
    result = run(kind, [valid, invalid])
    assert not result.committed and model.objects.count() == count
    assert [(e["row"], e["column"]) for e in result.errors] == [(3, column)], result.errors
    assert message in result.errors[0]["message"]
    result = run(kind, [valid])
    assert (result.committed, result.created) == (True, 1), result.errors
    again = run(kind, [valid])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1), again.errors
    record = model.objects.latest("pk")
    assert ModelLogEntry.objects.filter(object_id=str(record.pk), action="wagtail.create").exists()
    return record


def test_status_events(org):
    valid = {"统一社会信用代码": org.credit_code, "社会组织名称": org.name, "事项": "注销登记",
             "生效日期": "2022/6/1", "文号": "嘉民〔2022〕1号"}
    invalid = {**valid, "事项": "撤销备案", "生效日期": "2021-07-01"}
    event = check("status_events", valid, invalid, column="事项",
                  message="2021-07-01时该组织状态为“正常（登记）”，不能录入“撤销备案”。")
    assert (event.kind, event.resulting_status, event.date) == (
        "deregistered", "deregistered", datetime.date(2022, 6, 1))
    registration = org.status_events.get(kind="registered")
    assert registration.ends_on == datetime.date(2022, 6, 1)  # status periods refreshed


def test_status_events_are_checked_against_earlier_rows_of_the_file(county, org):
    rows = [
        {"社会组织名称": org.name, "所属镇街": "西塘", "事项": "注销", "生效日期": "2022-06-01"},
        {"社会组织名称": org.name, "所属镇街": "西塘", "事项": "注销登记", "生效日期": "2022-08-01"},
    ]
    result = run("status_events", rows)
    assert [(e["row"], e["column"]) for e in result.errors] == [(3, "事项")]
    assert "状态为“已注销”" in result.errors[0]["message"]
    assert not StatusEvent.objects.filter(kind="deregistered").exists()


def test_annual_inspections(org):
    valid = {"统一社会信用代码": org.credit_code, "年度": "2021年度", "年检结论": "基本合格",
             "结论日期": "2022-05-10"}
    invalid = {**valid, "年度": 2020, "结论日期": "2020-05-10"}
    inspection = check("annual_inspections", valid, invalid, column="结论日期",
                       message="2020年度的年检结论日期应在2021年或之后。")
    assert (inspection.year, inspection.result) == (2021, "basically_passed")
    result = run("annual_inspections", [{**valid, "年检结论": "合格"}])
    assert result.updated == 1
    assert AnnualInspection.objects.get().result == "passed"
    # What the preview page lists: the record, and the choice by its label.
    assert ImportRun.objects.get(pk=result.run.pk).changes == [{
        "row": 2, "action": "changed", "record": f"{org.name} 2021年度 合格",
        "identifier": org.credit_code, "fields": [{"field": "年检结论", "old": "基本合格", "new": "合格"}],
    }]


def test_grades(org):
    valid = {"备案编号": "", "统一社会信用代码": org.credit_code, "评估等级": "AAAA",
             "评定日期": "2021-06-01", "有效期至": ""}
    invalid = {**valid, "评定日期": "2020-06-01", "有效期至": "2030-01-01"}
    grade = check("grades", valid, invalid, column="有效期至", message="有效期应至2025-05-31")
    assert (grade.grade, grade.valid_until) == (4, datetime.date(2026, 5, 31))
    assert EvaluationGrade.objects.count() == 1


def test_credit_list_entries(org):
    valid = {"统一社会信用代码": org.credit_code, "社会组织名称": org.name, "名录类别": "活动异常名录", "列入事由": "未按规定参加年检",
             "列入日期": "2021-07-01", "移出日期": ""}
    invalid = {**valid, "统一社会信用代码": "", "社会组织名称": "不存在的协会"}
    entry = check("credit_list", valid, invalid, column="社会组织名称",
                  message="找不到名为“不存在的协会”的社会组织。")
    assert (entry.list_kind, entry.removed_on) == ("abnormal_activity", None)
    run("credit_list", [{**valid, "移出日期": "2022-01-05", "移出事由": "已整改"}])
    assert CreditListEntry.objects.get().removed_on == datetime.date(2022, 1, 5)


def test_transferred_services(county, org):
    valid = {"服务项目名称": "社区矛盾调解服务", "转移部门": "教育局", "统一社会信用代码": org.credit_code,
             "服务领域": "矛盾化解、社区治理", "转移方式": "政府购买服务", "金额（元）": "120,000",
             "开始日期": "2022-01-01", "结束日期": "2022-12-31", "覆盖镇街": "西塘、魏塘"}
    invalid = {**valid, "服务项目名称": "另一个项目", "结束日期": "2021-12-31"}
    service = check("transferred_services", valid, invalid, column="结束日期",
                    message="结束日期（2021-12-31）不能早于开始日期（2022-01-01）。")
    assert service.amount == Decimal("120000") and service.department == county.department
    assert {f.name for f in service.service_fields.all()} == {"矛盾化解", "社区治理"}
    assert set(service.towns.all()) == {county.xitang, county.weitang}
    assert service.terminated_on is None and service.evaluation == "not_evaluated"
    assert service.state_on(datetime.date(2022, 6, 1)) == "in_progress"
    result = run("transferred_services", [{**valid, "覆盖镇街": "西塘镇", "绩效评价": "优秀"}])
    assert result.updated == 1
    [change] = ImportRun.objects.get(pk=result.run.pk).changes
    assert (change["record"], change["identifier"]) == ("社区矛盾调解服务", org.credit_code)
    assert sorted(change["fields"], key=lambda f: f["field"]) == [
        {"field": "绩效评价", "old": "未评估", "new": "优秀"},
        {"field": "覆盖镇街", "old": "魏塘街道\u3001西塘镇", "new": "西塘镇"},
    ]
    service = TransferredService.objects.get()
    assert list(service.towns.all()) == [county.xitang] and service.evaluation == "excellent"
    # Terminated early: the date is the column; the state follows from it.
    result = run("transferred_services", [{**valid, "提前终止日期": "2022-09-01"}])
    assert result.updated == 1
    service = TransferredService.objects.get()
    assert service.terminated_on == datetime.date(2022, 9, 1)
    assert service.state_on(datetime.date(2022, 9, 1)) == "terminated"
    late = run("transferred_services", [{**valid, "提前终止日期": "2023-01-05"}])
    assert not late.committed
    assert [(e["row"], e["column"]) for e in late.errors] == [(2, "提前终止日期")]
    assert late.errors[0]["message"] == (
        "提前终止日期\uff082023-01-05\uff09不能晚于结束日期\uff082022-12-31\uff09。")


def test_a_transferred_service_from_an_older_template(county, org):
    # ASCII brackets in the header (the template now says 金额（元）) and the multi-value cells
    # separated by U+FF1B and U+FF0C.
    row = {"服务项目名称": "社区矛盾调解服务", "转移部门": "教育局", "统一社会信用代码": org.credit_code,
           "服务领域": "矛盾化解\uFF0C社区治理", "金额(元)": "80,000", "开始日期": "2022-01-01",
           "转移方式": "政府购买服务", "覆盖镇街": "西塘\uFF1B魏塘"}
    result = run("transferred_services", [row])
    assert result.committed, result.errors
    service = TransferredService.objects.get()
    assert service.amount == Decimal("80000")
    assert {f.name for f in service.service_fields.all()} == {"矛盾化解", "社区治理"}
    assert set(service.towns.all()) == {county.xitang, county.weitang}


def test_incubations(county):
    center = IncubationCenterFactory(name="西塘镇社会组织培育发展中心", area=county.xitang)
    group = registered_organization(town=county.xitang, legal_form=LegalForm.COMMUNITY_ORGANIZATION)
    valid = {"培育中心": center.name, "孵化对象名称": "西塘银发互助队", "入驻日期": "2020-03-01",
             "出壳/退出日期": "2021-03-01", "孵化结果": "已备案", "备案编号": group.filing_number}
    invalid = {**valid, "孵化对象名称": "另一个队", "孵化结果": "孵化中"}
    incubation = check("incubations", valid, invalid, column="孵化结果",
                       message="已填写出壳/退出日期，孵化结果不能为“孵化中”。")
    assert (incubation.center, incubation.organization, incubation.outcome) == (center, group, "filed")
    assert Incubation.objects.count() == 1
    # 计划出壳日期 left out: the term from the start; given: as written.
    assert incubation.planned_end_on == datetime.date(2021, 3, 1)
    run("incubations", [{**valid, "计划出壳日期": "2021-06-30"}])
    assert Incubation.objects.get().planned_end_on == datetime.date(2021, 6, 30)
    early = run("incubations", [{**valid, "孵化对象名称": "早队", "计划出壳日期": "2019-12-31"}])
    assert [(e["row"], e["column"]) for e in early.errors] == [(2, "计划出壳日期")]
    assert early.errors[0]["message"] == (
        "计划出壳日期\uff082019-12-31\uff09不能早于入驻日期\uff082020-03-01\uff09。")


def test_special_funds(county):
    foundation = CommunityFoundationFactory(area=county.xitang)
    valid = {"所属基金会": foundation.organization.name, "专项基金名称": "西塘共同富裕专项基金",
             "主题": "共同富裕", "设立日期": "2021-03-01", "筹款目标（元）": "500000"}
    invalid = {**valid, "专项基金名称": "西塘乡村振兴专项基金", "主题": "振兴"}
    fund = check("special_funds", valid, invalid, column="主题", message="“振兴”不是有效的主题")
    assert (fund.host, fund.theme, fund.target_amount) == (foundation, "common_prosperity", Decimal("500000"))
    assert SpecialFund.objects.count() == 1


def test_money_movements(county, org):
    fund = SpecialFundFactory(host=CommunityFoundationFactory(area=county.xitang), name="助学专项基金")
    foundation_name = fund.host.organization.name
    valid = {"基金会": foundation_name, "专项基金": "助学专项基金", "类别": "资助支出", "日期": "2022-05-01",
             "金额（元）": 8000, "对方类型": "社会组织", "受资助社会组织": org.credit_code, "项目": "助学"}
    invalid = {**valid, "类别": "捐赠收入", "对方类型": "个人", "受资助社会组织": "", "对方单位": "",
               "个人捐赠者姓名": "张某某", "专项基金": "不存在的基金"}
    movement = check("money_movements", valid, invalid, column="专项基金", message="找不到专项基金“不存在的基金”")
    assert (movement.foundation, movement.special_fund, movement.grantee, movement.amount) == (
        fund.host, fund, org, Decimal("8000"))
    donation = {**invalid, "专项基金": "", "金额（元）": "1,000", "受资助社会组织": ""}
    result = run("money_movements", [donation])
    assert result.created == 1, result.errors
    assert MoneyMovement.objects.get(kind="donation_in").personal_donor_name == "张某某"


def test_foundation_staff_import_only_their_own_foundation(county, django_user_model):
    from django.contrib.auth.models import Group

    from website import roles
    from website.models import StaffScope

    roles.ensure_role_groups()
    own = SpecialFundFactory(host=CommunityFoundationFactory(area=county.xitang), name="本会基金")
    other = SpecialFundFactory(host=CommunityFoundationFactory(area=county.weitang), name="他会基金")
    user = django_user_model.objects.create_user("fund", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.FOUNDATION_STAFF))
    StaffScope.objects.create(user=user, foundation=own.host)
    user = django_user_model.objects.get(pk=user.pk)
    rows = [{"基金会": f.host.organization.name, "专项基金": f.name, "类别": "捐赠收入", "日期": "2022-05-01",
             "金额（元）": 100, "对方类型": "企业", "对方单位": "某公司"} for f in (own, other)]
    result = run("money_movements", rows, user=user)
    assert [(e["row"], e["message"]) for e in result.errors] == [(3, "该资金收支不在您的管辖范围内，不能导入。")]
    assert not MoneyMovement.objects.exists()
