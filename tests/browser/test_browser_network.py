"""The 1+9+N drawing as Chromium draws it: no node, label, spoke or legend meets another, with the
boxes Chromium gives each label (getBBox) and its real fonts; at the demo's 9 towns, at 20 towns
made as records, and at every number of towns from 1 to 30. Each node opens its foundation."""

import datetime
from pathlib import Path

from django.test import Client
from django.utils import timezone, translation
from playwright.sync_api import expect

from funds.factories import CommunityFoundationFactory, SpecialFundFactory
from funds.models import CommunityFoundation
from funds.selectors import community_foundations
from registry.factories import TownFactory
from registry.models import Area
from tests.network_geometry import problems
from website import charts


DESKTOP = {"width": 1280, "height": 900}
ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "screenshots"

# Fictitious towns added to the demo's nine for the 20-town drawing.
MORE_TOWNS = ["洪溪镇", "枫南镇", "杨庙镇", "范泾镇", "下甸庙镇", "俞汇镇", "丁栅镇", "洪家滩镇",
              "凤桐镇", "新港街道", "芦墟镇"]

SHAPES_JS = """(svg) => {
    const box = (t) => { const b = t.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; };
    const vb = svg.viewBox.baseVal;
    const nodes = [...svg.querySelectorAll(':scope > a, :scope > g')].map((g) => {
        const c = g.querySelector('circle');
        return {
            href: g.getAttribute('href'),
            circle: [c.cx.baseVal.value, c.cy.baseVal.value, c.r.baseVal.value,
                     parseFloat(c.getAttribute('stroke-width') || '0') / 2],
            labels: [...g.querySelectorAll('text')].map(box),
            texts: [...g.querySelectorAll('text')].map((t) => t.textContent),
        };
    });
    const spokes = [...svg.querySelectorAll(':scope > line')].map(
        (l) => [l.x1.baseVal.value, l.y1.baseVal.value, l.x2.baseVal.value, l.y2.baseVal.value]);
    const legend = svg.querySelector('text.legend');
    return {view_box: [vb.x, vb.y, vb.width, vb.height], nodes, spokes,
            legend: legend ? box(legend) : null};
}"""


def drawn_shapes(svg_locator):
    return svg_locator.evaluate(SHAPES_JS)


def _save_drawing(svg, viewport, name):
    """The drawing alone: the desktop one for the docs, the phone one beside the other screenshots."""
    if viewport["width"] >= DESKTOP["width"]:
        DOCS.mkdir(parents=True, exist_ok=True)
        svg.screenshot(path=str(DOCS / name))
    else:
        (ROOT / "var" / "screenshots").mkdir(parents=True, exist_ok=True)
        svg.screenshot(path=str(ROOT / "var" / "screenshots" / name.replace(".png", f"-{viewport['width']}.png")))


def _fits_the_screen(page, svg):
    box = svg.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"] + 1, box


def test_the_demo_network_of_nine_towns_as_drawn(page, screenshot, viewport):
    towns = [f for f in community_foundations(as_of=timezone.localdate())
             if f.role == CommunityFoundation.Role.TOWN_FOUNDATION]
    assert len(towns) == 9

    page.goto("/funds/")
    svg = page.locator("figure.network svg")
    expect(svg).to_be_visible()
    shapes = drawn_shapes(svg)
    assert len(shapes["nodes"]) == 10
    assert problems(shapes) == []
    _fits_the_screen(page, svg)
    _save_drawing(svg, viewport, "issue12-network-9.png")
    screenshot(page)

    # In English the towns are named in pinyin, and nothing meets either.
    page.goto("/en/funds/")
    shapes = drawn_shapes(svg)
    assert problems(shapes) == []
    with translation.override("en"):
        english = {Area.objects.get(pk=f.area_id).display_short_name for f in towns}
    assert english <= {node["texts"][0] for node in shapes["nodes"]}
    _fits_the_screen(page, svg)

    # A town's node opens its foundation's page.
    page.goto("/funds/")
    town = towns[0]
    page.locator(f'figure.network a[href="foundations/{town.pk}/"]').click()
    page.wait_for_url(f"**/funds/foundations/{town.pk}/")
    expect(page.locator("h1")).to_contain_text(town.organization.name)


def _add_towns(names):
    county = Area.objects.get(level=Area.Level.COUNTY)
    added = []
    for i, name in enumerate(names):
        town = TownFactory(parent=county, name=name, code=f"{county.code}{900 + i}")
        foundation = CommunityFoundationFactory(area=town)
        for j in range(i % 4):
            SpecialFundFactory(host=foundation, name=f"{name}专项基金{j}",
                               established_on=datetime.date(2023, 1, 1))
        added.append(foundation)
    return added


def test_a_network_of_twenty_towns_as_drawn(page, demo_site, screenshot, viewport):
    """11 town foundations added to the demo's 9, in this test's transaction: the page is rendered
    here, where they are seen, and shown in Chromium with the site's stylesheet."""
    added = _add_towns(MORE_TOWNS)
    html = Client().get("/funds/").content.decode()

    page.goto("/funds/")  # the site's origin, for its stylesheet
    page.set_content(html, wait_until="load")
    svg = page.locator("figure.network svg")
    expect(svg).to_be_visible()
    shapes = drawn_shapes(svg)
    assert len(shapes["nodes"]) == 21
    hrefs = {node["href"] for node in shapes["nodes"]}
    assert {f"foundations/{f.pk}/" for f in added} <= hrefs
    labels = {node["texts"][0] for node in shapes["nodes"]}
    assert {Area.objects.get(pk=f.area_id).short_name for f in added} <= labels
    assert problems(shapes) == []
    _fits_the_screen(page, svg)
    _save_drawing(svg, viewport, "issue12-network-20.png")
    screenshot(page)


def test_nothing_meets_at_any_number_of_towns_in_the_real_fonts(browser):
    towns = ["罗星", "魏塘", "惠民", "大云", "西塘", "干窑", "陶庄", "姚庄", "天凝", "经济开发区"]
    figures = "".join(
        f'<figure id="n{n}">' + charts.network_diagram(
            title=f"t{n}", hub=("县基金会", 3), hub_url="foundations/0/", width=None,
            towns=[(towns[i % len(towns)], f"基金会{i}", i % 13, f"foundations/{i + 1}/")
                   for i in range(n)]) + "</figure>"
        for n in range(1, 31)
    )
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.set_content(f"<!DOCTYPE html><html lang='zh-hans'><body>{figures}</body></html>")
        for n in range(1, 31):
            shapes = drawn_shapes(page.locator(f"#n{n} svg"))
            assert len(shapes["nodes"]) == n + 1
            assert problems(shapes) == [], (n, problems(shapes)[:5])
    finally:
        context.close()
