"""Crafted URLs and query strings on the public site and the API: a NUL byte, a 2,000-character
value, integers no database column holds, junk page numbers and sorts, thousands of parameters.
Each is a 404 or the page's own clear message, never a 500, on SQLite and PostgreSQL alike."""

from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.test import Client

from funds.factories import SpecialFundFactory
from incubator.factories import IncubationFactory
from registry.factories import TownFactory, TransferredServiceFactory
from tests.directory_support import organization, text_of
from website.public_pages import ensure_public_pages

pytestmark = pytest.mark.django_db

NUL = "a\x00b"
LONG = "x" * 2000
TOO_BIG = "99999999999999999999"  # more than SQLite's and PostgreSQL's 64-bit integers hold
HOSTILE = [NUL, LONG, TOO_BIG, "-" + TOO_BIG, "1e5"]

# Every query parameter of every public list, as the pages and docs/open-data.md name them.
PARAMETERS = {
    "/organizations/": (
        "q legal_form kind town village field grade status credit_list year_from year_to "
        "services incubated as_of sort page"),
    "/services/": "field department town mode year state page",
    "/services/coverage/": "year",
    "/incubation/": "as_of",
    "/incubation/groups/": "as_of state center page",
    "/statistics/": "as_of",
    "/open-data/organizations.csv": "q town village field year_from as_of",
    "/api/v1/organizations": (
        "q legal_form kind town village field grade status credit_list year_from year_to "
        "services incubated as_of cursor page_size"),
    "/api/v1/services": "field department town mode year state cursor page_size",
    "/api/v1/incubation-centers": "level cursor page_size",
    "/api/v1/incubations": "center outcome cursor page_size",
    "/api/v1/special-funds": "foundation theme cursor page_size",
}


@pytest.fixture
def records():
    """A little of everything the public lists show, and the public pages."""
    ensure_public_pages()
    org = organization("嘉善县银发互助协会", town=TownFactory(code="330421001", name="罗星街道"))
    TransferredServiceFactory(organization=org)
    IncubationFactory()
    SpecialFundFactory()
    return org


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    settings.OPEN_DATA_RATE_LIMIT = "100000/minute"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client():
    # A 500 is a response here, as a visitor would see it, not an exception in the test.
    return Client(raise_request_exception=False)


def test_every_public_parameter_survives_hostile_values(client, records):
    failures = []
    for base, names in PARAMETERS.items():
        for name in names.split():
            for value in HOSTILE:
                response = client.get(f"{base}?{name}={quote(value)}")
                if response.status_code not in (200, 400, 404):
                    failures.append((base, name, value[:20], response.status_code))
    assert failures == []


def test_crafted_query_strings_are_answered(client, records):
    queries = [
        "page=" + "9" * 5000, "page=-1", "page=0", f"page={TOO_BIG}", "sort=%00' OR 1=1",
        "sort=" + LONG, "town=1&town=2&town=%00&q=a&q=b", "&".join(f"p{i}=1" for i in range(10_000)),
    ]
    for base in PARAMETERS:
        for query in queries:
            response = client.get(f"{base}?{query}")
            assert response.status_code in (200, 400), (base, query[:40], response.status_code)


IDENTIFIER_URLS = [
    "/organizations/{}/", "/organizations/{}/profile.pdf", "/api/v1/organizations/{}",
    "/incubation/{}/", "/funds/foundations/{}/", "/funds/special-funds/{}/",
    "/api/v1/services/{}", "/api/v1/incubation-centers/{}", "/api/v1/foundations/{}",
    "/api/v1/special-funds/{}", "/api/v1/special-funds/{}/grants", "/summaries/{}/download/",
    "/open-data/register/{}.csv",
]


def test_a_hostile_identifier_is_not_found(client, records):
    for identifier in [NUL, "\x00", LONG, TOO_BIG, "-1", "a b", "%"]:
        for url in IDENTIFIER_URLS:
            response = client.get(url.format(quote(identifier, safe="")), follow=True)
            assert response.status_code == 404, (url, identifier[:20], response.status_code)


def test_a_record_page_reports_a_hostile_as_of(client, records):
    code = records.credit_code
    for value in (NUL, LONG, TOO_BIG):
        response = client.get(f"/organizations/{code}/?as_of={quote(value)}")
        assert response.status_code == 200 and "嘉善县银发互助协会" in text_of(response)
        response = client.get(f"/api/v1/organizations/{code}?as_of={quote(value)}")
        assert response.status_code == 400 and "无法识别" in response.json()["detail"]


# --- the API's integer parameters ---------------------------------------------------------------

API_INTEGERS = [
    ("/api/v1/incubations", "center"),
    ("/api/v1/special-funds", "foundation"),
    ("/api/v1/organizations", "page_size"),
]


def test_an_integer_parameter_out_of_range_is_a_clear_400(client, records):
    for url, name in API_INTEGERS:
        for value in [TOO_BIG, "-" + TOO_BIG, "1e5", "abc", "-1", "0", "1.5"]:
            response = client.get(url, {name: value})
            assert response.status_code == 400, (url, value, response.status_code)
            detail = response.json()["detail"]
            assert "参数有误" in detail and name in detail


def test_the_largest_id_a_database_holds_matches_nothing(client, records):
    for url, name in API_INTEGERS[:2]:
        response = client.get(url, {name: str(2**63 - 1)})
        assert response.status_code == 200 and response.json()["results"] == []


# --- the profile PDF without its font -----------------------------------------------------------

def test_the_profile_pdf_without_the_cjk_font_says_what_to_install(
        client, records, tmp_path, monkeypatch):
    # fontconfig reading an empty configuration finds no font at all, as on a bare machine.
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?><fontconfig></fontconfig>')
    monkeypatch.setenv("FONTCONFIG_FILE", str(empty))
    response = client.get(f"/organizations/{records.credit_code}/profile.pdf")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    # The annual summary's message (website.summaries.fonts), word for word.
    assert "未安装中文字体" in text_of(response) and "fonts-noto-cjk" in text_of(response)
