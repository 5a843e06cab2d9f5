"""A figure and the list it links to count the same records, as of the same day.

Every figure on the home, statistics and incubation pages that opens a list carries
`data-figure-count`; these tests follow each such link and count the list (the directory, or the
incubated groups), over the Jiashan demo at four dates. tests/test_figure_list_probes.py has the
two records that made a figure and its list disagree before.
"""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

D = datetime.date
DATES = [D(2015, 12, 31), D(2020, 12, 31), D(2022, 12, 31), None]  # None: today


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def listed_total(client, url):
    """The number of organizations the directory lists at `url` (the whole list, every page)."""
    page = soup(client.get(url))
    count = page.select_one("p.result-count")
    assert count is not None, url
    assert "data-past-view" in str(page) or "as_of" not in url, url
    return int(count["data-total"])


def figure_links(page):
    links = page.select("a[data-figure-count]")
    for link in links:
        shown = re.sub(r"\D", "", link.select_one(".value").get_text() if link.select_one(".value")
                       else link.get_text())
        assert int(shown) == int(link["data-figure-count"]), link  # the number a person reads
    return [(int(link["data-figure-count"]), link["href"]) for link in links]


@pytest.mark.parametrize("as_of", DATES, ids=["2015", "2020", "2022", "today"])
def test_every_statistics_figure_opens_a_list_of_that_many(client, demo, db, as_of):
    query = {"as_of": as_of.isoformat()} if as_of else {}
    day = as_of or timezone.localdate()
    links = figure_links(soup(client.get("/statistics/", query)))
    # Headline (registered, filed, undertakers), by legal form (3 or 4 + filed), by town (9 x 3).
    assert len(links) >= 3 + 4 + 9 * 3
    for count, url in links:
        assert parse_qs(urlsplit(url).query)["as_of"] == [day.isoformat()], url
        assert listed_total(client, url) == count, url
    if as_of == D(2022, 12, 31):  # the seed article's figures, registered and filed
        assert [count for count, _url in links[:2]] == [555, 2590]


def test_every_home_figure_opens_a_list_of_that_many(client, demo, db):
    links = figure_links(soup(client.get("/")))
    assert {urlsplit(url).query for _count, url in links} >= {
        "kind=registered&status=active", "kind=filed&status=active", "services=yes"}
    for count, url in links:
        assert listed_total(client, url) == count, url


def listed_groups(client, url):
    """The number of incubated groups the list at `url` holds (the whole list, every page)."""
    count = soup(client.get(url)).select_one("p.result-count")
    assert count is not None, url
    return int(count["data-total"])


@pytest.mark.parametrize("as_of", DATES, ids=["2015", "2020", "2022", "today"])
def test_every_incubation_figure_opens_a_list_of_that_many(client, demo, db, as_of):
    query = {"as_of": as_of.isoformat()} if as_of else {}
    day = as_of or timezone.localdate()
    links = figure_links(soup(client.get("/incubation/", query)))
    assert len(links) >= 5 + 6  # the figures, and each open center's six counts
    for count, url in links:
        assert parse_qs(urlsplit(url).query)["as_of"] == [day.isoformat()], url
        assert listed_groups(client, url) == count, url
    if as_of == D(2022, 12, 31):
        assert links[0][0] == 278  # the seed article's incubated organizations
