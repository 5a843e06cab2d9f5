"""The public pages: layout, home, statistics, incubation, services, funds, sitemap and robots.txt,
the language switch. Built from factories; the demo figures are checked in test_pages_demo.py."""

import datetime
import re

import pytest
from django.conf import settings
from bs4 import BeautifulSoup
from django.utils import timezone

from funds.factories import CommunityFoundationFactory, MoneyMovementFactory, SpecialFundFactory
from funds.models import CommunityFoundation, MoneyMovement
from incubator.factories import CountyIncubationCenterFactory, IncubationCenterFactory, IncubationFactory
from incubator.models import Incubation
from registry.factories import (
    CountyFactory, DepartmentFactory, ServiceFieldFactory, TownFactory, TransferredServiceFactory,
    registered_organization,
)
from registry.models import LegalForm, TransferredService
from registry.urls_public import organization_url
from website.models import ArticlePage, HomePage
from website.public_pages import ensure_public_pages
from website.selectors import headline_figures

pytestmark = pytest.mark.django_db

D = datetime.date


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(response):
    return " ".join(soup(response).get_text(" ").split())


def build_world(*, organizations):
    """A county with three towns (one without a center or foundation), `organizations`
    organizations, each with a transferred service, an incubation and a grant from a special fund
    that also received a personal donation. Returns the records the tests look at."""
    county = CountyFactory()
    towns = [TownFactory(name=name, parent=county) for name in ("甲镇", "乙街道", "丙镇")]
    fields = [ServiceFieldFactory(name=name) for name in ("养老服务", "社区治理")]
    department = DepartmentFactory(name="测试县民政局")
    county_center = CountyIncubationCenterFactory(area=county, name="测试县社会组织培育发展中心")
    town_center = IncubationCenterFactory(area=towns[0], name="甲镇社会组织培育发展中心")
    hub = CommunityFoundationFactory(
        role=CommunityFoundation.Role.COUNTY_HUB, area=county,
        organization=registered_organization(
            name="测试县社区发展基金会", legal_form=LegalForm.FOUNDATION, town=towns[0], on=D(2019, 1, 1)))
    town_foundation = CommunityFoundationFactory(
        area=towns[0],
        organization=registered_organization(
            name="甲镇社区发展基金会", legal_form=LegalForm.FOUNDATION, town=towns[0], on=D(2019, 1, 1)))
    fund = SpecialFundFactory(host=hub, name="测试共同富裕专项基金")
    orgs = []
    for i in range(organizations):
        form = LegalForm.COMMUNITY_ORGANIZATION if i % 2 else LegalForm.SOCIAL_SERVICE_INSTITUTION
        org = registered_organization(
            name=f"测试社会组织{i}", legal_form=form, town=towns[i % 2], on=D(2019, 1, 1) + datetime.timedelta(days=i))
        orgs.append(org)
        service = TransferredServiceFactory(
            organization=org, department=department, service_fields=[fields[i % 2]],
            starts_on=D(2022, 1, 1), ends_on=None)
        service.towns.set([towns[i % 2]])
        IncubationFactory(
            center=county_center if i % 2 else town_center, group_name=f"测试孵化团队{i}",
            organization=org, outcome=Incubation.Outcome.FILED if i % 2 else Incubation.Outcome.REGISTERED,
            started_on=D(2018, 3, 1), ended_on=D(2018, 12, 1))
        MoneyMovementFactory(
            special_fund=fund, kind=MoneyMovement.Kind.DONATION_IN, amount=1000 + i,
            counterparty_kind=MoneyMovement.CounterpartyKind.INDIVIDUAL, counterparty="",
            personal_donor_name=f"张三丰{i}号", receipt_number=f"RCPT-{i:05d}",
            internal_note="内部备注不公开", date=D(2022, 3, 1))
        MoneyMovementFactory(
            special_fund=fund, kind=MoneyMovement.Kind.GRANT_OUT, amount=500,
            counterparty_kind=MoneyMovement.CounterpartyKind.ORGANIZATION, counterparty="",
            grantee=org, project=f"测试资助项目{i}", date=D(2023, 4, 1))
    IncubationFactory(center=town_center, group_name="尚在孵化的测试队", started_on=D(2023, 1, 1))
    ensure_public_pages()
    return {"county": county, "towns": towns, "fields": fields, "department": department,
            "county_center": county_center, "town_center": town_center, "hub": hub,
            "town_foundation": town_foundation, "fund": fund, "organizations": orgs}


@pytest.fixture
def world():
    return build_world(organizations=4)


def page_urls(world):
    return [
        "/", "/statistics/", "/statistics/?as_of=2022-12-31", "/services/", "/services/coverage/",
        "/incubation/", f"/incubation/{world['town_center'].pk}/", "/funds/",
        f"/funds/foundations/{world['hub'].pk}/", f"/funds/special-funds/{world['fund'].pk}/",
    ]


# --- layout ---------------------------------------------------------------------------------------

def test_every_page_has_landmarks_skip_link_navigation_and_language_switch(client, world):
    for url in page_urls(world):
        page = soup(client.get(url))
        assert page.html["lang"] == "zh-hans", url
        skip = page.find("a", class_="skip-link")
        assert skip["href"] == "#main" and page.find("main", id="main"), url
        assert page.find("header") and page.find("footer"), url
        nav = page.find("nav", class_="site-nav")
        assert [a.get_text(strip=True) for a in nav.find_all("a")] == [
            "社会组织名录", "承接政府转移职能", "培育孵化", "社区基金", "统计数据", "开放数据"], url
        switch = page.find("form", class_="lang-switch")
        assert switch["method"] == "get" and switch["action"] == "/i18n/setlang/"
        assert {b["value"] for b in switch.find_all("button")} == {"zh-hans", "en"}
        assert len(page.find_all("h1")) == 1, url
        assert page.find("link", rel="stylesheet")["href"].startswith("/static/"), url
        # Nothing is fetched from another site.
        assert not page.find_all(src=re.compile(r"^(https?:)?//")), url


def test_the_current_section_is_marked_in_the_navigation(client, world):
    page = soup(client.get(f"/incubation/{world['town_center'].pk}/"))
    current = page.find("nav", class_="site-nav").find("a", attrs={"aria-current": True})
    assert current.get_text(strip=True) == "培育孵化"
    crumbs = [li.get_text(strip=True) for li in page.find("nav", class_="breadcrumbs").find_all("li")]
    assert crumbs == ["首页", "培育孵化", "甲镇社会组织培育发展中心"]


def test_english_switch_changes_the_navigation_language_and_back(client, world):
    response = client.get("/i18n/setlang/", {"language": "en", "next": "/funds/?year=2022"})
    assert response.status_code == 302 and response["Location"] == "/en/funds/?year=2022"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en" and int(cookie["max-age"]) == 365 * 24 * 60 * 60

    page = soup(client.get("/en/funds/"))
    assert page.html["lang"] == "en"
    labels = [a.get_text(strip=True) for a in page.find("nav", class_="site-nav").find_all("a")]
    assert labels == ["Directory", "Transferred services", "Incubation", "Community funds",
                      "Statistics", "Open data"]
    assert [a["href"] for a in page.find("nav", class_="site-nav").find_all("a")][0] == "/en/organizations/"
    assert page.find("h1").get_text(strip=True) == "Community funds"
    assert page.find("a", class_="skip-link").get_text(strip=True) == "Skip to main content"

    # The choice is remembered: a Chinese address opened later goes on to its English one.
    remembered = client.get("/funds/")
    assert remembered.status_code == 302 and remembered["Location"] == "/en/funds/"

    back = client.get("/i18n/setlang/", {"language": "zh-hans", "next": "/en/funds/"})
    assert back["Location"] == "/funds/"
    assert soup(client.get("/")).find("nav", class_="site-nav").find("a").get_text(strip=True) == "社会组织名录"


def test_each_page_names_its_address_in_the_other_language(client, world):
    for chinese, english in [("/", "/en/"), ("/funds/", "/en/funds/"),
                             ("/organizations/?q=%E5%8D%8F%E4%BC%9A", "/en/organizations/?q=%E5%8D%8F%E4%BC%9A")]:
        for address in (chinese, english):
            links = {link["hreflang"]: link["href"]
                     for link in soup(client.get(address)).find_all("link", rel="alternate")}
            assert links == {"zh-Hans": "http://testserver" + chinese,
                             "en": "http://testserver" + english,
                             "x-default": "http://testserver" + chinese}, address


def test_a_browser_preferring_english_still_gets_the_chinese_site(client, world):
    page = soup(client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    assert page.html["lang"] == "zh-hans"
    assert page.find("nav", class_="site-nav").find("a").get_text(strip=True) == "社会组织名录"


# --- home -----------------------------------------------------------------------------------------

def test_home_figures_are_the_selectors_and_link_to_the_agreed_urls(client, world):
    figures = headline_figures(as_of=timezone.localdate())
    page = soup(client.get("/"))
    cards = {card["data-figure"]: card for card in page.select("[data-figure]")}

    def value(key):
        return int(cards[key].find(class_="value").find(string=True, recursive=False).replace(",", ""))

    expected = {
        "registered": (figures.registered, "/organizations/?kind=registered&status=active"),
        "filed": (figures.filed, "/organizations/?kind=filed&status=active"),
        "service_undertakers": (figures.service_undertakers, "/organizations/?services=yes"),
        "service_fields_covered": (figures.service_fields_covered, "/services/coverage/"),
        "incubated": (figures.incubated, "/incubation/"),
        "foundations": (figures.county_hubs + figures.town_foundations, "/funds/"),
        "special_funds": (figures.special_funds, "/funds/#special-funds"),
    }
    for key, (number, url) in expected.items():
        assert value(key) == number, key
        assert cards[key]["href"] == url, key
    # The records behind the figures exist in these numbers.
    assert figures.registered == 2 + 2  # two social service institutions + two foundations
    assert figures.filed == 2
    assert figures.incubated == 5


def test_home_lists_the_latest_notices_newest_first(client, world):
    home = HomePage.objects.get()
    for day, title in ((D(2024, 1, 5), "较早的通知"), (D(2024, 3, 1), "最新的通知")):
        home.add_child(instance=ArticlePage(title=title, date=day, body="<p>正文</p>")).save_revision().publish()

    page = soup(client.get("/"))
    titles = [a.get_text(strip=True) for a in page.select(".article-list a")]
    assert titles[:2] == ["最新的通知", "较早的通知"]
    article = soup(client.get(page.select(".article-list a")[0]["href"]))
    assert article.find("h1").get_text(strip=True) == "最新的通知"


# --- statistics -----------------------------------------------------------------------------------

def figure_table(page):
    rows = page.find("caption", id="headline-caption").find_parent("table").select("tbody tr")
    return {row.th.get_text(strip=True): row.td.get_text(strip=True) for row in rows}


def test_statistics_show_every_headline_figure_as_of_the_date(client, world):
    as_of = D(2022, 12, 31)
    figures = headline_figures(as_of=as_of)
    table = figure_table(soup(client.get("/statistics/?as_of=2022-12-31")))

    assert table["登记社会组织"] == f"{figures.registered:,}"
    assert table["备案社区社会组织"] == f"{figures.filed:,}"
    assert table["承接政府转移职能的社会组织（累计）"] == str(figures.service_undertakers)
    assert table["累计孵化社会组织（团队）"] == str(figures.incubated) == "4"  # the 2023 one is later
    assert table["设有培育发展中心的镇（街道）"] == "1 / 3"


@pytest.mark.parametrize("as_of", ["bad", "2022-02-30", "2022/12/31", "9999-12-31", "x" * 5000, "1-1-1"])
def test_a_bad_date_gives_todays_figures_and_a_message(client, world, as_of):
    response = client.get("/statistics/", {"as_of": as_of})
    page = soup(response)

    message = page.find(class_="message error")
    assert message is not None and "今天" in message.get_text()
    today = timezone.localdate()
    assert page.find("input", id="as_of")["value"] == today.isoformat()
    assert figure_table(page)["登记社会组织"] == str(headline_figures(as_of=today).registered)


def test_a_date_before_any_record_shows_zeros(client, world):
    table = figure_table(soup(client.get("/statistics/?as_of=1990-06-30")))

    assert table["登记社会组织"] == "0"
    assert table["备案社区社会组织"] == "0"
    assert table["累计孵化社会组织（团队）"] == "0"
    assert table["在设专项基金"] == "0"


def test_statistics_break_down_by_legal_form_town_and_field_with_charts_and_their_tables(client, world):
    page = soup(client.get("/statistics/?as_of=2023-12-31"))
    text = " ".join(page.get_text(" ").split())

    forms = page.find("caption", id="forms-caption").find_parent("table")
    rows = {r.th.get_text(strip=True): r.find("td").get_text(strip=True) for r in forms.select("tbody tr")}
    assert rows["社会服务机构（民办非企业单位）"] == "2" and rows["基金会"] == "2"
    assert rows["社区社会组织（备案）"] == "2"
    towns = page.find("caption", id="towns-caption").find_parent("table")
    town_rows = {r.th.get_text(strip=True): [td.get_text(strip=True) for td in r.find_all("td")]
                 for r in towns.select("tbody tr")}
    assert town_rows["丙镇"] == ["0", "0", "0", "0", "0"]
    assert "养老服务" in text and "社区治理" in text
    # Each trend chart is an SVG with a title, followed by its data table.
    charts = page.select("section.chart")
    assert len(charts) == 4
    for chart in charts:
        assert chart.find("svg", attrs={"role": "img"}).find("title")
        assert chart.find("table").find("caption")


# --- incubation -----------------------------------------------------------------------------------

def test_incubation_shows_coverage_centers_and_figures(client, world):
    page = soup(client.get("/incubation/"))
    coverage = {r.th.get_text(strip=True): r.td.get_text(" ", strip=True)
                for r in page.find("caption", id="coverage-caption").find_parent("table").select("tbody tr")}
    assert coverage["甲镇"] == "甲镇社会组织培育发展中心"
    assert coverage["丙镇"] == "尚未设立"
    figures = {c["data-figure"]: c.find(class_="value").get_text(strip=True) for c in page.select("[data-figure]")}
    # The group begun on 2023-01-01 with no outcome is past its planned end (a year) today.
    assert figures == {"incubated": "5", "registered_or_filed": "4", "ongoing": "0", "overdue": "1",
                       "left": "0"}


def test_a_center_lists_its_groups_linked_to_their_organizations(client, world):
    page = soup(client.get(f"/incubation/{world['town_center'].pk}/"))
    links = {a.get_text(strip=True): a["href"] for a in page.select(".record h3 a")}
    org = world["organizations"][0]
    assert links["测试孵化团队0"] == organization_url(org)
    unlinked = [h3.get_text(strip=True) for h3 in page.select(".record h3") if not h3.find("a")]
    assert unlinked == ["尚在孵化的测试队"]
    assert "孵化内部备注-不公开" not in page.get_text()


def test_an_unknown_center_is_a_404_in_the_site_layout(client, world):
    response = client.get("/incubation/999999/")
    assert response.status_code == 404
    page = BeautifulSoup(response.content.decode(), "html.parser")
    assert page.find("h1").get_text(strip=True) == "未找到页面"
    assert page.find("nav", class_="site-nav")


# --- transferred services -------------------------------------------------------------------------

def test_service_catalog_filters_by_field_town_mode_department_and_year(client, world):
    town, field = world["towns"][0], world["fields"][0]
    page = soup(client.get("/services/", {"field": field.code, "town": town.code, "year": 2022,
                                           "mode": "purchase", "department": world["department"].pk}))
    titles = [h3.get_text(strip=True) for h3 in page.select(".record h3")]
    expected = TransferredService.objects.filter(service_fields=field, towns=town)
    assert sorted(titles) == sorted(expected.values_list("title", flat=True)) and len(titles) == 2
    # The undertaker links to its organization page.
    link = page.select_one(".record dd a")
    assert link["href"].startswith("/organizations/")

    assert not soup(client.get("/services/", {"year": 2021})).select(".record")


@pytest.mark.parametrize("query", [
    {"field": "no-such-field"}, {"town": "000"}, {"department": "abc"}, {"mode": "gift"},
    {"year": "20x2"}, {"year": "99999"}, {"page": "0"}, {"page": "-3"}, {"page": "abc"},
    {"page": str(10 ** 9)}, {"page": "9" * 40}, {"field": "x" * 5000},
])
def test_bad_catalog_queries_give_a_normal_page(client, world, query):
    response = client.get("/services/", query)
    assert response.status_code == 200


def test_a_page_past_the_end_says_so_and_links_back(client, world):
    page = soup(client.get("/services/", {"page": 50}))
    assert "这一页没有记录" in page.get_text()
    assert page.find("a", string="回到第一页")["href"] == "/services/"


def test_catalog_pages_without_counting(client, world, django_assert_max_num_queries):
    for i in range(25):
        TransferredServiceFactory(title=f"翻页测试项目{i:02d}", organization=world["organizations"][0])
    first = soup(client.get("/services/"))
    assert len(first.select(".record")) == 20
    second = soup(client.get(first.find("a", rel="next")["href"]))
    assert len(second.select(".record")) == 25 + 4 - 20
    assert not second.find("a", rel="next") and second.find("a", rel="prev")


def test_coverage_matrix_counts_active_services_by_field_and_town_and_links_to_them(client, world):
    page = soup(client.get("/services/coverage/", {"year": 2023}))
    table = page.find("table", class_="matrix")
    assert table.find("caption")
    header = [th.get_text(strip=True) for th in table.select("thead th")]
    assert header == ["服务领域", "甲", "乙", "丙", "合计"]
    row = next(r for r in table.select("tbody tr") if r.th.get_text(strip=True) == "养老服务")
    cells = [td.get_text(strip=True) for td in row.find_all("td")]
    assert cells == ["2", "0", "0", "2"]
    listed = soup(client.get(row.find("td").a["href"]))
    assert len(listed.select(".record")) == 2


def test_coverage_with_a_bad_year_shows_this_year_and_a_message(client, world):
    page = soup(client.get("/services/coverage/", {"year": "abc"}))
    assert page.find(class_="message error")
    assert page.find("option", selected=True)["value"] == str(timezone.localdate().year)


# --- funds ----------------------------------------------------------------------------------------

def test_network_page_draws_the_network_with_its_data_table(client, world):
    page = soup(client.get("/funds/"))
    svg = page.find("figure", class_="network").find("svg")
    # A drawing whose nodes are links is a group (an img hides its links from screen readers).
    assert svg["role"] == "group" and "县级枢纽" in svg.get_text()
    assert {a["href"] for a in svg.find_all("a")} == {
        f"foundations/{world['hub'].pk}/", f"foundations/{world['town_foundation'].pk}/"}
    rows = page.find("caption", id="network-caption").find_parent("table").select("tbody tr")
    assert [r.th.a["href"] for r in rows] == [
        f"/funds/foundations/{world['hub'].pk}/", f"/funds/foundations/{world['town_foundation'].pk}/"]
    funds = page.find(id="special-funds")
    assert funds.find("a", string="测试共同富裕专项基金")["href"] == f"/funds/special-funds/{world['fund'].pk}/"
    money = page.select("section.chart")[0]
    years = [r.th.get_text(strip=True) for r in money.select("tbody tr")]
    assert years == ["2023", "2022"]  # the newest first


def test_special_fund_page_charts_money_by_year_and_links_grantees(client, world):
    page = soup(client.get(f"/funds/special-funds/{world['fund'].pk}/"))
    chart = page.select_one("section.chart")
    assert chart.find("svg")
    rows = {r.th.get_text(strip=True): [td.get_text(strip=True) for td in r.find_all("td")]
            for r in chart.select("tbody tr")}
    assert [th.get_text(strip=True) for th in chart.select("thead th")] == [
        "年份", "收入（元）", "资助支出（元）", "其他支出（元）"]
    assert rows == {"2022": ["4,006.00", "0.00", "0.00"], "2023": ["0.00", "2,000.00", "0.00"]}
    grants = page.find("caption", id="grants-caption").find_parent("table")
    links = {a.get_text(strip=True): a["href"] for a in grants.select("tbody a")}
    for org in world["organizations"]:
        assert links[org.name] == organization_url(org)


def test_personal_donors_are_never_named_on_funds_pages(client, world):
    urls = ["/funds/", f"/funds/foundations/{world['hub'].pk}/",
            f"/funds/foundations/{world['town_foundation'].pk}/",
            f"/funds/special-funds/{world['fund'].pk}/", "/statistics/", "/"]
    private = list(MoneyMovement.objects.exclude(personal_donor_name="").values_list(
        "personal_donor_name", "receipt_number", "internal_note"))
    assert private
    for url in urls:
        content = client.get(url).content.decode()
        for values in private:
            for value in values:
                assert value not in content, (url, value)
    fund_page = text_of(client.get(f"/funds/special-funds/{world['fund'].pk}/"))
    assert fund_page.count("个人捐赠") >= 4


def test_unknown_foundation_or_fund_is_a_404(client, world):
    assert client.get("/funds/foundations/999999/").status_code == 404
    assert client.get("/funds/special-funds/999999/").status_code == 404


# --- query counts ---------------------------------------------------------------------------------

# The statistics page reads every figure, each breakdown and four trends: one query each.
PAGE_QUERY_BOUND = {"/statistics/": 40}


@pytest.mark.parametrize("organizations", [2, 24])
def test_page_query_counts_do_not_grow_with_the_records(client, organizations, django_assert_max_num_queries):
    world = build_world(organizations=organizations)
    for url in page_urls(world):
        client.get(url)  # warm the per-process caches (site root paths, content types)
        with django_assert_max_num_queries(PAGE_QUERY_BOUND.get(url.split("?")[0], 20), info=url):
            assert client.get(url).status_code == 200


# --- sitemap and robots ---------------------------------------------------------------------------

def test_robots_txt_allows_all_but_the_admin_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines and "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def sitemap_entries(client):
    """{location: {hreflang: alternate}} over every sitemap the index names."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and index["Content-Type"].startswith("application/xml")
    entries = {}
    for sitemap in re.findall(r"<loc>(http://testserver/[^<]+)</loc>", index.content.decode()):
        body = client.get(sitemap.removeprefix("http://testserver")).content.decode()
        for url in re.findall(r"<url>(.*?)</url>", body, re.S):
            loc = re.search(r"<loc>http://testserver(/[^<]*)</loc>", url).group(1)
            entries[loc] = dict(re.findall(r'hreflang="([^"]+)" href="http://testserver([^"]*)"', url))
    return entries


def test_sitemap_lists_the_public_pages_and_their_records_in_both_languages(client, world):
    entries = sitemap_entries(client)
    assert {"/", "/organizations/", "/services/", "/services/coverage/", "/incubation/", "/funds/",
            "/statistics/", "/open-data/"} <= set(entries)
    assert f"/incubation/{world['town_center'].pk}/" in entries
    assert f"/funds/foundations/{world['hub'].pk}/" in entries
    assert f"/funds/special-funds/{world['fund'].pk}/" in entries
    assert entries["/en/funds/"] == entries["/funds/"] == {
        "zh-Hans": "/funds/", "en": "/en/funds/", "x-default": "/funds/"}


def test_sitemap_lists_every_organization_page_in_files_of_bounded_size(client, world, monkeypatch):
    from registry.models import Organization
    from website import sitemaps

    monkeypatch.setattr(sitemaps, "ORGANIZATIONS_PER_SITEMAP", 2)
    entries = sitemap_entries(client)
    organizations = list(Organization.objects.all())
    assert len(organizations) > 2  # more than one file
    for organization in organizations:
        url = organization_url(organization)
        assert entries[url]["en"] == "/en" + url and ("/en" + url) in entries
    index = client.get("/sitemap.xml").content.decode()
    files = re.findall(r"sitemap-organizations-(\d+)\.xml", index)
    assert len(files) == -(-max(o.pk for o in organizations) // 2)
    for number in files:
        body = client.get(f"/sitemap-organizations-{number}.xml").content.decode()
        assert body.count("<url>") <= 2 * 2  # two organizations, each in two languages
    assert client.get(f"/sitemap-organizations-{len(files) + 1}.xml").status_code == 404
    assert client.get("/sitemap-nothing-1.xml").status_code == 404


def test_pages_render_on_an_empty_register(client):
    ensure_public_pages()
    for url in ["/", "/statistics/", "/statistics/?as_of=2020-01-01", "/services/",
                "/services/coverage/", "/incubation/", "/funds/"]:
        page = soup(client.get(url))
        assert page.find("h1"), url


def test_statistics_list_the_published_annual_summaries_only(client, world):
    from website.summaries.models import AnnualSummary

    published = AnnualSummary.objects.create(
        year=2022, version=2, state=AnnualSummary.State.PUBLISHED, published_at=timezone.now())
    AnnualSummary.objects.create(year=2023, version=1, state=AnnualSummary.State.DRAFT)

    page = soup(client.get("/statistics/"))
    section = page.find("h2", id="summaries-heading").find_parent("section")
    links = [(a.get_text(strip=True), a["href"]) for a in section.find_all("a")]
    assert links == [(published.title, f"/summaries/{published.pk}/download/")]


# --- the English catalog --------------------------------------------------------------------------

def po_entries(path):
    """{msgid: msgstr} of a .po file written by makemessages --no-wrap; a message with a
    context (msgctxt) is keyed "context\x04msgid", as gettext keys it."""
    import ast

    entries, msgid, context = {}, None, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgctxt "):
            context = ast.literal_eval(line[8:])
        elif line.startswith("msgid "):
            msgid = ast.literal_eval(line[6:])
            if context is not None:
                msgid, context = f"{context}\x04{msgid}", None
        elif line.startswith("msgstr ") and msgid:
            entries[msgid] = ast.literal_eval(line[7:])
    return entries


def test_the_english_catalog_is_compiled_and_covers_the_navigation():
    import gettext
    from pathlib import Path

    from django.conf import settings

    from website.public_pages import PUBLIC_PAGES

    folder = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
    entries = po_entries(folder / "django.po")
    with open(folder / "django.mo", "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    # The committed .mo is the .po compiled: run compilemessages after editing the .po.
    for msgid, msgstr in entries.items():
        if msgstr:
            assert catalog.gettext(msgid) == msgstr, msgid
    for _cls, _slug, title in PUBLIC_PAGES:
        assert entries.get(title), f"no English for the page title {title}"
    for layout_string in ("跳到主要内容", "社会组织与社区基金公示平台", "主导航", "首页"):
        assert entries.get(layout_string), layout_string
