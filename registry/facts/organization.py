"""Facts about an organization as of a date: each an expression for querysets and a twin for
fetched rows.

Status periods: each status event stores the status it leads to and the date the next one ends it
(`ends_on`, kept by registry.services), so "status on D" is one indexed range condition on
StatusEvent at any scale: `date <= D` and (`ends_on` null or `ends_on > D`). Periods of one
organization never overlap (an event followed by another on the same day has an empty period), so
at most one event covers a day.
"""

import datetime
import enum

from django.db.models import Exists, OuterRef, Q, Subquery

from ..models import (
    ACTIVE_STATUSES, ENDED_STATUSES, CreditListEntry, EvaluationGrade, Status, StatusEvent,
    TransferredService,
)
from ..models.status import event_order, status_on
from .services import service_active_between

__all__ = [
    "REGISTERED_TRACK", "FILED_TRACK", "event_order", "status_on", "status_periods", "status_expression",
    "in_status", "existed_on", "ending_event", "start_event", "started_on", "started_between",
    "started_on_expression",
    "GradeState", "grade_on", "grade_state", "current_grades", "grade_expression",
    "on_credit_list", "credit_entries_on", "credit_entries_covering", "credit_listed",
    "undertook_service", "undertook_service_expression", "services_undertaken_by",
]

# The statuses of an organization that was registered (登记), and of one that was filed (备案),
# whatever became of it since: the directory's `kind` is the track of the status on the day.
REGISTERED_TRACK = (Status.REGISTERED, Status.DEREGISTERED, Status.REVOKED)
FILED_TRACK = (Status.FILED, Status.FILING_CANCELLED)


# --- Status ------------------------------------------------------------------------------------

def status_periods(*, as_of, statuses=Status.values):
    """The status events whose period covers `as_of` with a status in `statuses`: at most one per
    organization."""
    return StatusEvent.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=as_of),
        resulting_status__in=list(statuses), date__lte=as_of,
    )


def status_expression(*, as_of, organization="pk"):
    """The twin of `status_on` for annotations: the status (a Status value) on `as_of` of the
    organization in field `organization` of the outer query, or None."""
    return Subquery(
        status_periods(as_of=as_of).filter(organization_id=OuterRef(organization))
        .values("resulting_status")[:1]
    )


def in_status(*, as_of, statuses, organization="pk"):
    """A filter condition: the organization's status on `as_of` is one of `statuses`. Both
    databases answer it per organization from the (organization, date) index."""
    return Exists(status_periods(as_of=as_of, statuses=statuses)
                  .filter(organization_id=OuterRef(organization)))


def existed_on(*, as_of, organization="pk"):
    """A filter condition: the organization had been registered or filed by `as_of`."""
    return in_status(as_of=as_of, statuses=Status.values, organization=organization)


def ending_event(events, day):
    """The event that ended the organization (deregistration, revocation, cancelled filing) if its
    status on `day` is an ended one, else None."""
    status = status_on(events, day)
    if status not in ENDED_STATUSES:
        return None
    return next((e for e in sorted(events, key=event_order, reverse=True)
                 if e.date <= day and StatusEvent.RESULTING_STATUS.get(e.kind) == status), None)


# --- Start date --------------------------------------------------------------------------------

def start_event(events):
    """The organization's registration or filing (its start event), or None."""
    starts = [e for e in events if e.kind in StatusEvent.START_KINDS]
    return min(starts, key=event_order) if starts else None


def started_on(events):
    """The date the organization was registered or filed, or None."""
    event = start_event(events)
    return event.date if event else None


def started_between(*, start=None, end=None):
    """The twin of `started_on` for filters: organizations started in [start, end] (either bound
    may be None), as a condition on Organization."""
    events = StatusEvent.objects.filter(kind__in=StatusEvent.START_KINDS)
    if start is not None:
        events = events.filter(date__gte=start)
    if end is not None:
        events = events.filter(date__lte=end)
    return Q(pk__in=events.values("organization_id"))


def started_on_expression(*, organization="pk"):
    """The twin of `started_on` for annotations."""
    return Subquery(
        StatusEvent.objects.filter(kind__in=StatusEvent.START_KINDS,
                                   organization_id=OuterRef(organization))
        .order_by("date", "pk").values("date")[:1]
    )


# --- Evaluation grade --------------------------------------------------------------------------

class GradeState(enum.Enum):
    """What a grade was on a day."""

    CURRENT = "current"  # the organization's grade that day
    SUPERSEDED = "superseded"  # a later grade replaced it
    EXPIRED = "expired"  # its five years were over
    ENDED = "ended"  # the organization was deregistered or revoked while it was valid
    FUTURE = "future"  # awarded after the day


def _grade_order(grade):
    return (grade.awarded_on, grade.pk or 0)


def grade_state(grade, *, grades, day, status, ended_on=None):
    """The GradeState of `grade` on `day`, among the organization's `grades`, given its status that
    day (and, if that status is an ended one, the date it ended). A grade holds from its award to
    the end of its validity, while the organization is active, until a later grade replaces it;
    whichever of these ended it first is its state."""
    if grade.awarded_on > day:
        return GradeState.FUTURE
    ends = [(grade.valid_until + datetime.timedelta(days=1), GradeState.EXPIRED)]
    later = [g.awarded_on for g in grades
             if g.awarded_on <= day and _grade_order(g) > _grade_order(grade)]
    if later:
        ends.append((min(later), GradeState.SUPERSEDED))
    if status not in ACTIVE_STATUSES:
        ends.append((ended_on or day, GradeState.ENDED))
    first_end, state = min(ends, key=lambda end: end[0])
    return state if first_end <= day else GradeState.CURRENT


def grade_on(grades, *, day, status):
    """The organization's grade on `day` (an EvaluationGrade), or None: the latest awarded by
    then, if still valid and the organization is active."""
    awarded = [g for g in grades if g.awarded_on <= day]
    if not awarded:
        return None
    latest = max(awarded, key=_grade_order)
    return latest if grade_state(latest, grades=grades, day=day, status=status) is GradeState.CURRENT \
        else None


def current_grades(*, as_of):
    """The twin of `grade_on` for querysets: each organization's grade on `as_of`, at most one
    row per organization."""
    later = EvaluationGrade.objects.filter(
        Q(awarded_on__gt=OuterRef("awarded_on"))
        | Q(awarded_on=OuterRef("awarded_on"), pk__gt=OuterRef("pk")),
        organization_id=OuterRef("organization_id"), awarded_on__lte=as_of,
    )
    return EvaluationGrade.objects.filter(
        in_status(as_of=as_of, statuses=ACTIVE_STATUSES, organization="organization_id"),
        awarded_on__lte=as_of, valid_until__gte=as_of,
    ).exclude(Exists(later))


def grade_expression(*, as_of, organization="pk"):
    """The organization's grade (1 to 5) on `as_of` for annotations, or None."""
    return Subquery(
        current_grades(as_of=as_of).filter(organization_id=OuterRef(organization))
        .values("grade")[:1]
    )


# --- Credit lists ------------------------------------------------------------------------------

def on_credit_list(entry, day):
    """Whether the credit-list entry holds on `day`: listed by then and not yet removed."""
    return entry.listed_on <= day and (entry.removed_on is None or entry.removed_on > day)


def credit_entries_on(entries, day):
    """The entries of `entries` that hold on `day`."""
    return [entry for entry in entries if on_credit_list(entry, day)]


def credit_entries_covering(*, as_of, list_kind=None):
    """The twin of `credit_entries_on` for querysets."""
    entries = CreditListEntry.objects.filter(
        Q(removed_on__isnull=True) | Q(removed_on__gt=as_of), listed_on__lte=as_of,
    )
    return entries if list_kind is None else entries.filter(list_kind=list_kind)


def credit_listed(*, as_of, list_kind=None, organization="pk"):
    """A filter condition: the organization is on a credit list (of `list_kind`, or any) on
    `as_of`."""
    return Exists(credit_entries_covering(as_of=as_of, list_kind=list_kind)
                  .filter(organization_id=OuterRef(organization)))


# --- Transferred services undertaken -----------------------------------------------------------

def undertook_service(services, day):
    """Whether the organization had taken over a transferred service by `day`: one in progress on
    some day up to it, whatever became of it since (one terminated on its first day never ran)."""
    return any(
        service.starts_on <= day
        and (service.terminated_on is None or service.terminated_on > service.starts_on)
        for service in services
    )


def services_undertaken_by(*, as_of):
    """The twin of `undertook_service` over services: those in progress on some day up to
    `as_of` (the rule of registry.facts.services.service_active_between)."""
    return TransferredService.objects.filter(service_active_between(last=as_of))


def undertook_service_expression(*, as_of, organization="pk"):
    """The twin of `undertook_service`: a filter condition."""
    return Exists(services_undertaken_by(as_of=as_of).filter(organization_id=OuterRef(organization)))
