"""The foundation issue's bad input: each is refused with a Chinese message naming the field, and
nothing is saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funds.factories import CommunityFoundationFactory, SpecialFundFactory
from funds.models import MoneyMovement
from incubator.factories import IncubationCenterFactory
from incubator.models import Incubation
from registry import credit_code
from registry.factories import (
    OrganizationFactory, StatusEventFactory, TownFactory, VillageFactory, registered_organization,
)
from registry.models import (
    EvaluationGrade, LegalForm, Organization, StatusEvent, TransferredService,
)
from registry.services import delete_status_events

pytestmark = pytest.mark.django_db


def refused(instance):
    """Run the model's validation as the admin and the import do; return {field: [messages]}."""
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value.message_dict


def test_mistyped_credit_code_is_refused_on_its_field():
    org = OrganizationFactory.build(town=TownFactory())
    org.credit_code = org.credit_code[:-1] + ("1" if org.credit_code[-1] != "1" else "2")
    errors = refused(org)
    assert list(errors) == ["credit_code"]
    assert "校验位" in errors["credit_code"][0]
    assert not Organization.objects.exists()


def test_credit_code_of_another_legal_form_names_the_wrong_character():
    org = OrganizationFactory.build(town=TownFactory(), legal_form=LegalForm.FOUNDATION)
    org.credit_code = credit_code.make(legal_form_code="1", division_code="330421", body="MJ0000009")
    assert refused(org) == {
        "credit_code": ["统一社会信用代码第2位应为“3”（与组织类型一致），实为“1”。"]
    }


def test_lower_case_and_full_width_code_is_normalized_not_refused():
    org = OrganizationFactory.build(town=TownFactory())
    expected = org.credit_code
    org.credit_code = " " + "".join(chr(ord(c) + 0xFEE0) for c in expected.lower()) + " "
    org.full_clean()
    assert org.credit_code == expected


def test_duplicate_credit_code_is_refused():
    existing = OrganizationFactory()
    twin = OrganizationFactory.build(town=existing.town, credit_code=existing.credit_code)
    assert refused(twin) == {"credit_code": ["该统一社会信用代码已被另一个社会组织使用。"]}
    assert Organization.objects.count() == 1


def test_registered_organization_needs_a_credit_code_and_filed_one_a_filing_number():
    town = TownFactory()
    assert "credit_code" in refused(OrganizationFactory.build(town=town, credit_code=""))
    filed = OrganizationFactory.build(
        town=town, legal_form=LegalForm.COMMUNITY_ORGANIZATION, filing_number=""
    )
    assert refused(filed) == {"filing_number": ["备案的社区社会组织必须填写备案编号。"]}


def test_village_must_belong_to_the_town():
    org = OrganizationFactory.build(town=TownFactory(), village=VillageFactory())
    assert "不属于" in refused(org)["village"][0]


def test_deregistration_dated_before_registration_is_refused():
    org = registered_organization(on=datetime.date(2020, 3, 2))
    event = StatusEvent(organization=org, kind=StatusEvent.Kind.DEREGISTERED,
                        date=datetime.date(2019, 1, 1))
    assert refused(event) == {
        "date": ["注销登记日期（2019-01-01）不能早于该组织的成立登记日期（2020-03-02）。"]
    }
    assert org.status_events.count() == 1


def test_deregistration_of_a_filed_organization_is_refused_as_the_wrong_kind():
    org = registered_organization(legal_form=LegalForm.COMMUNITY_ORGANIZATION)
    event = StatusEvent(organization=org, kind=StatusEvent.Kind.DEREGISTERED,
                        date=datetime.date(2021, 1, 1))
    assert "不能录入“注销登记”" in refused(event)["kind"][0]


def test_second_registration_of_the_same_organization_is_refused():
    org = registered_organization()
    again = StatusEvent(organization=org, kind=StatusEvent.Kind.REGISTERED,
                        date=datetime.date(2021, 1, 1))
    assert "不能重复录入" in refused(again)["kind"][0]


def test_status_periods_follow_the_events():
    org = registered_organization(on=datetime.date(2015, 1, 1))
    StatusEventFactory(organization=org, kind=StatusEvent.Kind.CHANGED, date=datetime.date(2016, 1, 1))
    StatusEventFactory(organization=org, kind=StatusEvent.Kind.DEREGISTERED,
                       date=datetime.date(2020, 6, 30))
    start, change, end = org.status_events.order_by("date")
    start.refresh_from_db()
    assert (start.resulting_status, start.ends_on) == ("registered", datetime.date(2020, 6, 30))
    assert change.resulting_status == "" and change.ends_on is None
    assert (end.resulting_status, end.ends_on) == ("deregistered", None)
    delete_status_events(events=[end])
    start.refresh_from_db()
    assert start.ends_on is None


def test_grade_validity_must_follow_from_award_date():
    org = registered_organization()
    grade = EvaluationGrade(organization=org, grade=4, awarded_on=datetime.date(2020, 6, 1),
                            valid_until=datetime.date(2026, 6, 1))
    assert refused(grade) == {"valid_until": [
        "评估等级有效期为5年：评定日期2020-06-01，有效期应至2025-05-31，而不是2026-06-01。"
    ]}
    grade.valid_until = None
    grade.full_clean()
    assert grade.valid_until == datetime.date(2025, 5, 31)


def test_negative_amounts_are_refused():
    fund = SpecialFundFactory()
    movement = MoneyMovement(foundation=fund.host, special_fund=fund, date=datetime.date(2022, 1, 1),
                             kind=MoneyMovement.Kind.DONATION_IN, amount=Decimal("-100"),
                             counterparty_kind="enterprise", counterparty="某公司")
    assert refused(movement) == {"amount": ["金额必须大于0元。"]}
    service = TransferredService(
        title="养老服务", department_id=None, organization=registered_organization(),
        mode="purchase", amount=Decimal("-1"), starts_on=datetime.date(2022, 1, 1),
    )
    assert refused(service)["amount"] == ["金额不能为负数。"]
    assert not MoneyMovement.objects.exists()


def test_personal_donor_name_cannot_go_in_the_public_counterparty():
    fund = SpecialFundFactory()
    movement = MoneyMovement(foundation=fund.host, special_fund=fund, date=datetime.date(2022, 1, 1),
                             kind=MoneyMovement.Kind.DONATION_IN, amount=Decimal("100"),
                             counterparty_kind="individual", counterparty="王某")
    assert "counterparty" in refused(movement)


def test_money_in_a_fund_of_another_foundation_is_refused():
    fund = SpecialFundFactory()
    other = CommunityFoundationFactory()
    movement = MoneyMovement(foundation=other, special_fund=fund, date=datetime.date(2022, 1, 1),
                             kind=MoneyMovement.Kind.DONATION_IN, amount=Decimal("100"),
                             counterparty_kind="enterprise", counterparty="某公司")
    assert "不属于该基金会" in refused(movement)["special_fund"][0]


def test_incubation_ending_before_it_starts_is_refused():
    incubation = Incubation(center=IncubationCenterFactory(), group_name="银发互助队",
                            started_on=datetime.date(2021, 5, 1), ended_on=datetime.date(2021, 4, 1),
                            outcome=Incubation.Outcome.LEFT)
    assert refused(incubation) == {
        "ended_on": ["出壳/退出日期（2021-04-01）不能早于入驻日期（2021-05-01）。"]
    }
    assert not Incubation.objects.exists()


def test_incubation_registered_outcome_needs_the_organization():
    incubation = Incubation(center=IncubationCenterFactory(), group_name="银发互助队",
                            started_on=datetime.date(2021, 5, 1), ended_on=datetime.date(2022, 4, 1),
                            outcome=Incubation.Outcome.REGISTERED)
    assert "organization" in refused(incubation)
