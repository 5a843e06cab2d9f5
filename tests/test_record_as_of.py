"""What a person reads about an organization on a day: warnings where they look (the top of its page,
its directory card, the downloads and the API), grades that end with the organization, the page as
it stood on a past day, and bad `as_of` values answered with a message, never a 500."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from registry.factories import (
    CreditListEntryFactory, EvaluationGradeFactory, TransferredServiceFactory,
)
from registry.models import StatusEvent
from registry.urls_public import organization_url
from tests.directory_support import end, organization, text_of, town
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def pages(public_pages):
    """The public pages, built once for the module (tests/conftest.py)."""


@pytest.fixture
def listed():
    """嘉善县旅游协会: registered in 2008, on the abnormal-activity list since 2022-03-03."""
    org = organization("嘉善县旅游协会", on=D(2008, 6, 5), town=town("330421001", "罗星街道"))
    CreditListEntryFactory(organization=org, listed_on=D(2022, 3, 3), reason="未按规定报送年度工作报告",
                           listed_by="嘉善县民政局", decision_number="嘉民异〔2022〕5号")
    return org


@pytest.fixture
def deregistered():
    """干窑镇新居民协会: 5A awarded 2021-12-08 (valid to 2026-12-07), deregistered 2022-10-17."""
    org = organization("干窑镇新居民协会", on=D(2019, 12, 12), town=town("330421105", "干窑镇"))
    EvaluationGradeFactory(organization=org, grade=5, awarded_on=D(2021, 12, 8))
    end(org, StatusEvent.Kind.DEREGISTERED, on=D(2022, 10, 17))
    return org


def page(client, org, **params):
    response = client.get(organization_url(org), params)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_a_listed_organization_has_a_banner_at_the_top_of_its_page(client, listed):
    html = page(client, listed)
    banner = html.select_one("[data-credit-banner]")
    assert banner is not None
    text = banner.get_text()
    for expected in ["活动异常名录", "2022-03-03", "未按规定报送年度工作报告", "嘉善县民政局",
                     "嘉民异〔2022〕5号"]:
        assert expected in text, expected
    # Right under the name and status, before the facts table and every section.
    article = html.select_one("article.organization")
    children = [c for c in article.children if getattr(c, "name", None)]
    assert children.index(banner) < children.index(article.select_one("dl.facts"))
    status = html.select_one(".org-status")
    assert status.select_one('[data-credit-list="abnormal_activity"]') is not None


def test_a_listed_organization_carries_a_badge_on_its_directory_card(client, listed):
    response = client.get("/organizations/", {"credit_list": "yes", "status": "active"})
    html = BeautifulSoup(response.content.decode(), "html.parser")
    cards = html.select("ol.record-list li.record")
    assert len(cards) == 1
    assert cards[0].select_one('[data-credit-list="abnormal_activity"]').get_text() == "活动异常名录"
    # Before it was listed, neither the card nor the page carries it.
    response = client.get("/organizations/", {"as_of": "2022-03-02"})
    assert 'data-credit-list="' not in response.content.decode()
    assert page(client, listed, as_of="2022-03-02").select_one("[data-credit-banner]") is None


def test_downloads_and_the_api_carry_the_credit_lists(client, listed):
    row = client.get("/api/v1/organizations", {"credit_list": "yes"}).json()["results"][0]
    assert row["credit_lists"] == ["活动异常名录"]
    assert row["credit_listed_on"] == "2022-03-03"
    csv = client.get("/open-data/organizations.csv").getvalue().decode("utf-8-sig")
    header, line = csv.splitlines()[:2]
    assert "列入的信用名录" in header and "活动异常名录" in line and "2022-03-03" in line
    before = client.get("/api/v1/organizations", {"as_of": "2022-03-01"}).json()["results"][0]
    assert before["credit_lists"] == [] and before["status_code"] == "registered"


def test_a_deregistered_organization_grade_shows_as_ended_with_the_date(client, deregistered):
    html = page(client, deregistered)
    cell = html.select_one("[data-grade-state]")
    assert cell["data-grade-state"] == "ended"
    assert "2022-10-17" in cell.get_text() and "注销登记" in cell.get_text()
    assert "现行有效" not in text_of_soup(html)
    # The grade filter no longer finds it; on a day before the deregistration it did.
    assert "干窑镇新居民协会" not in client.get("/organizations/", {"grade": "5"}).content.decode()
    before = client.get("/organizations/", {"grade": "5", "as_of": "2022-10-16"}).content.decode()
    assert "干窑镇新居民协会" in before
    past = page(client, deregistered, as_of="2022-10-16")
    assert past.select_one("[data-grade-state]")["data-grade-state"] == "current"
    assert past.select_one("[data-past-view]") is not None
    assert "正常（登记）" in past.select_one(".org-status").get_text()


def test_the_api_detail_reads_the_record_as_of_a_day(client, deregistered):
    url = f"/api/v1/organizations/{deregistered.credit_code}"
    today = client.get(url).json()
    assert (today["status_code"], today["grade"]) == ("deregistered", None)
    before = client.get(url, {"as_of": "2022-10-16"}).json()
    assert (before["status_code"], before["grade"]) == ("registered", "5A")
    response = client.get(url, {"as_of": "2022-10-32"})
    assert response.status_code == 400 and "日期" in response.json()["detail"]


def profile_text(client, org):
    response = client.get(organization_url(org) + "profile.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return re.sub(r"\s+", "", pdf_text(b"".join(response.streaming_content)
                                       if response.streaming else response.content))


def test_the_profile_pdf_says_what_the_page_says(client, listed, deregistered):
    text = profile_text(client, listed)
    assert "该组织自2022年3月3日起列入活动异常名录" in text
    text = profile_text(client, deregistered)
    ended = "\u5df2\u7ec8\u6b62\uff082022-10-17\u6ce8\u9500\u767b\u8bb0\uff09"  # 已终止（…注销登记）
    assert "已注销" in text and ended in text and "现行有效" not in text


def text_of_soup(html):
    return html.get_text(" ")


def test_a_past_view_leaves_out_what_came_later(client, deregistered):
    TransferredServiceFactory(organization=deregistered, title="二〇二一年的服务项目",
                              starts_on=D(2021, 1, 1))
    assert "二〇二一年的服务项目" in text_of_soup(page(client, deregistered))
    html = page(client, deregistered, as_of="2020-06-01")
    assert "二〇二一年的服务项目" not in text_of_soup(html)
    text = text_of_soup(html)
    assert "注销登记" not in text  # the 2022 deregistration had not happened
    assert html.select_one("[data-grade-state]") is None  # nor the 2021 grade
    assert "2020-06-01" in html.select_one("[data-past-view]").get_text()


@pytest.mark.parametrize("value", ["yesterday", "2022-13-01", "1900-01-01", "2999-01-01",
                                   "2022-02-30", "x" * 500, "2022-12-31\x00"])
def test_a_bad_as_of_gives_the_page_with_a_message_and_today(client, listed, value):
    today = timezone.localdate().isoformat()
    for url in ["/organizations/", organization_url(listed), "/statistics/", "/incubation/",
                "/incubation/groups/"]:
        response = client.get(url, {"as_of": value})
        assert response.status_code == 200, (url, value)
        html = BeautifulSoup(response.content.decode(), "html.parser")
        assert html.select_one("[role=alert]") is not None, (url, value)
        assert today in text_of(response), (url, value)
    for url in ["/api/v1/organizations", "/open-data/organizations.csv"]:
        response = client.get(url, {"as_of": value})
        assert response.status_code == 400, (url, value)
        message = response.json()["detail"] if "api" in url else response.content.decode()
        assert "日期" in message, (url, value)


@pytest.mark.parametrize("query", [{"state": "bogus"}, {"center": "abc"},
                                   {"center": "9" * 30}, {"state": "ongoing", "center": "7"}])
def test_the_groups_list_takes_hostile_queries_as_no_filter(client, query):
    response = client.get("/incubation/groups/", query)
    assert response.status_code == 200
    assert 'data-total="0"' in response.content.decode()


def test_an_unknown_identifier_gets_the_normal_404_page(client):
    response = client.get("/organizations/51330421MJ0000000X/")
    assert response.status_code == 404
    assert "未找到" in response.content.decode()
