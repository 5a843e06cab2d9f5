"""The directory searched as a person would (type a keyword, pick two filters, press Enter), with
and without JavaScript, and an organization's own page."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from registry.directory import PAGE_SIZE
from registry.models import Area, LegalForm, Organization, Status
from registry.selectors import status_as_of
from registry.urls_public import organization_url


def _finds(organization, keyword):
    """What a reader expects a keyword to find: a name or former name holding it."""
    names = [organization.name, *(former.name for former in organization.former_names.all())]
    return any(keyword in name for name in names)


def pick_search():
    """A town, the legal form 社会团体 and a two-character keyword from one of its organizations'
    names (not part of the county's or the town's name) that finds a few of that town's social
    groups (more than one, all on the first page).
    Returns (town, keyword, {public identifier: organization expected})."""
    groups = (
        Organization.objects.filter(legal_form=LegalForm.SOCIAL_GROUP, town__level__in=Area.TOWN_LEVELS)
        .select_related("town__parent").prefetch_related("former_names").order_by("pk")
    )
    by_town = {}
    for organization in groups:
        by_town.setdefault(organization.town, []).append(organization)
    for town, members in by_town.items():
        for organization in members:
            for i in range(len(organization.name) - 1):
                keyword = organization.name[i:i + 2]
                if keyword in town.name or keyword in town.parent.name:
                    continue
                found = [member for member in members if _finds(member, keyword)]
                if 2 <= len(found) <= PAGE_SIZE:
                    return town, keyword, {member.public_identifier: member for member in found}
    raise AssertionError("the demo has no town with a few social groups sharing a keyword")


@pytest.fixture(params=["js", "no-js"])
def reader(request):
    """The page a reader uses: JavaScript on, or off."""
    return request.getfixturevalue("page" if request.param == "js" else "no_js_page")


def test_directory_search_with_two_filters_and_a_keyword(reader, screenshot, request):
    page = reader
    town, keyword, expected = pick_search()

    page.goto("/organizations/")
    form = page.get_by_role("search", name="查找社会组织")
    form.get_by_label("关键词").fill(keyword)
    more = form.locator("summary", has_text="更多筛选条件")
    if more.is_visible():  # a phone's panel of the other filters; a desk shows them all
        more.click()
    form.get_by_label("组织类型").select_option(label="社会团体")
    form.get_by_label("镇（街道）").select_option(label=town.name)
    form.get_by_label("关键词").press("Enter")
    page.wait_for_url("**/organizations/?*")

    query = parse_qs(urlsplit(page.url).query)
    assert query["q"] == [keyword]
    assert query["legal_form"] == [LegalForm.SOCIAL_GROUP.value]
    assert query["town"] == [town.code]
    # The form keeps what was asked, so the search can be refined or shared.
    expect(form.get_by_label("关键词")).to_have_value(keyword)
    expect(form.get_by_label("组织类型")).to_have_value(LegalForm.SOCIAL_GROUP.value)
    expect(form.get_by_label("镇（街道）")).to_have_value(town.code)

    rows = page.locator("ol.record-list > li.record")
    expect(rows).to_have_count(len(expected))
    expect(page.locator(".result-count")).to_have_attribute("data-total", str(len(expected)))
    listed = set()
    for i in range(rows.count()):
        row = rows.nth(i)
        facts = dict(zip(row.locator("dt").all_inner_texts(), row.locator("dd").all_inner_texts()))
        identifier = facts["统一社会信用代码"]
        listed.add(identifier)
        assert facts["组织类型"] == "社会团体", facts
        assert facts["所属镇街"].split(" · ")[0] == town.name, facts
        name = row.locator("h3").inner_text()
        assert keyword in name or _finds(expected[identifier], keyword), (name, keyword)
    assert listed == set(expected)
    screenshot(page, request.node.callspec.params["reader"])

    # A result leads to the organization's page.
    first = rows.first.locator("h3 a")
    name = first.inner_text()
    first.click()
    expect(page.locator("h1")).to_have_text(name)


@pytest.fixture
def organizations():
    """An active registered organization and a deregistered one, with their status today."""
    today = timezone.localdate()
    chosen = {}
    for organization in Organization.objects.exclude(credit_code="").order_by("pk"):
        status = status_as_of(organization=organization, as_of=today)
        if status in (Status.REGISTERED, Status.DEREGISTERED) and status not in chosen:
            chosen[status] = organization
        if len(chosen) == 2:
            break
    assert len(chosen) == 2, "the demo has no deregistered organization with a credit code"
    return chosen


@pytest.mark.parametrize("status", [Status.REGISTERED, Status.DEREGISTERED], ids=["active", "deregistered"])
def test_organization_page_shows_name_code_status_and_json_ld(page, organizations, status, screenshot):
    organization = organizations[status]

    response = page.goto(organization_url(organization))
    assert response.status == 200
    expect(page.locator("h1")).to_have_text(organization.name)
    facts = page.locator("article dl.facts").first
    expect(facts.locator("dt", has_text="统一社会信用代码")).to_be_visible()
    expect(facts.locator("dd").first).to_have_text(organization.credit_code)
    expect(page.locator(".org-status .tag")).to_have_text(str(status.label))
    expect(page.locator(".org-status .tag")).to_be_visible()
    if status == Status.DEREGISTERED:
        # The page is kept, and says plainly that the organization is gone.
        expect(page.locator(f'.message[data-status="{status.value}"]')).to_contain_text(str(status.label))

    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "Organization"
    assert data["name"] == organization.name
    assert organization.credit_code in json.dumps(data, ensure_ascii=False)
    screenshot(page, status.value)
