"""Admin listings sort names in pinyin order (安 an < 白 bai < 张 zhang), as the public directory
does: by default, by a column header, ascending and descending, through a foreign key too."""

import csv
import io

import pytest
from wagtail.test.utils import WagtailTestUtils

from incubator.factories import IncubationFactory
from incubator.models import Incubation
from registry.factories import OrganizationFactory, StatusEventFactory, TownFactory
from registry.models import Organization, StatusEvent
from registry.pinyin import sort_key
from tests.test_admin import admin_url, download

pytestmark = pytest.mark.django_db

# In code-point order 安 (U+5B89) < 张 (U+5F20) < 白 (U+767D): pinyin order differs.
NAMES = ["张家桥社区互助会", "安康志愿者协会", "白云书画协会"]
PINYIN = ["安康志愿者协会", "白云书画协会", "张家桥社区互助会"]


@pytest.fixture
def chief_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("chief", password="pw"))
    return client


@pytest.fixture
def organizations():
    town = TownFactory(name="西塘镇")
    return [OrganizationFactory(name=name, town=town) for name in NAMES]


def column_texts(client, model, column, **params):
    """The texts of one column (by its header's sort key) of a listing's rows, in order."""
    response = client.get(admin_url(model, "index_results"), params)
    assert response.status_code == 200
    table = WagtailTestUtils.get_soup(response.content.decode()).find("table")
    headers = table.find("thead").find_all("th")
    index = next(i for i, th in enumerate(headers)
                 if th.find("a", href=lambda h: h and f"ordering={column}" in h)
                 or th.find("a", href=lambda h: h and f"ordering=-{column}" in h))
    cells = [row.find_all("td")[index] for row in table.find("tbody").find_all("tr")]
    # A title cell holds the name as a link, followed by its action buttons.
    return [(cell.find("a") or cell).get_text(" ", strip=True) for cell in cells]


def test_the_pinyin_order_is_not_code_point_order():
    assert sorted(NAMES, key=sort_key) == PINYIN
    assert sorted(NAMES) != PINYIN


def test_the_organization_listing_is_in_pinyin_order_by_default(chief_client, organizations):
    assert column_texts(chief_client, Organization, "name") == PINYIN


def test_sorting_by_the_name_column_uses_pinyin_both_ways(chief_client, organizations):
    assert column_texts(chief_client, Organization, "name", ordering="name") == PINYIN
    assert column_texts(chief_client, Organization, "name", ordering="-name") == PINYIN[::-1]


def test_the_export_follows_the_same_order(chief_client, organizations):
    response = chief_client.get(admin_url(Organization, "index"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(download(response).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == PINYIN


def test_sorting_records_by_their_organization_uses_its_name_in_pinyin(
    chief_client, organizations
):
    for org in organizations:
        StatusEventFactory(organization=org)
    column = column_texts(chief_client, StatusEvent, "organization", ordering="organization")
    assert column == PINYIN
    column = column_texts(chief_client, StatusEvent, "organization", ordering="-organization")
    assert column == PINYIN[::-1]


def test_other_names_sort_by_pinyin_too(chief_client):
    for name in ["张家桥兴趣小组", "安康邻里队", "白云舞蹈队"]:
        IncubationFactory(group_name=name)
    column = column_texts(chief_client, Incubation, "group_name", ordering="group_name")
    assert column == ["安康邻里队", "白云舞蹈队", "张家桥兴趣小组"]
