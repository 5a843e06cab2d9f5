"""The annual summary PDF read back page by page: in English it speaks English (Chinese only in
record data), in Chinese it is as it was, and no page holds a chart and nothing else."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.utils import translation
from django.utils.translation import gettext

from funds.models import SpecialFund
from incubator.models import IncubationCenter
from registry.models import Area, Department, Organization, ServiceField
from registry.selectors import services_by_field
from tests.pdf import pdf_language, pdf_pages
from website.summaries.render import html_to_pdf
from website.summaries.services import find_town, summary_html

pytestmark = pytest.mark.django_db

# Ideographs and the full-width marks of Chinese text (not the curly quotes English uses too).
CHINESE = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")
DOCUMENTS = {  # name: (town, language)
    "county-zh": (None, "zh-hans"),
    "county-en": (None, "en"),
    "town-zh": ("西塘", "zh-hans"),
    "town-en": ("西塘", "en"),
}
XITANG_EN = "Xitang Town"
FIELD_EN = "Field in English"


@pytest.fixture(scope="module")
def documents(demo, django_db_blocker):
    """Each summary's HTML and the PDF WeasyPrint makes of it, rendered once for the module.
    One town and one service field have English names, which an English summary must use."""
    with django_db_blocker.unblock():
        Area.objects.filter(name="西塘镇").update(name_en=XITANG_EN)
        field = services_by_field(period_start=datetime.date(2022, 1, 1),
                                  period_end=datetime.date(2022, 12, 31))[0][0]
        field.name_en = FIELD_EN
        field.save()
        rendered = {}
        for name, (town, language) in DOCUMENTS.items():
            html = summary_html(year=2022, town=find_town(town) if town else None, language=language)
            rendered[name] = (html, html_to_pdf(html)[0])
        rendered["records"] = record_names()
        return rendered


def record_names():
    """Names that are record data, shown as they are kept: a taxonomy's Chinese name only where
    it has no English one."""
    names = set(Organization.objects.values_list("name", flat=True))
    names |= set(IncubationCenter.objects.values_list("name", flat=True))
    names |= set(SpecialFund.objects.values_list("name", flat=True))
    for model in (Area, Department, ServiceField):
        for record in model.objects.filter(name_en=""):
            names |= {record.name, getattr(record, "short_name", record.name)}
    return {name for name in names if CHINESE.search(name)}


def chinese_outside_records(text, records):
    """The Chinese runs of a PDF's text that are no part of any record's name (a name may be
    broken across lines in a table cell, so each run must be part of one, not the whole)."""
    return sorted({run for run in CHINESE.findall(text) if not any(run in name for name in records)})


class _TextNodes(HTMLParser):
    """The visible text of the HTML, one string per text node (no CSS, no SVG title or desc)."""

    HIDDEN = {"style", "desc", "title", "script"}

    def __init__(self):
        super().__init__()
        self.nodes, self._open = [], []

    def handle_starttag(self, tag, attrs):
        self._open.append(tag)

    def handle_endtag(self, tag):
        while self._open and self._open.pop() != tag:
            pass

    def handle_data(self, data):
        if data.strip() and not self.HIDDEN.intersection(self._open):
            self.nodes.append(" ".join(data.split()))


def chinese_labels_in_html(html, records):
    """Text nodes that still hold Chinese once every record name in them is taken out."""
    parser = _TextNodes()
    parser.feed(html)
    longest_first = sorted(records, key=len, reverse=True)
    left = []
    for node in parser.nodes:
        rest = node
        for name in longest_first:
            if name in rest:
                rest = rest.replace(name, " ")
        if CHINESE.search(rest):
            left.append(node)
    return left


def text(pdf):
    return "\n".join(pdf_pages(pdf))


def english(message, **params):
    """`message` as the English catalogue has it (failing if it has none), filled in."""
    with translation.override("en"):
        translated = gettext(message)
    assert not CHINESE.search(translated), f"no English for {message!r}"
    return translated % params if params else translated


def one_line(pages):
    return " ".join(" ".join(pages).split())


@pytest.mark.parametrize("name", ["county-en", "town-en"])
def test_an_english_summary_has_english_headings_and_chinese_only_in_record_data(documents, name):
    html, pdf = documents[name]
    pages = pdf_pages(pdf)
    whole = one_line(pages)
    for heading in ("1. " + english("主要数据"), english("目录"), english("登记社会组织"),
                    "6. " + english("社区发展基金会与专项基金"),
                    english("图%(number)s 历年年末登记与备案社会组织数量", number=1),
                    english("第 %(page)s 页 / 共 %(pages)s 页 · 生成于 %(time)s",
                            page=3, pages=len(pages), time="").strip()):
        assert heading in whole
    assert chinese_outside_records("\n".join(pages), documents["records"]) == []
    assert chinese_labels_in_html(html, documents["records"]) == []
    assert pdf_language(pdf) == "en"


def test_english_summaries_use_the_english_names_of_towns_and_service_fields(documents):
    county = one_line(pdf_pages(documents["county-en"][1]))
    assert XITANG_EN in county and FIELD_EN in county
    town = one_line(pdf_pages(documents["town-en"][1]))
    assert english("%(place)s%(year)s年度社会组织与社区基金年度报告", place=XITANG_EN, year=2022) in town


def test_the_chinese_summary_is_in_chinese_and_the_check_finds_its_labels(documents):
    """The same checks on the Chinese summary find its Chinese headings: they can fail."""
    html, pdf = documents["county-zh"]
    whole = " ".join(text(pdf).split())
    for heading in ("1. 主要数据", "登记社会组织", "图1 历年年末登记与备案社会组织数量", "目录", "第 3 页 / 共"):
        assert heading in whole
    assert "西塘镇" in whole and XITANG_EN not in whole and FIELD_EN not in whole
    assert {"主要数据", "目录", "社会组织数"} <= set(chinese_outside_records(text(pdf), documents["records"]))
    assert chinese_labels_in_html(html, documents["records"])
    assert pdf_language(pdf) == "zh-CN"


# --- A chart never stands alone on a page ---------------------------------------------------

class _FigureText(HTMLParser):
    """The text a chart puts on a page: its SVG labels and its caption."""

    def __init__(self):
        super().__init__()
        self.labels, self.captions, self._open, self._figures = set(), [], [], 0

    def handle_starttag(self, tag, attrs):
        self._figures += tag == "figure"
        self._open.append(tag)

    def handle_endtag(self, tag):
        while self._open and self._open.pop() != tag:
            pass
        self._figures -= tag == "figure"

    def handle_data(self, data):
        if not self._figures or not data.strip():
            return
        if "text" in self._open:
            self.labels.update(data.split())
        elif "figcaption" in self._open:
            self.captions.append("".join(data.split()))


def _running_lines(pages):
    """Lines on most pages once their digits are ignored: the running header and footer."""
    seen = {}
    for page in pages:
        for shape in {re.sub(r"\d+", "#", " ".join(line.split())) for line in page.splitlines() if line.strip()}:
            if re.search(r"[^\W\d_]", shape):
                seen[shape] = seen.get(shape, 0) + 1
    return {shape for shape, count in seen.items() if count > 2 and count >= len(pages) / 2}


def chart_only_pages(pdf, html):
    """Numbers of the pages whose text, besides the running header and footer, is nothing but
    charts' own words: their captions and the labels, values and legends drawn in them."""
    figures = _FigureText()
    figures.feed(html)
    pages = pdf_pages(pdf)
    running = _running_lines(pages)
    lonely = []
    for number, page in enumerate(pages, 1):
        charted = False
        for caption in figures.captions:  # a caption may wrap onto a second line
            page, found = re.subn(r"\s*".join(map(re.escape, caption)), "\n", page)
            charted |= bool(found)
        lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
        lines = [line for line in lines if re.sub(r"\d+", "#", line) not in running]
        chart_words = [line for line in lines if set(line.split()) <= figures.labels]
        if (charted or chart_words) and len(chart_words) == len(lines):
            lonely.append(number)
    return lonely


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_no_page_holds_a_chart_and_nothing_else(documents, name):
    html, pdf = documents[name]
    assert "<figure>" in html
    assert chart_only_pages(pdf, html) == []


def test_the_lone_chart_check_finds_a_chart_alone_on_its_page(settings):
    """The check itself, on a PDF made to have one: a table page, then a page with a chart only."""
    from website import charts

    chart = charts.line_chart(title="t", x_labels=[2020, 2021, 2022], series=[("收入", [1, 5, 3])])
    html = (f"<html><body><h2>标题</h2><table><tr><td>数据</td><td>1</td></tr></table>"
            f'<figure style="break-before: page">{chart}<figcaption>图1 历年收入</figcaption></figure>'
            "</body></html>")
    pdf, pages = html_to_pdf(html)
    assert pages == 2
    assert chart_only_pages(pdf, html) == [2]
