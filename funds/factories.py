import datetime

import factory

from funds.models import CommunityFoundation, MoneyMovement, SpecialFund
from registry.factories import TownFactory, registered_organization
from registry.models import LegalForm


class CommunityFoundationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityFoundation

    organization = factory.LazyFunction(
        lambda: registered_organization(
            legal_form=LegalForm.FOUNDATION, name=f"测试社区发展基金会{CommunityFoundation.objects.count()}",
            on=datetime.date(2019, 1, 1),
        )
    )
    role = CommunityFoundation.Role.TOWN_FOUNDATION
    area = factory.SubFactory(TownFactory)


class SpecialFundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecialFund

    host = factory.SubFactory(CommunityFoundationFactory)
    name = factory.Sequence(lambda n: f"测试共同富裕专项基金{n}")
    theme = SpecialFund.Theme.COMMON_PROSPERITY
    established_on = datetime.date(2021, 3, 1)


class MoneyMovementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MoneyMovement

    special_fund = factory.SubFactory(SpecialFundFactory)
    foundation = factory.LazyAttribute(lambda o: o.special_fund.host)
    kind = MoneyMovement.Kind.DONATION_IN
    date = datetime.date(2022, 5, 1)
    amount = 10000
    counterparty_kind = MoneyMovement.CounterpartyKind.ENTERPRISE
    counterparty = "嘉善测试实业有限公司"
