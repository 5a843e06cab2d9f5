"""The demo's annual inspections, evaluation grades and credit-list entries."""

import datetime

from registry.models import AnnualInspection, CreditListEntry, EvaluationGrade, grade_valid_until

from . import bulk, dates, plan

D = datetime.date
Result = AnnualInspection.Result
ListKind = CreditListEntry.ListKind
AUTHORITY = "嘉善县民政局"
FIRST_INSPECTION_YEAR = 2010
ABNORMAL_LISTED_ACTIVE = 18  # active organizations put on the abnormal-activity list for a while

_RESULTS = [Result.PASSED, Result.BASICALLY_PASSED, Result.FAILED, Result.NOT_INSPECTED]
_RESULT_WEIGHTS = [90, 6, 2, 2]
_GRADES = [1, 2, 3, 4, 5]
_GRADE_WEIGHTS = [3, 12, 45, 30, 10]
_ABNORMAL_REASONS = (
    "未按规定参加年度检查", "未按规定报送年度工作报告", "通过登记的住所无法取得联系",
    "未按规定公开年度工作报告",
)


def inspection_years(registered, end):
    """The years an organization registered on `registered` (None: never) and ended on `end`
    was inspected: from its first year of registration (if registered before July) to the last
    year concluded before it ended; each year's result is concluded in the following spring."""
    if registered is None:
        return range(0)
    first = max(registered.year + (1 if registered.month > 6 else 0), FIRST_INSPECTION_YEAR)
    if end is None:
        last = plan.HORIZON.year - 1
    else:
        last = end.year - (1 if end.month > 6 else 2)
    return range(first, last + 1)


def inspection_outcome(rng, year, *, unreported=False):
    """(result, concluded on) of one year's inspection."""
    if unreported:
        result = Result.NOT_INSPECTED
    else:
        result = rng.choices(_RESULTS, weights=_RESULT_WEIGHTS)[0]
    if result == Result.NOT_INSPECTED:
        return result, None
    return result, dates.between(rng, D(year + 1, 4, 15), D(year + 1, 6, 30))


def grade_awards(rng, *, registered, end, revoked):
    """[(grade, awarded on)]: about a quarter of the registered organizations are evaluated
    (Nov-Dec, at least two years after registration); an expired grade is often renewed."""
    if registered is None or revoked or rng.random() > 0.25:
        return []
    first_year = max(registered.year + 2, 2013)
    last_year = plan.HORIZON.year if end is None else end.year - 1
    if first_year > last_year:
        return []
    awards = []
    year = rng.randint(first_year, last_year)
    grade = rng.choices(_GRADES, weights=_GRADE_WEIGHTS)[0]
    while year <= last_year:
        awarded = dates.in_year(rng, year, not_before=D(year, 11, 1), not_after=D(year, 12, 20))
        if end and awarded >= end:
            break
        awards.append((grade, awarded))
        if rng.random() > 0.6:
            break
        year += 5
        grade = min(5, max(1, grade + rng.choice((-1, 0, 0, 1))))
    return awards


def build_credit_entries(ctx, specs):
    """Revoked organizations: abnormal-activity list, then the serious-violation list on
    revocation. Some active ones: listed for a while, then removed once they caught up."""
    rng = ctx.rng
    numbers = {}

    def decision(day):
        numbers[day.year] = numbers.get(day.year, 0) + 1
        return f"嘉民社信〔{day.year}〕{numbers[day.year]}号"

    entries, unreported_years = [], {}
    for spec in specs:
        if spec.end_kind != plan.REVOKED:
            continue
        listed = max(spec.end - datetime.timedelta(days=rng.randint(380, 500)),
                     spec.registered_from + datetime.timedelta(days=200))
        entries.append(CreditListEntry(
            organization=spec.org, list_kind=ListKind.ABNORMAL_ACTIVITY,
            reason=_ABNORMAL_REASONS[0], listed_on=listed, listed_by=AUTHORITY,
            decision_number=decision(listed), removed_on=spec.end,
            removal_reason="被撤销登记，转入严重违法失信名单",
        ))
        entries.append(CreditListEntry(
            organization=spec.org, list_kind=ListKind.SERIOUS_VIOLATION,
            reason="被列入活动异常名录满两年仍未改正，被撤销登记", listed_on=spec.end,
            listed_by=AUTHORITY, decision_number=decision(spec.end),
        ))
        unreported_years[spec.org] = {spec.end.year - 1, spec.end.year - 2}

    candidates = [s for s in specs if s.lifecycle == plan.ACTIVE and s.registered_from
                  and s.registered_from < D(2018, 1, 1) and not s.role]
    for n, spec in enumerate(rng.sample(candidates, ABNORMAL_LISTED_ACTIVE)):
        listed = dates.between(rng, D(2019, 3, 1), D(2022, 10, 31))
        reason = rng.choice(_ABNORMAL_REASONS)
        removed = None
        if n % 6:  # most are removed again; a few stay listed at the horizon
            removed = min(listed + datetime.timedelta(days=rng.randint(120, 400)), plan.HORIZON)
        entries.append(CreditListEntry(
            organization=spec.org, list_kind=ListKind.ABNORMAL_ACTIVITY, reason=reason,
            listed_on=listed, listed_by=AUTHORITY, decision_number=decision(listed),
            removed_on=removed, removal_reason="已改正并申请移出" if removed else "",
        ))
        if reason == _ABNORMAL_REASONS[0]:
            unreported_years.setdefault(spec.org, set()).add(listed.year - 1)
    bulk.insert(CreditListEntry, entries)
    return unreported_years


def build_inspections(ctx, specs, *, unreported_years):
    rng = ctx.rng
    rows = []
    for spec in specs:
        missing = unreported_years.get(spec.org, set())
        for year in inspection_years(spec.registered_from, spec.end):
            result, concluded = inspection_outcome(rng, year, unreported=year in missing)
            rows.append(AnnualInspection(
                organization=spec.org, year=year, result=result, concluded_on=concluded,
                note="逾期未参加年度检查" if result == Result.NOT_INSPECTED else "",
            ))
    bulk.insert(AnnualInspection, rows)
    return len(rows)


def build_grades(ctx, specs):
    numbers = {}
    rows = []
    for spec in specs:
        awards = grade_awards(ctx.rng, registered=spec.registered_from, end=spec.end,
                              revoked=spec.end_kind == plan.REVOKED)
        for grade, awarded in awards:
            numbers[awarded.year] = numbers.get(awarded.year, 0) + 1
            rows.append(EvaluationGrade(
                organization=spec.org, grade=grade, awarded_on=awarded,
                valid_until=grade_valid_until(awarded), assessed_by=AUTHORITY,
                certificate_number=f"嘉民评〔{awarded.year}〕{numbers[awarded.year]:03d}号",
            ))
    bulk.insert(EvaluationGrade, rows)
    return len(rows)
