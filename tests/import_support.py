"""Shared pieces of the bulk-import tests: spreadsheets built in memory and a small county."""

import csv
import io
from types import SimpleNamespace

import openpyxl

from registry import credit_code
from registry.columns import ORGANIZATION_HEADERS
from registry.factories import CountyFactory, DepartmentFactory, ServiceFieldFactory, TownFactory
from registry.models import Area, Organization, StatusEvent
from website.importer.engine import run_import
from website.importer.kinds import get_kind


def xlsx_bytes(rows, *, formats=None):
    """An .xlsx whose first sheet holds `rows`; `formats` {(row, col): number format}, 1-based."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for (row, col), number_format in (formats or {}).items():
        sheet.cell(row=row, column=col).number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, *, encoding="utf-8"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def table(dicts, headers=ORGANIZATION_HEADERS):
    """Rows of header -> value dicts as a list of lists under `headers`."""
    return [list(headers)] + [[d.get(h, "") for h in headers] for d in dicts]


def code(legal_form_code, n):
    return credit_code.make(legal_form_code=legal_form_code, division_code="330421", body=f"MJ{n:07d}")


def make_county():
    county = CountyFactory()
    xitang = TownFactory(parent=county, code="330421104", name="西塘镇", level=Area.Level.TOWN)
    weitang = TownFactory(parent=county, code="330421001", name="魏塘街道",
                          level=Area.Level.SUBDISTRICT)
    village = Area.objects.create(code="330421104201", name="西塘社区", level=Area.Level.COMMUNITY,
                                  parent=xitang)
    fields = [ServiceFieldFactory(code=c, name=n) for c, n in
              [("livelihood", "民生服务"), ("governance", "社区治理"), ("mediation", "矛盾化解")]]
    department = DepartmentFactory(name="嘉善县教育局", short_name="教育局")
    return SimpleNamespace(county=county, xitang=xitang, weitang=weitang, village=village,
                           fields=fields, department=department)


def org_row(n=1, **overrides):
    row = {
        "社会组织名称": f"嘉善县测试协会{n}",
        "统一社会信用代码": code("1", n),
        "备案编号": "",
        "登记/备案": "登记",
        "组织类型": "社会团体",
        "登记管理机关": "嘉善县民政局",
        "业务主管单位": "嘉善县教育局",
        "法定代表人": "测试人",
        "成立日期": "2015-03-01",
        "登记日期": "2015-03-02",
        "所属镇街": "西塘镇",
        "村社区": "西塘社区",
        "住所": "西塘镇某路1号",
        "业务范围": "开展活动",
        "服务领域": "民生服务、社区治理",
        "联系电话": "0573-00000000",
        "登记状态": "正常（登记）",
    }
    row.update(overrides)
    return row


def community_row(n=1, **overrides):
    return org_row(n, **{
        "社会组织名称": f"西塘社区测试志愿服务队{n}", "统一社会信用代码": "",
        "备案编号": f"嘉善备{n:06d}", "登记/备案": "备案", "组织类型": "社区社会组织",
        "业务主管单位": "", "登记状态": "正常（备案）", **overrides,
    })


def import_file(content, *, kind="organizations", name="组织.xlsx", commit=True, user=None, **kw):
    return run_import(kind=get_kind(kind), file_name=name, data=content, commit=commit, user=user, **kw)


def snapshot():
    """Everything an import may write, to compare before and after."""
    from wagtail.models import ModelLogEntry

    return (
        sorted(Organization.objects.values_list()),
        sorted(StatusEvent.objects.values_list()),
        sorted(Organization.service_fields.through.objects.values_list()),
        ModelLogEntry.objects.count(),
    )
