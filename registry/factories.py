"""factory_boy factories for tests: each builds a valid record with its dependencies."""

import datetime

import factory

from registry import credit_code
from registry.models import (
    LEGAL_FORM_CODE_CHARACTER, AnnualInspection, Area, CreditListEntry, Department,
    EvaluationGrade, LegalForm, Organization, ServiceField, StatusEvent, TransferredService,
)
from registry.services import save_status_events

JIASHAN = "330421"


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    code = JIASHAN
    name = "嘉善县"
    level = Area.Level.COUNTY


class TownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    parent = factory.SubFactory(CountyFactory)
    # Division codes are fixed-width; a long test session wraps the sequence rather than overflow.
    code = factory.Sequence(lambda n: f"{JIASHAN}{100 + n % 900:03d}")
    name = factory.Sequence(lambda n: f"测试{n}镇")
    level = Area.Level.TOWN


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    parent = factory.SubFactory(TownFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code}{200 + n % 800:03d}")
    name = factory.Sequence(lambda n: f"测试{n}社区")
    level = Area.Level.COMMUNITY


class ServiceFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceField
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"field-{n}")
    name = factory.Sequence(lambda n: f"服务领域{n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"嘉善县测试局{n}")


def _credit_code(organization, n):
    form_char = LEGAL_FORM_CODE_CHARACTER.get(organization.legal_form)
    if form_char is None:
        return ""
    return credit_code.make(
        legal_form_code=form_char, division_code=JIASHAN, body=f"MJ{n:07d}"
    )


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"嘉善县测试协会{n}")
    legal_form = LegalForm.SOCIAL_GROUP
    credit_code = factory.LazyAttributeSequence(_credit_code)
    filing_number = factory.LazyAttributeSequence(
        lambda o, n: f"嘉善备{n:06d}" if o.legal_form == LegalForm.COMMUNITY_ORGANIZATION else ""
    )
    registration_authority = "嘉善县民政局"
    town = factory.SubFactory(TownFactory)
    legal_representative = "测试人"
    contact_phone = "0573-00000000"
    internal_note = "内部备注-不公开"


class StatusEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusEvent

    organization = factory.SubFactory(OrganizationFactory)
    kind = StatusEvent.Kind.REGISTERED
    date = datetime.date(2020, 1, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The one write path for events: it keeps the organization's status periods right.
        (event,) = save_status_events(events=[model_class(*args, **kwargs)])
        return event


def registered_organization(*, on=datetime.date(2020, 1, 1), **kwargs):
    """An organization with its registration (or filing, for a community organization) event."""
    org = OrganizationFactory(**kwargs)
    kind = (StatusEvent.Kind.FILED if org.legal_form == LegalForm.COMMUNITY_ORGANIZATION
            else StatusEvent.Kind.REGISTERED)
    StatusEventFactory(organization=org, kind=kind, date=on)
    return org


class AnnualInspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualInspection

    organization = factory.SubFactory(OrganizationFactory)
    year = 2021
    result = AnnualInspection.Result.PASSED


class EvaluationGradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationGrade

    organization = factory.SubFactory(OrganizationFactory)
    grade = EvaluationGrade.Grade.A4
    awarded_on = datetime.date(2021, 6, 1)


class CreditListEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreditListEntry

    organization = factory.SubFactory(OrganizationFactory)
    list_kind = CreditListEntry.ListKind.ABNORMAL_ACTIVITY
    reason = "未按规定参加年度检查"
    listed_on = datetime.date(2021, 7, 1)


class TransferredServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TransferredService
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"测试服务项目{n}")
    department = factory.SubFactory(DepartmentFactory)
    organization = factory.SubFactory(OrganizationFactory)
    mode = TransferredService.Mode.PURCHASE
    amount = 100000
    starts_on = datetime.date(2021, 1, 1)
    ends_on = datetime.date(2022, 12, 31)

    @factory.post_generation
    def service_fields(self, create, extracted, **kwargs):
        if create:
            self.service_fields.set(extracted if extracted is not None else [ServiceFieldFactory()])
