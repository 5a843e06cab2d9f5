import datetime
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core import checks
from django.core.cache import cache
from django.db.models import Model

from funds import selectors as fund_selectors
from funds.factories import MoneyMovementFactory, SpecialFundFactory
from funds.models import MoneyMovement, SpecialFund
from incubator.factories import IncubationFactory
from incubator.models import Incubation
from incubator.selectors import center_incubations
from registry.factories import registered_organization
from registry.models import Organization, StatusEvent
from registry.urls_public import organization_url
from tests.pdf import pdf_text
from website import privacy
from website.privacy import Public
from website.public_pages import ensure_public_pages
from website.summaries.profile import profile_context


def test_every_field_of_every_published_model_is_classified():
    errors = [e for e in checks.run_checks() if e.id.startswith("website.")]
    assert errors == []


def test_a_new_unclassified_field_fails_the_system_check(monkeypatch):
    public, private = privacy.CLASSIFICATION["registry.organization"]
    monkeypatch.setitem(
        privacy.CLASSIFICATION, "registry.organization", (public - {"address"}, private)
    )
    errors = privacy.check_every_field_is_classified()
    assert [e.id for e in errors] == ["website.E001"]
    assert "Organization.address" in errors[0].msg


def test_private_fields_are_not_public():
    assert "contact_phone" not in privacy.public_fields(Organization)
    assert "internal_note" not in privacy.public_fields(Organization)
    assert "personal_donor_name" not in privacy.public_fields(MoneyMovement)
    assert {"name", "credit_code", "legal_representative"} <= set(privacy.public_fields(Organization))


def test_public_values_leave_out_private_values():
    org = Organization(name="嘉善县银发互助协会", contact_phone="0573-84000000", internal_note="秘密")
    values = privacy.public_values(org)
    assert values["name"] == "嘉善县银发互助协会"
    assert "0573-84000000" not in values.values() and "秘密" not in values.values()


# --- one public record: the Public view and the public field lists ------------------------------

D = datetime.date
# A unique marker in every private field of the records around one organization.
MARKERS = {
    "contact_phone": "PRIV-PHONE-71x3", "internal_note": "PRIV-ORGNOTE-71x3",
    "event_note": "PRIV-EVENTNOTE-71x3", "incubation_note": "PRIV-INCNOTE-71x3",
    "grant_receipt": "PRIV-GRANTRCPT-71x3", "grant_note": "PRIV-GRANTNOTE-71x3",
    "donor": "PRIV-DONOR-71x3", "donation_receipt": "PRIV-DONRCPT-71x3",
    "donation_note": "PRIV-DONNOTE-71x3",
}


@pytest.fixture
def marked(settings):
    """An organization granted money by a special fund that also took a personal donation; every
    private field around them holds a marker."""
    ensure_public_pages()
    settings.OPEN_DATA_RATE_LIMIT = "1000/minute"
    cache.clear()
    org = registered_organization(name="嘉善县银发互助协会", on=D(2016, 4, 1),
                                  contact_phone=MARKERS["contact_phone"],
                                  internal_note=MARKERS["internal_note"])
    StatusEvent.objects.filter(organization=org).update(internal_note=MARKERS["event_note"])
    IncubationFactory(organization=org, group_name="银发互助小组",
                      internal_note=MARKERS["incubation_note"])
    fund = SpecialFundFactory(name="银龄关爱专项基金")
    MoneyMovementFactory(special_fund=fund, kind="grant_out", grantee=org, counterparty="",
                         amount=Decimal("5000"), project="助老项目", date=D(2022, 6, 1),
                         receipt_number=MARKERS["grant_receipt"],
                         internal_note=MARKERS["grant_note"])
    MoneyMovementFactory(special_fund=fund, kind="donation_in", counterparty_kind="individual",
                         counterparty="", personal_donor_name=MARKERS["donor"], date=D(2022, 5, 1),
                         receipt_number=MARKERS["donation_receipt"],
                         internal_note=MARKERS["donation_note"])
    yield {"organization": org, "fund": fund, "foundation": fund.host}
    cache.clear()


def assert_no_marker(text, where):
    for name, marker in MARKERS.items():
        assert marker not in text, (where, name)


@pytest.mark.django_db
def test_the_public_view_gives_public_fields_only():
    org = registered_organization(name="嘉善县银发互助协会", contact_phone="0573-84000000")
    public = Public(org)
    assert public.name == org.name and public.pk == org.pk and public.id == org.pk
    assert public.get_legal_form_display() == org.get_legal_form_display()
    assert public.town_id == org.town_id and isinstance(public.town, Public)
    assert public.town.name == org.town.name and public.town.short_name == org.town.short_name
    assert public.public_identifier == org.credit_code  # derived from public fields only
    for private in ["contact_phone", "internal_note", "created_at", "locked_by", "locked_by_id",
                    "_state", "_meta", "save", "delete", "former_names"]:
        with pytest.raises(AttributeError):
            getattr(public, private)
    assert str(public) == org.name


@pytest.mark.django_db
def test_the_public_view_gives_the_annotations_it_is_told_of(marked):
    fund = fund_selectors.special_funds_with_totals(as_of=D(2023, 1, 1)).get(pk=marked["fund"].pk)
    public = Public(fund, extra=("money_in", "money_out"))
    assert public.money_in == Decimal("10000.00") and public.money_out == Decimal("5000.00")
    with pytest.raises(AttributeError):
        _ = Public(fund).money_in


def test_derived_properties_read_public_fields_only(monkeypatch):
    public, private = privacy.CLASSIFICATION["registry.organization"]
    monkeypatch.setitem(privacy.CLASSIFICATION, "registry.organization",
                        (public - {"filing_number"}, private | {"filing_number"}))
    with pytest.raises(AttributeError):
        _ = Public(Organization(credit_code="", filing_number="嘉善备000001")).public_identifier


def test_only_public_lists_the_public_columns_under_their_prefixes():
    names = privacy.only_public(MoneyMovement, related={"grantee": Organization,
                                                        "special_fund": SpecialFund})
    assert {"id", "kind", "amount", "counterparty", "grantee", "special_fund", "grantee__name",
            "grantee__credit_code", "grantee__filing_number", "special_fund__name"} <= set(names)
    loaded = {name.split("__")[-1] for name in names}
    private = privacy.private_fields(MoneyMovement) | privacy.private_fields(Organization)
    assert not loaded & private
    assert "grantee__service_fields" not in names  # many-to-many: not a column
    assert names == privacy.only_public(MoneyMovement, related={
        "grantee": Organization, "special_fund": SpecialFund})


def test_only_public_refuses_a_private_or_wrong_relation():
    with pytest.raises(ValueError):
        privacy.only_public(Organization, related={"locked_by": get_user_model()})
    with pytest.raises(ValueError):
        privacy.only_public(MoneyMovement, related={"grantee": SpecialFund})
    with pytest.raises(ValueError):
        privacy.only_public(MoneyMovement, related={"amount": Organization})


@pytest.mark.django_db
def test_the_public_selectors_do_not_load_private_fields(marked):
    as_of = D(2023, 1, 1)
    grant = fund_selectors.grants_made(as_of=as_of, special_fund=marked["fund"]).get()
    donation = fund_selectors.donations_received(as_of=as_of, special_fund=marked["fund"]).get()
    for movement in (grant, donation):
        assert privacy.private_fields(MoneyMovement) <= movement.get_deferred_fields()
    assert {"contact_phone", "internal_note"} <= grant.grantee.get_deferred_fields()
    assert grant.grantee.name == marked["organization"].name
    incubation = center_incubations(center=Incubation.objects.get().center).get()
    assert "internal_note" in incubation.get_deferred_fields()
    assert {"contact_phone", "internal_note"} <= incubation.organization.get_deferred_fields()


@pytest.mark.django_db
def test_the_funds_pages_and_the_profile_get_public_views_only(client, marked):
    def records(value):
        if isinstance(value, dict):
            return [r for v in value.values() for r in records(v)]
        if isinstance(value, (list, tuple)):
            return [r for v in value for r in records(v)]
        return [value] if isinstance(value, (Model, Public)) else []

    for url in ["/funds/", f"/funds/foundations/{marked['foundation'].pk}/",
                f"/funds/special-funds/{marked['fund'].pk}/"]:
        response = client.get(url)
        assert response.status_code == 200
        context = {key: response.context[key] for key in
                   ("rows", "hubs", "towns", "funds", "foundation", "fund", "grants", "donations")
                   if key in response.context}
        found = records(context)
        assert found and all(isinstance(r, Public) for r in found), url
    found = records(profile_context(organization=marked["organization"]))
    assert len(found) >= 3 and all(isinstance(r, Public) for r in found)


@pytest.mark.django_db
def test_no_private_value_reaches_a_public_page_the_api_or_the_profile(client, marked):
    org, fund = marked["organization"], marked["fund"]
    pages = {
        "network": "/funds/", "foundation": f"/funds/foundations/{marked['foundation'].pk}/",
        "fund": f"/funds/special-funds/{fund.pk}/", "organization": organization_url(org),
    }
    for where, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, where
        html = response.content.decode()
        assert_no_marker(html, where)
    fund_page = client.get(pages["fund"]).content.decode()
    assert org.name in fund_page and "个人捐赠" in fund_page and "助老项目" in fund_page
    assert "助老项目" in client.get(pages["organization"]).content.decode()

    response = client.get(f"/api/v1/organizations/{quote(org.credit_code)}")
    assert response.status_code == 200
    assert response.json()["grants_received"][0]["project"] == "助老项目"
    assert_no_marker(response.content.decode(), "api")

    response = client.get(f"/organizations/{org.credit_code}/profile.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert org.name in text and "助老项目" in text and "5,000.00" in text
    assert_no_marker(text, "pdf")
