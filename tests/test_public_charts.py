"""The trend charts' year labels never meet, however many years; the legend wraps rather than
runs off; amounts on a value axis are written in 万 (or k/M in English); the data tables beside
the trend charts list the newest year first."""

import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from website import charts
from website.chart_text import boxes_overlap, text_box

SVG = "{http://www.w3.org/2000/svg}"


def _boxes(svg, css_class):
    root = ET.fromstring(str(svg))
    width = float(root.get("viewBox").split()[2])
    found = []
    for text in root.iter(f"{SVG}text"):
        if text.get("class") != css_class:
            continue
        found.append((text.text, text_box(
            text.text, x=float(text.get("x")), y=float(text.get("y")),
            font_size=float(text.get("font-size")), anchor=text.get("text-anchor", "start"))))
    return width, found


def _assert_apart(width, labelled):
    for i, (label, box) in enumerate(labelled):
        assert box[0] >= 0 and box[2] <= width, (label, box, width)
        for other, other_box in labelled[i + 1:]:
            assert not boxes_overlap(box, other_box), (label, other)


@pytest.mark.parametrize("draw", [charts.line_chart, charts.column_chart])
@pytest.mark.parametrize("width", [400, 640])
def test_year_labels_never_meet_however_many_years(draw, width):
    for count in (1, 2, 5, 11, 12, 13, 14, 17, 25, 30, 31, 50, 76):
        years = list(range(2024 - count + 1, 2025))
        svg = draw(title="t", x_labels=years, series=[("登记", list(range(count)))], width=width)
        _chart_width, labels = _boxes(svg, "x-label")
        _assert_apart(width, labels)
        assert labels[-1][0] == "2024", "the newest year is always labelled"
        if count <= 5:
            assert len(labels) == count
        assert len(labels) >= min(count, 4)


def test_a_long_last_label_stays_inside_the_chart_and_apart_from_the_others():
    years = [str(y) for y in range(2000, 2023)] + ["2023（截至06-30）"]
    for draw in (charts.line_chart, charts.column_chart):
        svg = draw(title="t", x_labels=years, series=[("登记", [1] * len(years))], width=400)
        width, labels = _boxes(svg, "x-label")
        _assert_apart(width, labels)
        assert labels[-1][0] == "2023（截至06-30）"


def test_the_legend_wraps_instead_of_running_off_the_chart():
    series = [("New registrations", [1, 2]), ("New filings", [2, 3]),
              ("Deregistered, revoked", [0, 1])]
    for draw in (charts.line_chart, charts.column_chart):
        svg = draw(title="t", x_labels=[2022, 2023], series=series, width=400)
        width, legend = _boxes(svg, "legend")
        assert len(legend) == 3
        _assert_apart(width, legend)


def _axis_ticks(svg):
    root = ET.fromstring(str(svg))
    return [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]


@pytest.mark.parametrize("language, expected", [("zh-hans", "万"), ("en", "M")])
def test_amounts_on_a_value_axis_are_in_wan_or_millions(language, expected):
    from website import money

    with translation.override(language):
        svg = charts.column_chart(title="t", x_labels=[2022, 2023], width=400,
                                  series=[("收入", [1_200_000, 3_400_000])],
                                  value_format=money.axis)
    ticks = _axis_ticks(svg)
    assert ticks[0] == "0" and all(t.endswith(expected) for t in ticks[1:]), ticks
    # The widest tick fits left of the axis.
    _width, labels = _boxes(svg, None)
    assert all(box[0] >= 0 for _label, box in labels)


def test_bar_labels_get_the_room_they_need():
    items = [("Luoxing Subdistrict", 120), ("Weitang Subdistrict", 80), ("Dayun Town", 3)]
    svg = charts.bar_chart(title="t", items=items, width=400, label_width=70)
    root = ET.fromstring(str(svg))
    texts = list(root.iter(f"{SVG}text"))
    rects = list(root.iter(f"{SVG}rect"))
    for text, rect in zip(texts[::2], rects):
        box = text_box(text.text, x=float(text.get("x")), y=float(text.get("y")), font_size=12,
                       anchor="end")
        assert box[0] >= 0 and box[2] <= float(rect.get("x")), text.text
    for value in texts[1::2]:
        box = text_box(value.text, x=float(value.get("x")), y=float(value.get("y")), font_size=12)
        assert box[2] <= 400, value.text


# --- the data tables beside the charts -------------------------------------------------------------

@pytest.mark.django_db
def test_the_trend_tables_list_the_newest_year_first(client):
    from tests.test_pages import build_world

    build_world(organizations=3)
    html = client.get("/statistics/").content.decode()
    page = BeautifulSoup(html, "html.parser")
    tables = page.select("section.chart table")
    assert tables
    for table in tables:
        years = [int(re.match(r"\d{4}", row.th.get_text(strip=True)).group())
                 for row in table.select("tbody tr")]
        assert years == sorted(years, reverse=True), years
    funds = BeautifulSoup(client.get("/funds/").content.decode(), "html.parser")
    years = [row.th.get_text(strip=True) for row in funds.select("section.chart tbody tr")]
    assert years == sorted(years, reverse=True) and len(years) >= 2
