"""The directory's keyset (cursor) paging: "next" and "previous" carry the sort key of the last /
first row shown (`?after=` / `?before=`), in the name and both date orders.

Read through the real page, as a visitor follows the links: every matching organization once,
in the order of the numbered pages, with filters and `as_of`, whether the matches are few (sorted)
or many (read from the indexes: RESULT_CAP set low); past the old cap; back again; bad tokens.
Runs on SQLite and on PostgreSQL (DATABASE_URL); the plans are checked on PostgreSQL only.
"""

import base64
import datetime
import re
from html import unescape
from urllib.parse import unquote, urlencode

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext

from registry import directory, selectors
from registry.factories import EvaluationGradeFactory, OrganizationFactory
from registry.filters import OrganizationFilterSet
from registry.models import Area, LegalForm, Organization, StatusEvent
from tests.db_support import no_sequential_scans
from tests.directory_support import TODAY, end, listed_names, organization, text_of, town
from website.public_pages import ensure_public_pages

pytestmark = pytest.mark.django_db
D = datetime.date
URL = "/organizations/"
KEYSET_SORTS = ["name", "registered", "-registered"]
QUERIES = [
    {},
    {"town": "330421001"},  # names of one town: the (town, name) index
    {"status": "active"},
    {"as_of": "2013-06-30"},
    {"q": "协会", "kind": "registered"},
]


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Every request renders its page: a stored copy would hide what the cursor reads."""
    settings.PAGE_CACHE_ENABLED = False


def _build_world():
    towns = town("330421001", "罗星街道"), town("330421104", "西塘镇")
    for n in range(40):
        # Repeated names and repeated dates: the id decides between them.
        org = organization(f"{'安白陈丁方'[n % 5]}{n % 7}协会", town=towns[n % 3 == 0],
                           on=D(2010 + n % 6, 1 + n % 3, 1))
        if n % 5 == 0:
            end(org, StatusEvent.Kind.DEREGISTERED, on=D(2018, 1, 1))
        if n % 4 == 0:
            EvaluationGradeFactory(organization=org, grade=1 + n % 5,
                                   awarded_on=TODAY() - datetime.timedelta(days=10 + n))
    for n in range(4):  # never registered or filed: last in the date orders
        OrganizationFactory(name=f"安{n}未登记组织", town=towns[n % 2])
    organization("陈家村舞蹈队", town=towns[0], legal_form=LegalForm.COMMUNITY_ORGANIZATION,
                 on=D(2012, 2, 1))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """45 organizations and the public pages, built once for the module and rolled back after it
    (a test's own changes are rolled back after the test)."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            ensure_public_pages()
            _build_world()
            yield
            transaction.set_rollback(True)


def rows_of(response):
    """The organizations listed (their page's URL, one per organization), in order."""
    assert response.status_code == 200, response.content.decode()[:500]
    html = response.content.decode()
    match = re.search(r'<ol class="record-list".*?</ol>', html, re.S)
    return re.findall(r'<h3><a href="([^"]+)">', match.group(0)) if match else []


def pager(response):
    return re.search(r'<nav class="pager".*?</nav>', response.content.decode(), re.S).group(0)


def identifier(url):
    """The credit code or filing number in an organization's URL."""
    return unquote(url.rstrip("/").rsplit("/", 1)[-1])


def link(response, rel):
    """The href of the page's <a rel="next"> or <a rel="prev">, or None."""
    found = re.findall(rf'<a rel="{rel}" href="([^"]*)"', response.content.decode())
    assert len(found) <= 1
    return URL + unescape(found[0]) if found else None


def numbered_pages(client, params):
    pages, number = [], 1
    while True:
        rows = rows_of(client.get(URL, {**params, "page": number}))
        if not rows:
            return pages
        pages.append(rows)
        number += 1


def follow(client, url, rel):
    """The pages from `url` on, following `rel` to the end: [(url, rows)]."""
    pages = []
    while url:
        response = client.get(url)
        pages.append((url, rows_of(response)))
        url = link(response, rel)
        assert len(pages) < 50, "the links go round in circles"
    return pages


# --- following the links -------------------------------------------------------------------------

@pytest.mark.parametrize("sort", KEYSET_SORTS)
@pytest.mark.parametrize("params", QUERIES)
@pytest.mark.parametrize("cap", [10_000, 25])  # few matches are sorted; many are read from indexes
def test_next_visits_every_match_once_in_the_numbered_order_and_previous_comes_back(
        client, world, monkeypatch, sort, params, cap):
    params = {**params, "sort": sort}
    expected = numbered_pages(client, params)  # all of them: the cap is 10,000 here
    assert sum(map(len, expected)) >= 10
    monkeypatch.setattr(directory, "RESULT_CAP", cap)

    forward = follow(client, f"{URL}?{urlencode(params)}", "next")
    assert [rows for _url, rows in forward] == expected
    assert all("after=" in url for url, _rows in forward[1:])

    backward = follow(client, link(client.get(forward[-1][0]), "prev"), "prev")
    assert [rows for _url, rows in reversed(backward)] == expected[:-1]
    assert "before=" not in link(client.get(backward[0][0]), "next")  # "next" is a cursor too


def test_the_whole_order_is_the_selectors_order(client, world, monkeypatch):
    monkeypatch.setattr(directory, "RESULT_CAP", 25)
    for sort in KEYSET_SORTS:
        filterset = OrganizationFilterSet({"sort": sort, "status": "active"})
        assert filterset.is_valid()
        whole = [o.public_identifier for o in filterset.qs]
        paged = [url for _url, rows in follow(client, f"{URL}?sort={sort}&status=active", "next")
                 for url in rows]
        assert [identifier(url) for url in paged] == whole


def test_a_page_past_the_old_cap_is_reached_by_next(client, world, monkeypatch):
    monkeypatch.setattr(directory, "RESULT_CAP", 40)
    last_numbered = client.get(URL, {"page": "2"})
    assert "共超过 40 个社会组织" in text_of(last_numbered)
    assert "这一页没有记录" in text_of(client.get(URL, {"page": "3"}))  # numbers stop at the cap
    past = client.get(link(last_numbered, "next"))
    rows = rows_of(past)
    assert len(rows) == 5  # rows 41 to 45
    assert not set(rows) & set(rows_of(last_numbered))
    assert link(past, "next") is None and link(past, "prev")
    # Where a cursor page falls is not counted: no page number, no row numbers, no current page.
    assert 'aria-current="page"' not in pager(past) and "第 41" not in text_of(past)
    assert '<ol class="record-list">' in past.content.decode()  # no start="41"
    assert "共超过 40 个社会组织" in text_of(past)


def test_numbered_pages_keep_their_links_and_number(client, world):
    second = client.get(URL, {"town": "330421001", "page": "2"})
    html = pager(second)
    assert '<a href="?town=330421001"><span class="visually-hidden">第</span>1' in html
    assert 'aria-current="page"><span class="visually-hidden">第</span>2' in html
    assert "第 21–" in text_of(second)
    assert link(second, "prev").startswith(URL + "?town=330421001&before=")


def test_previous_back_to_the_start_is_page_one(client, world):
    second = client.get(link(client.get(URL), "next"))
    first = client.get(link(second, "prev"))
    assert rows_of(first) == rows_of(client.get(URL))
    assert link(first, "prev") is None
    assert 'aria-current="page"><span class="visually-hidden">第</span>1' in pager(first)


def test_previous_from_within_the_first_page_shows_the_whole_first_page(client, world):
    first = client.get(URL)
    code = identifier(rows_of(first)[5])
    sixth = Organization.objects.get(Q(credit_code=code) | Q(filing_number=code))
    token = directory.cursor_token(sort="name", key=(sixth.name, sixth.pk))
    response = client.get(URL, {"before": token})
    assert rows_of(response) == rows_of(first) and link(response, "prev") is None


def test_the_grade_order_keeps_numbered_pages_only(client, world):
    first = client.get(URL, {"sort": "-grade"})
    assert link(first, "next") == URL + "?sort=-grade&page=2"
    token = directory.cursor_token(sort="name", key=("安0协会", 1))
    response = client.get(URL, {"sort": "-grade", "after": token})
    assert response.status_code == 400
    assert "翻页：翻页位置属于另一种排序，请从第一页开始翻页。" in text_of(response)


def test_tokens_are_short_url_safe_and_keep_the_other_parameters(client, world):
    response = client.get(URL, {"sort": "-registered", "town": "330421001", "as_of": "2016-01-01"})
    following = link(response, "next")
    assert following.startswith(URL + "?sort=-registered&town=330421001&as_of=2016-01-01&after=")
    token = following.rsplit("after=", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,40}", token)
    assert following.count("page=") == 0


# --- what a stale or crafted token gets ----------------------------------------------------------

def test_a_row_deleted_since_its_link_was_made_is_read_past(client, world):
    first = client.get(URL)
    following = link(first, "next")
    expected = rows_of(client.get(following))
    gone = identifier(rows_of(first)[-1])
    Organization.objects.filter(Q(credit_code=gone) | Q(filing_number=gone)).delete()
    assert rows_of(client.get(following)) == expected


def test_a_cursor_past_the_end_is_an_empty_page(client, world):
    # After the last organization with no start event: nothing follows in the newest-first order.
    token = directory.cursor_token(sort="-registered", key=(None, 1))
    response = client.get(URL, {"sort": "-registered", "after": token})
    assert response.status_code == 200
    assert rows_of(response) == [] and "这一页没有记录" in text_of(response)


def _encoded(payload):
    return base64.urlsafe_b64encode(payload).rstrip(b"=").decode()


INVALID = "翻页：翻页位置无效，请从第一页开始翻页。"
NUL, TOO_BIG = "a\x00b", "99999999999999999999"


@pytest.mark.parametrize("value", [
    "!!!", "abc=", "a b", "A", NUL, "x" * 5000, TOO_BIG, "-1", "é",
    _encoded(b"n:12"), _encoded(b"x:1:abc"), _encoded(b"n:0:abc"), _encoded(b"n:-1:abc"),
    _encoded(b"n:01:abc"), _encoded(b"n:1.5:abc"), _encoded(b"n: 1:abc"),
    _encoded(f"n:{TOO_BIG}:abc".encode()), _encoded(f"n:{2**63}:abc".encode()),
    _encoded(b"n:1:a\x00b"), _encoded(b"n:1:\xff\xfe"), _encoded("n:1:".encode() + "互".encode()[:2]),
    _encoded(("n:1:" + "互" * 201).encode()), _encoded(("n:1:" + "互" * 400).encode()),
    _encoded(b"r:1:2020-13-01"), _encoded(b"r:1:2020-1-1"), _encoded(b"r:1:20200101"),
    _encoded(b"r:1:2020-02-30"), _encoded(b"d:1:abc"), _encoded(b"r:1:2020-01-01T00:00"),
    directory.cursor_token(sort="name", key=("安康协会", 7)) + "A",  # one character more
    directory.cursor_token(sort="name", key=("安康协会", 7))[:-1],  # one character less
])
@pytest.mark.parametrize("direction", ["after", "before"])
def test_a_crafted_token_gets_400_with_the_message(world, value, direction):
    client = Client(raise_request_exception=False)  # a 500 would be an answer here, not an error
    response = client.get(URL, {direction: value})
    assert response.status_code == 400, value
    assert INVALID in text_of(response) and "查询条件有误" in text_of(response)
    assert listed_names(response) == []


def test_truncated_tokens_never_break_the_page(world):
    client = Client(raise_request_exception=False)
    token = directory.cursor_token(sort="registered", key=(D(2012, 2, 1), 123456))
    for length in range(len(token)):
        assert client.get(URL, {"sort": "registered", "after": token[:length]}).status_code in (200, 400)


def test_a_token_of_another_sort_or_two_of_them(client, world):
    name_token = directory.cursor_token(sort="name", key=("安康协会", 7))
    date_token = directory.cursor_token(sort="registered", key=(D(2012, 2, 1), 7))
    for params in [{"after": name_token, "sort": "registered"},
                   {"before": date_token, "sort": "-registered"}, {"after": date_token}]:
        response = client.get(URL, params)
        assert response.status_code == 400
        assert "翻页：翻页位置属于另一种排序，请从第一页开始翻页。" in text_of(response)
    response = client.get(URL, {"after": name_token, "before": name_token})
    assert response.status_code == 400 and INVALID in text_of(response)
    assert client.get(URL, {"after": "", "before": ""}).status_code == 200


def test_a_bad_filter_and_a_bad_token_report_the_filter(client, world):
    response = client.get(URL, {"status": "bogus", "after": "!!!"})
    assert response.status_code == 400 and "状态：" in text_of(response)


def test_tokens_round_trip_every_key_shape():
    for sort, key in [("name", ("", 1)), ("name", ("O'Brien 互助\U0001f600" * 10, 2**63 - 1)),
                      ("registered", (D(1, 1, 1), 5)), ("-registered", (None, 5)),
                      ("-registered", (D(9999, 12, 31), 5))]:
        token = directory.cursor_token(sort=sort, key=key)
        assert len(token) <= directory.MAX_CURSOR_LENGTH
        assert directory.parse_cursor_token(token, sort=sort) == key
    longest = directory.cursor_token(sort="name", key=("\U0001f600" * 200, 2**63 - 1))
    assert len(longest) <= directory.MAX_CURSOR_LENGTH


# --- queries -------------------------------------------------------------------------------------

def _register(size, towns):
    for n in range(size):
        org = organization(f"{'安白陈丁方'[n % 5]}康协会{n}", town=towns[n % 2],
                           on=D(2010 + n % 10, 1, 1))
        EvaluationGradeFactory(organization=org, grade=1 + n % 5,
                               awarded_on=TODAY() - datetime.timedelta(days=30 + n))
        if n % 3 == 0:
            end(org, StatusEvent.Kind.DEREGISTERED, on=D(2023, 1, 1))
    for n in range(size // 10):
        OrganizationFactory(name=f"未登记组织{n}", town=towns[0])


CURSOR_QUERIES = [
    {},
    {"town": "330421001", "status": "active"},
    {"q": "协会", "sort": "-registered"},
    {"sort": "registered", "as_of": "2016-06-30", "kind": "registered"},
]


@pytest.mark.parametrize("more", [0, 60])  # organizations added to the module's 45
@pytest.mark.parametrize("cap", [10_000, 30])
@pytest.mark.parametrize("params", CURSOR_QUERIES)
def test_a_cursor_page_reads_a_fixed_number_of_queries_and_no_offset(
        client, world, monkeypatch, django_assert_max_num_queries, more, cap, params):
    monkeypatch.setattr(directory, "RESULT_CAP", cap)
    _register(more, (town("330421001", "罗星街道"), town("330421104", "西塘镇")))
    second = link(client.get(URL, params), "next")
    assert second
    back = link(client.get(second), "prev")  # back to the first page
    for url in (second, back):
        with django_assert_max_num_queries(18):
            response = client.get(url)
        assert rows_of(response)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert not [query["sql"] for query in queries if " OFFSET " in query["sql"].upper()]


# --- PostgreSQL: the plans -----------------------------------------------------------------------

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")


@pytest.fixture
def no_scans():
    with no_sequential_scans(connection):
        yield


def _plans(read):
    with CaptureQueriesContext(connection) as queries:
        read()
    plans = []
    with connection.cursor() as cursor:
        for query in queries:
            cursor.execute("EXPLAIN " + query["sql"])
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


@postgresql_only
@pytest.mark.parametrize("backwards", [False, True])
def test_a_name_cursor_is_a_range_of_the_pinyin_index(world, no_scans, backwards):
    organizations = Organization.objects.all()
    key = ("陈3协会", 10**6)
    (plan,) = _plans(lambda: selectors.directory_ids_from(
        organizations, sort="name", key=key, backwards=backwards, limit=21))
    assert "Index Cond" in plan and "registry_organization_name_pinyin" in plan, plan
    assert "Sort" not in plan and "Seq Scan" not in plan
    in_town = Organization.objects.filter(town=Area.objects.get(code="330421001"))
    (plan,) = _plans(lambda: selectors.directory_ids_from(
        in_town, sort="name", key=key, backwards=backwards, limit=21))
    assert "registry_organization_town_name_pinyin" in plan, plan


@postgresql_only
@pytest.mark.parametrize("sort", ["registered", "-registered"])
def test_a_date_cursor_is_a_range_of_the_start_event_index(world, no_scans, sort):
    plans = _plans(lambda: selectors.directory_ids_from(
        Organization.objects.all(), sort=sort, key=(D(2013, 1, 1), 10**6), limit=21))
    assert "statusevent_start_date" in plans[0] and "Index Cond" in plans[0], plans[0]
    assert "Sort" not in plans[0].replace("Sort Key", "")
