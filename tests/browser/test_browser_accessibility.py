"""Every public page at desktop and phone width: axe-core finds no serious or critical violation,
a phone reader never scrolls sideways, and the keyboard's first stop skips to the content."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from funds.models import CommunityFoundation, SpecialFund
from incubator.models import IncubationCenter
from registry.models import Area, LegalForm, Organization
from registry.urls_public import organization_url


def _directory():
    town = Area.objects.filter(level__in=Area.TOWN_LEVELS).order_by("code").first()
    return f"/organizations/?q=协会&legal_form={LegalForm.SOCIAL_GROUP.value}&town={town.code}"


def _organization():
    # One with a long record: inspections, services, incubation.
    organization = (
        Organization.objects.exclude(credit_code="")
        .filter(transferred_services__isnull=False, incubations__isnull=False)
        .order_by("pk").first()
        or Organization.objects.exclude(credit_code="").order_by("pk").first()
    )
    return organization_url(organization)


PAGES = {
    "home": lambda: "/",
    "directory": _directory,
    "organization": _organization,
    "incubation": lambda: "/incubation/",
    "incubation-center": lambda: f"/incubation/{IncubationCenter.objects.order_by('pk').first().pk}/",
    "services": lambda: "/services/",
    "services-coverage": lambda: "/services/coverage/",
    "funds-network": lambda: "/funds/",
    "foundation": lambda: f"/funds/foundations/{CommunityFoundation.objects.order_by('pk').first().pk}/",
    "special-fund": lambda: f"/funds/special-funds/{SpecialFund.objects.order_by('pk').first().pk}/",
    "statistics": lambda: f"/statistics/?as_of={timezone.localdate():%Y-%m-%d}",
    "open-data": lambda: "/open-data/",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible_and_fits_a_phone(page, name, viewport, assert_accessible, screenshot):
    response = page.goto(PAGES[name]())
    assert response.status == 200, (name, response.status)
    expect(page.locator("main h1")).to_be_visible()
    screenshot(page, name)

    if viewport["width"] <= 360:
        widths = page.evaluate(
            "() => ({page: document.documentElement.scrollWidth, window: window.innerWidth})"
        )
        wide = page.evaluate(
            """() => [...document.querySelectorAll('main *, header *, nav *, footer *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                             && !e.closest('.table-scroll, .svg-frame'))
                .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""
        )
        assert widths["page"] <= widths["window"] + 1, f"{name} overflows at 360 px: {widths}, {wide}"

    # The first Tab reaches the skip link, which takes the keyboard to the main content.
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    assert_accessible(page)
