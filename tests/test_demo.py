"""The Jiashan demo (`load_demo`) and the scale generator (`generate_scale_data`)."""

import datetime
import hashlib
import io
import random
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Site

from funds.models import CommunityFoundation, MoneyMovement, SpecialFund
from incubator.models import Incubation
from registry import credit_code
from registry import selectors as registry_selectors
from registry.models import (
    LEGAL_FORM_CODE_CHARACTER, REGISTERED_LEGAL_FORMS, Area, LegalForm, Organization, StatusEvent,
)
from registry.services import refresh_status_periods
from website.demo import organizations as demo_organizations
from website.demo.context import new_context
from website.demo.jiashan import DEFAULT_SEED
from website.demo.taxonomy import load_taxonomy
from website.models import PublicSiteSettings
from website.selectors import headline_figures

D = datetime.date
END_2022 = D(2022, 12, 31)
END_2023 = D(2023, 12, 31)
DOMAIN_APPS = ("registry", "incubator", "funds")


def run(command, **options):
    out = io.StringIO()
    call_command(command, stdout=out, **options)
    return out.getvalue()


def assert_codes_valid_and_unique():
    rows = list(Organization.objects.values_list("legal_form", "credit_code", "filing_number"))
    codes = [code for _form, code, _number in rows if code]
    numbers = [number for _form, _code, number in rows if number]
    assert len(codes) == len(set(codes))
    assert len(numbers) == len(set(numbers))
    for legal_form, code, number in rows:
        if legal_form in REGISTERED_LEGAL_FORMS:
            credit_code.validate(code, legal_form_code=LEGAL_FORM_CODE_CHARACTER[legal_form])
        else:
            assert number and not code


def status_periods():
    return list(StatusEvent.objects.order_by("pk").values_list("pk", "ends_on"))


# --- the scale generator on an empty database (runs first, before the demo is loaded) ---------

def test_scale_generator_on_an_empty_database_creates_the_county_and_valid_records(db):
    assert not Organization.objects.exists(), "this test expects an empty register"

    output = run("generate_scale_data", organizations=300, seed=7)

    assert Organization.objects.count() == 300
    assert Area.objects.filter(code="330421").exists()
    assert Area.objects.filter(parent__code="330421").count() == 9
    assert "300/300" in output and "秒" in output
    assert_codes_valid_and_unique()
    # The generator refreshed each batch's status periods; doing it again changes nothing.
    before = status_periods()
    assert refresh_status_periods(
        organization_ids=Organization.objects.values_list("pk", flat=True)) == 0
    assert status_periods() == before
    assert StatusEvent.objects.exclude(ends_on=None).exists()
    # Every organization starts with a registration or a filing.
    starts = StatusEvent.objects.filter(kind__in=StatusEvent.START_KINDS)
    assert starts.values("organization").distinct().count() == 300


# --- the demo, loaded once for the module and rolled back after it ------------------------------

@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            output = run("load_demo")
            yield output
            transaction.set_rollback(True)


@pytest.fixture
def demo_db(demo, db):
    return demo


def test_end_2022_figures_are_exactly_the_seed_articles(demo_db):
    figures = headline_figures(as_of=END_2022)

    assert figures.registered == 555
    assert figures.filed == 2590
    assert figures.service_undertakers == 155
    assert figures.service_fields_covered >= 30
    assert figures.incubated == 278
    assert (figures.incubation_centers_county, figures.incubation_centers_town) == (1, 9)
    assert figures.towns_with_center == figures.town_count == 9
    assert figures.county_hubs == 1
    assert figures.town_foundations == figures.towns_with_foundation == 9
    assert figures.special_funds == 30


def test_2023_figures_differ_from_2022(demo_db):
    end_2022, end_2023 = headline_figures(as_of=END_2022), headline_figures(as_of=END_2023)

    for name in ("registered", "filed", "service_undertakers", "incubated", "special_funds"):
        assert getattr(end_2023, name) != getattr(end_2022, name), name
    assert end_2023.service_fields_covered > end_2022.service_fields_covered


def test_registered_split_by_legal_form_and_town_is_plausible(demo_db):
    by_form = registry_selectors.registered_by_legal_form(as_of=END_2022)
    total = sum(by_form.values())

    assert 0.40 <= by_form[LegalForm.SOCIAL_GROUP] / total <= 0.50
    assert 0.48 <= by_form[LegalForm.SOCIAL_SERVICE_INSTITUTION] / total <= 0.58
    assert 0.015 <= by_form[LegalForm.FOUNDATION] / total <= 0.035
    for counts in (registry_selectors.registered_by_town(as_of=END_2022),
                   registry_selectors.filed_by_town(as_of=END_2022)):
        subdistricts = [n for town, n in counts if town.level == Area.Level.SUBDISTRICT]
        towns = [n for town, n in counts if town.level == Area.Level.TOWN]
        assert len(subdistricts) == 3 and len(towns) == 6
        assert sum(subdistricts) / 3 > sum(towns) / 6
        assert min(towns) > 0


def test_history_has_real_trends(demo_db):
    def year(y):
        return {"start": D(y, 1, 1), "end": D(y, 12, 31)}

    for y in range(2010, 2024):
        assert registry_selectors.new_registrations(**year(y)).exists(), y
    assert registry_selectors.count_registered(as_of=D(2012, 12, 31)) \
        < registry_selectors.count_registered(as_of=D(2017, 12, 31)) \
        < registry_selectors.count_registered(as_of=END_2022)
    assert registry_selectors.count_filed(as_of=D(2016, 12, 31)) \
        < registry_selectors.count_filed(as_of=D(2019, 12, 31)) \
        < registry_selectors.count_filed(as_of=END_2022)
    kinds = set(StatusEvent.objects.values_list("kind", flat=True).distinct())
    assert kinds == set(StatusEvent.Kind.values)
    assert sum(registry_selectors.inspection_results(year=2021).values()) > 400
    assert sum(registry_selectors.grades_valid(as_of=END_2022).values()) > 50
    assert registry_selectors.credit_listed(as_of=END_2022).exists()
    assert Incubation.objects.filter(started_on__year=2023).exists()
    assert MoneyMovement.objects.filter(date__year=2023).exists()


def test_special_funds_include_common_prosperity_and_rural_revitalization(demo_db):
    funds_2022 = SpecialFund.objects.filter(established_on__lte=END_2022)
    themes = set(funds_2022.values_list("theme", flat=True))

    assert {SpecialFund.Theme.COMMON_PROSPERITY, SpecialFund.Theme.RURAL_REVITALIZATION} <= themes
    # Each community foundation's organization was registered before its first fund.
    for foundation in CommunityFoundation.objects.select_related("organization"):
        first_fund = foundation.special_funds.order_by("established_on").first()
        registered = foundation.organization.status_events.get(kind=StatusEvent.Kind.REGISTERED)
        assert first_fund is None or registered.date < first_fund.established_on


def test_every_credit_code_is_valid_and_every_identifier_unique(demo_db):
    assert_codes_valid_and_unique()
    assert Organization.objects.exclude(credit_code="").count() > 600


def test_no_real_person_appears(demo_db):
    representatives = set(Organization.objects.values_list("legal_representative", flat=True))
    phones = set(Organization.objects.values_list("contact_phone", flat=True))
    individual = MoneyMovement.objects.filter(
        counterparty_kind=MoneyMovement.CounterpartyKind.INDIVIDUAL)

    assert all(re.fullmatch(r".某某?", name) for name in representatives)
    assert all(re.fullmatch(r"0573-8000\d{4}", phone) for phone in phones)
    assert individual.exists()
    assert not individual.exclude(counterparty="").exists()
    assert all(re.fullmatch(r"捐赠人[甲乙丙丁戊己庚辛壬癸]\d*", name)
               for name in individual.values_list("personal_donor_name", flat=True))


def test_demo_records_pass_the_validation_staff_edits_go_through(demo_db):
    sampler = random.Random(1)
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            pks = list(model.objects.values_list("pk", flat=True))
            for pk in sampler.sample(pks, min(len(pks), 150)):
                model.objects.get(pk=pk).full_clean()


def test_the_site_says_it_shows_demo_data(demo_db):
    site = Site.objects.get(is_default_site=True)

    assert PublicSiteSettings.for_site(site).shows_demo_data


def test_same_seed_gives_the_same_organizations(demo_db):
    """The data depend on the seed only (no clock): planning again with the default seed gives
    exactly the names and dates stored."""
    ctx = new_context(seed=DEFAULT_SEED, taxonomy=load_taxonomy())
    planned = {(s.name, s.start) for s in demo_organizations.plan_organizations(ctx)}
    starts = StatusEvent.objects.filter(kind__in=StatusEvent.START_KINDS)

    assert planned == set(starts.values_list("organization__name", "date"))


def _snapshot():
    """Row count and a digest of every row of every model."""
    state = {}
    for model in apps.get_models():
        rows = model.objects.order_by("pk").values_list()
        digest = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
        state[model._meta.label] = (model.objects.count(), digest)
    return state


def test_a_second_run_changes_nothing(demo_db):
    before = _snapshot()

    output = run("load_demo")

    assert "已存在" in output
    assert _snapshot() == before


def test_scale_generator_keeps_identifiers_unique_beside_the_demo(demo_db):
    before = Organization.objects.count()

    run("generate_scale_data", organizations=300, seed=3)
    run("generate_scale_data", organizations=300, seed=3)  # same seed: serials still move on

    assert Organization.objects.count() == before + 600
    assert_codes_valid_and_unique()
