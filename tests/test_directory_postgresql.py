"""PostgreSQL only: the directory's search and order are served by the indexes migration 0004
builds (the tests run everywhere check what they find; these check how).

The tables here are tiny, so the planner would rather scan them; with sequential scans and
sorts priced out, a plan that still avoids them shows the index can serve the query.
"""

import pytest
from django.db import connection

from registry.factories import TownFactory
from registry.models import FormerName, Organization
from registry.pinyin import in_pinyin_order
from registry.search import HoldsGrams, keyword_grams, search_organizations
from tests.directory_support import organization

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL indexes"),
]


@pytest.fixture
def no_scans():
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_sort = off")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_sort")


@pytest.fixture
def world():
    town = TownFactory(code="330421001", name="罗星街道")
    org = organization("嘉善县银发互助协会", town=town)
    FormerName.objects.create(organization=org, name="嘉善县老年互助会")
    for n in range(30):
        organization(f"嘉善县测试协会{n}", town=town)
    return org


def test_the_database_makes_the_grams_the_search_asks_for():
    with connection.cursor() as cursor:
        cursor.execute("SELECT registry_name_grams(%s)", ["银发互助ABc"])
        grams = set(cursor.fetchone()[0])
    assert {"银", "银发", "互助", "c", "bc"} <= grams
    assert all(set(keyword_grams(term)) <= grams for term in ["银发互", "发互助", "互", "abc", "助a"])


@pytest.mark.parametrize("keyword", ["互", "互助", "银发互助"])
def test_name_is_found_through_the_gram_index(world, no_scans, keyword):
    found = search_organizations(Organization.objects.all(), keyword=keyword)
    assert list(found) == [world]
    plan = found.order_by().values("pk").explain()  # as the directory counts its matches
    assert "registry_organization_name_grams" in plan
    assert "Seq Scan" not in plan


def test_former_name_is_found_through_its_gram_index(world, no_scans):
    assert list(search_organizations(Organization.objects.all(), keyword="老年互助")) == [world]
    plan = FormerName.objects.filter(HoldsGrams("name", keyword_grams("老年互助"))).explain()
    assert "registry_formername_name_grams" in plan


def test_pinyin_order_is_read_from_its_indexes(world, no_scans):
    plan = Organization.objects.order_by(in_pinyin_order(), "pk").values("pk")[:20].explain()
    assert "registry_organization_name_pinyin" in plan
    in_town = (Organization.objects.filter(town=world.town)
               .order_by(in_pinyin_order(), "pk").values("pk")[:20])
    assert "registry_organization_town_name_pinyin" in in_town.explain()
