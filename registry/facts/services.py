"""A transferred service's state on a date, derived from its dates: an expression for querysets
and a twin for fetched rows.

A service runs from `starts_on` through `ends_on` (its last day; none: open-ended) unless it is
terminated early: from `terminated_on` it is 已终止, whatever its planned end. Nobody types the
state, so a service that ended last year never reads 执行中 today.
"""

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _

from ..models import TransferredService

__all__ = [
    "ServiceState", "service_state", "service_state_expression", "in_service_state",
    "services_in_state", "service_active_between",
]


class ServiceState(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("执行中")
    ENDED = "ended", _("已结束")
    TERMINATED = "terminated", _("已终止")


def service_state(service, day):
    """The ServiceState of a fetched service on `day` (any object with the three dates)."""
    if service.starts_on > day:
        return ServiceState.NOT_STARTED
    if service.terminated_on is not None and service.terminated_on <= day:
        return ServiceState.TERMINATED
    if service.ends_on is not None and service.ends_on < day:
        return ServiceState.ENDED
    return ServiceState.IN_PROGRESS


def service_state_expression(*, as_of):
    """The twin of `service_state` for annotations: a ServiceState value. The Whens are tried
    in `service_state`'s order; a comparison with a null date is not true, as there."""
    return Case(
        When(starts_on__gt=as_of, then=Value(ServiceState.NOT_STARTED.value)),
        When(terminated_on__lte=as_of, then=Value(ServiceState.TERMINATED.value)),
        When(ends_on__lt=as_of, then=Value(ServiceState.ENDED.value)),
        default=Value(ServiceState.IN_PROGRESS.value),
        output_field=models.CharField(max_length=16),
    )


def in_service_state(state, *, as_of):
    """A filter condition: the service's state on `as_of` is `state`. Plain date comparisons
    rather than a filter on the Case, so the (starts_on, ends_on) index can serve them."""
    state = ServiceState(state)
    started = Q(starts_on__lte=as_of)
    not_terminated = Q(terminated_on__isnull=True) | Q(terminated_on__gt=as_of)
    if state is ServiceState.NOT_STARTED:
        return Q(starts_on__gt=as_of)
    if state is ServiceState.TERMINATED:
        return started & Q(terminated_on__lte=as_of)
    if state is ServiceState.ENDED:
        return started & not_terminated & Q(ends_on__lt=as_of)
    return started & not_terminated & (Q(ends_on__isnull=True) | Q(ends_on__gte=as_of))


def services_in_state(state, *, as_of, queryset=None):
    """The services (of `queryset`, or all) in `state` on `as_of`."""
    queryset = TransferredService.objects.all() if queryset is None else queryset
    return queryset.filter(in_service_state(state, as_of=as_of))


def service_active_between(*, first=None, last):
    """A filter condition: the service was in progress on some day of [first, last] (`first`
    None: any day up to `last`). Its days in progress run from starts_on through ends_on and
    stop the day before terminated_on, so a service terminated on its first day never ran."""
    condition = Q(starts_on__lte=last) & (
        Q(terminated_on__isnull=True) | Q(terminated_on__gt=models.F("starts_on"))
    )
    if first is not None:
        condition &= Q(ends_on__isnull=True) | Q(ends_on__gte=first)
        condition &= Q(terminated_on__isnull=True) | Q(terminated_on__gt=first)
    return condition
