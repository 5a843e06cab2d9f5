"""The demo's organizations: who they are, when they started and ended, and their status events."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from registry import credit_code
from registry.models import (
    LEGAL_FORM_CODE_CHARACTER, FormerName, LegalForm, Organization, StatusEvent,
)
from registry.services import save_status_events

from . import bulk, dates, names, plan
from .taxonomy import COUNTY_CODE, COUNTY_NAME, COUNTY_SEAT_TOWNS, LATE_SERVICE_FIELDS

D = datetime.date
Kind = StatusEvent.Kind
REGISTRATION_AUTHORITY = "嘉善县民政局"
# Late fields only appear on organizations registered once those policies existed.
_LATE_FIELDS_FROM = D(2020, 1, 1)


@dataclass(eq=False)
class Spec:
    """One demo organization before it is saved: its identity, lifecycle and dates."""

    legal_form: str
    lifecycle: str
    end_kind: str | None
    start: datetime.date  # registered, or filed
    end: datetime.date | None = None
    upgraded_on: datetime.date | None = None  # 备案转登记
    name: str = ""
    town: object = None
    village: object = None
    template: object = None
    fields: tuple = ()
    role: str = ""  # "hub", "town_foundation" or "operator" for the special ones
    changes: list = field(default_factory=list)  # [(date, description)]
    former_names: list = field(default_factory=list)  # [(name, used until)]
    credit_code: str = ""
    filing_number: str = ""
    org: Organization | None = None

    @property
    def was_filed(self):
        return self.legal_form == LegalForm.COMMUNITY_ORGANIZATION or self.upgraded_on is not None

    @property
    def registered_from(self):
        """The day it became registered, or None if it never was."""
        if self.upgraded_on:
            return self.upgraded_on
        return None if self.legal_form == LegalForm.COMMUNITY_ORGANIZATION else self.start

    def active_on(self, day):
        return self.start <= day and (self.end is None or day < self.end)



def plan_organizations(ctx):
    """Every organization of the plan, with names, places and dates; nothing saved yet."""
    specs = []
    for legal_form, lifecycle, end_kind, count in plan.PLAN:
        for n in range(count):
            spec = dated_spec(ctx, legal_form, lifecycle, end_kind)
            if legal_form == plan.FOUNDATION and lifecycle == plan.ACTIVE \
                    and n < plan.COMMUNITY_FOUNDATIONS:
                _make_community_foundation(ctx, spec, n)
            elif legal_form == plan.SSI and lifecycle == plan.ACTIVE \
                    and n < plan.INCUBATION_CENTER_OPERATORS:
                _make_operator(ctx, spec)
            elif legal_form == plan.COMMUNITY:
                _name_filed(ctx, spec)
            else:
                _name_registered(ctx, spec)
            _plan_changes(ctx, spec)
            specs.append(spec)
    return specs


def dated_spec(ctx, legal_form, lifecycle, end_kind):
    """A Spec with the start, end and upgrade dates of its lifecycle (shared with the scale
    generator, so both have the same shape over the years)."""
    rng = ctx.rng
    if legal_form == plan.COMMUNITY:
        starts, first_year = dates.FILING_YEARS, 2013
    else:
        starts, first_year = dates.REGISTRATION_YEARS, 2004
    start = end = upgraded = None
    if lifecycle == plan.ACTIVE:
        start = dates.in_year(rng, dates.weighted_year(rng, starts))
    elif lifecycle == plan.ENDS_2023:
        start = dates.in_year(rng, dates.weighted_year(rng, starts, last=2021))
        end = dates.between(rng, D(2023, 1, 10), D(2023, 12, 20))
    elif lifecycle == plan.ENDED:
        first_end = 2016 if legal_form == plan.COMMUNITY else 2012
        end_year = dates.weighted_year(rng, dates.ENDING_YEARS, first=first_end)
        end = dates.in_year(rng, end_year, not_after=D(2022, 12, 20))
        earliest = max(D(first_year, 1, 1), dates.add_years(end, -12))
        start = dates.between(rng, earliest, end - datetime.timedelta(days=400))
    elif lifecycle == plan.NEW_2023:
        start = dates.between(rng, D(2023, 1, 5), D(2023, 12, 20))
    elif lifecycle == plan.UPGRADED:
        start = dates.in_year(rng, dates.weighted_year(rng, dates.FILING_YEARS, last=2019))
        upgraded = dates.between(rng, max(start + datetime.timedelta(days=365), D(2016, 1, 1)),
                                 D(2022, 12, 20))
    elif lifecycle == plan.UPGRADED_2023:
        start = dates.in_year(rng, dates.weighted_year(rng, dates.FILING_YEARS, last=2021),
                              not_after=D(2021, 6, 30))
        upgraded = dates.between(rng, D(2023, 1, 10), D(2023, 12, 20))
    return Spec(legal_form=legal_form, lifecycle=lifecycle, end_kind=end_kind, start=start,
                end=end, upgraded_on=upgraded)


def _weighted_town(ctx):
    towns = ctx.taxonomy.towns
    return ctx.rng.choices(towns, weights=[ctx.taxonomy.town_weights[t.pk] for t in towns])[0]


def _seat_town(ctx):
    """Where a county organization (嘉善县…) sits: mostly the urban subdistricts."""
    if ctx.rng.random() < 0.75:
        return ctx.taxonomy.town_named(ctx.rng.choice(COUNTY_SEAT_TOWNS))
    return _weighted_town(ctx)


def _pick_template(ctx, spec, *, town_level):
    templates = names.TEMPLATES_BY_FORM[spec.legal_form]
    registered = spec.registered_from
    candidates = [
        t for t in templates
        if (not town_level or t.scope in ("town", "any"))
        and (registered >= _LATE_FIELDS_FROM or not set(t.fields) & set(LATE_SERVICE_FIELDS))
    ]
    return ctx.rng.choice(candidates)


def _name_registered(ctx, spec):
    rng, taxonomy = ctx.rng, ctx.taxonomy
    town_level = spec.upgraded_on is not None
    if town_level:
        spec.town = _weighted_town(ctx)
        former, spec.village, _kind = ctx.names.filed(
            town=spec.town, villages=taxonomy.villages[spec.town.pk])
        spec.former_names.append((former, spec.upgraded_on))
    while True:
        template = _pick_template(ctx, spec, town_level=town_level)
        county_level = not town_level and (
            template.scope == "county" or (template.scope == "any" and rng.random() < 0.5))
        if not town_level:
            spec.town = _seat_town(ctx) if county_level else _weighted_town(ctx)
        place = COUNTY_NAME if county_level else spec.town.name
        name = ctx.names.registered(template, place=place)
        if name:
            break
    spec.name, spec.template, spec.fields = name, template, template.fields
    if not county_level and not spec.village and rng.random() < 0.4:
        spec.village = rng.choice(taxonomy.villages[spec.town.pk])


def _name_filed(ctx, spec):
    spec.town = _weighted_town(ctx)
    spec.name, spec.village, kind = ctx.names.filed(
        town=spec.town, villages=ctx.taxonomy.villages[spec.town.pk])
    spec.fields = kind[1]


def _make_community_foundation(ctx, spec, n):
    """n == 0: the county hub; 1..9: one foundation per town, registered 2020-2021 in turn."""
    taxonomy = ctx.taxonomy
    if n == 0:
        spec.role, spec.town = "hub", taxonomy.town_named(COUNTY_SEAT_TOWNS[0])
        spec.start = D(2019, 3, 28)
        spec.name = f"{COUNTY_NAME}善邻社区发展基金会"
        ctx.names.claim(spec.name)
    else:
        spec.role, spec.town = "town_foundation", taxonomy.towns[n - 1]
        spec.start = D(2020, 4, 1) + datetime.timedelta(days=60 * (n - 1) + ctx.rng.randint(0, 20))
        while True:
            spec.name = f"{spec.town.name}{ctx.rng.choice(names.BRANDS)}社区发展基金会"
            if ctx.names.claim(spec.name):
                break
    spec.fields = names.COMMUNITY_FOUNDATION_FIELDS


def _make_operator(ctx, spec):
    """A social-organization service center that runs incubation centers (registered 2013)."""
    template = next(t for t in names.SOCIAL_SERVICE_TEMPLATES if t.pattern.endswith("社会组织服务中心"))
    spec.role, spec.template, spec.fields = "operator", template, template.fields
    spec.town = ctx.taxonomy.town_named(ctx.rng.choice(COUNTY_SEAT_TOWNS))
    spec.start = dates.between(ctx.rng, D(2013, 3, 1), D(2013, 12, 31))
    spec.name = ctx.names.registered(template, place=COUNTY_NAME)


_REGISTERED_CHANGES = ("变更法定代表人", "变更住所", "变更业务范围", "变更名称", "变更业务主管单位")
_FILED_CHANGES = ("变更负责人", "变更活动地点")


def _plan_changes(ctx, spec):
    """Some changes (变更登记/备案) strictly inside the active period, before the horizon."""
    rng = ctx.rng
    last = (spec.end or plan.HORIZON) - datetime.timedelta(days=30)
    first = (spec.upgraded_on or spec.start) + datetime.timedelta(days=180)
    if first >= last:
        return
    registered = spec.registered_from is not None
    draw = rng.random()
    count = 2 if draw < 0.08 else 1 if draw < (0.35 if registered else 0.1) else 0
    for day in sorted(dates.between(rng, first, last) for _ in range(count)):
        if registered:
            description = rng.choice(_REGISTERED_CHANGES)
            if description == "变更名称" and spec.template and "{brand}" in spec.template.pattern \
                    and not spec.role:
                place = COUNTY_NAME if spec.name.startswith(COUNTY_NAME) else spec.town.name
                former = ctx.names.registered(spec.template, place=place)
                if former:
                    spec.former_names.append((former, day))
                    spec.changes.append((day, f"名称由“{former}”变更为“{spec.name}”"))
                    continue
                description = "变更住所"
        else:
            description = rng.choice(_FILED_CHANGES)
        spec.changes.append((day, description))


def assign_identifiers(ctx, specs):
    """Credit codes for every organization that is (or becomes) registered, filing numbers for
    every one that was filed, numbered in filing order within each year."""
    registered = [s for s in specs if s.registered_from is not None]
    serials = ctx.rng.sample(range(1_000_000, 10_000_000), len(registered))
    for spec, serial in zip(registered, serials):
        spec.credit_code = credit_code.make(
            legal_form_code=LEGAL_FORM_CODE_CHARACTER[spec.legal_form],
            division_code=COUNTY_CODE, body=f"MJ{serial:07d}",
        )
    per_year = {}
    for spec in sorted((s for s in specs if s.was_filed), key=lambda s: (s.start, s.name)):
        per_year[spec.start.year] = per_year.get(spec.start.year, 0) + 1
        spec.filing_number = f"嘉善社备{spec.start.year}{per_year[spec.start.year]:04d}"


INITIAL_FUNDS = {
    LegalForm.SOCIAL_GROUP: (30_000, 100_000),
    LegalForm.SOCIAL_SERVICE_INSTITUTION: (30_000, 500_000),
    LegalForm.FOUNDATION: (2_000_000, 8_000_000),
}


def save_organizations(ctx, specs):
    rng, taxonomy = ctx.rng, ctx.taxonomy
    orgs = []
    for n, spec in enumerate(specs):
        registered = spec.registered_from is not None
        field_names = [taxonomy.fields[f].name for f in spec.fields]
        place = spec.village.name if spec.village else spec.town.name
        if registered and spec.template:
            department = taxonomy.departments.get(spec.template.department)
            scope = names.scope_text(spec.template, place=place, field_names=field_names)
        else:
            department = taxonomy.departments["civil_affairs"] if spec.role else None
            scope = f"组织{place}居民开展{'、'.join(field_names)}等活动，服务社区群众。"
        low, high = INITIAL_FUNDS.get(spec.legal_form, (0, 0))
        if spec.role == "hub":
            funds = Decimal(10_000_000)
        else:
            funds = Decimal(rng.randrange(low, high + 1, 10_000)) if registered else None
        spec.org = Organization(
            name=spec.name,
            legal_form=spec.legal_form,
            credit_code=spec.credit_code,
            filing_number=spec.filing_number,
            registration_authority=(REGISTRATION_AUTHORITY if registered
                                    else _filing_authority(spec.town)),
            supervising_unit=department,
            town=spec.town,
            village=spec.village,
            address=names.address(rng, county_name=COUNTY_NAME, town=spec.town,
                                  village=spec.village),
            founded_on=(spec.start if spec.legal_form != LegalForm.COMMUNITY_ORGANIZATION
                        and not spec.upgraded_on
                        else spec.start - datetime.timedelta(days=rng.randint(0, 400))),
            legal_representative=names.person_placeholder(rng),
            contact_phone=names.phone_placeholder(n),
            business_scope=scope,
            initial_funds=funds,
            description=f"主要开展{'、'.join(field_names)}等方面的服务。",
        )
        orgs.append(spec.org)
    bulk.insert(Organization, orgs)
    bulk.link(Organization, "service_fields", [
        (spec.org.pk, taxonomy.fields[f].pk) for spec in specs for f in spec.fields
    ])
    bulk.insert(FormerName, [
        FormerName(organization=spec.org, name=former, used_until=until)
        for spec in specs for former, until in spec.former_names
    ])
    # The one write path for events: bulk-created, their organizations' periods refreshed.
    save_status_events(events=_status_events(specs))


def _filing_authority(town):
    return town.name + ("办事处" if town.name.endswith("街道") else "人民政府")


END_KINDS = {
    plan.DEREGISTERED: (Kind.DEREGISTERED, "嘉民社注", ("自行解散，清算完毕，申请注销登记", "因合并注销登记",
                                                     "完成宗旨，申请注销登记")),
    plan.REVOKED: (Kind.REVOKED, "嘉民罚", ("连续两年未参加年度检查，撤销登记",
                                          "被列入活动异常名录满两年，撤销登记")),
    plan.FILING_CANCELLED: (Kind.FILING_CANCELLED, "社备撤", ("长期未开展活动，撤销备案",
                                                            "自行解散，撤销备案")),
}


def _status_events(specs):
    numbers = {}

    def document(prefix, day):
        key = (prefix, day.year)
        numbers[key] = numbers.get(key, 0) + 1
        return f"{prefix}〔{day.year}〕{numbers[key]}号"

    events = []
    for spec in sorted(specs, key=lambda s: (s.start, s.name)):
        org = spec.org
        if spec.was_filed:
            events.append(_event(org, Kind.FILED, spec.start, org.filing_number, "备案"))
        else:
            events.append(_event(org, Kind.REGISTERED, spec.start, document("嘉民社登", spec.start),
                                 "成立登记"))
        if spec.upgraded_on:
            events.append(_event(org, Kind.FILED_TO_REGISTERED, spec.upgraded_on,
                                 document("嘉民社登", spec.upgraded_on), "备案的社区社会组织转为登记"))
        for day, description in spec.changes:
            prefix = "嘉民社变" if spec.registered_from else "社备变"
            events.append(_event(org, Kind.CHANGED, day, document(prefix, day), description))
        if spec.end:
            kind, prefix, reasons = END_KINDS[spec.end_kind]
            events.append(_event(org, kind, spec.end, document(prefix, spec.end),
                                 reasons[_stable_index(spec.name, len(reasons))]))
    return events


def _stable_index(text, n):
    """A stable index from a text (Python's hash() is salted per process)."""
    return sum(map(ord, text)) % n


def _event(org, kind, day, number, description):
    return StatusEvent(organization=org, kind=kind, date=day, document_number=number,
                       description=description)
