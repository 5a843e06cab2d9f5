"""PostgreSQL only: the directory's search and order are served by the indexes migrations 0004
and 0005 build (the tests run everywhere check what they find; these check how, and what the
bigram tsvector and the tsqueries built for it match).

The tables here are tiny, so the planner would rather scan them; with sequential scans and
sorts priced out, a plan that still avoids them shows the index can serve the query.
"""

import pytest
from django.db import connection

from registry.factories import TownFactory
from registry.models import FormerName, Organization
from registry.pinyin import in_pinyin_order
from registry.search import MatchesBigrams, keyword_tsquery, search_organizations
from tests.db_support import no_sequential_scans
from tests.directory_support import listed_names, organization
from website.public_pages import ensure_public_pages

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL indexes"),
]

# Characters a tsquery would read as syntax, and ASCII and full-width letters of both cases.
HOSTILE_NAME = "O'Brien's\\互&助|会:*站!(测 试)ＡＢＣ"
HOSTILE_KEYWORDS = [
    "'", "\\", "&", "|", ":", "*", "!", "(", ")", "'s\\", "\\互", "'Brien'", "&助|", ":*", "!(",
    "互&助|会", "站!(测", "测 试", "o'brien's", "O'BRIEN", "ＡＢ", "Ｃ", "ＡＢＣ", "互 '",
]
NOT_IN_HOSTILE_NAME = [
    "x", "''", "\\'", "'\\", "\\\\", "&&", "||", "!!", "((", "::", "**", "'(", "互会", "试测", "*:",
]


def bigrams_of(text):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(registry_name_bigrams(%s))", [text])
        return set(cursor.fetchone()[0])


def matches(name, term):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT registry_name_bigrams(%s) @@ %s::tsquery", [name, keyword_tsquery(term)]
        )
        return cursor.fetchone()[0]


@pytest.fixture
def no_scans():
    with no_sequential_scans(connection):
        yield


@pytest.fixture
def world():
    town = TownFactory(code="330421001", name="罗星街道")
    org = organization("嘉善县银发互助协会", town=town)
    FormerName.objects.create(organization=org, name="嘉善县老年互助会")
    for n in range(30):
        organization(f"嘉善县测试协会{n}", town=town)
        FormerName.objects.create(organization=org, name=f"嘉善县测试旧名{n}")
    return org


def test_the_database_makes_the_lower_cased_bigrams_and_the_last_character():
    assert bigrams_of("银发互助ABc") == {"银发", "发互", "互助", "助a", "ab", "bc", "c"}
    assert bigrams_of("A") == {"a"}
    assert bigrams_of("aaa") == {"aa", "a"}
    assert bigrams_of("") == set()  # array_to_tsvector would reject an empty lexeme


def test_an_empty_name_is_stored_and_indexed():
    org = organization("", town=TownFactory())
    assert list(search_organizations(Organization.objects.all(), keyword="互")) == []
    assert Organization.objects.filter(pk=org.pk).exists()


def test_every_substring_of_a_name_matches_its_tsquery_and_others_do_not():
    name = HOSTILE_NAME
    for start in range(len(name)):
        for stop in range(start + 1, len(name) + 1):
            term = name[start:stop]
            assert matches(name, term), term
    for term in NOT_IN_HOSTILE_NAME:  # one or two characters: the index alone answers
        assert not matches(name, term), term


@pytest.mark.parametrize("keyword", ["互", "互助", "银发互助"])
def test_name_is_found_through_the_bigram_index(world, no_scans, keyword):
    found = search_organizations(Organization.objects.all(), keyword=keyword)
    assert list(found) == [world]
    plan = found.order_by().values("pk").explain()  # as the directory counts its matches
    assert "registry_organization_name_bigrams" in plan
    assert "Seq Scan" not in plan


@pytest.mark.parametrize("keyword", ["老", "老年", "老年互助"])
def test_former_name_is_found_through_its_bigram_index(world, no_scans, keyword):
    assert list(search_organizations(Organization.objects.all(), keyword=keyword)) == [world]
    former = FormerName.objects.filter(MatchesBigrams("name", keyword_tsquery(keyword)))
    assert [f.name for f in former] == ["嘉善县老年互助会"]
    plan = former.explain()
    assert "registry_formername_name_bigrams" in plan
    assert "Seq Scan" not in plan


def test_one_character_finds_it_at_the_start_in_the_middle_and_at_the_end():
    town = TownFactory()
    expected = ["互爱之家", "银发互助会", "邻里守望互", "互", "Abc", "xAy", "zza"]
    for name in [*expected, "嘉善县书画协会", "bcd"]:
        organization(name, town=town)

    def found(keyword):
        orgs = search_organizations(Organization.objects.all(), keyword=keyword)
        return sorted(orgs.values_list("name", flat=True))

    assert found("互") == sorted(expected[:4])
    assert found("a") == found("A") == sorted(expected[4:])


def test_hostile_keywords_find_what_they_spell_and_nothing_breaks(client):
    ensure_public_pages()
    town = TownFactory()
    hostile = organization(HOSTILE_NAME, town=town)
    organization("嘉善县银发互助协会", town=town)
    for keyword in HOSTILE_KEYWORDS:
        assert all(term.lower() in HOSTILE_NAME.lower() for term in keyword.split())
        found = list(search_organizations(Organization.objects.all(), keyword=keyword))
        assert hostile in found, keyword
        response = client.get("/organizations/", {"q": keyword})
        assert response.status_code == 200
        assert HOSTILE_NAME in listed_names(response), keyword
    for keyword in [*NOT_IN_HOSTILE_NAME, "'x", "\\x", "互助&", "'\\'", HOSTILE_NAME + "Ｄ"]:
        assert not search_organizations(Organization.objects.all(), keyword=keyword), keyword


def test_pinyin_order_is_read_from_its_indexes(world, no_scans):
    plan = Organization.objects.order_by(in_pinyin_order(), "pk").values("pk")[:20].explain()
    assert "registry_organization_name_pinyin" in plan
    in_town = (Organization.objects.filter(town=world.town)
               .order_by(in_pinyin_order(), "pk").values("pk")[:20])
    assert "registry_organization_town_name_pinyin" in in_town.explain()
