"""An incubation's state on a date, derived from its dates: an expression for querysets and a
twin for fetched rows (the pair registry.facts keeps for the register's own records).

A group is in incubation from `started_on`; once `ended_on` has come, its state is the outcome
recorded (registered, filed, left). Until then it is 孵化中 while its planned end
(`planned_end_on`) has not passed, and 逾期未出壳 after it, so a group that entered years ago and
never left does not read 孵化中 for ever.
"""

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from .models import Incubation

__all__ = [
    "IncubationState", "BEGUN_STATES", "incubation_state", "incubation_state_expression",
    "in_incubation_state", "was_incubated", "incubated_organizations",
]


_Outcome = Incubation.Outcome


class IncubationState(models.TextChoices):
    # Once ended, the state is the recorded outcome: same values, same labels.
    NOT_STARTED = "not_started", _("尚未入驻")
    ONGOING = _Outcome.ONGOING.value, _Outcome.ONGOING.label
    OVERDUE = "overdue", _("逾期未出壳")
    REGISTERED = _Outcome.REGISTERED.value, _Outcome.REGISTERED.label
    FILED = _Outcome.FILED.value, _Outcome.FILED.label
    LEFT = _Outcome.LEFT.value, _Outcome.LEFT.label


# The states of an incubation begun by the day: what the figures count.
BEGUN_STATES = tuple(s for s in IncubationState if s is not IncubationState.NOT_STARTED)


def incubation_state(incubation, day):
    """The IncubationState of a fetched incubation on `day`."""
    if incubation.started_on > day:
        return IncubationState.NOT_STARTED
    if incubation.ended_on is not None and incubation.ended_on <= day:
        return IncubationState(incubation.outcome)
    if incubation.planned_end_on is not None and incubation.planned_end_on < day:
        return IncubationState.OVERDUE
    return IncubationState.ONGOING


def incubation_state_expression(*, as_of, prefix=""):
    """The twin of `incubation_state` for annotations: an IncubationState value. `prefix` reads
    the incubation through a relation of the outer query ("incubations__" from a center)."""
    def field(name):
        return prefix + name

    return Case(
        When(Q(**{field("started_on__gt"): as_of}), then=Value(IncubationState.NOT_STARTED.value)),
        When(Q(**{field("ended_on__lte"): as_of}), then=F(field("outcome"))),
        When(Q(**{field("planned_end_on__lt"): as_of}), then=Value(IncubationState.OVERDUE.value)),
        default=Value(IncubationState.ONGOING.value),
        output_field=models.CharField(max_length=12),
    )


def in_incubation_state(state, *, as_of, prefix=""):
    """A filter condition: the incubation's state on `as_of` is `state`."""
    state = IncubationState(state)

    def q(**lookups):
        return Q(**{prefix + name: value for name, value in lookups.items()})

    if state is IncubationState.NOT_STARTED:
        return q(started_on__gt=as_of)
    not_ended = q(ended_on__isnull=True) | q(ended_on__gt=as_of)
    begun = q(started_on__lte=as_of)
    if state is IncubationState.OVERDUE:
        return begun & not_ended & q(planned_end_on__lt=as_of)
    if state is IncubationState.ONGOING:
        return begun & not_ended & (q(planned_end_on__isnull=True) | q(planned_end_on__gte=as_of))
    return begun & q(ended_on__lte=as_of, outcome=state.value)


# --- Whether an organization was incubated by a date ------------------------------------------

def was_incubated(incubations, day):
    """Whether an organization came out of an incubation center by `day`, from the incubations
    that name it: one begun on or before the day."""
    return any(incubation.started_on <= day for incubation in incubations)


def incubated_organizations(*, as_of):
    """The twin of `was_incubated` for querysets: the ids of the organizations it holds for, as a
    values() queryset to filter Organization by."""
    return (Incubation.objects.filter(organization__isnull=False, started_on__lte=as_of)
            .values("organization_id"))
