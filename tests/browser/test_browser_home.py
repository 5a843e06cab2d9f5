"""The home page as a reader meets it: today's figures, a figure leading to its list, the
language switch."""

from urllib.parse import parse_qs, urlsplit

from django.utils import timezone, translation
from playwright.sync_api import expect

from website.public_pages import PUBLIC_PAGES
from website.selectors import headline_figures


def test_home_shows_todays_figures_and_the_registered_figure_opens_its_list(page, screenshot):
    figures = headline_figures(as_of=timezone.localdate())

    page.goto("/")
    expect(page.locator("h1")).to_be_visible()
    cards = {
        "registered": figures.registered,
        "filed": figures.filed,
        "service_undertakers": figures.service_undertakers,
        "service_fields_covered": figures.service_fields_covered,
        "incubated": figures.incubated,
        "foundations": figures.county_hubs + figures.town_foundations,
        "special_funds": figures.special_funds,
    }
    for key, value in cards.items():
        card = page.locator(f'a.figure-card[data-figure="{key}"]')
        expect(card).to_be_visible()
        expect(card.locator(".value")).to_contain_text(f"{value:,}")
    screenshot(page)

    page.locator('a.figure-card[data-figure="registered"]').click()
    page.wait_for_url("**/organizations/?*")
    assert parse_qs(urlsplit(page.url).query) == {"kind": ["registered"], "status": ["active"]}
    # The list behind the figure: the form shows the two filters, the count equals the figure.
    expect(page.get_by_label("登记或备案")).to_have_value("registered")
    expect(page.get_by_label("状态", exact=True)).to_have_value("active")
    expect(page.locator(".result-count")).to_have_attribute("data-total", str(figures.registered))
    expect(page.locator(".result-count")).to_contain_text(f"{figures.registered:,}")
    screenshot(page, "list")


def test_the_english_switch_changes_the_navigation_to_english(page, demo_site, screenshot):
    chinese = [title for _cls, _slug, title in PUBLIC_PAGES]
    with translation.override("en"):
        english = [translation.gettext(title) for title in chinese]
    assert english != chinese, "the page titles have no English translation"
    navigation = page.get_by_role("navigation", name="主导航")

    page.goto("/statistics/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(navigation.get_by_role("link")).to_have_text(chinese)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(demo_site + "/en/statistics/")  # the same page, now in English
    expect(page.get_by_role("navigation", name="Main navigation").get_by_role("link")).to_have_text(english)
    screenshot(page)

    # The choice holds on the next page, and the switch goes back to Chinese.
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name=english[0]).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(navigation.get_by_role("link")).to_have_text(chinese)
