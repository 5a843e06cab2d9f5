"""The demo's incubation centers (1 county, 1 per town) and the groups they incubated."""

import datetime

from incubator.models import Incubation, IncubationCenter, add_months
from registry.models import LegalForm

from . import bulk, dates, names, plan
from .taxonomy import COUNTY_NAME

D = datetime.date
Outcome = Incubation.Outcome
COUNTY_CENTER_OPENED = D(2014, 6, 18)
# The demo's incubation term, whatever settings.INCUBATION_TERM_MONTHS says, so that its figures
# do not move with a deployment's setting: a year, and four years for some groups begun in 2023
# (a longer term agreed), which are still 孵化中 years on while the others are 逾期未出壳.
TERM_MONTHS = 12
LONG_TERM_MONTHS = 48
LONG_TERM_EVERY = 3  # every third group begun in 2023 and not yet out
_SUPPORT = (
    "场地支持、登记备案辅导", "能力建设培训、项目设计指导", "财务规范辅导、公益创投对接",
    "导师陪伴、志愿者招募支持", "品牌传播、资源链接",
)
_SERVICES = "入驻孵化、能力建设、项目指导、登记备案辅导、公益创投、资源对接"


def center_name(area):
    return f"{area.name}社会组织培育发展中心"


def ensure_centers(ctx, *, operators=()):
    """{area pk: center} for the county and each of its towns, created where missing (matched by
    name)."""
    rng, taxonomy = ctx.rng, ctx.taxonomy
    existing = {c.name: c for c in IncubationCenter.objects.all()}
    wanted = [(taxonomy.county, IncubationCenter.Level.COUNTY, COUNTY_CENTER_OPENED, 1200)]
    for n, town in enumerate(taxonomy.towns):
        # Town centers opened one after another from 2015; all towns were covered by 2019.
        opened = D(2015, 3, 1) + datetime.timedelta(days=(150 * n) % 1800 + rng.randint(0, 60))
        wanted.append((town, IncubationCenter.Level.TOWN, opened, rng.randrange(200, 601, 20)))
    missing = []
    for n, (area, level, opened, space) in enumerate(wanted):
        if center_name(area) in existing:
            continue
        town = taxonomy.town_named("魏塘街道") if level == IncubationCenter.Level.COUNTY else area
        missing.append(IncubationCenter(
            name=center_name(area), level=level, area=area, opened_on=opened, space_m2=space,
            operator=operators[n % len(operators)] if operators else None,
            address=names.address(rng, county_name=COUNTY_NAME, town=town),
            services=_SERVICES,
        ))
    bulk.insert(IncubationCenter, missing)
    existing.update({c.name: c for c in missing})
    return {area.pk: existing[center_name(area)] for area, *_rest in wanted}


def build_incubations(ctx, specs, centers):
    """Incubations, exactly as many begun by the end of 2022 as the plan says (each begins at least
    90 days before its organization's registration or filing, which the pools keep before
    2022-10). Every stay that ended lasted less than its term, so none was ever overdue, and none
    begun in 2022 is overdue at the end of 2022: the plan's figures hold then."""
    rng, county = ctx.rng, ctx.taxonomy.county
    county_center = centers[county.pk]
    used = set()

    def center_for(spec):
        town_center = centers.get(spec.town.pk)
        county_level = spec.name.startswith(COUNTY_NAME)
        if town_center and not county_level and rng.random() < 0.8 \
                and town_center.opened_on <= spec.start - datetime.timedelta(days=120):
            return town_center
        return county_center

    def pool(outcome, first, last):
        form_ok = ((lambda s: s.legal_form == LegalForm.COMMUNITY_ORGANIZATION)
                   if outcome == Outcome.FILED else
                   (lambda s: s.legal_form != LegalForm.COMMUNITY_ORGANIZATION))
        return [s for s in specs if form_ok(s) and not s.upgraded_on and not s.role
                and first <= s.start <= last]

    rows = []

    def linked(outcome, count, first, last, *, in_2023):
        chosen = rng.sample([s for s in pool(outcome, first, last) if s not in used], count)
        for spec in chosen:
            used.add(spec)
            center = center_for(spec)
            if in_2023:
                started = dates.between(rng, D(2023, 1, 1),
                                        spec.start - datetime.timedelta(days=60))
            else:
                started = max(center.opened_on,
                              spec.start - datetime.timedelta(days=rng.randint(90, 330)))
            rows.append(Incubation(
                center=center, group_name=spec.name, organization=spec.org, started_on=started,
                planned_end_on=add_months(started, TERM_MONTHS), ended_on=spec.start,
                outcome=outcome, support=rng.choice(_SUPPORT),
            ))

    def unlinked(outcome, count, first, last, *, long_term_every=0):
        town_centers = [c for c in centers.values() if c.level == IncubationCenter.Level.TOWN]
        for n in range(count):
            center = rng.choice(town_centers) if rng.random() < 0.75 else county_center
            town = center.area if center.area.is_town_level else rng.choice(ctx.taxonomy.towns)
            group, _village, _kind = ctx.names.filed(
                town=town, villages=ctx.taxonomy.villages[town.pk])
            started = dates.between(rng, max(first, center.opened_on + datetime.timedelta(days=30)),
                                    last)
            ended = None
            if outcome == Outcome.LEFT:
                ended = started + datetime.timedelta(days=rng.randint(120, 360))
            long_term = long_term_every and n % long_term_every == 0
            rows.append(Incubation(
                center=center, group_name=group, started_on=started, ended_on=ended,
                planned_end_on=add_months(started, LONG_TERM_MONTHS if long_term else TERM_MONTHS),
                outcome=outcome, support=rng.choice(_SUPPORT),
                internal_note="成员流失，暂停孵化" if outcome == Outcome.LEFT else "",
            ))

    # Begun by the end of 2022: every pool member starts by 2022-09-30, so it began by 2022-07.
    first_linked = COUNTY_CENTER_OPENED + datetime.timedelta(days=120)
    before = plan.INCUBATIONS_2022
    linked(Outcome.REGISTERED, before["registered"], first_linked, D(2022, 9, 30), in_2023=False)
    linked(Outcome.FILED, before["filed"], first_linked, D(2022, 9, 30), in_2023=False)
    unlinked(Outcome.LEFT, before["left"], D(2015, 1, 1), D(2022, 6, 30))
    unlinked(Outcome.ONGOING, before["ongoing"], D(2022, 3, 1), plan.END_2022)
    # Begun in 2023: organizations registered or filed from mid-April 2023 on.
    after = plan.INCUBATIONS_2023
    linked(Outcome.REGISTERED, after["registered"], D(2023, 4, 15), plan.HORIZON, in_2023=True)
    linked(Outcome.FILED, after["filed"], D(2023, 4, 15), plan.HORIZON, in_2023=True)
    unlinked(Outcome.ONGOING, after["ongoing"], D(2023, 1, 1), D(2023, 12, 20),
             long_term_every=LONG_TERM_EVERY)
    bulk.insert(Incubation, rows)
    return len(rows)
