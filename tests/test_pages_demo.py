"""The public pages over the Jiashan demo: the seed article's figures, every record page, privacy."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from funds.models import CommunityFoundation, MoneyMovement, SpecialFund
from incubator.models import IncubationCenter
from website.selectors import headline_figures

END_2022 = datetime.date(2022, 12, 31)


@pytest.fixture
def demo_db(demo, db):
    return demo


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def figure_table(page):
    rows = page.find("caption", id="headline-caption").find_parent("table").select("tbody tr")
    return {row.th.get_text(strip=True): row.td.get_text(strip=True) for row in rows}


def test_statistics_at_the_end_of_2022_show_the_seed_articles_figures(client, demo_db):
    figures = headline_figures(as_of=END_2022)
    page = soup(client.get("/statistics/", {"as_of": "2022-12-31"}))
    table = figure_table(page)

    assert table["登记社会组织"] == f"{figures.registered:,}" == "555"
    assert table["备案社区社会组织"] == f"{figures.filed:,}" == "2,590"
    assert table["承接政府转移职能的社会组织（累计）"] == "155"
    assert table["累计孵化社会组织（团队）"] == "278"
    assert table["在设专项基金"] == "30"
    assert page.find("input", id="as_of")["value"] == "2022-12-31"
    assert not page.find(class_="message error")


def test_home_figures_on_the_demo_are_todays_selectors(client, demo_db):
    figures = headline_figures(as_of=timezone.localdate())
    page = soup(client.get("/"))
    values = {card["data-figure"]: card.find(class_="value").find(string=True, recursive=False)
              for card in page.select("a.figure-card")}

    assert values["registered"] == f"{figures.registered:,}"
    assert values["filed"] == f"{figures.filed:,}"
    assert values["incubated"] == f"{figures.incubated:,}"
    assert page.find(class_="demo-notice")


def test_every_center_foundation_and_fund_page_renders(client, demo_db):
    urls = ["/", "/statistics/", "/services/", "/services/coverage/", "/incubation/", "/funds/"]
    urls += [f"/incubation/{pk}/" for pk in IncubationCenter.objects.values_list("pk", flat=True)]
    urls += [f"/funds/foundations/{pk}/" for pk in CommunityFoundation.objects.values_list("pk", flat=True)]
    urls += [f"/funds/special-funds/{pk}/" for pk in SpecialFund.objects.values_list("pk", flat=True)]
    for url in urls:
        page = soup(client.get(url))
        assert page.find("h1").get_text(strip=True), url


def all_pages(client, url, param):
    """The page at `url` and every following page of its `param` pagination."""
    pages = []
    while url:
        page = soup(client.get(url))
        pages.append(page)
        following = [a for a in page.find_all("a", rel="next") if f"{param}=" in a["href"]]
        url = following[0]["href"] if following else None
    return pages


def test_no_personal_donor_name_receipt_or_note_on_any_funds_page(client, demo_db):
    private = set()
    for row in MoneyMovement.objects.values_list("personal_donor_name", "receipt_number", "internal_note"):
        private |= {value for value in row if value}
    assert any(value.startswith("捐赠人") for value in private)

    pages = [soup(client.get("/funds/"))]
    for pk in CommunityFoundation.objects.values_list("pk", flat=True):
        pages += all_pages(client, f"/funds/foundations/{pk}/", "grants_page")
    individual_shown = 0
    for pk in SpecialFund.objects.values_list("pk", flat=True):
        pages += all_pages(client, f"/funds/special-funds/{pk}/", "grants_page")
        for page in all_pages(client, f"/funds/special-funds/{pk}/", "donations_page"):
            pages.append(page)
            individual_shown += page.get_text().count("个人捐赠")
    assert individual_shown >= MoneyMovement.objects.filter(
        counterparty_kind=MoneyMovement.CounterpartyKind.INDIVIDUAL, special_fund__isnull=False).count()
    for page in pages:
        text = str(page)
        leaked = [value for value in private if value in text]
        assert not leaked, leaked[:3]


def test_services_catalog_and_coverage_on_the_demo(client, demo_db):
    coverage = soup(client.get("/services/coverage/", {"year": 2022}))
    first_link = coverage.select_one("table.matrix tbody td a")
    count = int(first_link.get_text())
    listed = soup(client.get(first_link["href"]))
    shown = len(listed.select(".record"))
    assert shown == min(count, 20)
