import datetime

import factory

from incubator.models import Incubation, IncubationCenter
from registry.factories import CountyFactory, TownFactory


class IncubationCenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncubationCenter

    name = factory.Sequence(lambda n: f"测试社会组织培育发展中心{n}")
    level = IncubationCenter.Level.TOWN
    area = factory.SubFactory(TownFactory)
    opened_on = datetime.date(2016, 5, 1)


class CountyIncubationCenterFactory(IncubationCenterFactory):
    level = IncubationCenter.Level.COUNTY
    area = factory.SubFactory(CountyFactory)


class IncubationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incubation

    center = factory.SubFactory(IncubationCenterFactory)
    group_name = factory.Sequence(lambda n: f"测试志愿服务队{n}")
    started_on = datetime.date(2020, 3, 1)
    outcome = Incubation.Outcome.ONGOING
    internal_note = "孵化内部备注-不公开"
