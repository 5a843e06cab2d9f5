"""Each fact of registry.facts comes as a query expression and a twin for fetched rows; on every
organization of the Jiashan demo, at four dates, the two give the same answer. (The demo is loaded
once for the module, so the rule tests below narrow their queries to their own records.)"""

import datetime

import pytest
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from incubator import facts as incubation_facts
from incubator.models import Incubation
from registry import facts
from registry.factories import (
    CreditListEntryFactory, EvaluationGradeFactory, TransferredServiceFactory,
)
from registry.models import (
    CreditListEntry, EvaluationGrade, Organization, Status, StatusEvent, TransferredService,
)
from tests.directory_support import end, organization

D = datetime.date
DATES = [D(2015, 12, 31), D(2020, 12, 31), D(2022, 12, 31), timezone.localdate()]


def fetched():
    """Every organization with its records, as a page or a download row holds them."""
    return list(Organization.objects.order_by("pk").prefetch_related(
        Prefetch("status_events", queryset=StatusEvent.objects.order_by("date", "pk")),
        Prefetch("evaluation_grades", queryset=EvaluationGrade.objects.order_by("pk")),
        Prefetch("credit_list_entries", queryset=CreditListEntry.objects.order_by("pk")),
        Prefetch("transferred_services", queryset=TransferredService.objects.order_by("pk")),
        Prefetch("incubations", queryset=Incubation.objects.order_by("pk")),
    ))


@pytest.mark.parametrize("day", DATES, ids=[d.isoformat() for d in DATES])
def test_expressions_and_their_twins_agree_on_every_organization(demo, db, day):
    queried = {
        row["pk"]: row for row in Organization.objects.annotate(
            status=facts.status_expression(as_of=day),
            started=facts.started_on_expression(),
            grade=facts.grade_expression(as_of=day),
            listed=facts.credit_listed(as_of=day),
            abnormal=facts.credit_listed(as_of=day, list_kind="abnormal_activity"),
            undertook=facts.undertook_service_expression(as_of=day),
            incubated=Exists(incubation_facts.incubated_organizations(as_of=day)
                             .filter(organization_id=OuterRef("pk"))),
        ).values("pk", "status", "started", "grade", "listed", "abnormal", "undertook",
                 "incubated")
    }
    seen = {"status": set(), "grade": 0, "listed": 0, "undertook": 0, "incubated": 0}
    for org in fetched():
        events = list(org.status_events.all())
        status = facts.status_on(events, day)
        grade = facts.grade_on(list(org.evaluation_grades.all()), day=day, status=status)
        entries = facts.credit_entries_on(list(org.credit_list_entries.all()), day)
        twin = {
            "status": status.value if status else None,
            "started": facts.started_on(events),
            "grade": grade.grade if grade else None,
            "listed": bool(entries),
            "abnormal": any(e.list_kind == "abnormal_activity" for e in entries),
            "undertook": facts.undertook_service(list(org.transferred_services.all()), day),
            "incubated": incubation_facts.was_incubated(list(org.incubations.all()), day),
        }
        row = queried[org.pk]
        assert {key: row[key] for key in twin} == twin, org.name
        seen["status"].add(twin["status"])
        seen["grade"] += bool(twin["grade"])
        seen["listed"] += twin["listed"]
        seen["undertook"] += twin["undertook"]
        seen["incubated"] += twin["incubated"]
    # The demo exercises each fact on each date (the comparison above is not vacuous).
    assert {Status.REGISTERED, Status.FILED} <= seen["status"]
    assert seen["grade"] and seen["undertook"] and seen["incubated"]
    if day >= D(2020, 12, 31):
        assert seen["listed"]


def test_current_grades_hold_one_row_per_organization(demo, db):
    for day in DATES:
        rows = facts.current_grades(as_of=day)
        assert rows.count() == rows.values("organization_id").distinct().count()


# --- the rules, on records built for them ----------------------------------------------------

def test_a_grade_ends_with_a_deregistration_and_with_a_later_grade(db):
    org = organization("嘉善县测试等级协会", on=D(2015, 1, 1))
    five = EvaluationGradeFactory(organization=org, grade=5, awarded_on=D(2019, 3, 1))
    end(org, StatusEvent.Kind.DEREGISTERED, on=D(2022, 10, 17))
    grades = [five]
    events = list(org.status_events.all())
    before, after = D(2022, 10, 16), D(2022, 10, 17)
    status_after = facts.status_on(events, after)
    assert facts.grade_on(grades, day=before, status=facts.status_on(events, before)) == five
    assert facts.grade_on(grades, day=after, status=status_after) is None
    assert facts.grade_state(five, grades=grades, day=after, status=status_after,
                             ended_on=after) is facts.GradeState.ENDED
    assert list(facts.current_grades(as_of=before).filter(organization=org)) == [five]
    assert list(facts.current_grades(as_of=after).filter(organization=org)) == []

    other = organization("嘉善县测试换证协会", on=D(2015, 1, 1))
    old = EvaluationGradeFactory(organization=other, grade=5, awarded_on=D(2019, 3, 1))
    new = EvaluationGradeFactory(organization=other, grade=3, awarded_on=D(2021, 3, 1))
    active = Status.REGISTERED
    # A later grade replaces an earlier one even if lower and the earlier is still in its term.
    assert facts.grade_on([old, new], day=D(2022, 1, 1), status=active) == new
    assert facts.grade_state(old, grades=[old, new], day=D(2022, 1, 1), status=active) \
        is facts.GradeState.SUPERSEDED
    assert list(facts.current_grades(as_of=D(2022, 1, 1)).filter(organization=other)) == [new]
    # Expired before the next award: it reads as expired, not replaced.
    assert facts.grade_state(old, grades=[old], day=D(2024, 3, 1), status=active) \
        is facts.GradeState.EXPIRED


def test_credit_list_and_services_by_the_day(db):
    org = organization("嘉善县测试名录协会", on=D(2015, 1, 1))
    entry = CreditListEntryFactory(organization=org, listed_on=D(2022, 3, 3),
                                   removed_on=D(2023, 3, 3))
    assert facts.credit_entries_on([entry], D(2022, 3, 2)) == []
    assert facts.credit_entries_on([entry], D(2022, 3, 3)) == [entry]
    assert facts.credit_entries_on([entry], D(2023, 3, 3)) == []
    mine = Organization.objects.filter(pk=org.pk)
    assert mine.filter(facts.credit_listed(as_of=D(2022, 3, 3))).exists()
    assert not mine.filter(facts.credit_listed(as_of=D(2023, 3, 3))).exists()
    service = TransferredServiceFactory(organization=org, starts_on=D(2023, 12, 7))
    assert not facts.undertook_service([service], D(2023, 12, 6))
    assert facts.undertook_service([service], D(2023, 12, 7))
    # A service terminated on its first day never ran: not undertaken, in the twin or the query.
    other = organization("嘉善县测试终止协会", on=D(2015, 1, 1))
    void = TransferredServiceFactory(organization=other, starts_on=D(2023, 1, 1),
                                     terminated_on=D(2023, 1, 1))
    assert not facts.undertook_service([void], D(2024, 1, 1))
    assert not Organization.objects.filter(pk=other.pk).filter(
        facts.undertook_service_expression(as_of=D(2024, 1, 1))).exists()
    assert not mine.filter(facts.undertook_service_expression(as_of=D(2023, 12, 6))).exists()
    assert mine.filter(facts.undertook_service_expression(as_of=D(2023, 12, 7))).exists()
