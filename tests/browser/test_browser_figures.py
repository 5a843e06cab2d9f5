"""The funds network drawn in the browser, and the statistics as of a date picked in its form."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from funds.models import CommunityFoundation
from funds.selectors import community_foundations
from website.selectors import headline_figures

END_2022 = datetime.date(2022, 12, 31)


def test_funds_network_draws_the_hub_and_the_town_foundations_with_a_data_table(page, screenshot):
    foundations = list(community_foundations(as_of=timezone.localdate()).select_related("area"))
    towns = [f for f in foundations if f.role == CommunityFoundation.Role.TOWN_FOUNDATION]
    assert len(towns) == 9  # the demo's "9" in 1+9+N

    page.goto("/funds/")
    svg = page.locator("figure.network svg")
    expect(svg).to_be_visible()
    box = svg.bounding_box()
    assert box["width"] >= 280 and box["height"] >= 280, box  # drawn at a readable size
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"] + 1, box
    # One circle for the hub and one per town foundation, each town labelled by its name.
    expect(svg.locator("circle")).to_have_count(1 + len(towns))
    labels = set(svg.locator("text").all_text_contents())
    for foundation in towns:
        assert foundation.area.short_name in labels, (foundation.area.short_name, labels)

    table = page.locator("table", has=page.locator("caption#network-caption"))
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(foundations))
    areas = [cells[1] for cells in (rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count()))]
    assert sorted(areas) == sorted(f.area.name for f in foundations)
    screenshot(page)

    # Each foundation in the table leads to its page.
    first = rows.first.locator("th a")
    name = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_contain_text(name)


def test_statistics_as_of_the_end_of_2022_picked_in_the_date_form(page, screenshot):
    figures = headline_figures(as_of=END_2022)

    page.goto("/statistics/")
    page.get_by_label("统计日期").fill(END_2022.isoformat())
    page.get_by_role("button", name="查看").click()
    page.wait_for_url("**/statistics/?as_of=2022-12-31")

    table = page.locator("table", has=page.locator("caption#headline-caption"))
    expect(table).to_be_visible()
    expect(table.locator("caption")).to_contain_text("2022-12-31")
    values = {
        row.locator("th").inner_text(): row.locator("td").inner_text()
        for row in table.locator("tbody tr").all()
    }
    # The seed article's figures for the end of 2022, as the selectors compute them.
    assert values["登记社会组织"] == f"{figures.registered:,}" == "555"
    assert values["备案社区社会组织"] == f"{figures.filed:,}" == "2,590"
    expect(page.get_by_label("统计日期")).to_have_value("2022-12-31")
    # Each chart comes with its data table for screen readers.
    charts = page.locator("section.chart")
    assert charts.count() >= 1
    for chart in charts.all():
        expect(chart.locator("svg[role=img]")).to_have_count(1)
        expect(chart.locator("table")).to_have_count(1)
    screenshot(page)
