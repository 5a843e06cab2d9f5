"""Whole files: what is refused before any row is read, and the encodings and cell types that are
accepted. A refused file leaves the register as it was."""

import codecs
import datetime

import pytest

from registry.columns import ORGANIZATION_HEADERS
from registry.factories import ServiceFieldFactory
from registry.models import LegalForm, Organization, StatusEvent
from website.importer.kinds import all_kinds
from website.importer.readers import ImportFileError
from website.models import ImportRun

from tests.import_support import (
    code, community_row, csv_bytes, import_file, make_county, org_row, snapshot, table, xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return make_county()


def refused(content, name, **kwargs):
    before = snapshot()
    result = import_file(content, name=name, **kwargs)
    assert not result.committed and result.file_error
    assert snapshot() == before
    run = ImportRun.objects.get(pk=result.run.pk)
    assert not run.committed and run.errors[0]["message"] == result.file_error
    return result.file_error


def test_a_file_over_the_size_limit_is_refused(county):
    content = xlsx_bytes(table([org_row(1)]))
    message = refused(content, "组织.xlsx", max_bytes=len(content) - 1)
    assert "超过了上限" in message and "拆分" in message


def test_the_size_limit_is_a_setting(county, settings):
    from website.importer.engine import max_upload_bytes

    assert max_upload_bytes() == 20 * 1024 * 1024
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    assert max_upload_bytes() == 1000


@pytest.mark.parametrize("content, name, expected", [
    (b"%PDF-1.4 not a spreadsheet", "组织.pdf", "不是可导入的表格文件"),
    (b"%PDF-1.4 not a spreadsheet", "组织.xlsx", "不是有效的Excel工作簿"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "组织.csv", "不是CSV文本"),
    (b"old excel", "组织.xls", "另存为"),
])
def test_a_file_that_is_not_a_spreadsheet_is_refused(county, content, name, expected):
    assert expected in refused(content, name)


def test_an_xlsx_renamed_to_csv_is_refused(county):
    assert "不是CSV文本" in refused(xlsx_bytes(table([org_row(1)])), "组织.csv")


def test_unknown_headers_are_refused_with_the_expected_headers_listed(county):
    rows = [["名称", "信用代码", "所属镇街"], ["嘉善县测试协会", "x", "西塘镇"]]
    message = refused(xlsx_bytes(rows), "组织.xlsx")
    assert "无法识别的列：名称、信用代码" in message
    assert "、".join(ORGANIZATION_HEADERS) in message


def test_a_missing_required_column_is_refused(county):
    headers = [h for h in ORGANIZATION_HEADERS if h != "所属镇街"]
    message = refused(xlsx_bytes(table([org_row(1)], headers)), "组织.xlsx")
    assert "缺少必需的列：所属镇街" in message


def test_a_file_of_another_kind_is_refused(county):
    rows = [["社会组织名称", "统一社会信用代码", "年度", "年检结论"], ["嘉善县测试协会1", "", 2021, "合格"]]
    assert "无法识别的列：年度、年检结论" in refused(xlsx_bytes(rows), "组织.xlsx")


@pytest.mark.parametrize("content, name, expected", [
    (b"", "组织.csv", "是空的"),
    (b"\r\n\r\n", "组织.csv", "是空的"),
    (codecs.BOM_UTF8, "组织.csv", "是空的"),
    (xlsx_bytes([]), "组织.xlsx", "是空的"),
    (csv_bytes([ORGANIZATION_HEADERS]), "组织.csv", "只有表头，没有数据行"),
    (xlsx_bytes([ORGANIZATION_HEADERS, [], []]), "组织.xlsx", "只有表头，没有数据行"),
])
def test_an_empty_file_is_refused(county, content, name, expected):
    assert expected in refused(content, name)


def test_a_gbk_csv_as_chinese_excel_writes_it(county):
    content = csv_bytes(table([org_row(1, 服务领域="民生服务；矛盾化解"), community_row(2)]), encoding="gbk")
    result = import_file(content, name="组织.csv")
    assert result.ok and result.created == 2
    org = Organization.objects.get(name="嘉善县测试协会1")
    assert org.town == county.xitang and org.village == county.village
    assert {f.name for f in org.service_fields.all()} == {"民生服务", "矛盾化解"}
    assert Organization.objects.filter(name="西塘社区测试志愿服务队2", filing_number="嘉善备000002").exists()


def test_a_gb18030_csv_with_service_fields_separated_as_bureaus_write_them(county):
    ServiceFieldFactory(code="elderly-care", name="养老服务")
    # U+3001, U+FF1B and U+FF0C, written as escapes: an editor that quietly made them ASCII
    # would otherwise leave this test passing while real files fail.
    cell = "民生服务\u3001社区治理\uFF1B矛盾化解\uFF0C养老服务"
    content = csv_bytes(table([org_row(1, 服务领域=cell)]), encoding="gb18030")
    assert cell.encode("gb18030") in content
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # really GB18030, as Chinese Excel saves it
    result = import_file(content, name="组织.csv")
    assert result.ok and result.created == 1, result.errors
    organization = Organization.objects.get()
    assert sorted(organization.service_fields.values_list("name", flat=True)) == sorted(
        ["民生服务", "社区治理", "矛盾化解", "养老服务"])


def test_headers_with_ascii_brackets_still_match_the_full_width_template():
    # The templates' headers are written with U+FF08/U+FF09 since the punctuation sweep;
    # spreadsheets made from the older templates have ASCII brackets.
    bracketed = [(kind, header) for kind in all_kinds() for header in kind.headers
                 if "\uFF08" in header]
    assert bracketed  # 金额（元）, 筹款目标（元）
    for kind, header in bracketed:
        written = header.replace("\uFF08", "(").replace("\uFF09", ")")
        others = [h for h in kind.headers if h != header]
        positions = kind.match_headers([written, *others])
        assert positions[header] == 0, (kind.name, written)
    # Bureaus also write the unit out, with brackets and colon of either width.
    services = next(kind for kind in all_kinds() if kind.name == "transferred_services")
    for written in ("金额\uFF08单位\uFF1A元\uFF09", "金额(单位:元)", "金额 (元)"):
        assert services.match_headers([written, "服务项目名称", "转移部门", "开始日期"])["金额\uFF08元\uFF09"] == 0
    # Another unit is another column: amounts in 万元 are never read as 元.
    with pytest.raises(ImportFileError, match="无法识别的列\uFF1A金额\uFF08万元\uFF09"):
        services.match_headers(["金额\uFF08万元\uFF09", "服务项目名称", "转移部门", "开始日期"])


def test_an_organization_written_with_ascii_brackets_and_labels(county):
    headers = [h if h != "法定代表人" else "法定代表人(负责人)" for h in ORGANIZATION_HEADERS]
    row = org_row(1, 组织类型="民办非企业单位(社会服务机构)", 统一社会信用代码=code("2", 1),
                  业务主管单位="业务主管单位\uFF1A嘉善县教育局", 所属镇街="所属镇街: 西塘镇",
                  服务领域="服务领域\uFF1A民生服务\uFF1B社区治理", 法定代表人="法定代表人\uFF1A测试人")
    rows = table([row])
    rows[0] = headers
    result = import_file(csv_bytes(rows, encoding="gb18030"), name="组织.csv")
    assert result.ok and result.created == 1, result.errors
    organization = Organization.objects.get()
    assert organization.legal_form == LegalForm.SOCIAL_SERVICE_INSTITUTION
    assert (organization.supervising_unit, organization.town) == (county.department, county.xitang)
    assert organization.legal_representative == "测试人"
    assert sorted(organization.service_fields.values_list("name", flat=True)) == ["民生服务", "社区治理"]


def test_a_utf8_csv_with_byte_order_mark(county):
    content = codecs.BOM_UTF8 + csv_bytes(table([org_row(1)]))
    result = import_file(content, name="组织.csv")
    assert result.ok and result.created == 1
    assert Organization.objects.get().name == "嘉善县测试协会1"


def test_a_utf8_csv_without_byte_order_mark_and_a_gb18030_one(county):
    assert import_file(csv_bytes(table([org_row(1)])), name="a.csv").created == 1
    assert import_file(csv_bytes(table([org_row(2)]), encoding="gb18030"), name="b.csv").created == 1


def test_an_xlsx_with_excel_date_serials_and_date_cells(county):
    row = org_row(1, 成立日期=42064, 登记日期=datetime.datetime(2015, 3, 2))
    headers = ORGANIZATION_HEADERS
    content = xlsx_bytes(table([row]), formats={(2, headers.index("登记日期") + 1): "yyyy/m/d"})
    result = import_file(content)
    assert result.ok
    org = Organization.objects.get()
    assert org.founded_on == datetime.date(2015, 3, 1)
    assert StatusEvent.objects.get(organization=org).date == datetime.date(2015, 3, 2)


def test_columns_in_another_order_with_blank_rows_and_header_variants(county):
    headers = list(reversed(ORGANIZATION_HEADERS))
    rows = table([org_row(1)], headers)
    rows[0][headers.index("法定代表人")] = " 法定代表人（负责人） "
    rows[0][headers.index("村社区")] = "村（社区）"
    content = xlsx_bytes([[], rows[0], [], rows[1], ["", None, " "]])
    result = import_file(content)
    assert result.ok and result.created == 1 and result.total_rows == 1
    assert Organization.objects.get().legal_representative == "测试人"


def test_a_csv_cell_with_line_breaks_stays_one_cell(county):
    rows = table([org_row(1, 业务范围="开展活动\n服务会员"), org_row(2, 所属镇街="凤凰镇")])
    result = import_file(csv_bytes(rows), name="组织.csv", commit=False)
    assert [(e["row"], e["column"]) for e in result.errors] == [(3, "所属镇街")]
    assert import_file(csv_bytes(rows[:2]), name="组织.csv").created == 1
    assert Organization.objects.get().business_scope == "开展活动\n服务会员"
