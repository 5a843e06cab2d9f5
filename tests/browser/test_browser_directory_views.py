"""The directory as a reader on a phone and at a desk meets it: the home page's search box, the
filter panel out of the way on a phone after a search, and the compact table of results, kept
while paging, sorting and filtering."""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from registry.directory import PAGE_SIZE
from registry.models import Area, LegalForm, Organization

PHONE_WIDTH = 360
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _query(page):
    return parse_qs(urlsplit(page.url).query)


def _busy_town():
    """A town with more than two pages of organizations."""
    for town in Area.objects.filter(level__in=Area.TOWN_LEVELS).order_by("code"):
        if Organization.objects.filter(town=town).count() > 2 * PAGE_SIZE:
            return town
    raise AssertionError("the demo has no town with more than two pages of organizations")


def _keyword():
    """Two characters of an organization's name that several names share."""
    name = Organization.objects.filter(legal_form=LegalForm.SOCIAL_GROUP).order_by("pk").first().name
    for i in range(len(name) - 1):
        keyword = name[i:i + 2]
        if Organization.objects.filter(name__contains=keyword).count() >= 3 and not set(keyword) & set("嘉善县"):
            return keyword
    raise AssertionError(f"no shared keyword in {name}")


def test_the_home_page_searches_the_directory(page, screenshot):
    keyword = _keyword()
    page.goto("/")
    search = page.get_by_role("search", name="查找社会组织")
    expect(search).to_be_visible()
    search.get_by_label("查找社会组织").fill(keyword)
    screenshot(page)
    search.get_by_role("button", name="搜索").click()
    page.wait_for_url("**/organizations/?*")
    assert _query(page) == {"q": [keyword]}
    expect(page.get_by_role("search", name="查找社会组织").get_by_label("关键词")).to_have_value(keyword)
    results = page.locator("ol.record-list > li.record")
    expect(results.first).to_be_visible()
    for name in results.locator("h3").all_inner_texts():
        assert name  # what it found is listed by name
    assert int(page.locator(".result-count").get_attribute("data-total")) >= 3


def test_after_a_search_a_phone_shows_the_results_first_and_a_desk_the_filters(page, viewport, screenshot):
    town = _busy_town()
    phone = viewport["width"] <= PHONE_WIDTH
    page.goto("/organizations/")
    form = page.get_by_role("search", name="查找社会组织")
    town_filter = form.get_by_label("镇（街道）")
    summary = form.locator("summary", has_text="更多筛选条件")
    if phone:
        expect(town_filter).to_be_hidden()
        summary.click()  # the filters are a tap away
    else:
        expect(summary).to_be_hidden()  # a desk shows them all, with no toggle
    expect(town_filter).to_be_visible()
    town_filter.select_option(town.code)
    form.get_by_label("组织类型").select_option(LegalForm.COMMUNITY_ORGANIZATION.value)
    form.get_by_role("button", name="查询").click()
    page.wait_for_url("**legal_form=*")
    assert _query(page)["town"] == [town.code]

    first = page.locator("ol.record-list > li.record").first
    expect(first).to_be_visible()
    screenshot(page)
    if phone:
        page.screenshot(path=str(SCREENSHOTS / "directory-after-a-search-first-screen-360.png"))
        # The panel is closed again and the results are on the first screen, no scrolling.
        expect(town_filter).to_be_hidden()
        box = first.bounding_box()
        assert 0 <= box["y"] < viewport["height"] - 60, box
        assert page.evaluate("window.scrollY") > 0  # the form is above, a scroll away
        summary.click()
        expect(town_filter).to_have_value(town.code)  # and keeps what was asked
    else:
        expect(town_filter).to_be_visible()
        expect(town_filter).to_have_value(town.code)


def test_a_value_to_correct_keeps_the_filters_open_on_a_phone(page):
    page.goto("/organizations/?year_from=1800")
    expect(page.locator(".message.error")).to_be_visible()
    expect(page.get_by_role("search", name="查找社会组织").get_by_label("登记/备案年份（起）")).to_be_visible()


def _rows_on_first_screen(page, locator):
    top = page.locator("#results-heading").bounding_box()["y"]
    height = page.viewport_size["height"]
    boxes = [locator.nth(i).bounding_box() for i in range(locator.count())]
    return sum(1 for box in boxes if box["y"] + box["height"] <= top + height)


def test_the_table_view_is_kept_while_paging_sorting_and_filtering(page, viewport, screenshot):
    town = _busy_town()
    page.goto(f"/organizations/?town={town.code}")
    cards = page.locator("ol.record-list > li.record")
    expect(cards).to_have_count(PAGE_SIZE)
    cards_on_screen = _rows_on_first_screen(page, cards)

    # The switch to the table.
    switch = page.get_by_role("navigation", name="结果显示方式")
    expect(switch.get_by_role("link", name="卡片")).to_have_attribute("aria-current", "true")
    switch.get_by_role("link", name="表格").click()
    page.wait_for_url("**view=table*")
    assert _query(page) == {"town": [town.code], "view": ["table"]}
    rows = page.locator(".directory-table tbody tr")
    expect(rows).to_have_count(PAGE_SIZE)
    expect(page.locator("ol.record-list")).to_have_count(0)
    headers = page.locator(".directory-table thead th").all_inner_texts()
    assert headers == ["名称", "统一社会信用代码/备案编号", "组织类型", "所属镇街", "状态", "评估等级",
                       "登记/备案日期"]
    assert _rows_on_first_screen(page, rows) >= 2 * max(cards_on_screen, 1), "the table is not compact"
    # Each row is an organization of the town, named with its code.
    first = rows.first
    cells = first.locator("td").all_inner_texts()
    organization = Organization.objects.get(credit_code=cells[0]) if Organization.objects.filter(
        credit_code=cells[0]).exists() else Organization.objects.get(filing_number=cells[0])
    assert organization.town_id == town.pk and first.locator("th").inner_text() == organization.name
    screenshot(page)

    # Paging keeps the table.
    page.get_by_role("navigation", name="翻页").get_by_role("link", name="下一页").click()
    page.wait_for_url("**after=*")
    assert _query(page)["view"] == ["table"]
    expect(rows).to_have_count(PAGE_SIZE)

    # So does another sort, asked for through the form.
    form = page.get_by_role("search", name="查找社会组织")
    form.get_by_label("排序").select_option("-registered")
    form.get_by_role("button", name="查询").click()
    page.wait_for_url("**sort=-registered*")
    assert _query(page)["view"] == ["table"] and "after" not in _query(page)
    expect(rows).to_have_count(PAGE_SIZE)
    dates = [d for d in page.locator(".directory-table td.date").all_inner_texts() if d != "—"]
    assert dates == sorted(dates, reverse=True)

    # And taking a filter off; the downloads are of the query alone.
    for url in page.locator(".downloads a").evaluate_all("links => links.map(a => a.href)"):
        assert "view" not in parse_qs(urlsplit(url).query), url
    page.locator(".active-filters a", has_text="取消").first.click()
    page.wait_for_load_state()
    assert _query(page).get("view") == ["table"] and "town" not in _query(page)
    expect(rows).to_have_count(PAGE_SIZE)

    # Back to the cards.
    page.get_by_role("navigation", name="结果显示方式").get_by_role("link", name="卡片").click()
    page.wait_for_load_state()
    assert "view" not in _query(page)
    expect(cards).to_have_count(PAGE_SIZE)


def test_the_table_is_accessible(page, assert_accessible):
    page.goto("/organizations/?view=table")
    expect(page.locator(".directory-table tbody tr").first).to_be_visible()
    assert_accessible(page)
