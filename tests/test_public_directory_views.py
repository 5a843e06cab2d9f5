"""The directory's two views of its results (cards, and the compact table of `?view=table`) and
every link that must keep the chosen view; the filter panel's state; the home page's search box.

Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from registry.directory import PAGE_SIZE
from registry.models import LegalForm
from registry.urls_public import organization_url
from tests.directory_support import listed_names, organization, town

pytestmark = pytest.mark.django_db
URL = "/organizations/"


@pytest.fixture(autouse=True)
def pages(public_pages):
    """The public pages, built once for the module (tests/conftest.py)."""


@pytest.fixture
def crowd():
    """45 organizations in one town, a few of them community organizations with a filing number."""
    luoxing = town("330421001", "罗星街道")
    made = []
    for n in range(45):
        form = LegalForm.COMMUNITY_ORGANIZATION if n % 5 == 0 else LegalForm.SOCIAL_GROUP
        made.append(organization(f"安康协会{n:02d}", town=luoxing, legal_form=form))
    return luoxing, made


def _page(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content.decode()[:300]
    return response, BeautifulSoup(response.content.decode(), "html.parser")


def _query(href):
    return parse_qs(urlsplit(unescape(href)).query)


def test_the_table_lists_one_row_an_organization_with_its_code(client, crowd):
    _town, made = crowd
    response, page = _page(client, view="table")
    assert not listed_names(response)  # no cards
    table = page.select_one(".directory-table table")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == ["名称", "统一社会信用代码/备案编号", "组织类型", "所属镇街", "状态", "评估等级",
                       "登记/备案日期"]
    rows = table.select("tbody tr")
    assert len(rows) == PAGE_SIZE
    by_name = {org.name: org for org in made}
    for row in rows:
        org = by_name[row.th.get_text(strip=True)]
        cells = [td.get_text(strip=True) for td in row.find_all("td")]
        assert row.th.a["href"] == organization_url(org)
        assert cells[0] == org.public_identifier
        assert cells[1] == org.get_legal_form_display()
        assert cells[2] == "罗星街道"
        assert cells[5] == "2020-01-01"
    # The cards list the same organizations, in the same order.
    assert [r.th.get_text(strip=True) for r in rows] == listed_names(client.get(URL))


@pytest.mark.parametrize("params", [{}, {"view": "cards"}, {"view": "nonsense"}])
def test_cards_are_the_default(client, crowd, params):
    response, page = _page(client, **params)
    assert len(listed_names(response)) == PAGE_SIZE
    assert not page.select(".directory-table")
    current = page.select_one('.view-switch a[aria-current="true"]')
    assert current["data-view"] == "cards"


def test_every_link_of_a_table_page_keeps_the_table(client, crowd):
    luoxing, _made = crowd
    _response, page = _page(client, view="table", town=luoxing.code, q="安康")
    links = {
        "page 2": page.select_one('.pager a[href*="page=2"]')["href"],
        "next": page.select_one('.pager a[rel="next"]')["href"],
        "remove a filter": page.select_one(".active-filters .tags a")["href"],
        "clear all": page.find("a", string="清除全部条件")["href"],
        "clear in the form": page.find("a", string="清除条件")["href"],
    }
    for what, href in links.items():
        assert _query(href).get("view") == ["table"], (what, href)
    # The form carries it (a new sort or filter is a new GET of the form).
    form = page.find("form", role="search")
    assert form.find("input", attrs={"type": "hidden", "name": "view"})["value"] == "table"
    # The switch back to cards keeps the query and drops the view.
    cards = page.select_one('.view-switch a[data-view="cards"]')["href"]
    assert _query(cards) == {"town": [luoxing.code], "q": ["安康"]}
    # Downloads are of the query alone.
    for link in page.select(".downloads a"):
        assert "view" not in _query(link["href"]), link["href"]
    # Following those links still shows the table.
    for what in ("page 2", "next", "remove a filter"):
        followed = client.get(URL + unescape(links[what]))
        assert followed.status_code == 200
        assert BeautifulSoup(followed.content.decode(), "html.parser").select(
            ".directory-table tbody tr"), what


def test_a_cards_page_offers_the_table_for_the_same_query_and_page(client, crowd):
    luoxing, _made = crowd
    _response, page = _page(client, town=luoxing.code, page="2")
    table = page.select_one('.view-switch a[data-view="table"]')["href"]
    assert _query(table) == {"town": [luoxing.code], "page": ["2"], "view": ["table"]}
    followed = BeautifulSoup(client.get(URL + unescape(table)).content.decode(), "html.parser")
    names = [r.th.get_text(strip=True) for r in followed.select(".directory-table tbody tr")]
    assert names == [f"安康协会{n}" for n in range(20, 40)]


def test_the_filter_panel_is_closed_after_a_search_and_open_to_correct_a_value(client, crowd):
    luoxing, _made = crowd
    _response, page = _page(client, town=luoxing.code, legal_form=LegalForm.SOCIAL_GROUP.value)
    assert not page.select_one("details.more-filters").has_attr("open")
    bad = client.get(URL, {"year_from": "1800"})
    assert bad.status_code == 400
    assert BeautifulSoup(bad.content.decode(), "html.parser").select_one("details.more-filters").has_attr("open")


def test_a_search_lands_on_its_results(client, crowd):
    _response, page = _page(client)
    form = page.find("form", role="search")
    assert form["action"] == URL + "#results"
    assert page.find(id="results") is not None


def test_the_home_page_search_box_searches_the_directory(client, crowd):
    home = BeautifulSoup(client.get("/").content.decode(), "html.parser")
    form = home.find("form", class_="home-search")
    assert form["method"] == "get" and urlsplit(form["action"]).path == URL
    box = form.find("input", attrs={"type": "search"})
    assert box["name"] == "q"
    label = home.find("label", attrs={"for": box["id"]})
    assert label.get_text(strip=True) == "查找社会组织"
    # What it sends is the directory's own keyword search.
    found = client.get(form["action"].split("#")[0], {box["name"]: "安康协会0"})
    assert listed_names(found) == [f"安康协会{n:02d}" for n in range(10)]
    assert re.search(r'name="q"[^>]*value="安康协会0"', found.content.decode())
