"""Under the site's Content-Security-Policy the browser blocks nothing: the public pages run no
inline script (the organization page's JSON-LD is data, not checked), and the admin's login page
works under the admin's own policy."""

import pytest

from registry.models import Organization
from registry.urls_public import organization_url

LISTEN = """document.addEventListener('securitypolicyviolation', event => {
    (window.__violations = window.__violations || []).push(
        `${event.violatedDirective} ${event.blockedURI} ${event.sample || ''}`);
});"""


@pytest.fixture
def watched(page):
    """The page, recording every CSP violation from the first byte of each document."""
    page.add_init_script(LISTEN)
    return page


def violations(page):
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__violations || []")


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_public_pages_break_no_rule_of_the_policy(watched):
    organization = Organization.objects.exclude(credit_code="").order_by("pk").first()
    for url in ("/", "/organizations/", organization_url(organization), "/statistics/",
                "/open-data/", "/funds/"):
        response = watched.goto(url)
        assert response.ok, url
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        assert violations(watched) == [], url


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_the_organization_page_keeps_its_json_ld_readable(watched):
    organization = Organization.objects.exclude(credit_code="").order_by("pk").first()
    watched.goto(organization_url(organization))
    data = watched.evaluate(
        "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
    assert data["name"] == organization.name
    assert violations(watched) == []


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_the_admin_login_page_works_under_the_admin_policy(watched):
    response = watched.goto("/admin/login/")
    assert "'unsafe-inline'" in response.headers["content-security-policy"]
    watched.fill("input[name=username]", "nobody")
    watched.fill("input[name=password]", "wrong")
    watched.click("button[type=submit]")
    watched.wait_for_load_state()
    assert watched.url.endswith("/admin/login/")
    assert watched.locator(".help-critical, .messages, [role=alert]").count() > 0
    assert violations(watched) == []
