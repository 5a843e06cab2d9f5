"""The organization chooser: staff find an organization by part of its name, a former name, its
credit code or its filing number, on SQLite and PostgreSQL, within their scope, in pinyin order."""

import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils import WagtailTestUtils

from funds.models import CommunityFoundation, MoneyMovement
from incubator.models import Incubation
from registry.factories import OrganizationFactory, TownFactory
from registry.models import (
    AnnualInspection, CreditListEntry, EvaluationGrade, LegalForm, Organization, StatusEvent,
    TransferredService,
)
from registry.pinyin import sort_key
from tests.test_admin import admin_url
from website import roles
from website.models import StaffScope

pytestmark = pytest.mark.django_db


def chooser_url(view="choose_results"):
    reverse("wagtailadmin_home")
    return reverse(Organization.snippet_viewset.chooser_viewset.get_url_name(view))


def chosen_names(client, **params):
    """The organization names of the chooser's result rows, in order."""
    response = client.get(chooser_url(), params)
    assert response.status_code == 200
    soup = WagtailTestUtils.get_soup(response.content.decode())
    table = soup.find("table")
    if table is None:
        return []
    return [row.find("td").get_text(" ", strip=True) for row in table.find("tbody").find_all("tr")]


@pytest.fixture
def chief_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("chief", password="pw"))
    return client


@pytest.fixture
def orgs():
    xitang, luoxing = TownFactory(name="西塘镇"), TownFactory(name="罗星街道")
    silver = OrganizationFactory(name="嘉善县银发互助协会", town=luoxing)
    silver.former_names.create(name="嘉善县老年人联谊会")
    silver.save()  # a cluster's child rows are written with their parent
    return {
        "silver": silver,
        "calligraphy": OrganizationFactory(name="西塘镇书画协会", town=xitang),
        "dance": OrganizationFactory(name="西塘镇广场舞队", town=xitang,
                                     legal_form=LegalForm.COMMUNITY_ORGANIZATION),
        "neighbours": OrganizationFactory(name="罗星街道邻里互助会", town=luoxing),
        "xitang": xitang,
    }


def test_the_chooser_has_a_search_box(chief_client, orgs):
    response = chief_client.get(chooser_url("choose"))
    assert response.status_code == 200
    html = response.json()["html"]
    field = WagtailTestUtils.get_soup(html).find("input", attrs={"name": "q"})
    assert field is not None and field["id"] == "id_q"  # Wagtail's modal searches as one types
    assert "统一社会信用代码" in field["placeholder"]


def test_a_chinese_substring_finds_names_containing_it(chief_client, orgs):
    assert set(chosen_names(chief_client, q="互助")) == {"嘉善县银发互助协会", "罗星街道邻里互助会"}
    assert chosen_names(chief_client, q="银发互助") == ["嘉善县银发互助协会"]
    assert chosen_names(chief_client, q="书") == ["西塘镇书画协会"]


def test_a_former_name_finds_the_organization(chief_client, orgs):
    assert chosen_names(chief_client, q="老年人联谊") == ["嘉善县银发互助协会"]


def test_a_credit_code_finds_its_organization_however_typed(chief_client, orgs):
    code = orgs["silver"].credit_code
    assert chosen_names(chief_client, q=code) == ["嘉善县银发互助协会"]
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())
    assert unicodedata.normalize("NFKC", full_width) == code.lower()
    assert chosen_names(chief_client, q=full_width) == ["嘉善县银发互助协会"]


def test_a_filing_number_finds_its_organization(chief_client, orgs):
    assert orgs["dance"].filing_number
    assert chosen_names(chief_client, q=orgs["dance"].filing_number) == ["西塘镇广场舞队"]


def test_rows_show_the_identifier_and_town(chief_client, orgs):
    response = chief_client.get(chooser_url(), {"q": "广场舞"})
    text = WagtailTestUtils.get_soup(response.content.decode()).find("table").get_text(" ")
    assert orgs["dance"].filing_number in text and "西塘镇" in text


def test_rows_come_in_pinyin_order(chief_client, orgs):
    names = chosen_names(chief_client)
    assert len(names) == 4
    assert names == sorted(names, key=sort_key)
    # Pinyin order is not code-point order here: 嘉 (jia) < 罗 (luo) < 西 (xi).
    assert names != sorted(names)
    assert chosen_names(chief_client, q="互助") == ["嘉善县银发互助协会", "罗星街道邻里互助会"]


def test_no_match_says_so(chief_client, orgs):
    response = chief_client.get(chooser_url(), {"q": "不存在的组织"})
    assert "不存在的组织" in response.content.decode()
    assert chosen_names(chief_client, q="不存在的组织") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bigram index is PostgreSQL's")
def test_postgresql_searches_through_the_bigram_index(chief_client, orgs):
    with CaptureQueriesContext(connection) as queries:
        assert set(chosen_names(chief_client, q="互助")) == {"嘉善县银发互助协会", "罗星街道邻里互助会"}
    searches = [q["sql"] for q in queries if "registry_organization" in q["sql"] and "互助" in q["sql"]]
    assert searches and all("registry_name_bigrams" in sql for sql in searches)


def test_town_staff_choose_among_their_town_only(client, django_user_model, orgs):
    groups = roles.ensure_role_groups()
    user = django_user_model.objects.create_user("xitang", password="pw")
    user.groups.add(groups[roles.TOWN_STAFF])
    StaffScope.objects.create(user=user, town=orgs["xitang"])
    client.force_login(user)
    assert chosen_names(client) == sorted(["西塘镇书画协会", "西塘镇广场舞队"], key=sort_key)
    assert chosen_names(client, q="互助") == []
    assert chosen_names(client, q=orgs["silver"].credit_code) == []


@pytest.mark.parametrize("model, field", [
    (StatusEvent, "organization"), (AnnualInspection, "organization"),
    (EvaluationGrade, "organization"), (CreditListEntry, "organization"),
    (TransferredService, "organization"), (Incubation, "organization"),
    (CommunityFoundation, "organization"), (MoneyMovement, "grantee"),
])
def test_every_organization_field_uses_the_searchable_chooser(chief_client, model, field):
    page = chief_client.get(admin_url(model, "add")).content.decode()
    soup = WagtailTestUtils.get_soup(page)
    widget = soup.find(id=f"id_{field}-chooser")
    assert widget is not None and widget["data-chooser-url"] == chooser_url("choose")
