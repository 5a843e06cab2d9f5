"""Reads of incubation centers and incubations, each as of a date."""

from django.db.models import Case, CharField, Count, F, Q, Value, When

from registry.models import Area

from .models import Incubation, IncubationCenter


def incubations_started(*, as_of):
    """Incubations begun on or before `as_of`, whatever became of them since."""
    return Incubation.objects.filter(started_on__lte=as_of)


def count_incubated(*, as_of):
    return incubations_started(as_of=as_of).count()


def incubations_by_outcome(*, as_of):
    """{outcome: count} of the incubations begun by `as_of`, every outcome present. An incubation
    not yet ended on `as_of` counts as ongoing, whatever its recorded outcome says today."""
    outcome_then = Case(
        When(Q(ended_on__isnull=True) | Q(ended_on__gt=as_of),
             then=Value(Incubation.Outcome.ONGOING.value)),
        default=F("outcome"),
        output_field=CharField(),
    )
    counts = dict.fromkeys(Incubation.Outcome, 0)
    counts.update(
        incubations_started(as_of=as_of).order_by()
        .annotate(outcome_then=outcome_then)
        .values("outcome_then").annotate(n=Count("pk")).values_list("outcome_then", "n")
    )
    return counts


def incubation_centers(*, as_of):
    """Incubation centers opened on or before `as_of`."""
    return IncubationCenter.objects.filter(opened_on__lte=as_of)


def centers_by_level(*, as_of):
    """{center level: count} of the centers open on `as_of`, every level present."""
    counts = dict.fromkeys(IncubationCenter.Level, 0)
    counts.update(
        incubation_centers(as_of=as_of).order_by()
        .values("level").annotate(n=Count("pk")).values_list("level", "n")
    )
    return counts


def count_towns_with_center(*, as_of):
    """Distinct towns and subdistricts with a town-level center open on `as_of`."""
    return (
        incubation_centers(as_of=as_of)
        .filter(level=IncubationCenter.Level.TOWN, area__level__in=Area.TOWN_LEVELS)
        .order_by().values("area_id").distinct().count()
    )
