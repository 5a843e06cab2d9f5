"""The demo's transferred services (政府转移职能): exactly the planned number of organizations had
taken one over by the end of 2022, covering every service field but the two that start in 2023."""

import datetime

from registry.models import LegalForm, TransferredService

from . import bulk, dates, plan
from .taxonomy import COUNTY_NAME, LATE_SERVICE_FIELDS, SERVICE_FIELDS

D = datetime.date
DAY = datetime.timedelta(days=1)
Mode = TransferredService.Mode
Evaluation = TransferredService.Evaluation
LAST_START_2022 = D(2022, 6, 30)  # undertakers must have started by then to take one in 2022

_FIELD_INFO = {slug: (name, category, dept, project) for slug, name, category, dept, project
               in SERVICE_FIELDS}
_EARLY_FIELDS = [slug for slug, *_ in SERVICE_FIELDS if slug not in LATE_SERVICE_FIELDS]


def build_services(ctx, specs):
    rng = ctx.rng
    undertakers = []
    for legal_form, count in plan.SERVICE_UNDERTAKERS_2022.items():
        pool = [s for s in specs if s.legal_form == legal_form and not s.role
                and s.active_on(plan.END_2022) and s.start <= LAST_START_2022
                and (s.upgraded_on is None or s.upgraded_on <= LAST_START_2022)]
        undertakers += rng.sample(pool, count)

    planned = []  # (spec, start, [field slugs])
    for spec in undertakers:
        for _ in range(rng.choices([1, 2, 3, 4], weights=[55, 25, 12, 8])[0]):
            lo = max(spec.start + 60 * DAY, D(2013, 3, 1))
            year = dates.weighted_year(rng, dates.SERVICE_YEARS, first=lo.year)
            start = dates.in_year(rng, year, not_before=lo, not_after=plan.END_2022)
            planned.append((spec, start, _fields_for(rng, spec, late=False)))
    _cover_every_early_field(rng, planned)

    # 2023: more services for earlier undertakers still active, and some first-time undertakers.
    lasting = [s for s in undertakers if s.end is None]
    for _ in range(plan.SERVICES_2023_FOR_EARLIER_UNDERTAKERS):
        spec = rng.choice(lasting)
        planned.append((spec, dates.between(rng, D(2023, 1, 1), D(2023, 12, 15)),
                        _fields_for(rng, spec, late=True)))
    taken = set(undertakers)
    newcomers = [s for s in specs if s not in taken and not s.role and s.end is None
                 and s.start <= D(2023, 9, 30)
                 and s.legal_form in (LegalForm.SOCIAL_SERVICE_INSTITUTION,
                                      LegalForm.COMMUNITY_ORGANIZATION)]
    for n, spec in enumerate(rng.sample(newcomers, plan.NEW_SERVICE_UNDERTAKERS_2023)):
        start = dates.between(rng, max(D(2023, 1, 1), spec.start + 30 * DAY), D(2023, 12, 15))
        fields = _fields_for(rng, spec, late=True)
        if n < len(LATE_SERVICE_FIELDS):  # the fields first taken up in 2023
            fields = [LATE_SERVICE_FIELDS[n]] + [f for f in fields if f != LATE_SERVICE_FIELDS[n]]
        planned.append((spec, start, fields))

    services, field_links, town_links = [], [], []
    contracts = {}
    for spec, start, fields in planned:
        service = _service(ctx, spec, start, fields, contracts)
        services.append(service)
    bulk.insert(TransferredService, services)
    for service, (spec, _start, fields) in zip(services, planned):
        field_links += [(service.pk, ctx.taxonomy.fields[f].pk) for f in fields]
        town_links += [(service.pk, town.pk) for town in _towns_for(ctx, spec)]
    bulk.link(TransferredService, "service_fields", field_links)
    bulk.link(TransferredService, "towns", town_links)
    return len(services)


def _fields_for(rng, spec, *, late):
    own = [f for f in spec.fields if late or f not in LATE_SERVICE_FIELDS] or ["livelihood"]
    fields = [rng.choice(own)]
    if rng.random() < 0.3:
        category = _FIELD_INFO[fields[0]][1]
        related = [f for f in _EARLY_FIELDS if _FIELD_INFO[f][1] == category and f not in fields]
        if related:
            fields.append(rng.choice(related))
    return fields


def _cover_every_early_field(rng, planned):
    covered = {f for _spec, _start, fields in planned for f in fields}
    for slug in _EARLY_FIELDS:
        if slug not in covered:
            rng.choice(planned)[2].append(slug)


def service_terms(rng, *, start, org_end, contracts):
    """Mode, money, period, early termination and evaluation of one service beginning on
    `start`: terminated the day its organization ends, if that comes before the contract's end.
    `contracts` numbers purchase contracts per year. Its state on a day follows from these dates
    (registry.facts.services)."""
    mode = rng.choices([Mode.PURCHASE, Mode.DELEGATION, Mode.AUTHORISATION], weights=[80, 12, 8])[0]
    years = rng.choices([1, 2, 3, None], weights=[70, 15, 5, 10])[0]
    ends = dates.add_years(start, years) - DAY if years else None
    terminated = org_end if org_end and (ends is None or ends >= org_end) else None
    evaluation = Evaluation.NOT_EVALUATED
    if terminated is None and ends and ends <= plan.HORIZON:  # completed: evaluated
        evaluation = rng.choices(
            [Evaluation.EXCELLENT, Evaluation.GOOD, Evaluation.PASSED, Evaluation.FAILED],
            weights=[25, 45, 27, 3])[0]
    contract, amount = "", None
    if mode == Mode.PURCHASE:
        contracts[start.year] = contracts.get(start.year, 0) + 1
        contract = f"善财采〔{start.year}〕{contracts[start.year]}号"
        amount = rng.randrange(30, 800) * 1000
    elif mode == Mode.DELEGATION:
        amount = rng.randrange(20, 300) * 1000
    return {
        "mode": mode, "contract_number": contract, "amount": amount, "starts_on": start,
        "ends_on": ends, "terminated_on": terminated, "evaluation": evaluation,
        "evaluation_note": _EVALUATION_NOTES.get(evaluation, ""),
    }


_EVALUATION_NOTES = {Evaluation.EXCELLENT: "服务成效显著，群众满意度高。",
                     Evaluation.FAILED: "未完成合同约定的服务量。"}


def service_title(*, start, place, field):
    return f"{start.year}年{place}{_FIELD_INFO[field][3]}项目"


def service_department_key(field):
    return _FIELD_INFO[field][2]


def _service(ctx, spec, start, fields, contracts):
    place = COUNTY_NAME if spec.name.startswith(COUNTY_NAME) else spec.town.name
    return TransferredService(
        title=service_title(start=start, place=place, field=fields[0]),
        department=ctx.taxonomy.departments[service_department_key(fields[0])],
        organization=spec.org,
        **service_terms(ctx.rng, start=start, org_end=spec.end, contracts=contracts),
    )


def _towns_for(ctx, spec):
    towns = [spec.town]
    if spec.name.startswith(COUNTY_NAME) and ctx.rng.random() < 0.5:
        others = [t for t in ctx.taxonomy.towns if t != spec.town]
        towns += ctx.rng.sample(others, ctx.rng.randint(1, 3))
    return towns
