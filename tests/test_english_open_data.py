"""Open data from the English site (/en/): downloads with English headers and labels, the API's
labels and its OpenAPI document in English, English error and rate-limit messages. The keys,
codes and the Chinese downloads stay as they were; taxonomy names gain an `_en` twin."""

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.core.cache import cache

from registry.factories import (
    CountyFactory, DepartmentFactory, ServiceFieldFactory, StatusEventFactory, TownFactory,
    registered_organization,
)
from registry.models import LegalForm, Status, StatusEvent
from tests.english_support import english_url, han, in_chinese, in_english
from website.opendata.tables import ORGANIZATIONS

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    settings.OPEN_DATA_RATE_LIMIT = "1000/minute"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org(db):
    town = TownFactory(name="西塘镇", name_en="Xitang Town", parent=CountyFactory())
    field = ServiceFieldFactory(name="养老服务", name_en="Elderly care")
    department = DepartmentFactory(name="嘉善县民政局", name_en="Jiashan County Civil Affairs Bureau")
    org = registered_organization(name="西塘镇书画协会", town=town, supervising_unit=department,
                                  on=D(2015, 3, 2))
    org.service_fields.set([field])
    org.save()
    StatusEventFactory(organization=org, kind=StatusEvent.Kind.CHANGED, date=D(2018, 5, 1))
    return org


def body(response):
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response):
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def test_the_english_csv_has_english_headers_and_labels(client, org):
    header, row = csv_rows(client.get(english_url("/open-data/organizations.csv")))
    assert header == [in_english(column.header) for column in ORGANIZATIONS.columns]
    assert all(not han(text) for text in header), header
    values = dict(zip((column.key for column in ORGANIZATIONS.columns), row))
    assert values["legal_form"] == in_english(LegalForm.SOCIAL_GROUP.label)
    assert values["status"] == in_english(Status.REGISTERED.label)
    assert values["name"] == "西塘镇书画协会"  # data stays as written

    chinese_header, chinese_row = csv_rows(client.get("/open-data/organizations.csv"))
    assert chinese_header == [in_chinese(column.header) for column in ORGANIZATIONS.columns]
    assert chinese_header[0] == "社会组织名称"
    assert dict(zip(chinese_header, chinese_row))["组织类型"] == "社会团体"


def test_the_english_json_describes_itself_in_english_and_keeps_keys_and_codes(client, org):
    english = json.loads(body(client.get(english_url("/open-data/organizations.json"))))
    chinese = json.loads(body(client.get("/open-data/organizations.json")))
    for key in ("title", "description", "licence"):
        assert not han(english[key]), english[key]
    assert all(not han(c["header"]) for c in english["columns"])
    assert [c["key"] for c in english["columns"]] == [c["key"] for c in chinese["columns"]]
    (en_row,), (zh_row,) = english["results"], chinese["results"]
    assert set(en_row) == set(zh_row)
    assert en_row["legal_form_code"] == zh_row["legal_form_code"] == "social_group"
    assert zh_row["legal_form"] == "社会团体" and not han(en_row["legal_form"])
    assert en_row["town"] == zh_row["town"] == "西塘镇"
    assert en_row["town_en"] == zh_row["town_en"] == "Xitang Town"
    assert zh_row["supervising_unit_en"] == "Jiashan County Civil Affairs Bureau"
    assert zh_row["service_fields_en"] == ["Elderly care"]


def test_the_english_register_readme_and_files_are_english(client, org):
    archive = zipfile.ZipFile(io.BytesIO(body(client.get(english_url("/open-data/register.zip")))))
    readme = archive.read("README.txt").decode("utf-8")
    assert not han(readme), han(readme)[:20]
    for name in archive.namelist():
        if name.endswith(".csv"):
            header = next(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
            assert all(not han(text) for text in header), (name, header)


def test_the_api_gives_english_labels_with_the_same_codes(client, org):
    url = f"/api/v1/organizations/{org.credit_code}"
    english = client.get(english_url(url)).json()
    chinese = client.get(url).json()
    assert english["legal_form"] == in_english(LegalForm.SOCIAL_GROUP.label)
    assert chinese["legal_form"] == "社会团体"
    assert english["status_code"] == chinese["status_code"] == "registered"
    assert [e["kind"] for e in english["status_events"]] == [
        in_english(StatusEvent.Kind.REGISTERED.label), in_english(StatusEvent.Kind.CHANGED.label)]
    assert [e["kind_code"] for e in english["status_events"]] == ["registered", "changed"]
    assert english["town_en"] == "Xitang Town"


def _described(document):
    """Every summary, description and tag of an OpenAPI document, with where it is."""
    found = []

    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("summary", "description") and isinstance(value, str):
                    found.append((f"{where}.{key}", value))
                elif key == "tags":
                    found.extend((f"{where}.tags", tag) for tag in value)
                else:
                    walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for n, item in enumerate(node):
                walk(item, f"{where}[{n}]")

    walk(document, "")
    return found


def test_the_openapi_document_is_english_at_its_english_address(client, db):
    english = client.get(english_url("/api/v1/openapi.json")).json()
    chinese = client.get("/api/v1/openapi.json").json()
    assert not han(english["info"]["title"]) and not han(english["info"]["description"])
    untranslated = [(where, text) for where, text in _described(english) if han(text)]
    assert untranslated == []
    parameters = english["paths"]["/en/api/v1/organizations"]["get"]["parameters"]
    assert {p["name"] for p in parameters} >= {"q", "legal_form", "town", "status", "cursor"}
    legal_form = next(p for p in parameters if p["name"] == "legal_form")
    assert "social_group" in legal_form["description"]
    chinese_legal_form = next(p for p in chinese["paths"]["/api/v1/organizations"]["get"][
        "parameters"] if p["name"] == "legal_form")
    assert "社会团体" in chinese_legal_form["description"]


def test_errors_and_the_rate_limit_are_told_in_english(client, org, settings):
    bad = client.get(english_url("/api/v1/organizations"), {"legal_form": "bogus"})
    assert bad.status_code == 400 and not han(bad.json()["detail"]), bad.json()
    missing = client.get(english_url("/api/v1/organizations/NOSUCHCODE"))
    assert missing.status_code == 404 and not han(missing.json()["detail"])

    settings.OPEN_DATA_RATE_LIMIT = "1/minute"
    cache.clear()
    assert client.get(english_url("/api/v1/organizations")).status_code == 200
    limited = client.get(english_url("/api/v1/organizations"))
    assert limited.status_code == 429 and limited["Retry-After"]
    assert not han(limited.json()["detail"]), limited.json()
    download = client.get(english_url("/open-data/organizations.csv"))
    assert download.status_code == 429 and not han(download.content.decode())
    chinese = client.get("/open-data/organizations.csv")
    assert chinese.status_code == 429 and han(chinese.content.decode())
