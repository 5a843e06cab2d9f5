"""Open-data downloads: any directory query as CSV, XLSX and JSON, and the whole register."""

import csv
import datetime
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import QueryDict, StreamingHttpResponse
from django.utils import timezone
from openpyxl import load_workbook

from funds.factories import CommunityFoundationFactory, MoneyMovementFactory, SpecialFundFactory
from funds.models import MoneyMovement
from incubator.factories import IncubationFactory
from registry.factories import (
    AnnualInspectionFactory, CreditListEntryFactory, EvaluationGradeFactory, ServiceFieldFactory,
    StatusEventFactory, TownFactory, TransferredServiceFactory, registered_organization,
)
from registry.filters import OrganizationFilterSet
from registry.models import LegalForm, Organization, StatusEvent
from website.opendata.ratelimit import parse_rate
from website.opendata.tables import REGISTER
from website.public_pages import ensure_public_pages

pytestmark = pytest.mark.django_db

# Distinctive private values: none may appear in any download or API response.
PRIVATE_VALUES = [
    "PRIVATE-PHONE-0573-99887766",
    "PRIVATE-NOTE-ORGANIZATION",
    "PRIVATE-NOTE-STATUS-EVENT",
    "PRIVATE-NOTE-INCUBATION",
    "PRIVATE-NOTE-MONEY",
    "私密捐赠人王某某",
    "PRIVATE-RECEIPT-20220501",
]

FORMULA_NAMES = ['=HYPERLINK("http://example.com","点我")', "+8613800000000", "-1", "@SUM(A1:A9)"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    settings.OPEN_DATA_RATE_LIMIT = "1000/minute"
    settings.OPEN_DATA_REGISTER_RATE_LIMIT = "1000/minute"
    cache.clear()
    yield
    cache.clear()


def private(org):
    org.contact_phone = PRIVATE_VALUES[0]
    org.internal_note = PRIVATE_VALUES[1]
    org.save()
    return org


def build_register():
    """A small register touching every table, each record carrying private values."""
    town_a, town_b = TownFactory(name="甲镇"), TownFactory(name="乙街道")
    field = ServiceFieldFactory(code="elderly", name="养老服务")
    silver = private(registered_organization(
        name="嘉善县银发互助协会", town=town_a, initial_funds=Decimal("30000.00"),
        on=datetime.date(2015, 3, 2)))
    silver.service_fields.add(field)
    silver.save()  # a parental many-to-many is written on save
    StatusEventFactory(organization=silver, kind=StatusEvent.Kind.CHANGED,
                       date=datetime.date(2018, 1, 5), internal_note=PRIVATE_VALUES[2])
    AnnualInspectionFactory(organization=silver, year=2021)
    EvaluationGradeFactory(
        organization=silver, awarded_on=timezone.localdate() - datetime.timedelta(days=30))
    CreditListEntryFactory(organization=silver)
    TransferredServiceFactory(organization=silver, service_fields=[field])
    filed = private(registered_organization(
        name="甲镇广场舞队", legal_form=LegalForm.COMMUNITY_ORGANIZATION, town=town_a,
        on=datetime.date(2019, 6, 1)))
    IncubationFactory(organization=filed, outcome="filed", ended_on=datetime.date(2019, 6, 1),
                      internal_note=PRIVATE_VALUES[3])
    other = private(registered_organization(name="乙街道志愿者协会", town=town_b))
    foundation = CommunityFoundationFactory(area=town_b)
    private(foundation.organization)
    fund = SpecialFundFactory(host=foundation, name="共同富裕专项基金")
    MoneyMovementFactory(
        special_fund=fund, counterparty_kind=MoneyMovement.CounterpartyKind.INDIVIDUAL,
        counterparty="", personal_donor_name=PRIVATE_VALUES[5], receipt_number=PRIVATE_VALUES[6],
        internal_note=PRIVATE_VALUES[4], amount=Decimal("5000.00"))
    MoneyMovementFactory(
        special_fund=fund, kind=MoneyMovement.Kind.GRANT_OUT, grantee=other,
        counterparty="乙街道志愿者协会", amount=Decimal("1200.50"), project="助老服务",
        receipt_number=PRIVATE_VALUES[6], internal_note=PRIVATE_VALUES[4])
    return {"silver": silver, "filed": filed, "other": other, "town_a": town_a, "fund": fund,
            "foundation": foundation}


def body(response):
    if isinstance(response, StreamingHttpResponse) or response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response):
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(body(response)), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def json_results(response):
    return json.loads(body(response))["results"]


def assert_no_private_value(text):
    for value in PRIVATE_VALUES:
        assert value not in text, f"private value {value!r} leaked"


# --- filtered downloads ----------------------------------------------------------------------

@pytest.mark.parametrize(
    "query", ["town={town}", "kind=registered&town={town}", "q=互助", "kind=filed"])
def test_each_format_holds_exactly_the_filtered_organizations(client, query):
    records = build_register()
    query = query.format(town=records["town_a"].code)
    # What the directory itself selects for this query, by its own FilterSet.
    filterset = OrganizationFilterSet(QueryDict(query), queryset=Organization.objects.all())
    assert filterset.is_valid()
    expected = sorted(filterset.qs.values_list("name", flat=True))
    assert expected and len(expected) < Organization.objects.count()

    rows = csv_rows(client.get(f"/open-data/organizations.csv?{query}"))
    assert rows[0][0] == "社会组织名称"
    assert sorted(row[0] for row in rows[1:]) == expected

    sheet = xlsx_rows(client.get(f"/open-data/organizations.xlsx?{query}"))
    assert sheet[0][0] == "社会组织名称"
    assert sorted(row[0] for row in sheet[1:]) == expected

    results = json_results(client.get(f"/open-data/organizations.json?{query}"))
    assert sorted(r["name"] for r in results) == expected


def test_csv_download_streams_with_a_chinese_file_name(client):
    build_register()
    response = client.get("/open-data/organizations.csv")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert isinstance(client.get("/open-data/organizations.json"), StreamingHttpResponse)


def test_columns_are_public_names_labels_and_iso_dates(client):
    records = build_register()
    rows = csv_rows(client.get("/open-data/organizations.csv?q=银发互助"))
    header, row = rows[0], dict(zip(rows[0], rows[1]))
    assert "联系电话" not in header and "内部备注" not in header
    assert row["组织类型"] == "社会团体"
    assert row["所属镇街"] == "甲镇"
    assert row["服务领域"] == "养老服务"
    assert row["当前状态"] == "正常（登记）"
    assert row["登记（备案）日期"] == "2015-03-02"
    assert row["当前评估等级"] == "4A"
    assert row["开办资金（元）"] == "30000.00"
    assert row["公示页面"].endswith(f"/organizations/{records['silver'].credit_code}/")

    result = json_results(client.get("/open-data/organizations.json?q=银发互助"))[0]
    assert result["legal_form"] == "社会团体" and result["legal_form_code"] == "social_group"
    assert result["town_code"] == records["town_a"].code
    assert result["service_fields"] == ["养老服务"]
    assert result["initial_funds"] == 30000
    assert result["registered_on"] == "2015-03-02"


def test_formula_text_is_neutralized_and_numbers_stay_numbers(client):
    town = TownFactory()
    for name in FORMULA_NAMES:
        registered_organization(name=name, town=town, initial_funds=Decimal("-5.00"))

    rows = csv_rows(client.get("/open-data/organizations.csv"))
    names = {row[0] for row in rows[1:]}
    assert names == {"'" + name for name in FORMULA_NAMES}
    funds_column = rows[0].index("开办资金（元）")
    assert {row[funds_column] for row in rows[1:]} == {"-5.00"}

    sheet = xlsx_rows(client.get("/open-data/organizations.xlsx"))
    assert {row[0] for row in sheet[1:]} == {"'" + name for name in FORMULA_NAMES}
    funds_column = sheet[0].index("开办资金（元）")
    assert {row[funds_column] for row in sheet[1:]} == {-5}
    # No cell of the workbook is a formula.
    workbook = load_workbook(io.BytesIO(body(client.get("/open-data/organizations.xlsx"))))
    assert all(cell.data_type != "f" for row in workbook.active.iter_rows() for cell in row)

    # JSON is data, not a spreadsheet: the names come back as they are.
    assert {r["name"] for r in json_results(client.get("/open-data/organizations.json"))} == set(
        FORMULA_NAMES)


def test_register_files_neutralize_formulas_too(client):
    registered_organization(name="=1+1", town=TownFactory())
    archive = zipfile.ZipFile(io.BytesIO(body(client.get("/open-data/register.zip"))))
    text = archive.read("organizations.csv").decode("utf-8-sig")
    assert "'=1+1" in text


@pytest.mark.parametrize("query", [
    "legal_form=nonsense", "grade=9", "status=sleeping", "year_from=abc",
    "q=" + "互" * 5000, "year_from=2020&year_to=2010",
])
def test_bad_parameters_get_a_chinese_400_not_a_500(client, query):
    build_register()
    for extension in ("csv", "xlsx", "json"):
        response = client.get(f"/open-data/organizations.{extension}?{query}")
        assert response.status_code == 400
        assert "查询参数有误" in response.content.decode()


@pytest.mark.parametrize("query", ["town=000000", "field=unknown-code", "page=1000000000",
                                   "sort=-grade", "unknown=1"])
def test_unknown_values_never_give_a_500(client, query):
    build_register()
    response = client.get(f"/open-data/organizations.csv?{query}")
    assert response.status_code in (200, 400)


def test_xlsx_beyond_excel_rows_is_refused_pointing_to_csv(client, monkeypatch):
    build_register()
    monkeypatch.setattr("website.opendata.views.XLSX_MAX_ROWS", 2)
    response = client.get("/open-data/organizations.xlsx?kind=registered")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Excel" in text and "/open-data/organizations.csv?kind=registered" in text


# --- the whole register ------------------------------------------------------------------------

def test_register_zip_has_every_table_and_a_readme(client):
    records = build_register()
    response = client.get("/open-data/register.zip")
    assert isinstance(response, StreamingHttpResponse)
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    assert archive.testzip() is None
    names = set(archive.namelist())
    assert names == {"README.txt"} | {f"{table.name}.csv" for table in REGISTER}
    readme = archive.read("README.txt").decode("utf-8")
    for table in REGISTER:
        assert f"{table.name}.csv" in readme

    def table(name):
        return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))

    assert len(table("organizations.csv")) == Organization.objects.count()
    events = table("status_events.csv")
    assert len(events) == StatusEvent.objects.count()
    assert {e["事项"] for e in events} >= {"成立登记", "备案", "变更登记（备案）"}
    grants = [m for m in table("money_movements.csv") if m["类别"] == "资助支出"]
    assert grants[0]["受资助社会组织"] == "乙街道志愿者协会"
    assert grants[0]["受资助社会组织统一社会信用代码/备案编号"] == records["other"].credit_code
    assert grants[0]["金额（元）"] == "1200.50"
    assert table("incubations.csv")[0]["孵化结果"] == "已备案"


def test_one_register_table_downloads_alone(client):
    build_register()
    rows = csv_rows(client.get("/open-data/register/special_funds.csv"))
    assert rows[1][rows[0].index("专项基金名称")] == "共同富裕专项基金"
    assert client.get("/open-data/register/auth_user.csv").status_code == 404


def test_no_private_value_in_any_download(client):
    build_register()
    texts = [
        body(client.get(f"/open-data/organizations.{ext}")).decode("utf-8")
        for ext in ("csv", "json")
    ]
    workbook = load_workbook(io.BytesIO(body(client.get("/open-data/organizations.xlsx"))))
    texts.append(" ".join(str(c.value) for row in workbook.active.iter_rows() for c in row))
    archive = zipfile.ZipFile(io.BytesIO(body(client.get("/open-data/register.zip"))))
    texts += [archive.read(name).decode("utf-8") for name in archive.namelist()]
    texts += [
        body(client.get(f"/open-data/register/{table.name}.csv")).decode("utf-8")
        for table in REGISTER
    ]
    for text in texts:
        assert_no_private_value(text)
    # The records with private values are in them all the same.
    assert "私密" not in texts[-1] and "嘉善县银发互助协会" in texts[0]


# --- rate limit --------------------------------------------------------------------------------

def test_downloads_answer_429_with_retry_after_past_the_limit(client, settings):
    build_register()
    settings.OPEN_DATA_RATE_LIMIT = "3/minute"
    for _ in range(3):
        assert client.get("/open-data/organizations.json").status_code == 200
    response = client.get("/open-data/organizations.csv")
    assert response.status_code == 429
    assert "请求过于频繁" in response.content.decode()
    assert 1 <= int(response["Retry-After"]) <= 60
    # Another client is not affected.
    assert client.get("/open-data/organizations.csv", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_register_downloads_have_their_own_lower_limit(client, settings):
    settings.OPEN_DATA_REGISTER_RATE_LIMIT = "1/hour"
    assert client.get("/open-data/register.zip").status_code == 200
    response = client.get("/open-data/register/areas.csv")
    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 3600
    # The query downloads are counted separately.
    assert client.get("/open-data/organizations.csv").status_code == 200


# --- the open-data page ------------------------------------------------------------------------

def test_open_data_page_lists_downloads_fields_licence_and_api(client):
    ensure_public_pages()
    response = client.get("/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    for link in ("/open-data/organizations.csv", "/open-data/organizations.xlsx",
                 "/open-data/organizations.json", "/open-data/register.zip",
                 "/open-data/register/money_movements.csv", "/api/v1/openapi.json",
                 "/api/v1/organizations/{identifier}", "/api/v1/special-funds/{fund_id}/grants"):
        assert link in html
    assert "许可" in html and "1,048,576" in html and "社会组织名称" in html
    assert "cdn" not in html.lower()
    assert client.get("/api/v1/docs").url.endswith("/open-data/#api")


@pytest.mark.parametrize("organizations", [0, 30])
def test_open_data_page_queries_do_not_grow_with_records(client, django_assert_max_num_queries,
                                                         organizations):
    ensure_public_pages()
    town = TownFactory()
    for n in range(organizations):
        registered_organization(name=f"测试协会{n}", town=town)
    with django_assert_max_num_queries(15):
        assert client.get("/open-data/").status_code == 200


def test_behind_a_proxy_each_client_is_counted_and_cannot_spoof(client, settings):
    settings.OPEN_DATA_RATE_LIMIT = "1/minute"
    settings.OPEN_DATA_TRUSTED_PROXIES = 1
    url = "/open-data/organizations.json"
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    assert client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 200
    assert client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 429
    # An entry the client writes itself comes first; the proxy appends the real address last.
    spoofed = "198.51.100.9, 203.0.113.5"
    assert client.get(url, HTTP_X_FORWARDED_FOR=spoofed, **proxy).status_code == 429
    assert client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy).status_code == 200


@pytest.mark.parametrize("rate, expected", [
    ("120/minute", (120, 60)), ("10/hour", (10, 3600)), ("5/s", (5, 1)), ("2/days", (2, 86400)),
])
def test_rates_read_as_count_per_period(rate, expected):
    assert parse_rate(rate) == expected


@pytest.mark.parametrize("rate", ["120", "0/minute", "ten/minute", "5/fortnight"])
def test_a_malformed_rate_setting_fails_loudly(rate):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(rate)
