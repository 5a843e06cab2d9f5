"""Reads of the register, each as of a date.

Status is derived from dated StatusEvents: an organization's status on D is the event with
`date <= D` and (`ends_on` null or `ends_on > D`). The period columns are indexed together, so every
"as of" figure is one range condition on StatusEvent, never a per-organization "latest event"
subquery, and stays fast at national scale.
"""

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber

from .models import (
    REGISTERED_LEGAL_FORMS, AnnualInspection, Area, CreditListEntry, Department, EvaluationGrade,
    Organization, ServiceField, Status, StatusEvent, TransferredService,
)


def _in_town(queryset, town, path="organization__town"):
    """Narrow to one town's records (town summaries); `town=None` keeps the whole county."""
    return queryset if town is None else queryset.filter(**{path: town})


def _periods_covering(*, as_of, statuses, town=None):
    """Status events whose period covers `as_of` and whose resulting status is one of `statuses`.

    Periods of one organization never overlap (each ends when the next begins; an event followed by
    another on the same day has an empty period), so this holds at most one event per organization.
    """
    return _in_town(StatusEvent.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=as_of),
        resulting_status__in=statuses, date__lte=as_of,
    ), town)


def organizations_in_status(*, as_of, statuses, town=None):
    """Organizations whose status on `as_of` is one of `statuses`, each once."""
    return Organization.objects.filter(
        pk__in=_periods_covering(as_of=as_of, statuses=statuses, town=town).values("organization_id")
    )


def count_in_status(*, as_of, statuses, town=None):
    """The number of organizations whose status on `as_of` is one of `statuses`.

    Counts the covering periods themselves (one per organization, see above): an index scan of
    StatusEvent alone, with no join to Organization.
    """
    return _periods_covering(as_of=as_of, statuses=statuses, town=town).count()


def status_as_of(*, organization, as_of):
    """One organization's Status on `as_of`, or None if it was not yet registered or filed."""
    value = (
        _periods_covering(as_of=as_of, statuses=Status.values)
        .filter(organization=organization)
        .values_list("resulting_status", flat=True)
        .first()
    )
    return Status(value) if value else None


def count_towns():
    """The number of town-level areas (镇 and 街道)."""
    return Area.objects.filter(level__in=Area.TOWN_LEVELS).count()


def _count_by_town(organizations):
    """Every town-level area with its count in `organizations`, 0 included, ordered by code."""
    counts = dict(
        organizations.order_by()
        .values("town_id").annotate(n=Count("pk")).values_list("town_id", "n")
    )
    towns = Area.objects.filter(level__in=Area.TOWN_LEVELS).order_by("code")
    return [(town, counts.get(town.pk, 0)) for town in towns]


def registered_organizations(*, as_of, town=None):
    return organizations_in_status(as_of=as_of, statuses=[Status.REGISTERED], town=town)


def count_registered(*, as_of, town=None):
    return count_in_status(as_of=as_of, statuses=[Status.REGISTERED], town=town)


def registered_by_legal_form(*, as_of, town=None):
    """{legal form: count} with every registered legal form present."""
    counts = dict.fromkeys(REGISTERED_LEGAL_FORMS, 0)
    rows = (
        registered_organizations(as_of=as_of, town=town).order_by()
        .values("legal_form").annotate(n=Count("pk")).values_list("legal_form", "n")
    )
    counts.update(rows)
    return counts


def registered_by_town(*, as_of):
    return _count_by_town(registered_organizations(as_of=as_of))


def filed_organizations(*, as_of, town=None):
    return organizations_in_status(as_of=as_of, statuses=[Status.FILED], town=town)


def count_filed(*, as_of, town=None):
    return count_in_status(as_of=as_of, statuses=[Status.FILED], town=town)


def filed_by_town(*, as_of):
    return _count_by_town(filed_organizations(as_of=as_of))


def new_registrations(*, start, end, town=None):
    """Registrations dated in [start, end], including filed organizations upgraded to registered."""
    return _in_town(StatusEvent.objects.filter(
        kind__in=[StatusEvent.Kind.REGISTERED, StatusEvent.Kind.FILED_TO_REGISTERED],
        date__gte=start, date__lte=end,
    ), town)


def new_filings(*, start, end, town=None):
    """Filings of community organizations dated in [start, end]."""
    return _in_town(
        StatusEvent.objects.filter(kind=StatusEvent.Kind.FILED, date__gte=start, date__lte=end), town
    )


def deregistrations(*, start, end, town=None):
    """Deregistrations and revocations dated in [start, end]."""
    return _in_town(StatusEvent.objects.filter(
        kind__in=[StatusEvent.Kind.DEREGISTERED, StatusEvent.Kind.REVOKED],
        date__gte=start, date__lte=end,
    ), town)


def transferred_services_active(*, period_start=None, period_end, town=None):
    """Transferred services active at some point in [period_start, period_end];
    `period_start=None` means since the beginning."""
    services = _in_town(TransferredService.objects.filter(starts_on__lte=period_end), town)
    if period_start is not None:
        services = services.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=period_start))
    return services


def service_undertakers(*, period_start=None, period_end, town=None):
    """Organizations undertaking a transferred service active in the period, each once."""
    active = transferred_services_active(period_start=period_start, period_end=period_end, town=town)
    return Organization.objects.filter(pk__in=active.values("organization_id"))


def count_service_undertakers(*, period_start=None, period_end, town=None):
    # Distinct undertakers counted on the services alone: no scan of the organizations.
    active = transferred_services_active(period_start=period_start, period_end=period_end, town=town)
    return active.order_by().values("organization_id").distinct().count()


def count_service_fields_covered(*, period_start=None, period_end, town=None):
    """Distinct service fields across the transferred services active in the period."""
    active = transferred_services_active(period_start=period_start, period_end=period_end, town=town)
    links = TransferredService.service_fields.through.objects.filter(transferredservice__in=active)
    return ServiceField.objects.filter(pk__in=links.values("servicefield_id")).count()


def inspection_results(*, year, town=None):
    """{annual-inspection result: count} for one inspection year, every result present."""
    counts = dict.fromkeys(AnnualInspection.Result, 0)
    rows = (
        _in_town(AnnualInspection.objects.filter(year=year), town).order_by()
        .values("result").annotate(n=Count("pk")).values_list("result", "n")
    )
    counts.update(rows)
    return counts


def grades_valid(*, as_of, town=None):
    """{grade: number of organizations} holding a valid grade on `as_of`, each organization
    counted once, with its latest grade awarded on or before `as_of`."""
    valid = _in_town(EvaluationGrade.objects.filter(awarded_on__lte=as_of, valid_until__gte=as_of), town)
    # Rank each organization's valid grades in a subquery; grouping the ranked query itself would
    # group before ranking.
    latest = valid.annotate(
        rank=Window(
            RowNumber(), partition_by=[F("organization_id")],
            order_by=[F("awarded_on").desc(), F("pk").desc()],
        )
    ).filter(rank=1)
    counts = dict.fromkeys(EvaluationGrade.Grade, 0)
    counts.update(
        EvaluationGrade.objects.filter(pk__in=latest.values("pk")).order_by()
        .values("grade").annotate(n=Count("pk")).values_list("grade", "n")
    )
    return counts


def credit_listed(*, as_of, list_kind=None, town=None):
    """Organizations on a credit list (of `list_kind`, or any) on `as_of`, each once."""
    entries = CreditListEntry.objects.filter(
        Q(removed_on__isnull=True) | Q(removed_on__gt=as_of), listed_on__lte=as_of,
    )
    entries = _in_town(entries, town)
    if list_kind is not None:
        entries = entries.filter(list_kind=list_kind)
    return Organization.objects.filter(pk__in=entries.values("organization_id"))


def services_by_field(*, period_start=None, period_end, town=None):
    """[(service field, services, organizations)] for the services active in the period, busiest
    field first; fields with no active service are left out."""
    active = transferred_services_active(period_start=period_start, period_end=period_end, town=town)
    return [
        (field, field.services, field.undertakers)
        for field in ServiceField.objects.filter(transferred_services__in=active)
        .annotate(
            services=Count("transferred_services", distinct=True),
            undertakers=Count("transferred_services__organization", distinct=True),
        )
        .order_by("-services", "sort_order", "code")
    ]


def services_by_department(*, period_start=None, period_end, town=None):
    """[(department, services, amount in yuan)] for the services active in the period."""
    active = transferred_services_active(period_start=period_start, period_end=period_end, town=town)
    return [
        (department, department.services, department.amount or 0)
        for department in Department.objects.filter(transferred_services__in=active)
        .annotate(services=Count("transferred_services"), amount=Sum("transferred_services__amount"))
        .order_by("-services", "name")
    ]
