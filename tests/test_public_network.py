"""The 1+9+N drawing: nothing in it overlaps at any number of towns from 1 to 30, each node links
to its foundation's page, and each shows how many open special funds its foundation hosts."""

import datetime
import re
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from funds.factories import CommunityFoundationFactory, SpecialFundFactory
from funds.models import CommunityFoundation
from registry.factories import CountyFactory, TownFactory, registered_organization
from registry.models import LegalForm
from tests.network_geometry import from_svg, fund_counts, problems
from website import charts
from website.public_pages import ensure_public_pages

# Town names as they come: two characters (罗星), three, and long ones (a development zone).
NAMES = ["罗星", "魏塘", "惠民", "大云", "西塘", "干窑", "陶庄", "姚庄", "天凝", "经济开发区",
         "高新区", "中新嘉善", "嘉善经济技术开发区"]


def towns(n):
    return [(NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else str(i)), f"基金会{i}", (i * 7) % 13,
             f"foundations/{i + 1}/") for i in range(n)]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_nothing_in_the_network_overlaps_at_any_number_of_towns(language):
    with translation.override(language):
        for n in range(1, 31):
            svg = charts.network_diagram(title="t", hub=("县基金会", 3), hub_url="foundations/99/",
                                         towns=towns(n), width=None)
            shapes = from_svg(svg)
            assert len(shapes["nodes"]) == n + 1
            assert len(shapes["spokes"]) == n
            assert problems(shapes) == [], (n, problems(shapes)[:5])


def test_each_node_links_to_its_foundation_and_shows_its_funds():
    drawn = towns(12)
    shapes = from_svg(charts.network_diagram(
        title="t", hub=("县基金会", 3), hub_url="foundations/99/", towns=drawn, width=None))
    assert fund_counts(shapes) == {"foundations/99/": 3, **{url: funds for _t, _n, funds, url in drawn}}
    shown = {node["href"]: node["texts"][0] for node in shapes["nodes"]}
    assert [shown[url] for *_rest, url in drawn] == [town for town, *_rest in drawn]


def test_without_links_the_drawing_is_a_picture():
    """The PDF summary's drawing: no links, so an image with its text alternative."""
    svg = charts.network_diagram(title="网络", hub=("县基金会", 3), towns=[t[:3] for t in towns(9)])
    soup = BeautifulSoup(str(svg), "html.parser").svg
    assert soup["role"] == "img" and not soup.find("a")
    assert "专项基金合计" in soup.desc.get_text()


def test_a_drawing_is_never_scaled_up_much():
    small = BeautifulSoup(str(charts.network_diagram(
        title="t", hub=("县基金会", 3), towns=[t[:3] for t in towns(1)], width=640)), "html.parser").svg
    view_width = float(small["viewbox"].split()[2])
    assert float(small["width"]) <= view_width * charts.NETWORK_MAX_SCALE + 1


# --- the page, from records ------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_network_page_links_every_node_and_counts_its_open_funds(client):
    """20 town foundations (open and closed funds among them) on the funds page."""
    county = CountyFactory()
    hub = CommunityFoundationFactory(
        role=CommunityFoundation.Role.COUNTY_HUB, area=county,
        organization=registered_organization(
            name="测试县社区发展基金会", legal_form=LegalForm.FOUNDATION, on=datetime.date(2019, 1, 1)))
    foundations = [hub]
    for i in range(20):
        town = TownFactory(parent=county, name=f"{NAMES[i % 9]}{i}镇")
        foundations.append(CommunityFoundationFactory(area=town))
    expected = {}
    for k, foundation in enumerate(foundations):
        for j in range(k % 4):
            SpecialFundFactory(host=foundation, name=f"专项基金{k}-{j}")
        if k % 5 == 1:  # and one fund closed before today: not counted
            SpecialFundFactory(host=foundation, name=f"已终止专项基金{k}",
                               closed_on=datetime.date(2022, 1, 1))
        expected[f"foundations/{foundation.pk}/"] = k % 4
    ensure_public_pages()

    html = client.get("/funds/").content.decode()
    svg = re.search(r'<figure class="chart network">.*?(<svg.*?</svg>)', html, re.S).group(1)
    shapes = from_svg(svg)
    assert problems(shapes) == []
    assert fund_counts(shapes) == expected
    for node in shapes["nodes"]:
        target = client.get(urljoin("/funds/", node["href"]))
        assert target.status_code == 200, node["href"]
        foundation = next(f for f in foundations if node["href"] == f"foundations/{f.pk}/")
        heading = BeautifulSoup(target.content.decode(), "html.parser").h1.get_text()
        assert foundation.organization.name in heading
