"""Scoped staff see their scope on every admin page (管辖范围：西塘镇); a scoped account nobody gave
a scope reads why its lists are empty and whom to ask, instead of an empty list."""

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.test.utils import WagtailTestUtils

from funds.factories import SpecialFundFactory
from funds.models import SpecialFund
from incubator.factories import IncubationCenterFactory, IncubationFactory
from incubator.models import Incubation
from registry.factories import TownFactory, registered_organization
from registry.models import Organization, StatusEvent
from tests.test_admin import admin_url
from website import roles
from website.models import StaffScope

pytestmark = pytest.mark.django_db

SCOPE = "\u7ba1\u8f96\u8303\u56f4\uff1a"  # 管辖范围： with the full-width colon U+FF1A
NO_SCOPE = "尚未设定管辖范围"


@pytest.fixture
def world(django_user_model):
    groups = roles.ensure_role_groups()
    w = SimpleNamespace(town=TownFactory(name="西塘镇"))
    w.org = registered_organization(name="西塘镇古镇保护协会", town=w.town)
    w.center = IncubationCenterFactory(name="西塘镇社会组织培育发展中心", area=w.town)
    w.incubation = IncubationFactory(center=w.center, group_name="西塘古镇志愿队")
    w.fund = SpecialFundFactory(name="西塘乡村振兴专项基金", host__area=w.town)

    def staff(username, group, **scope):
        user = django_user_model.objects.create_user(username, password="pw")
        user.groups.add(groups[group])
        if scope:
            StaffScope.objects.create(user=user, **scope)
        client = Client()
        client.force_login(user)
        return client

    w.town_staff = staff("xitang", roles.TOWN_STAFF, town=w.town)
    w.center_staff = staff("center", roles.CENTER_STAFF, incubation_center=w.center)
    w.foundation_staff = staff("foundation", roles.FOUNDATION_STAFF, foundation=w.fund.host)
    w.county_staff = staff("county", roles.COUNTY_STAFF)
    w.lost_town = staff("lost-town", roles.TOWN_STAFF)
    w.lost_center = staff("lost-center", roles.CENTER_STAFF)
    return w


def banner(client, url):
    """The text of the scope banner on an admin page, or None when it has none."""
    response = client.get(url)
    assert response.status_code == 200, url
    found = WagtailTestUtils.get_soup(response.content.decode()).find(attrs={"data-staff-scope": True})
    return found.get_text(" ", strip=True) if found else None


def pages_of(model, obj):
    return [admin_url(model, "index"), admin_url(model, "add"), admin_url(model, "edit", obj),
            admin_url(model, "history", obj), admin_url(model, "inspect", obj)]


def test_town_staff_see_their_town_on_every_page(world):
    urls = [reverse("wagtailadmin_home"), *pages_of(Organization, world.org),
            *pages_of(StatusEvent, world.org.status_events.get()), "/admin/account/"]
    for url in urls:
        assert banner(world.town_staff, url) == f"{SCOPE}西塘镇", url


def test_center_and_foundation_staff_see_theirs(world):
    for url in [reverse("wagtailadmin_home"), *pages_of(Incubation, world.incubation)]:
        assert banner(world.center_staff, url) == f"{SCOPE}西塘镇社会组织培育发展中心", url
    for url in [reverse("wagtailadmin_home"), *pages_of(SpecialFund, world.fund)]:
        assert banner(world.foundation_staff, url) == f"{SCOPE}{world.fund.host}", url


def test_county_staff_have_no_scope_banner(world):
    for url in [reverse("wagtailadmin_home"), admin_url(Organization, "index")]:
        assert banner(world.county_staff, url) is None


def test_an_account_without_a_scope_is_told_why_and_whom_to_ask(world):
    text = banner(world.lost_town, reverse("wagtailadmin_home"))
    assert NO_SCOPE in text and "镇街工作人员" in text and "所在镇街" in text
    assert roles.COUNTY_STAFF in text and "工作人员管辖范围" in text
    text = banner(world.lost_center, reverse("wagtailadmin_home"))
    assert NO_SCOPE in text and "培育中心工作人员" in text


def test_its_listing_says_so_instead_of_an_empty_list(world):
    response = world.lost_town.get(admin_url(Organization, "index"))
    soup = WagtailTestUtils.get_soup(response.content.decode())
    results = soup.find(id="listing-results")
    assert results.find("table") is None
    results = results.get_text(" ", strip=True)
    assert NO_SCOPE in results and roles.COUNTY_STAFF in results
    # No "add" offered: nothing they made would be inside a scope.
    assert not soup.find("a", href=admin_url(Organization, "add"))
    assert world.town_staff.get(admin_url(Organization, "index")).content.decode().count(
        admin_url(Organization, "add")) >= 1
