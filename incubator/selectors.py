"""Reads of incubation centers and incubations, each as of a date."""

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.db.models.lookups import Exact

from registry.models import Area, Organization

from website import privacy
from website.aggregates import count_by

from .facts import (
    BEGUN_STATES, IncubationState, in_incubation_state, incubation_state_expression,
)
from .models import Incubation, IncubationCenter


def incubations_started(*, as_of, town=None):
    """Incubations begun on or before `as_of`, whatever became of them since; `town` narrows to
    the incubations of that town's centers."""
    incubations = Incubation.objects.filter(started_on__lte=as_of)
    return incubations if town is None else incubations.filter(center__area=town)


def count_incubated(*, as_of, town=None):
    return incubations_started(as_of=as_of, town=town).count()


def incubations_by_outcome(*, as_of, town=None):
    """{IncubationState: count} of the incubations begun by `as_of`, every begun state present:
    ongoing, overdue (past its planned end, not out), and the outcomes of those ended by then,
    whatever their recorded outcome says today (incubator.facts)."""
    return count_by(
        incubations_started(as_of=as_of, town=town)
        .annotate(state=incubation_state_expression(as_of=as_of)),
        "state", BEGUN_STATES,
    )


def incubation_centers(*, as_of, town=None):
    """Incubation centers opened on or before `as_of` (in `town`, if given)."""
    centers = IncubationCenter.objects.filter(opened_on__lte=as_of)
    return centers if town is None else centers.filter(area=town)


def centers_by_level(*, as_of, town=None):
    """{center level: count} of the centers open on `as_of`, every level present."""
    return count_by(incubation_centers(as_of=as_of, town=town), "level", IncubationCenter.Level)


def count_towns_with_center(*, as_of):
    """Distinct towns and subdistricts with a town-level center open on `as_of`."""
    return (
        incubation_centers(as_of=as_of)
        .filter(level=IncubationCenter.Level.TOWN, area__level__in=Area.TOWN_LEVELS)
        .order_by().values("area_id").distinct().count()
    )


def centers_with_counts(*, as_of, since, town=None):
    """Centers open on `as_of`, each annotated with `total` incubations begun by `as_of`, `started`
    (begun in [since, as_of]), `ongoing` and `overdue` (their state on `as_of`, incubator.facts)."""
    begun = Q(incubations__started_on__lte=as_of)
    state = incubation_state_expression(as_of=as_of, prefix="incubations__")
    return incubation_centers(as_of=as_of, town=town).annotate(
        total=Count("incubations", filter=begun),
        started=Count("incubations", filter=begun & Q(incubations__started_on__gte=since)),
        ongoing=Count("incubations", filter=begun & Q(Exact(state, IncubationState.ONGOING.value))),
        overdue=Count("incubations", filter=begun & Q(Exact(state, IncubationState.OVERDUE.value))),
    ).order_by("level", "area__code")


# --- The public incubation and statistics pages -----------------------------------------------

def centers_with_outcomes(*, as_of):
    """Centers open on `as_of`, county first, each annotated with the incubations begun by then:
    `total`, and one count per begun state on `as_of` (incubator.facts): `ongoing`, `overdue`,
    `registered`, `filed`, `left`. One query."""
    begun = Q(incubations__started_on__lte=as_of)
    state = incubation_state_expression(as_of=as_of, prefix="incubations__")
    return incubation_centers(as_of=as_of).select_related("area", "operator").annotate(
        total=Count("incubations", filter=begun),
        **{s.value: Count("incubations", filter=begun & Q(Exact(state, s.value)))
           for s in BEGUN_STATES},
    ).order_by("level", "area__code", "pk")


def incubated_by_area(*, as_of):
    """{area id of the center: incubations begun by `as_of`} (the county center under the county)."""
    return dict(
        incubations_started(as_of=as_of).order_by().values("center__area")
        .annotate(n=Count("pk")).values_list("center__area", "n")
    )


def incubations_started_by_year(*, as_of):
    """{year: incubations begun that year} up to `as_of`; years without any are absent."""
    return dict(
        incubations_started(as_of=as_of).order_by().annotate(year=ExtractYear("started_on"))
        .values("year").annotate(n=Count("pk")).values_list("year", "n")
    )


def center_incubations(*, center):
    """A center's incubations for the public, newest first, loading public fields only."""
    return (
        Incubation.objects.filter(center=center).select_related("organization")
        .only(*privacy.only_public(Incubation, related={"organization": Organization}))
        .order_by("-started_on", "-pk")
    )


def incubations_listed(*, as_of, states=(), center=None):
    """The incubations begun by `as_of` (in one of `states` that day, of `center`, if given), for
    the public list behind the incubation figures: newest first, public fields only. It holds
    exactly the rows `incubations_by_outcome` counts for the same states."""
    incubations = incubations_started(as_of=as_of)
    if states:
        condition = Q()
        for state in states:
            condition |= in_incubation_state(state, as_of=as_of)
        incubations = incubations.filter(condition)
    if center is not None:
        incubations = incubations.filter(center=center)
    return (
        incubations.select_related("organization", "center")
        .only(*privacy.only_public(Incubation, related={"organization": Organization,
                                                       "center": IncubationCenter}))
        .order_by("-started_on", "-pk")
    )
