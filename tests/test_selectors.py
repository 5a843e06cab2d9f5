"""The read side: every headline figure, as of any date, computed from dated records."""

import dataclasses
import datetime
from decimal import Decimal

import pytest

from funds import selectors as funds_selectors
from funds.factories import CommunityFoundationFactory, MoneyMovementFactory, SpecialFundFactory
from funds.models import CommunityFoundation, MoneyMovement, SpecialFund
from incubator import selectors as incubator_selectors
from incubator.factories import (
    CountyIncubationCenterFactory, IncubationCenterFactory, IncubationFactory,
)
from incubator.facts import IncubationState
from incubator.models import Incubation, IncubationCenter
from registry import selectors
from registry.factories import (
    AnnualInspectionFactory, CountyFactory, CreditListEntryFactory, EvaluationGradeFactory,
    ServiceFieldFactory, StatusEventFactory, TownFactory, TransferredServiceFactory,
    VillageFactory, registered_organization,
)
from registry.models import (
    REGISTERED_LEGAL_FORMS, AnnualInspection, CreditListEntry, EvaluationGrade, LegalForm, Status,
    StatusEvent,
)
from website.selectors import HeadlineFigures, headline_figures

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = datetime.timedelta(days=1)
END_2022 = D(2022, 12, 31)

Kind = StatusEvent.Kind


def event(org, kind, on):
    return StatusEventFactory(organization=org, kind=kind, date=on)


def filed_organization(**kwargs):
    return registered_organization(legal_form=LegalForm.COMMUNITY_ORGANIZATION, **kwargs)


# --- registered and filed, as of a date ---------------------------------------------------------

def test_deregistered_on_a_day_is_not_registered_that_day_but_was_the_day_before():
    org = registered_organization(on=D(2018, 5, 1))
    event(org, Kind.DEREGISTERED, D(2022, 6, 30))

    assert org in selectors.registered_organizations(as_of=D(2022, 6, 29))
    assert selectors.count_registered(as_of=D(2022, 6, 29)) == 1
    assert selectors.count_registered(as_of=D(2022, 6, 30)) == 0
    assert selectors.status_as_of(organization=org, as_of=D(2022, 6, 29)) == Status.REGISTERED
    assert selectors.status_as_of(organization=org, as_of=D(2022, 6, 30)) == Status.DEREGISTERED
    assert selectors.status_as_of(organization=org, as_of=D(2018, 4, 30)) is None


def test_revoked_organization_leaves_the_register():
    org = registered_organization(on=D(2018, 5, 1))
    event(org, Kind.REVOKED, D(2021, 3, 1))

    assert selectors.count_registered(as_of=D(2021, 2, 28)) == 1
    assert selectors.count_registered(as_of=D(2021, 3, 1)) == 0
    assert selectors.status_as_of(organization=org, as_of=END_2022) == Status.REVOKED


def test_filed_organization_upgraded_counts_as_filed_before_and_registered_after():
    org = filed_organization(on=D(2019, 4, 1))
    upgraded = D(2022, 3, 1)
    event(org, Kind.FILED_TO_REGISTERED, upgraded)

    before, after = upgraded - DAY, upgraded
    assert (selectors.count_filed(as_of=before), selectors.count_registered(as_of=before)) == (1, 0)
    assert (selectors.count_filed(as_of=after), selectors.count_registered(as_of=after)) == (0, 1)
    assert selectors.status_as_of(organization=org, as_of=before) == Status.FILED
    assert selectors.status_as_of(organization=org, as_of=after) == Status.REGISTERED


def test_filing_cancelled_leaves_the_filed_count():
    org = filed_organization(on=D(2019, 4, 1))
    event(org, Kind.FILING_CANCELLED, D(2022, 9, 1))

    assert selectors.count_filed(as_of=D(2022, 8, 31)) == 1
    assert selectors.count_filed(as_of=D(2022, 9, 1)) == 0


def test_organization_registered_in_2023_is_not_counted_at_end_of_2022():
    registered_organization(on=D(2020, 1, 1))
    late = registered_organization(on=D(2023, 1, 1))

    assert list(selectors.registered_organizations(as_of=END_2022)) != []
    assert late not in selectors.registered_organizations(as_of=END_2022)
    assert selectors.count_registered(as_of=END_2022) == 1
    assert selectors.count_registered(as_of=D(2023, 1, 1)) == 2


def test_change_events_do_not_count_an_organization_twice():
    org = registered_organization(on=D(2019, 1, 1))
    event(org, Kind.CHANGED, D(2020, 6, 1))
    event(org, Kind.CHANGED, D(2021, 6, 1))

    assert list(selectors.registered_organizations(as_of=END_2022)) == [org]
    assert selectors.count_registered(as_of=END_2022) == 1
    assert selectors.status_as_of(organization=org, as_of=END_2022) == Status.REGISTERED


def test_organizations_in_status_accepts_several_statuses():
    registered = registered_organization(on=D(2019, 1, 1))
    filed = filed_organization(on=D(2019, 1, 1))
    gone = registered_organization(on=D(2019, 1, 1))
    event(gone, Kind.DEREGISTERED, D(2020, 1, 1))

    both = [Status.REGISTERED, Status.FILED]
    active = selectors.organizations_in_status(as_of=END_2022, statuses=both)
    assert set(active) == {registered, filed}
    assert selectors.count_in_status(as_of=END_2022, statuses=both) == 2


def test_events_on_one_day_leave_one_status_that_day():
    org = registered_organization(on=D(2022, 5, 1))
    event(org, Kind.DEREGISTERED, D(2022, 5, 1))  # entered to correct a mistaken registration
    every_status = list(Status)

    assert selectors.status_as_of(organization=org, as_of=D(2022, 5, 1)) == Status.DEREGISTERED
    assert selectors.count_registered(as_of=D(2022, 5, 1)) == 0
    assert selectors.count_in_status(as_of=D(2022, 5, 1), statuses=every_status) == 1
    in_any = selectors.organizations_in_status(as_of=D(2022, 5, 1), statuses=every_status)
    assert list(in_any) == [org]


def test_registered_by_legal_form_lists_every_registered_form():
    registered_organization(legal_form=LegalForm.SOCIAL_GROUP)
    registered_organization(legal_form=LegalForm.SOCIAL_GROUP)
    registered_organization(legal_form=LegalForm.FOUNDATION)
    filed_organization()

    counts = selectors.registered_by_legal_form(as_of=END_2022)
    assert counts == {
        LegalForm.SOCIAL_GROUP: 2, LegalForm.SOCIAL_SERVICE_INSTITUTION: 0, LegalForm.FOUNDATION: 1,
    }
    assert set(counts) == set(REGISTERED_LEGAL_FORMS)
    assert sum(counts.values()) == selectors.count_registered(as_of=END_2022)


def test_counts_by_town_list_every_town_in_code_order_with_zeros():
    county = CountyFactory()
    west = TownFactory(code="330421103", name="西塘镇", parent=county)
    east = TownFactory(code="330421101", name="罗星街道", parent=county)
    VillageFactory(parent=west)  # villages are not towns
    registered_organization(town=west)
    registered_organization(town=west)
    filed_organization(town=east)

    assert selectors.registered_by_town(as_of=END_2022) == [(east, 0), (west, 2)]
    assert selectors.filed_by_town(as_of=END_2022) == [(east, 1), (west, 0)]
    assert selectors.count_towns() == 2


# --- annual summary events, inspections, grades, credit lists -----------------------------------

def test_new_registrations_and_deregistrations_in_a_year():
    registered_2022 = registered_organization(on=D(2022, 2, 1))
    upgraded = filed_organization(on=D(2020, 1, 1))
    upgrade = event(upgraded, Kind.FILED_TO_REGISTERED, D(2022, 12, 31))
    registered_organization(on=D(2021, 12, 31))
    old = registered_organization(on=D(2015, 1, 1))
    deregistration = event(old, Kind.DEREGISTERED, D(2022, 1, 1))
    revoked = registered_organization(on=D(2015, 1, 1))
    revocation = event(revoked, Kind.REVOKED, D(2022, 7, 1))
    event(registered_organization(on=D(2015, 1, 1)), Kind.DEREGISTERED, D(2023, 1, 1))

    new = selectors.new_registrations(start=D(2022, 1, 1), end=END_2022)
    assert set(new) == {registered_2022.status_events.get(), upgrade}
    gone = selectors.deregistrations(start=D(2022, 1, 1), end=END_2022)
    assert set(gone) == {deregistration, revocation}


def test_inspection_results_list_every_result():
    AnnualInspectionFactory(year=2022, result=AnnualInspection.Result.PASSED)
    AnnualInspectionFactory(year=2022, result=AnnualInspection.Result.PASSED)
    AnnualInspectionFactory(year=2022, result=AnnualInspection.Result.FAILED)
    AnnualInspectionFactory(year=2021, result=AnnualInspection.Result.NOT_INSPECTED)

    assert selectors.inspection_results(year=2022) == {
        AnnualInspection.Result.PASSED: 2, AnnualInspection.Result.BASICALLY_PASSED: 0,
        AnnualInspection.Result.FAILED: 1, AnnualInspection.Result.NOT_INSPECTED: 0,
    }


def test_grade_counts_only_while_valid():
    # Counted from the award to the end of its five years, the organization being active.
    grade = EvaluationGradeFactory(organization=registered_organization(on=D(2010, 1, 1)),
                                   grade=EvaluationGrade.Grade.A3, awarded_on=D(2017, 6, 1))
    zero = dict.fromkeys(EvaluationGrade.Grade, 0)

    assert selectors.grades_valid(as_of=D(2017, 5, 31)) == zero
    assert selectors.grades_valid(as_of=D(2017, 6, 1)) == {**zero, 3: 1}
    assert selectors.grades_valid(as_of=grade.valid_until) == {**zero, 3: 1}
    assert selectors.grades_valid(as_of=grade.valid_until + DAY) == zero


def test_organization_with_two_valid_grades_counts_once_with_its_latest():
    org = registered_organization(on=D(2010, 1, 1))
    Grade = EvaluationGrade.Grade
    EvaluationGradeFactory(organization=org, grade=Grade.A3, awarded_on=D(2019, 6, 1))
    EvaluationGradeFactory(organization=org, grade=Grade.A5, awarded_on=D(2021, 6, 1))
    EvaluationGradeFactory(organization=registered_organization(on=D(2010, 1, 1)),
                           grade=EvaluationGrade.Grade.A3, awarded_on=D(2020, 6, 1))

    # Before the re-grading the 3A stands; after it, the 5A replaces it.
    assert selectors.grades_valid(as_of=D(2021, 5, 31))[3] == 2
    after = selectors.grades_valid(as_of=END_2022)
    assert (after[3], after[5]) == (1, 1)
    assert sum(after.values()) == 2


def test_credit_listed_until_removed():
    entry = CreditListEntryFactory(listed_on=D(2021, 7, 1), removed_on=D(2022, 7, 1))
    org = entry.organization
    CreditListEntryFactory(
        organization=org, list_kind=CreditListEntry.ListKind.SERIOUS_VIOLATION,
        listed_on=D(2022, 1, 1),
    )
    abnormal = CreditListEntry.ListKind.ABNORMAL_ACTIVITY

    assert list(selectors.credit_listed(as_of=D(2021, 6, 30))) == []
    assert list(selectors.credit_listed(as_of=D(2022, 3, 1))) == [org]  # on two lists, once
    assert list(selectors.credit_listed(as_of=D(2022, 6, 30), list_kind=abnormal)) == [org]
    assert list(selectors.credit_listed(as_of=D(2022, 7, 1), list_kind=abnormal)) == []
    assert list(selectors.credit_listed(as_of=D(2022, 7, 1))) == [org]


# --- transferred services -----------------------------------------------------------------------

def test_transferred_services_active_in_a_period():
    early = TransferredServiceFactory(starts_on=D(2019, 1, 1), ends_on=D(2020, 12, 31))
    running = TransferredServiceFactory(starts_on=D(2021, 1, 1), ends_on=None)
    late = TransferredServiceFactory(starts_on=D(2023, 1, 1), ends_on=D(2023, 12, 31))

    assert set(selectors.transferred_services_active(period_end=END_2022)) == {early, running}
    in_2022 = selectors.transferred_services_active(period_start=D(2022, 1, 1), period_end=END_2022)
    assert set(in_2022) == {running}
    ending_day = selectors.transferred_services_active(
        period_start=D(2020, 12, 31), period_end=D(2020, 12, 31))
    assert set(ending_day) == {early}
    assert late not in selectors.transferred_services_active(period_end=END_2022)


def test_service_undertakers_and_fields_are_counted_once():
    care, mediation, governance = (ServiceFieldFactory() for _ in range(3))
    busy = registered_organization()
    TransferredServiceFactory(organization=busy, service_fields=[care, mediation])
    TransferredServiceFactory(organization=busy, service_fields=[care])
    TransferredServiceFactory(service_fields=[mediation])
    TransferredServiceFactory(starts_on=D(2023, 2, 1), service_fields=[governance])

    assert selectors.count_service_undertakers(period_end=END_2022) == 2
    assert busy in selectors.service_undertakers(period_end=END_2022)
    assert len(selectors.service_undertakers(period_end=END_2022)) == 2
    assert selectors.count_service_fields_covered(period_end=END_2022) == 2
    assert selectors.count_service_fields_covered(period_end=D(2023, 2, 1)) == 3


# --- incubator ----------------------------------------------------------------------------------

def test_incubation_outcome_as_of_a_date():
    center = IncubationCenterFactory()
    IncubationFactory(center=center, started_on=D(2021, 3, 1))  # planned end: 2022-03-01
    IncubationFactory(
        center=center, started_on=D(2021, 3, 1), planned_end_on=D(2022, 12, 31),
        ended_on=D(2022, 9, 1), outcome=Incubation.Outcome.REGISTERED,
        organization=registered_organization(),
    )
    IncubationFactory(
        center=center, started_on=D(2021, 5, 1), ended_on=D(2022, 2, 1),
        outcome=Incubation.Outcome.LEFT,
    )
    IncubationFactory(center=center, started_on=D(2023, 1, 5))
    State = IncubationState

    mid = incubator_selectors.incubations_by_outcome(as_of=D(2022, 6, 30))
    assert mid == {State.ONGOING: 1, State.OVERDUE: 1, State.REGISTERED: 0, State.FILED: 0,
                   State.LEFT: 1}
    end = incubator_selectors.incubations_by_outcome(as_of=END_2022)
    assert end == {State.ONGOING: 0, State.OVERDUE: 1, State.REGISTERED: 1, State.FILED: 0,
                   State.LEFT: 1}
    assert sum(end.values()) == incubator_selectors.count_incubated(as_of=END_2022) == 3
    # A center's counts are the same states.
    row = incubator_selectors.centers_with_outcomes(as_of=D(2022, 6, 30)).get(pk=center.pk)
    assert (row.total, row.ongoing, row.overdue, row.registered, row.filed, row.left) == (
        3, 1, 1, 0, 0, 1)


def test_centers_by_level_and_towns_with_a_center():
    county = CountyFactory()
    west, east, third = (TownFactory(parent=county) for _ in range(3))
    CountyIncubationCenterFactory(area=county, opened_on=D(2016, 1, 1))
    IncubationCenterFactory(area=west, opened_on=D(2017, 1, 1))
    IncubationCenterFactory(area=west, opened_on=D(2018, 1, 1))  # a second center in one town
    IncubationCenterFactory(area=east, opened_on=D(2023, 3, 1))

    assert incubator_selectors.centers_by_level(as_of=END_2022) == {
        IncubationCenter.Level.COUNTY: 1, IncubationCenter.Level.TOWN: 2,
    }
    assert incubator_selectors.count_towns_with_center(as_of=END_2022) == 1
    assert incubator_selectors.count_towns_with_center(as_of=D(2023, 3, 1)) == 2
    assert incubator_selectors.incubation_centers(as_of=D(2016, 12, 31)).count() == 1
    open_in_2030 = incubator_selectors.incubation_centers(as_of=D(2030, 1, 1))
    assert third not in [center.area for center in open_in_2030]


# --- funds --------------------------------------------------------------------------------------

def test_community_foundations_follow_their_organizations_registration():
    county = CountyFactory()
    hub = CommunityFoundationFactory(role=CommunityFoundation.Role.COUNTY_HUB, area=county)
    town_foundation = CommunityFoundationFactory(area=TownFactory(parent=county))
    closed = CommunityFoundationFactory(area=TownFactory(parent=county))
    event(closed.organization, Kind.DEREGISTERED, D(2022, 10, 1))
    later_org = registered_organization(legal_form=LegalForm.FOUNDATION, on=D(2023, 2, 1))
    CommunityFoundationFactory(organization=later_org, area=TownFactory(parent=county))

    assert set(funds_selectors.community_foundations(as_of=END_2022)) == {hub, town_foundation}
    assert funds_selectors.foundations_by_role(as_of=END_2022) == {
        CommunityFoundation.Role.COUNTY_HUB: 1, CommunityFoundation.Role.TOWN_FOUNDATION: 1,
    }
    assert funds_selectors.count_towns_covered_by_foundations(as_of=D(2022, 9, 30)) == 2
    assert funds_selectors.count_towns_covered_by_foundations(as_of=END_2022) == 1
    assert funds_selectors.count_towns_covered_by_foundations(as_of=D(2023, 2, 1)) == 2


def test_special_funds_open_on_a_date_and_by_theme():
    host = CommunityFoundationFactory()
    SpecialFundFactory(host=host, established_on=D(2021, 3, 1))
    SpecialFundFactory(host=host, theme=SpecialFund.Theme.RURAL_REVITALIZATION,
                       established_on=D(2021, 3, 1), closed_on=D(2022, 12, 31))
    SpecialFundFactory(host=host, established_on=D(2023, 1, 1))

    assert funds_selectors.count_special_funds(as_of=D(2022, 12, 30)) == 2
    assert funds_selectors.count_special_funds(as_of=END_2022) == 1
    by_theme = funds_selectors.special_funds_by_theme(as_of=D(2022, 6, 1))
    assert set(by_theme) == set(SpecialFund.Theme)
    assert by_theme[SpecialFund.Theme.COMMON_PROSPERITY] == 1
    assert by_theme[SpecialFund.Theme.RURAL_REVITALIZATION] == 1
    assert sum(by_theme.values()) == 2


def test_money_by_year_sums_in_and_out_to_the_fen():
    fund = SpecialFundFactory()
    other_fund = SpecialFundFactory(host=fund.host)
    Money = MoneyMovement.Kind
    for special_fund, kind, on, amount in [
        (fund, Money.DONATION_IN, D(2021, 5, 1), "1000.10"),
        (fund, Money.DONATION_IN, D(2021, 8, 1), "0.20"),
        (fund, Money.GRANT_OUT, D(2022, 2, 1), "300.05"),
        (other_fund, Money.EXPENSE, D(2022, 3, 1), "12.34"),
        (fund, Money.DONATION_IN, D(2023, 1, 1), "99"),
    ]:
        MoneyMovementFactory(special_fund=special_fund, kind=kind, date=on, amount=Decimal(amount))

    rows = funds_selectors.money_by_year(as_of=END_2022)
    assert rows == [
        {"year": 2021, "money_in": Decimal("1000.30"), "money_out": Decimal("0.00")},
        {"year": 2022, "money_in": Decimal("0.00"), "money_out": Decimal("312.39")},
    ]
    assert all(isinstance(v, Decimal) for row in rows for v in (row["money_in"], row["money_out"]))
    assert funds_selectors.money_by_year(as_of=END_2022, special_fund=other_fund) == [
        {"year": 2022, "money_in": Decimal("0.00"), "money_out": Decimal("12.34")},
    ]
    assert funds_selectors.money_by_year(as_of=D(2023, 6, 1), foundation=fund.host)[-1] == {
        "year": 2023, "money_in": Decimal("99.00"), "money_out": Decimal("0.00"),
    }
    idle = CommunityFoundationFactory()
    assert funds_selectors.money_by_year(as_of=END_2022, foundation=idle) == []


# --- headline figures ---------------------------------------------------------------------------

def build_world(*, organizations):
    """A small county as it stood at the end of 2022: `organizations` registered and as many
    filed, with services, incubations and the 1+9+N network, most of it dated before 2023."""
    county = CountyFactory()
    towns = [TownFactory(parent=county) for _ in range(3)]
    fields = [ServiceFieldFactory() for _ in range(4)]
    registered = [
        registered_organization(town=towns[i % 3], on=D(2015 + i % 7, 1, 1))
        for i in range(organizations)
    ]
    filed = [filed_organization(town=towns[i % 2], on=D(2018, 6, 1)) for i in range(organizations)]
    services = [
        TransferredServiceFactory(organization=org, service_fields=[fields[i % 3]])
        for i, org in enumerate(registered[: max(2, organizations // 3)])
    ]
    county_center = CountyIncubationCenterFactory(area=county)
    town_centers = [IncubationCenterFactory(area=town) for town in towns[:2]]
    for i, org in enumerate(filed):
        IncubationFactory(
            center=[county_center, *town_centers][i % 3], organization=org,
            started_on=D(2017, 1, 1), ended_on=D(2018, 6, 1), outcome=Incubation.Outcome.FILED,
        )
    def foundation_organization(town):
        return registered_organization(legal_form=LegalForm.FOUNDATION, town=town, on=D(2019, 1, 1))

    hub = CommunityFoundationFactory(
        organization=foundation_organization(towns[0]),
        role=CommunityFoundation.Role.COUNTY_HUB, area=county,
    )
    town_foundations = [
        CommunityFoundationFactory(organization=foundation_organization(town), area=town)
        for town in towns
    ]
    funds = [SpecialFundFactory(host=host) for host in [hub, *town_foundations]]
    for fund in funds:
        MoneyMovementFactory(special_fund=fund, date=D(2022, 4, 1), amount=Decimal("5000"))
        MoneyMovementFactory(special_fund=fund, kind=MoneyMovement.Kind.GRANT_OUT,
                             date=D(2022, 10, 1), amount=Decimal("1200.50"))
    return {
        "county": county, "towns": towns, "registered": registered, "filed": filed,
        "fields": fields, "services": services, "county_center": county_center,
        "town_centers": town_centers,
        "foundations": [hub, *town_foundations], "funds": funds,
    }


def test_headline_figures_report_the_world_as_built():
    world = build_world(organizations=6)

    figures = headline_figures(as_of=END_2022)

    assert isinstance(figures, HeadlineFigures)
    foundations = len(world["foundations"])  # each one a registered foundation organization
    assert figures == HeadlineFigures(
        as_of=END_2022,
        registered=len(world["registered"]) + foundations,
        filed=len(world["filed"]),
        service_undertakers=len({s.organization_id for s in world["services"]}),
        service_fields_covered=len({f for s in world["services"] for f in s.service_fields.all()}),
        incubated=len(world["filed"]),
        incubation_centers_county=1,
        incubation_centers_town=len(world["town_centers"]),
        towns_with_center=len({c.area_id for c in world["town_centers"]}),
        town_count=len(world["towns"]),
        county_hubs=1,
        town_foundations=len(world["towns"]),
        towns_with_foundation=len(world["towns"]),
        special_funds=len(world["funds"]),
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        figures.registered = 0


def test_records_dated_2023_leave_the_2022_figures_unchanged():
    world = build_world(organizations=6)
    figures_before = headline_figures(as_of=END_2022)
    money_before = funds_selectors.money_by_year(as_of=END_2022)

    # A year of new records, all dated 2023, and edits that take effect in 2023.
    town = world["towns"][0]
    registered_organization(town=town, on=D(2023, 1, 1))
    filed_organization(town=town, on=D(2023, 2, 1))
    event(world["registered"][0], Kind.DEREGISTERED, D(2023, 3, 1))
    event(world["filed"][0], Kind.FILED_TO_REGISTERED, D(2023, 4, 1))
    event(world["foundations"][1].organization, Kind.DEREGISTERED, D(2023, 5, 1))
    TransferredServiceFactory(
        organization=world["registered"][-1], starts_on=D(2023, 1, 1), ends_on=None,
        service_fields=[world["fields"][3]],
    )
    IncubationFactory(center=world["town_centers"][0], started_on=D(2023, 3, 1))
    IncubationCenterFactory(area=world["towns"][2], opened_on=D(2023, 6, 1))
    new_fund = SpecialFundFactory(host=world["foundations"][0], established_on=D(2023, 1, 10))
    closing = world["funds"][1]
    closing.closed_on = D(2023, 12, 1)
    closing.save()
    MoneyMovementFactory(special_fund=new_fund, date=D(2023, 1, 15), amount=Decimal("8888"))
    MoneyMovementFactory(special_fund=world["funds"][0], kind=MoneyMovement.Kind.EXPENSE,
                         date=D(2023, 1, 1), amount=Decimal("1"))

    assert headline_figures(as_of=END_2022) == figures_before
    assert funds_selectors.money_by_year(as_of=END_2022) == money_before
    # ...while the 2023 figures do move.
    figures_2023 = headline_figures(as_of=D(2023, 12, 31))
    assert figures_2023.registered == figures_before.registered + 1 + 1 - 1 - 1
    assert figures_2023.filed == figures_before.filed + 1 - 1
    assert figures_2023.service_fields_covered == figures_before.service_fields_covered + 1
    assert figures_2023.incubated == figures_before.incubated + 1
    assert figures_2023.towns_with_center == figures_before.towns_with_center + 1
    assert figures_2023.towns_with_foundation == figures_before.towns_with_foundation - 1


@pytest.mark.parametrize("organizations", [3, 30])
def test_headline_figures_take_a_bounded_number_of_queries(
    organizations, django_assert_max_num_queries
):
    build_world(organizations=organizations)

    # One query per figure (two figures share one grouped query), whatever the record count.
    with django_assert_max_num_queries(11):
        figures = headline_figures(as_of=END_2022)
    assert figures.filed == organizations


def test_town_scope_counts_only_that_towns_records():
    from incubator.factories import IncubationFactory
    from registry.factories import TownFactory, registered_organization
    from website.selectors import headline_figures

    west, east = TownFactory(name="西塘镇"), TownFactory(name="姚庄镇")
    for _ in range(3):
        registered_organization(town=west, on=datetime.date(2019, 5, 1))
    registered_organization(town=east, on=datetime.date(2019, 5, 1))
    IncubationFactory(center__area=west, started_on=datetime.date(2020, 1, 1))
    as_of = datetime.date(2022, 12, 31)
    assert headline_figures(as_of=as_of, town=west).registered == 3
    assert headline_figures(as_of=as_of, town=east).registered == 1
    assert headline_figures(as_of=as_of, town=west).incubated == 1
    assert headline_figures(as_of=as_of, town=east).incubated == 0
    assert headline_figures(as_of=as_of).registered == 4
