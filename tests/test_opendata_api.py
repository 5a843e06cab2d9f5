"""The read-only JSON API under /api/v1/ and its OpenAPI document."""

import json

import pytest
from django.core.cache import cache
from django.http import QueryDict

from funds.models import MoneyMovement
from registry.factories import TownFactory, registered_organization
from registry.filters import OrganizationFilterSet
from registry.service_filters import TransferredServiceFilterSet
from registry.models import Organization
from tests.test_opendata_downloads import assert_no_private_value, build_register
from website.public_pages import ensure_public_pages

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    settings.OPEN_DATA_RATE_LIMIT = "1000/minute"
    cache.clear()
    yield
    cache.clear()


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def every_page(client, url):
    results = []
    while url:
        page = get_json(client, url)
        results += page["results"]
        url = page["next"]
    return results


def test_openapi_document_parses_and_lists_the_endpoints(client):
    document = json.loads(client.get("/api/v1/openapi.json").content)
    assert document["openapi"].startswith("3.")
    paths = set(document["paths"])
    assert {
        "/api/v1/organizations", "/api/v1/organizations/{identifier}", "/api/v1/services",
        "/api/v1/services/{service_id}", "/api/v1/incubation-centers",
        "/api/v1/incubation-centers/{center_id}", "/api/v1/incubations", "/api/v1/foundations",
        "/api/v1/foundations/{foundation_id}", "/api/v1/special-funds",
        "/api/v1/special-funds/{fund_id}", "/api/v1/special-funds/{fund_id}/grants",
    } <= paths
    assert all(set(operations) == {"get"} for operations in document["paths"].values())
    # The organization list documents the directory's own filters.
    listing = document["paths"]["/api/v1/organizations"]["get"]
    parameters = {p["name"] for p in listing["parameters"]}
    assert set(OrganizationFilterSet.base_filters) | {"cursor", "page_size"} <= parameters
    # The services list documents the services catalog's filters.
    listing = document["paths"]["/api/v1/services"]["get"]
    parameters = {p["name"] for p in listing["parameters"]}
    assert set(TransferredServiceFilterSet.base_filters) <= parameters
    # No private field is even described.
    text = json.dumps(document, ensure_ascii=False)
    for name in ("contact_phone", "internal_note", "personal_donor_name", "receipt_number"):
        assert name not in text


def test_the_docs_are_the_open_data_page_not_a_swagger_page_from_a_cdn(client):
    ensure_public_pages()
    for url in ("/api/v1/docs", "/api/v1/"):
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0].endswith("/open-data/#api")
        html = response.content.decode()
        assert "GET /api/v1/organizations" in html and "swagger" not in html.lower()


def test_organization_list_takes_the_directory_filters_and_pages_by_cursor(client):
    records = build_register()
    town = records["town_a"]
    for n in range(5):
        registered_organization(name=f"甲镇测试协会{n}", town=town)
    query = f"town={town.code}&kind=registered"
    filterset = OrganizationFilterSet(QueryDict(query), queryset=Organization.objects.all())
    expected = sorted(filterset.qs.values_list("name", flat=True))

    first = get_json(client, f"/api/v1/organizations?{query}&page_size=2")
    assert len(first["results"]) == 2 and first["next_cursor"]
    results = every_page(client, f"/api/v1/organizations?{query}&page_size=2")
    assert sorted(r["name"] for r in results) == expected
    assert len({r["id"] for r in results}) == len(results)


def test_organization_detail_by_credit_code_or_filing_number(client):
    records = build_register()
    silver = get_json(client, f"/api/v1/organizations/{records['silver'].credit_code}")
    assert silver["name"] == "嘉善县银发互助协会"
    assert silver["status_code"] == "registered" and silver["grade"] == "4A"
    assert [e["kind"] for e in silver["status_events"]] == ["成立登记", "变更登记（备案）"]
    assert len(silver["annual_inspections"]) == 1 and len(silver["credit_list_entries"]) == 1
    assert silver["transferred_services"][0]["service_fields"] == ["养老服务"]

    filed = get_json(client, f"/api/v1/organizations/{records['filed'].filing_number}")
    assert filed["incubations"][0]["outcome"] == "已备案"

    other = get_json(client, f"/api/v1/organizations/{records['other'].credit_code}")
    assert other["grants_received"][0]["amount"] == 1200.5

    assert get_json(client, "/api/v1/organizations/NOPE", status=404)["detail"] == "未找到该记录。"


def test_funds_services_and_incubation_endpoints(client):
    records = build_register()
    fund, foundation = records["fund"], records["foundation"]
    detail = get_json(client, f"/api/v1/special-funds/{fund.pk}")
    assert detail["name"] == "共同富裕专项基金"
    money = {row["year"]: row for row in detail["money_by_year"]}
    assert money[2022]["money_in"] == 5000 and money[2022]["money_out"] == 1200.5
    grants = every_page(client, f"/api/v1/special-funds/{fund.pk}/grants")
    assert [g["grantee"] for g in grants] == ["乙街道志愿者协会"]
    assert all(g["kind_code"] == MoneyMovement.Kind.GRANT_OUT for g in grants)

    hub = get_json(client, f"/api/v1/foundations/{foundation.pk}")
    assert [f["name"] for f in hub["special_funds"]] == ["共同富裕专项基金"]
    assert len(every_page(client, "/api/v1/foundations")) == 1
    assert len(every_page(client, f"/api/v1/special-funds?foundation={foundation.pk}")) == 1
    assert every_page(client, "/api/v1/special-funds?theme=education") == []

    services = every_page(client, "/api/v1/services?field=elderly&year=2022")
    assert [s["organization"] for s in services] == ["嘉善县银发互助协会"]
    assert every_page(client, "/api/v1/services?year=2030") == []
    assert get_json(client, f"/api/v1/services/{services[0]['id']}")["mode"] == "政府购买服务"

    incubations = every_page(client, "/api/v1/incubations?outcome=filed")
    assert [i["organization"] for i in incubations] == ["甲镇广场舞队"]
    assert get_json(client, "/api/v1/incubation-centers/999999", status=404)["detail"]
    centers = every_page(client, "/api/v1/incubation-centers")
    assert get_json(client, f"/api/v1/incubation-centers/{centers[0]['id']}")["level"]


def test_no_private_value_in_any_api_response(client):
    records = build_register()
    urls = [
        "/api/v1/organizations", "/api/v1/services", "/api/v1/incubation-centers",
        "/api/v1/incubations", "/api/v1/foundations", "/api/v1/special-funds",
        f"/api/v1/special-funds/{records['fund'].pk}",
        f"/api/v1/special-funds/{records['fund'].pk}/grants",
        f"/api/v1/foundations/{records['foundation'].pk}",
        "/api/v1/openapi.json",
    ] + [
        f"/api/v1/organizations/{org.public_identifier}" for org in Organization.objects.all()
    ]
    for url in urls:
        assert_no_private_value(client.get(url).content.decode())


@pytest.mark.parametrize("url", [
    "/api/v1/organizations?legal_form=nonsense",
    "/api/v1/organizations?grade=9",
    "/api/v1/organizations?q=" + "互" * 5000,
    "/api/v1/organizations?page_size=0",
    "/api/v1/organizations?page_size=100000",
    "/api/v1/organizations?page_size=abc",
    "/api/v1/organizations?cursor=not-a-cursor",
    "/api/v1/services?year=abc",
    "/api/v1/services?mode=bribery",
    "/api/v1/services?department=x",
    "/api/v1/incubations?center=x",
    "/api/v1/special-funds?theme=gold",
])
def test_bad_parameters_give_a_chinese_400(client, url):
    build_register()
    body = get_json(client, url, status=400)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"])


@pytest.mark.parametrize("url", [
    "/api/v1/organizations?town=000000", "/api/v1/organizations?unknown=1",
    "/api/v1/organizations?page=1000000000", "/api/v1/organizations/" + "x" * 300,
    "/api/v1/services?field=nothing&town=000", "/api/v1/special-funds/999999",
    "/api/v1/special-funds/999999/grants", "/api/v1/foundations/999999",
    "/api/v1/services/999999", "/api/v1/organizations/%E4%BA%92",
])
def test_odd_requests_never_give_a_500(client, url):
    build_register()
    assert client.get(url).status_code in (200, 400, 404)


def test_api_answers_429_with_retry_after_past_the_limit(client, settings):
    registered_organization(name="测试协会", town=TownFactory())
    settings.OPEN_DATA_RATE_LIMIT = "2/minute"
    assert client.get("/api/v1/organizations").status_code == 200
    assert client.get("/api/v1/foundations").status_code == 200
    response = client.get("/api/v1/organizations")
    assert response.status_code == 429
    assert "请求过于频繁" in response.json()["detail"]
    assert 1 <= int(response["Retry-After"]) <= 60
    # Downloads share the same per-client allowance.
    assert client.get("/open-data/organizations.csv").status_code == 429


@pytest.mark.parametrize("extra", [0, 40])
def test_queries_do_not_grow_with_the_number_of_records(client, django_assert_max_num_queries,
                                                        extra):
    records = build_register()
    for n in range(extra):
        org = registered_organization(name=f"甲镇测试协会{n}", town=records["town_a"])
        org.former_names.create(name=f"曾用名{n}")
    silver = records["silver"].credit_code
    with django_assert_max_num_queries(10):
        every_page(client, "/api/v1/organizations?page_size=200")
    with django_assert_max_num_queries(10):
        b"".join(client.get("/open-data/organizations.csv?kind=registered").streaming_content)
    with django_assert_max_num_queries(10):
        b"".join(client.get("/open-data/organizations.json").streaming_content)
    with django_assert_max_num_queries(25):
        get_json(client, f"/api/v1/organizations/{silver}")
