"""Reads of incubation centers and incubations, each as of a date."""

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import ExtractYear

from registry.models import Area

from website.aggregates import count_by

from .models import Incubation, IncubationCenter


def incubations_started(*, as_of, town=None):
    """Incubations begun on or before `as_of`, whatever became of them since; `town` narrows to
    the incubations of that town's centers."""
    incubations = Incubation.objects.filter(started_on__lte=as_of)
    return incubations if town is None else incubations.filter(center__area=town)


def count_incubated(*, as_of, town=None):
    return incubations_started(as_of=as_of, town=town).count()


def incubations_by_outcome(*, as_of, town=None):
    """{outcome: count} of the incubations begun by `as_of`, every outcome present. An incubation
    not yet ended on `as_of` counts as ongoing, whatever its recorded outcome says today."""
    outcome_then = Case(
        When(Q(ended_on__isnull=True) | Q(ended_on__gt=as_of),
             then=Value(Incubation.Outcome.ONGOING.value)),
        default=F("outcome"),
        output_field=CharField(),
    )
    return count_by(
        incubations_started(as_of=as_of, town=town).annotate(outcome_then=outcome_then),
        "outcome_then", Incubation.Outcome,
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
    (begun in [since, as_of]) and `ongoing` (not ended on `as_of`)."""
    begun = Q(incubations__started_on__lte=as_of)
    return incubation_centers(as_of=as_of, town=town).annotate(
        total=Count("incubations", filter=begun),
        started=Count("incubations", filter=begun & Q(incubations__started_on__gte=since)),
        ongoing=Count(
            "incubations",
            filter=begun & (Q(incubations__ended_on__isnull=True) | Q(incubations__ended_on__gt=as_of)),
        ),
    ).order_by("level", "area__code")


# --- The public incubation and statistics pages -----------------------------------------------

def centers_with_outcomes(*, as_of):
    """Centers open on `as_of`, county first, each annotated with the incubations begun by then:
    `total`, `registered`, `filed`, `left` (ended by `as_of` with that outcome) and `ongoing`
    (not ended on `as_of`). One query."""
    begun = Q(incubations__started_on__lte=as_of)
    ended = begun & Q(incubations__ended_on__isnull=False, incubations__ended_on__lte=as_of)
    outcome = Incubation.Outcome
    return incubation_centers(as_of=as_of).select_related("area", "operator").annotate(
        total=Count("incubations", filter=begun),
        registered=Count("incubations", filter=ended & Q(incubations__outcome=outcome.REGISTERED)),
        filed=Count("incubations", filter=ended & Q(incubations__outcome=outcome.FILED)),
        left=Count("incubations", filter=ended & Q(incubations__outcome=outcome.LEFT)),
        ongoing=Count(
            "incubations",
            filter=begun & (Q(incubations__ended_on__isnull=True) | Q(incubations__ended_on__gt=as_of)),
        ),
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
        .only("id", "center_id", "group_name", "started_on", "ended_on", "outcome", "support",
              "organization__id", "organization__name", "organization__credit_code",
              "organization__filing_number")
        .order_by("-started_on", "-pk")
    )
