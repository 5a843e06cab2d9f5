"""Amounts of money are written one way across the public site (website.money): exact with
thousands separators in tables and facts, 万元 / 亿元 (CNY … million in English) in figures and
sentences, 万 on a chart's value axis."""

import re
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.utils import translation

from website import money

EXACT = re.compile(r"-?\d{1,3}(,\d{3})*\.\d{2}")


@pytest.mark.parametrize("value, written", [
    (0, "0.00"), (Decimal("5"), "5.00"), (1234567.8, "1,234,567.80"), ("4006", "4,006.00"),
    (Decimal("-12345.675"), "-12,345.68"), (None, "—"), ("", "—"),
])
def test_exact_amounts_have_separators_and_fen(value, written):
    assert money.exact(value) == written
    with translation.override("en"):
        assert money.exact(value) == written  # the column names the unit in either language


@pytest.mark.parametrize("value, chinese, english", [
    (0, "0元", "CNY 0"),
    (9800, "9,800元", "CNY 9,800"),
    (Decimal("9800.50"), "9,800.50元", "CNY 9,800.50"),
    (Decimal("9999.995"), "1.00万元", "CNY 10,000"),
    (10000, "1.00万元", "CNY 10,000"),
    (Decimal("1234567.89"), "123.46万元", "CNY 1.23 million"),
    (99_999_999, "1.00亿元", "CNY 100.00 million"),
    (123_456_789, "1.23亿元", "CNY 123.46 million"),
    (4_500_000_000, "45.00亿元", "CNY 4.50 billion"),
    (-25000, "-2.50万元", "CNY -25,000"),
    (None, "—", "—"),
])
def test_short_amounts_read_as_each_language_reads_them(value, chinese, english):
    with translation.override("zh-hans"):
        assert money.short(value) == chinese
    with translation.override("en"):
        assert money.short(value) == english


@pytest.mark.parametrize("value, chinese, english", [
    (0, "0", "0"), (500, "500", "500"), (250_000, "25万", "250k"), (1_500_000, "150万", "1.5M"),
    (250_000_000, "2.5亿", "250M"), (3_000_000_000, "30亿", "3B"),
])
def test_axis_ticks_are_short(value, chinese, english):
    with translation.override("zh-hans"):
        assert money.axis(value) == chinese
    with translation.override("en"):
        assert money.axis(value) == english


def test_the_money_filter_is_the_rule():
    template = Template('{% load summary_tags %}{{ a|money }}|{{ a|money:"short" }}|{{ a|yuan }}')
    with translation.override("zh-hans"):
        assert template.render(Context({"a": Decimal("1234567.8")})) == "1,234,567.80|123.46万元|1,234,567.80"
    with translation.override("en"):
        assert template.render(Context({"a": Decimal("1234567.8")})) == "1,234,567.80|CNY 1.23 million|1,234,567.80"


# --- on the pages ----------------------------------------------------------------------------------

def _amount_cells(html):
    """The cells of every column whose header names 元 (or CNY), and every fact so labelled."""
    page = BeautifulSoup(html, "html.parser")
    cells = []
    for table in page.find_all("table"):
        headers = [th.get_text(strip=True) for th in table.select("thead th")]
        money_columns = [i for i, h in enumerate(headers) if "元" in h or "CNY" in h or "yuan" in h]
        for row in table.select("tbody tr"):
            row_cells = row.find_all(["th", "td"])
            cells += [row_cells[i].get_text(strip=True) for i in money_columns if i < len(row_cells)]
    for dt in page.find_all("dt"):
        label = dt.get_text(strip=True)
        if "元" in label or "CNY" in label:
            cells.append(dt.find_next_sibling("dd").get_text(strip=True))
    return cells


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_amount_in_a_table_or_fact_is_exact_with_separators(client, language):
    from tests.test_pages import build_world
    from registry.urls_public import organization_url

    world = build_world(organizations=3)
    prefix = "/en" if language == "en" else ""
    with translation.override("zh-hans"):
        organization_page = organization_url(world["organizations"][0])
    urls = ["/funds/", f"/funds/foundations/{world['hub'].pk}/",
            f"/funds/special-funds/{world['fund'].pk}/", "/statistics/", "/services/",
            organization_page]
    seen = 0
    for url in urls:
        response = client.get(prefix + url, follow=True)
        assert response.status_code == 200, url
        for cell in _amount_cells(response.content.decode()):
            assert EXACT.fullmatch(cell), (url, cell)
            seen += 1
    assert seen >= 10


@pytest.mark.django_db
def test_a_total_in_a_sentence_is_short_and_its_rows_exact(client):
    from funds.factories import MoneyMovementFactory
    from funds.models import MoneyMovement
    from registry.factories import registered_organization
    from registry.urls_public import organization_url
    from website.public_pages import ensure_public_pages

    ensure_public_pages()
    grantee = registered_organization(name="测试受资助协会")
    for amount in (Decimal("12345.60"), Decimal("30000")):
        MoneyMovementFactory(kind=MoneyMovement.Kind.GRANT_OUT, grantee=grantee, amount=amount,
                             counterparty_kind=MoneyMovement.CounterpartyKind.ORGANIZATION,
                             counterparty="", project="测试项目")
    with translation.override("zh-hans"):  # a request before may have left English active
        url = organization_url(grantee)
    page = BeautifulSoup(client.get(url).content.decode(), "html.parser")
    funds = page.find(id="funds")
    assert "共 2 笔，合计 4.23万元。" in funds.get_text()
    assert sorted(_amount_cells(str(funds))) == ["12,345.60", "30,000.00"]
    english = client.get("/en" + url, follow=True).content.decode()
    assert "CNY 42,345.60" in BeautifulSoup(english, "html.parser").find(id="funds").get_text()
