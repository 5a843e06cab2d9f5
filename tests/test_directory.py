"""The directory at /organizations/: filters, keyword search, sorting, pagination, bad input.

Runs on SQLite and on PostgreSQL (DATABASE_URL): the keyword search takes a different path on
each (icontains; a GIN index of character bigrams), and both must find the same organizations.
"""

import datetime
import re
from html import unescape

import pytest

from funds.factories import MoneyMovementFactory
from incubator.factories import IncubationFactory
from registry import directory, selectors
from registry.factories import (
    CreditListEntryFactory, EvaluationGradeFactory, ServiceFieldFactory, TransferredServiceFactory,
    VillageFactory,
)
from registry.models import FormerName, LegalForm, Organization, StatusEvent
from tests.directory_support import TODAY, end, listed_names, organization, text_of, town

pytestmark = pytest.mark.django_db
D = datetime.date
URL = "/organizations/"


@pytest.fixture(autouse=True)
def pages(public_pages):
    """The public pages, built once for the module (tests/conftest.py)."""


@pytest.fixture
def towns():
    return town("330421001", "罗星街道"), town("330421104", "西塘镇")


def names(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content.decode()[:500]
    return listed_names(response)


# --- keyword -------------------------------------------------------------------------------------

def test_a_chinese_substring_finds_the_organization(client, towns):
    organization("嘉善县银发互助协会", town=towns[0])
    organization("嘉善县书画协会", town=towns[0])
    assert names(client, q="互助") == ["嘉善县银发互助协会"]
    assert names(client, q="银发互助") == ["嘉善县银发互助协会"]
    assert names(client, q="互") == ["嘉善县银发互助协会"]
    assert names(client, q="协会") == ["嘉善县书画协会", "嘉善县银发互助协会"]


def test_keyword_grams_must_be_adjacent(client, towns):
    # 银发 and 互助 are both in the name, but not as 银发互助书: no match.
    organization("嘉善县银发互助协会", town=towns[0])
    assert names(client, q="银发互助书") == []
    assert names(client, q="助互") == []


def test_a_former_name_finds_the_organization(client, towns):
    org = organization("嘉善县长者服务中心", town=towns[0])
    FormerName.objects.create(organization=org, name="嘉善县老年互助会", used_until=D(2021, 5, 1))
    assert names(client, q="老年互助") == ["嘉善县长者服务中心"]


def test_credit_code_in_any_case_and_filing_number_find_the_organization(client, towns):
    registered = organization("嘉善县银发互助协会", town=towns[0])
    filed = organization("罗星街道睦邻互助队", town=towns[0],
                         legal_form=LegalForm.COMMUNITY_ORGANIZATION)
    assert names(client, q=registered.credit_code.lower()) == ["嘉善县银发互助协会"]
    assert names(client, q=f" {registered.credit_code} ") == ["嘉善县银发互助协会"]
    assert names(client, q=filed.filing_number) == ["罗星街道睦邻互助队"]


def test_latin_letters_match_in_any_case_and_every_term_must_match(client, towns):
    organization("嘉善县ABC互助社", town=towns[0])
    organization("嘉善县银发互助协会", town=towns[0])
    assert names(client, q="abc") == ["嘉善县ABC互助社"]
    assert names(client, q="互助 银发") == ["嘉善县银发互助协会"]


def test_wildcards_and_quotes_in_a_keyword_are_plain_characters(client, towns):
    organization("嘉善县银发互助协会", town=towns[0])
    organization("嘉善县100%公益社", town=towns[0])
    assert names(client, q="%") == ["嘉善县100%公益社"]
    assert names(client, q="_") == []
    for keyword in ["%_'\";", "' OR 1=1 --", '"; DROP TABLE registry_organization; --']:
        assert client.get(URL, {"q": keyword}).status_code == 200
    assert Organization.objects.count() == 2


# --- filters -------------------------------------------------------------------------------------

def test_legal_form_and_kind(client, towns):
    organization("安康协会", town=towns[0])
    organization("白鹭养老服务中心", town=towns[0], legal_form=LegalForm.SOCIAL_SERVICE_INSTITUTION)
    organization("陈家村舞蹈队", town=towns[0], legal_form=LegalForm.COMMUNITY_ORGANIZATION)
    assert names(client, legal_form="social_service_institution") == ["白鹭养老服务中心"]
    assert names(client, kind="registered") == ["安康协会", "白鹭养老服务中心"]
    assert names(client, kind="filed") == ["陈家村舞蹈队"]


def test_town_village_and_service_field(client, towns):
    village = VillageFactory(parent=towns[1], code="330421104201", name="茂丰村")
    elder_care = ServiceFieldFactory(code="elderly", name="养老服务")
    one = organization("安康协会", town=towns[0])
    organization("白鹭协会", town=towns[1])
    organization("茂丰村舞蹈队", town=towns[1], village=village,
                 legal_form=LegalForm.COMMUNITY_ORGANIZATION)
    one.service_fields.add(elder_care)
    one.save()  # a ParentalManyToManyField is written on save
    assert names(client, town="330421001") == ["安康协会"]
    assert names(client, town="330421104") == ["白鹭协会", "茂丰村舞蹈队"]
    assert names(client, town="330421104", village="330421104201") == ["茂丰村舞蹈队"]
    assert names(client, village="330421104201") == ["茂丰村舞蹈队"]
    assert names(client, field="elderly") == ["安康协会"]


def test_grade_is_the_current_valid_grade(client, towns):
    today = TODAY()
    current = organization("安康协会", town=towns[0])
    EvaluationGradeFactory(organization=current, grade=3, awarded_on=today - datetime.timedelta(days=400))
    EvaluationGradeFactory(organization=current, grade=4, awarded_on=today - datetime.timedelta(days=30))
    expired = organization("白鹭协会", town=towns[0])
    EvaluationGradeFactory(organization=expired, grade=4, awarded_on=today.replace(year=today.year - 6))
    assert names(client, grade="4") == ["安康协会"]
    assert names(client, grade="3") == []  # superseded by its 4A


def test_status_is_derived_today_from_events(client, towns):
    organization("安康协会", town=towns[0])
    gone = organization("白鹭协会", town=towns[0])
    end(gone, StatusEvent.Kind.DEREGISTERED, on=D(2023, 3, 1))
    revoked = organization("陈塘协会", town=towns[0])
    end(revoked, StatusEvent.Kind.REVOKED, on=D(2022, 3, 1))
    cancelled = organization("丁栅村舞蹈队", town=towns[0], legal_form=LegalForm.COMMUNITY_ORGANIZATION)
    end(cancelled, StatusEvent.Kind.FILING_CANCELLED, on=D(2022, 6, 1))
    later = organization("方圆协会", town=towns[0], on=TODAY() + datetime.timedelta(days=10))
    assert later.pk
    assert names(client, status="active") == ["安康协会"]
    assert names(client, status="deregistered") == ["白鹭协会"]
    assert names(client, status="revoked") == ["陈塘协会"]
    assert names(client, status="filing_cancelled") == ["丁栅村舞蹈队"]


def test_home_figure_link_lists_exactly_the_registered_count(client, towns):
    for n in range(3):
        organization(f"安康协会{n}", town=towns[0])
    organization("白鹭村舞蹈队", town=towns[0], legal_form=LegalForm.COMMUNITY_ORGANIZATION)
    gone = organization("陈塘协会", town=towns[0])
    end(gone, StatusEvent.Kind.DEREGISTERED, on=D(2023, 3, 1))
    response = client.get(URL, {"kind": "registered", "status": "active"})
    assert len(listed_names(response)) == selectors.count_registered(as_of=TODAY()) == 3
    assert f'data-total="{selectors.count_registered(as_of=TODAY())}"' in response.content.decode()


def test_credit_list_counts_entries_not_yet_removed(client, towns):
    listed = organization("安康协会", town=towns[0])
    CreditListEntryFactory(organization=listed, listed_on=D(2024, 7, 1))
    removed = organization("白鹭协会", town=towns[0])
    CreditListEntryFactory(organization=removed, listed_on=D(2021, 7, 1), removed_on=D(2022, 7, 1))
    organization("陈塘协会", town=towns[0])
    assert names(client, credit_list="yes") == ["安康协会"]
    assert names(client, credit_list="no") == ["白鹭协会", "陈塘协会"]


def test_year_range_of_registration_or_filing(client, towns):
    organization("安康协会", town=towns[0], on=D(2015, 12, 31))
    organization("白鹭协会", town=towns[0], on=D(2016, 1, 1))
    organization("陈塘协会", town=towns[0], on=D(2019, 6, 1))
    organization("丁栅协会", town=towns[0], on=D(2020, 1, 1))
    assert names(client, year_from="2016", year_to="2019") == ["白鹭协会", "陈塘协会"]
    assert names(client, year_from="2019") == ["陈塘协会", "丁栅协会"]
    assert names(client, year_to="2015") == ["安康协会"]


def test_services_and_incubated(client, towns):
    undertaker = organization("安康协会", town=towns[0])
    TransferredServiceFactory(organization=undertaker, starts_on=D(2012, 1, 1), ends_on=D(2013, 1, 1))
    incubated = organization("白鹭村舞蹈队", town=towns[0], legal_form=LegalForm.COMMUNITY_ORGANIZATION)
    IncubationFactory(organization=incubated, ended_on=D(2021, 1, 1), outcome="filed")
    IncubationFactory(organization=None, group_name="尚未出壳的小组")
    organization("陈塘协会", town=towns[0])
    assert names(client, services="yes") == ["安康协会"]
    assert names(client, incubated="yes") == ["白鹭村舞蹈队"]


def test_filters_live_in_the_url_and_the_form_shows_them(client, towns):
    organization("安康协会", town=towns[0])
    response = client.get(URL, {"town": "330421001", "status": "active", "q": "安康"})
    html = response.content.decode()
    assert '<option value="330421001" selected>罗星街道</option>' in html
    assert '<option value="active" selected>' in html
    assert 'value="安康"' in html
    assert "罗星街道" in text_of(response) and "取消“镇（街道）”" in text_of(response)
    assert '<form class="filters directory-filters" method="get"' in html


# --- sorting -------------------------------------------------------------------------------------

def test_default_order_is_pinyin(client, towns):
    for name in ["张家协会", "白鹭协会", "安心协会", "长者服务社", "陈塘协会"]:
        organization(name, town=towns[0])
    # an 安, bai 白, chen 陈, zhang 张 (长 in 长者 reads zhang3, after zhang1 张)
    expected = ["安心协会", "白鹭协会", "陈塘协会", "张家协会", "长者服务社"]
    assert names(client) == expected
    assert names(client, sort="name") == expected


def test_sort_by_registration_date_and_grade(client, towns):
    a = organization("安心协会", town=towns[0], on=D(2018, 1, 1))
    b = organization("白鹭协会", town=towns[0], on=D(2021, 1, 1))
    organization("陈塘协会", town=towns[0], on=D(2019, 1, 1))
    organization("丁栅协会", town=towns[0], on=D(2015, 1, 1))
    today = TODAY()
    EvaluationGradeFactory(organization=a, grade=3, awarded_on=today - datetime.timedelta(days=100))
    EvaluationGradeFactory(organization=b, grade=5, awarded_on=today - datetime.timedelta(days=100))
    assert names(client, sort="-registered") == ["白鹭协会", "陈塘协会", "安心协会", "丁栅协会"]
    assert names(client, sort="registered") == ["丁栅协会", "安心协会", "陈塘协会", "白鹭协会"]
    assert names(client, sort="-grade") == ["白鹭协会", "安心协会", "陈塘协会", "丁栅协会"]


@pytest.mark.parametrize("sort", ["name", "-registered", "registered", "-grade"])
@pytest.mark.parametrize("cap", [10_000, 25])  # few matches are sorted; many are read from indexes
@pytest.mark.parametrize("in_town", [False, True])
def test_every_page_of_every_order_matches_the_whole_ordering(client, towns, monkeypatch, sort, cap,
                                                              in_town):
    monkeypatch.setattr(directory, "RESULT_CAP", cap)
    today = TODAY()
    for n in range(45):
        org = organization(f"{'安白陈丁方'[n % 5]}{n:02d}协会", town=towns[0],
                           on=D(2010 + n % 7, 1 + n % 12, 1))
        if n % 4 == 0:
            EvaluationGradeFactory(organization=org, grade=1 + n % 5,
                                   awarded_on=today - datetime.timedelta(days=10 + n))
    organization("张家协会", town=towns[1])
    Organization.objects.create(name="未登记的组织", legal_form=LegalForm.SOCIAL_GROUP, town=towns[0],
                                credit_code="")
    params = {"sort": sort, **({"town": towns[0].code} if in_town else {})}
    matching = Organization.objects.filter(town=towns[0]) if in_town else Organization.objects.all()
    whole = list(selectors.ordered_organizations(matching, sort=sort, as_of=today)
                 .values_list("name", flat=True))
    paged = [name for page in (1, 2, 3) for name in names(client, **params, page=page)]
    assert paged == whole[:cap]
    assert len(whole) == (46 if in_town else 47)


# --- pagination and bad input --------------------------------------------------------------------

def test_pages_of_twenty_with_links_that_keep_the_filters(client, towns):
    for n in range(45):
        organization(f"安康协会{n:02d}", town=towns[0])
    first = client.get(URL, {"town": "330421001"})
    assert len(listed_names(first)) == 20
    assert "共 45 个社会组织" in text_of(first)
    assert 'href="?town=330421001&amp;page=2"' in first.content.decode()
    # "Next" carries a cursor (tests/test_directory_keyset.py) and keeps the filters too.
    following = re.search(r'<a rel="next" href="(\?town=330421001&amp;after=[^"]+)"', first.content.decode())
    assert listed_names(client.get(URL + unescape(following.group(1)))) == [
        f"安康协会{n}" for n in range(20, 40)]
    third = client.get(URL, {"town": "330421001", "page": "3"})
    assert listed_names(third) == [f"安康协会{n}" for n in range(40, 45)]
    assert 'rel="prev"' in third.content.decode()


def test_a_page_past_the_end_or_not_a_number(client, towns):
    organization("安康协会", town=towns[0])
    for page in [str(10**9), "9" * 5000]:
        far = client.get(URL, {"page": page})
        assert far.status_code == 200
        assert listed_names(far) == [] and "这一页没有记录" in text_of(far)
    for page in ["abc", "-3", "0", "1.5", "\x00"]:
        response = client.get(URL, {"page": page})
        assert response.status_code == 200
        assert listed_names(response) == ["安康协会"]


def test_count_stops_at_the_cap(client, towns, monkeypatch):
    monkeypatch.setattr(directory, "RESULT_CAP", 30)
    for n in range(45):
        organization(f"安康协会{n:02d}", town=towns[0])
    response = client.get(URL)
    assert "共超过 30 个社会组织" in text_of(response)
    assert len(listed_names(client.get(URL, {"page": "2"}))) == 10  # rows 21 to 30
    assert "这一页没有记录" in text_of(client.get(URL, {"page": "3"}))


@pytest.mark.parametrize("params, field", [
    ({"status": "bogus"}, "状态"),
    ({"legal_form": "company"}, "组织类型"),
    ({"town": "999999"}, "镇（街道）"),
    ({"grade": "9"}, "评估等级"),
    ({"year_from": "abc"}, "登记/备案年份（起）"),
    ({"year_from": "2020", "year_to": "2010"}, "登记/备案年份（止）"),
    ({"q": "互" * 5000}, "关键词"),
    ({"q": "互助\x00"}, "关键词"),
    ({"sort": "secret"}, "排序"),
])
def test_bad_values_get_400_with_a_message_naming_the_field(client, towns, params, field):
    organization("安康协会", town=towns[0])
    response = client.get(URL, params)
    assert response.status_code == 400
    text = text_of(response)
    assert "查询条件有误" in text and f"{field}\uFF1A" in text
    assert listed_names(response) == []


@pytest.mark.parametrize("name", [
    "q", "legal_form", "kind", "town", "village", "field", "grade", "status", "credit_list",
    "year_from", "year_to", "services", "incubated", "sort", "page",
])
@pytest.mark.parametrize("value", ["\x00", "互" * 5000, "%_'\";--", "330421001\x00"])
def test_no_value_of_any_parameter_breaks_the_page(client, towns, name, value):
    organization("安康协会", town=towns[0])
    response = client.get(URL, {name: value, **({"town": "330421001"} if name == "village" else {})})
    assert response.status_code in (200, 400)
    assert "社会组织名录" in text_of(response)


def test_unknown_parameters_are_ignored(client, towns):
    organization("安康协会", town=towns[0])
    assert names(client, utm_source="weibo", foo="bar") == ["安康协会"]


# --- privacy and query counts --------------------------------------------------------------------

def test_no_private_value_on_the_directory(client, towns):
    org = organization("安康协会", town=towns[0])
    Organization.objects.filter(pk=org.pk).update(contact_phone="13900001111", internal_note="密-备注")
    text = client.get(URL).content.decode()
    assert "安康协会" in text
    assert "13900001111" not in text and "密-备注" not in text


def _world(size, towns):
    today = TODAY()
    field = ServiceFieldFactory(code="elderly", name="养老服务")
    for n in range(size):
        org = organization(f"{'安白陈丁方'[n % 5]}康协会{n}", town=towns[n % 2],
                           on=D(2010 + n % 10, 1, 1))
        org.service_fields.add(field)
        org.save()
        EvaluationGradeFactory(organization=org, grade=1 + n % 5,
                               awarded_on=today - datetime.timedelta(days=30 + n))
        CreditListEntryFactory(organization=org, listed_on=D(2022, 1, 1))
        TransferredServiceFactory(organization=org)
        IncubationFactory(organization=org, ended_on=D(2012, 1, 1), outcome="registered")
        MoneyMovementFactory(kind="grant_out", grantee=org, counterparty="")
        if n % 3 == 0:
            end(org, StatusEvent.Kind.DEREGISTERED, on=D(2023, 1, 1))


QUERIES = [
    {},
    {"town": "330421001", "status": "active"},
    {"q": "康协", "sort": "-registered"},
    {"grade": "3", "credit_list": "yes", "services": "yes", "incubated": "yes", "sort": "-grade"},
    {"field": "elderly", "year_from": "2012", "year_to": "2018", "legal_form": "social_group",
     "kind": "registered", "page": "2"},
]


@pytest.mark.parametrize("size", [3, 45])
@pytest.mark.parametrize("params", QUERIES)
def test_query_count_does_not_grow_with_the_register(client, towns, django_assert_max_num_queries,
                                                     size, params):
    _world(size, towns)
    client.get(URL)  # the site's settings and root paths are cached after the first request
    with django_assert_max_num_queries(18):
        response = client.get(URL, params)
    assert response.status_code == 200
