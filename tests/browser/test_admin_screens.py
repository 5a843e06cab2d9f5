"""The staff admin in the browser, over the Jiashan demo: a county registrar finds an
organization in the chooser by typing part of its name, and reads in an organization's history
what each of two edits changed. Screenshots go to docs/screenshots (issue 12)."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from registry.models import Organization
from website import roles

ROOT = Path(__file__).resolve().parents[2]
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
PASSWORD = "browser-staff-pw"
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def registrar(demo_site, django_db_blocker):
    """A county registrar, 钱七, committed beside the demo (the live server reads it); the demo's
    clean-up at the end of the session removes it."""
    with django_db_blocker.unblock():
        user, _ = get_user_model().objects.get_or_create(
            username="browser-registrar", defaults={"first_name": "七", "last_name": "钱"})
        user.set_password(PASSWORD)
        user.save()
        user.groups.set([roles.ensure_role_groups()[roles.COUNTY_STAFF]])
    return user


@pytest.fixture
def admin_page(browser, demo_site, registrar):
    context = browser.new_context(base_url=demo_site, viewport=DESKTOP, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto("/admin/login/")
    page.fill("#id_username", registrar.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    yield page
    context.close()


def test_the_organization_chooser_searches_as_one_types(admin_page):
    page = admin_page
    page.goto("/admin/registry/statusevent/new/")
    page.click("#id_organization-chooser button[data-chooser-action-choose]")
    modal = page.locator(".modal-content")
    modal.locator("#id_q").wait_for()
    modal.locator("#id_q").press_sequentially("西塘 养老", delay=50)
    rows = modal.locator("#search-results tbody tr")
    page.wait_for_function(
        """() => {
            const rows = [...document.querySelectorAll('.modal-content #search-results tbody tr')];
            return rows.length > 0 && rows.every(r => r.innerText.includes('养老'));
        }""")
    names = [text.strip() for text in rows.locator("td:first-child").all_inner_texts()]
    # Both words, anywhere in the name.
    expected = Organization.objects.filter(name__contains="养老").filter(name__contains="西塘")
    assert names and sorted(names) == sorted(expected.values_list("name", flat=True))
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS_SCREENSHOTS / "issue12-chooser-search.png"))

    modal.locator("#search-results tbody tr a").first.click()
    page.locator(".modal-content").wait_for(state="detached")
    assert page.locator("#id_organization-title").inner_text().strip() == names[0]


def edit_and_save(page, org, fields):
    page.goto(f"/admin/snippets/registry/organization/edit/{org.pk}/")
    for selector, value in fields.items():
        page.fill(selector, value)
    page.click("button.action-save")
    page.wait_for_url(re.compile(r"/admin/snippets/registry/organization/(\?.*)?$"))


def test_the_history_shows_what_each_edit_changed(admin_page):
    page = admin_page
    # Fields no public figure or filter reads, so the other browser tests see the same demo.
    org = Organization.objects.filter(town__name="西塘镇", name__contains="养老").order_by("pk")[0]
    old_address, old_person = org.address, org.legal_representative
    edit_and_save(page, org, {"#id_address": "西塘镇南大街8号", "#id_legal_representative": "张建国"})
    edit_and_save(page, org, {"#id_contact_phone": "0573-84561234", "#id_address": "西塘镇南大街18号"})

    page.goto(f"/admin/snippets/registry/organization/history/{org.pk}/")
    cells = page.locator("td[data-revision-changes]")
    assert cells.count() == 2
    latest, first = cells.nth(0).inner_text(), cells.nth(1).inner_text()
    assert "住所" in latest and "西塘镇南大街8号" in latest and "西塘镇南大街18号" in latest
    assert "联系电话" in latest and "0573-84561234" in latest and "法定代表人" not in latest
    assert old_address in first and "西塘镇南大街8号" in first
    assert old_person in first and "张建国" in first
    assert page.locator("#listing-results tbody tr").first.inner_text().count("钱七") == 1
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS_SCREENSHOTS / "issue12-revision-changes.png"))
