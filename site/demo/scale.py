"""`generate_scale_data`: any number of synthetic organizations, shaped like the demo.

Each organization is drawn with the demo's lifecycle mix (plan.PLAN as weights) and date windows,
names from the same templates, and the same rates of inspections, grades, credit-list entries,
transferred services and incubations. Nothing is kept across batches but counters, so memory stays
flat at any N; rows go in with COPY on PostgreSQL and executemany elsewhere, in one transaction.

Identifiers never collide with existing data: credit codes carry "X" as their 9th character
(the demo's carry "MJ") followed by a base-31 serial, filing numbers are 模拟备 + the same serial,
and the serial continues after the largest one already stored. Names are not made unique: at
national scale the same plausible name recurs, as it does across real counties.
"""

import datetime
import random
import time

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from incubator.models import Incubation, add_months
from registry import credit_code
from registry.models import (
    LEGAL_FORM_CODE_CHARACTER, AnnualInspection, Area, CreditListEntry, EvaluationGrade,
    FormerName, Organization, StatusEvent, TransferredService, grade_valid_until,
)
from registry.services import refresh_status_periods

from website import page_cache

from . import dates, fast_insert, incubation, names, organizations, plan, services, supervision
from .context import DemoContext
from .english import place_name_en, town_place_names
from .names import NameBook
from .taxonomy import (
    COUNTY_CODE, COUNTY_NAME, LATE_SERVICE_FIELDS, ensure_taxonomy, load_taxonomy,
)

D = datetime.date
DAY = datetime.timedelta(days=1)
Kind = StatusEvent.Kind
CODE_MARK = "X"
FILING_PREFIX = "模拟备"
ORGANIZATIONS_PER_TOWN = 5000  # more towns for large N, so "by town" figures stay realistic
MAX_TOWNS = 800  # town codes 330421200..330421999 are free for generated towns
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # the USCC alphabet, in ASCII order


def _active_at_end_2022(form):
    return sum(c for f, lc, _e, c in plan.PLAN if f == form
               and lc in (plan.ACTIVE, plan.ENDS_2023, plan.UPGRADED, plan.UPGRADED_2023))


# Rates as the demo has them.
UNDERTAKER_RATE = {form: n / _active_at_end_2022(form)
                   for form, n in plan.SERVICE_UNDERTAKERS_2022.items()}
SERVICE_2023_RATE = (plan.SERVICES_2023_FOR_EARLIER_UNDERTAKERS
                     / sum(plan.SERVICE_UNDERTAKERS_2022.values()))
NEW_UNDERTAKER_2023_RATE = plan.NEW_SERVICE_UNDERTAKERS_2023 / 3000
_TOTAL = sum(c for *_x, c in plan.PLAN)
# About half the registered organizations and nine in ten filed ones started after the county
# incubation center opened; these are the shares of those that were incubated in the demo.
INCUBATED_REGISTERED_RATE = 0.17
INCUBATED_FILED_RATE = 0.058
UNLINKED_INCUBATION_RATE = (plan.INCUBATIONS_2022["left"] + plan.INCUBATIONS_2022["ongoing"]
                            + plan.INCUBATIONS_2023["ongoing"]) / _TOTAL
ABNORMAL_LISTING_RATE = 0.035


def base31(number, width):
    digits = []
    for _ in range(width):
        number, digit = divmod(number, 31)
        digits.append(_ALPHABET[digit])
    if number:
        raise OverflowError("serial too large for a credit code")
    return "".join(reversed(digits))


def _from_base31(text):
    value = 0
    for char in text:
        value = value * 31 + _ALPHABET.index(char)
    return value


def next_serial():
    """One more than the largest serial in any stored scale credit code or filing number."""
    largest = 0
    for form_char in LEGAL_FORM_CODE_CHARACTER.values():
        prefix = f"5{form_char}{COUNTY_CODE}{CODE_MARK}"
        code = (Organization.objects.filter(credit_code__startswith=prefix)
                .aggregate(m=Max("credit_code"))["m"])
        if code:
            largest = max(largest, _from_base31(code[len(prefix):17]))
    number = (Organization.objects.filter(filing_number__startswith=FILING_PREFIX)
              .aggregate(m=Max("filing_number"))["m"])
    if number:
        largest = max(largest, int(number[len(FILING_PREFIX):]))
    return largest + 1


def ensure_towns(rng, *, count):
    """Add generated towns (with villages and communities) until the county has `count`."""
    county = Area.objects.get(code=COUNTY_CODE)
    towns = list(Area.objects.filter(parent=county, level__in=Area.TOWN_LEVELS))
    missing = min(count, MAX_TOWNS) - len(towns)
    if missing <= 0:
        return
    used_codes = {t.code for t in towns}
    used_names = {t.name for t in towns}
    new_towns = []
    for suffix in range(200, 1000):
        if len(new_towns) == missing:
            break
        code = f"{COUNTY_CODE}{suffix:03d}"
        if code in used_codes:
            continue
        name = rng.choice(names.BRANDS) + "镇"
        while name in used_names:
            name = rng.choice(names.BRANDS) + "镇"
        used_names.add(name)
        new_towns.append(Area(code=code, name=name, level=Area.Level.TOWN, parent=county,
                              name_en=place_name_en(name, Area.Level.TOWN)))
    Area.objects.bulk_create(new_towns)
    places = []
    for town in new_towns:
        taken = set()
        for n in range(12):
            level = Area.Level.COMMUNITY if n < 4 else Area.Level.VILLAGE
            while True:
                base = rng.choice(names.BRANDS)
                if base not in taken:
                    taken.add(base)
                    break
            code = f"{town.code}{n + 1:03d}" if n < 4 else f"{town.code}{200 + n - 4:03d}"
            places.append(Area(code=code, name=base + ("社区" if n < 4 else "村"), level=level,
                               parent=town))
        names_en = town_place_names([(p.code, p.name, p.level) for p in places[-12:]])
        for place in places[-12:]:
            place.name_en = names_en[place.code]
    Area.objects.bulk_create(places, batch_size=500)


class ScaleGenerator:
    def __init__(self, *, organizations, seed, log=print, batch_size=10_000):
        self.total = organizations
        self.rng = random.Random(seed)
        self.log = log
        self.batch_size = batch_size
        self.counts = dict.fromkeys(
            ("organizations", "status_events", "inspections", "grades", "credit_entries",
             "transferred_services", "incubations"), 0)

    def run(self):
        started = time.monotonic()
        with transaction.atomic():
            self._prepare()
            done, batches = 0, 0
            every = max(1, (self.total // self.batch_size) // 20)
            while done < self.total:
                n = min(self.batch_size, self.total - done)
                self._batch(n)
                done += n
                batches += 1
                if batches % every == 0 or done == self.total:
                    elapsed = time.monotonic() - started
                    self.log(f"{done:,}/{self.total:,} 个社会组织，已用 {elapsed:.1f} 秒")
        self.counts["seconds"] = round(time.monotonic() - started, 1)
        return self.counts

    # --- set-up -------------------------------------------------------------------------------

    def _prepare(self):
        rng = self.rng
        ensure_taxonomy()
        ensure_towns(rng, count=max(9, self.total // ORGANIZATIONS_PER_TOWN))
        taxonomy = load_taxonomy()
        self.ctx = DemoContext(rng=rng, taxonomy=taxonomy, names=NameBook(rng))
        centers = incubation.ensure_centers(self.ctx)
        self.county_center = centers[taxonomy.county.pk]
        self.town_centers = centers
        self.center_list = list(centers.values())
        self.towns = taxonomy.towns
        self.town_cum = _cumulative([taxonomy.town_weights[t.pk] for t in self.towns])
        self.villages = taxonomy.villages
        self.kinds = {level: [k for k in names.FILED_KINDS if k[2] in ("any", level)]
                      for level in (Area.Level.VILLAGE, Area.Level.COMMUNITY)}
        self.field_ids = {slug: f.pk for slug, f in taxonomy.fields.items()}
        self.field_names = {slug: f.name for slug, f in taxonomy.fields.items()}
        self.department_ids = {key: d.pk for key, d in taxonomy.departments.items()}
        self.lifecycles = [(f, lc, e) for f, lc, e, _c in plan.PLAN]
        self.lifecycle_cum = _cumulative([c for *_x, c in plan.PLAN])
        self.templates = {}
        for form, templates in names.TEMPLATES_BY_FORM.items():
            for late_ok in (False, True):
                for town_level in (False, True):
                    self.templates[(form, late_ok, town_level)] = [
                        t for t in templates
                        if (late_ok or not set(t.fields) & set(LATE_SERVICE_FIELDS))
                        and (not town_level or t.scope in ("town", "any"))
                    ]
        self.serial = next_serial()
        self.now = timezone.now()
        self.organization_ids = fast_insert.IdAllocator(Organization)
        self.service_ids = fast_insert.IdAllocator(TransferredService)
        self.contracts = {}
        self.tables = {
            "organization": fast_insert.Table(Organization, [
                "id", "name", "legal_form", "credit_code", "filing_number",
                "registration_authority", "supervising_unit_id", "town_id", "village_id",
                "address", "founded_on", "legal_representative", "contact_phone",
                "business_scope", "initial_funds", "description", "created_at", "updated_at",
            ]),
            "organization_fields": _through(Organization, "service_fields"),
            "former_name": fast_insert.Table(FormerName, ["organization_id", "name", "used_until"]),
            "event": fast_insert.Table(StatusEvent, [
                "organization_id", "kind", "date", "document_number", "description",
                "resulting_status",
            ]),
            "inspection": fast_insert.Table(AnnualInspection, [
                "organization_id", "year", "result", "concluded_on", "note",
            ]),
            "grade": fast_insert.Table(EvaluationGrade, [
                "organization_id", "grade", "awarded_on", "valid_until", "assessed_by",
                "certificate_number",
            ]),
            "credit": fast_insert.Table(CreditListEntry, [
                "organization_id", "list_kind", "reason", "listed_on", "listed_by",
                "decision_number", "removed_on", "removal_reason",
            ]),
            "service": fast_insert.Table(TransferredService, [
                "id", "title", "department_id", "organization_id", "mode", "contract_number",
                "amount", "starts_on", "ends_on", "terminated_on", "evaluation", "evaluation_note",
            ]),
            "service_fields": _through(TransferredService, "service_fields"),
            "service_towns": _through(TransferredService, "towns"),
            "incubation": fast_insert.Table(Incubation, [
                "center_id", "group_name", "organization_id", "started_on", "planned_end_on",
                "ended_on", "outcome", "support", "internal_note",
            ]),
        }

    # --- one batch ------------------------------------------------------------------------------

    def _batch(self, n):
        self.rows = {name: [] for name in self.tables}
        self.pending_services = []
        organization_ids = list(self.organization_ids.take(n))
        for organization_id in organization_ids:
            self._organization(organization_id)
        service_ids = (self.service_ids.take(len(self.pending_services))
                       if self.pending_services else [])
        for service_id, (values, field_slugs, town_ids) in zip(service_ids, self.pending_services):
            self.rows["service"].append((service_id, *values))
            self.rows["service_fields"] += [(service_id, self.field_ids[f]) for f in field_slugs]
            self.rows["service_towns"] += [(service_id, t) for t in town_ids]
        for name, table in self.tables.items():  # parents before children
            fast_insert.write(table, self.rows[name])
        # The events' periods, by the registry's one rule, for this batch's organizations.
        refresh_status_periods(organization_ids=organization_ids)
        self.counts["organizations"] += n
        self.counts["status_events"] += len(self.rows["event"])
        self.counts["inspections"] += len(self.rows["inspection"])
        self.counts["grades"] += len(self.rows["grade"])
        self.counts["credit_entries"] += len(self.rows["credit"])
        self.counts["transferred_services"] += len(self.rows["service"])
        self.counts["incubations"] += len(self.rows["incubation"])

    def _organization(self, oid):
        rng, rows = self.rng, self.rows
        form, lifecycle, end_kind = rng.choices(self.lifecycles, cum_weights=self.lifecycle_cum)[0]
        spec = organizations.dated_spec(self.ctx, form, lifecycle, end_kind)
        registered = spec.registered_from
        town = rng.choices(self.towns, cum_weights=self.town_cum)[0]
        village = filed_name = None
        if spec.was_filed:
            village = rng.choice(self.villages[town.pk])
            kind = rng.choice(self.kinds[village.level])
            filed_name = f"{town.name}{village.name}{kind[0]}"
        if registered is not None:
            late_ok = registered >= D(2020, 1, 1)
            template = rng.choice(self.templates[(form, late_ok, spec.upgraded_on is not None)])
            county_level = not spec.upgraded_on and (
                template.scope == "county" or (template.scope == "any" and rng.random() < 0.5))
            place = COUNTY_NAME if county_level else town.name
            name = names.build_name(template, place=place, brand=rng.choice(names.BRANDS))
            fields = template.fields
            department = self.department_ids.get(template.department)
            if not county_level and village is None and rng.random() < 0.4:
                village = rng.choice(self.villages[town.pk])
            scope = names.scope_text(template, place=place,
                                     field_names=[self.field_names[f] for f in fields])
            authority = organizations.REGISTRATION_AUTHORITY
            low, high = organizations.INITIAL_FUNDS[form]
            funds = rng.randrange(low, high + 1, 10_000)
        else:
            name, fields, department = filed_name, kind[1], None
            activities = "、".join(self.field_names[f] for f in fields)
            scope = f"组织{village.name}居民开展{activities}等活动。"
            authority = town.name + ("办事处" if town.name.endswith("街道") else "人民政府")
            funds = None

        serial = self.serial
        self.serial += 1
        code = ""
        if registered is not None:
            code = credit_code.make(legal_form_code=LEGAL_FORM_CODE_CHARACTER[form],
                                    division_code=COUNTY_CODE, body=CODE_MARK + base31(serial, 8))
        filing = f"{FILING_PREFIX}{serial:010d}" if spec.was_filed else ""
        founded = spec.start if registered == spec.start else spec.start - rng.randint(0, 400) * DAY
        rows["organization"].append((
            oid, name, form, code, filing, authority, department, town.pk,
            village.pk if village else None,
            names.address(rng, county_name=COUNTY_NAME, town=town, village=village),
            founded, names.person_placeholder(rng), names.phone_placeholder(serial), scope, funds,
            f"主要开展{'、'.join(self.field_names[f] for f in fields)}等方面的服务。",
            self.now, self.now,
        ))
        rows["organization_fields"] += [(oid, self.field_ids[f]) for f in dict.fromkeys(fields)]
        if spec.upgraded_on:
            rows["former_name"].append((oid, filed_name, spec.upgraded_on))
        self._events(oid, spec, serial)
        self._supervision(oid, spec, serial)
        self._services(oid, spec, name, town, fields, department)
        self._incubations(oid, spec, name, town)

    def _events(self, oid, spec, serial):
        rng = self.rng
        events = [(Kind.FILED, spec.start, "备案") if spec.was_filed
                  else (Kind.REGISTERED, spec.start, "成立登记")]
        if spec.upgraded_on:
            events.append((Kind.FILED_TO_REGISTERED, spec.upgraded_on, "备案的社区社会组织转为登记"))
        first = (spec.upgraded_on or spec.start) + 180 * DAY
        last = (spec.end or plan.HORIZON) - 30 * DAY
        if first < last and rng.random() < (0.35 if spec.registered_from else 0.1):
            events.append((Kind.CHANGED, dates.between(rng, first, last),
                           rng.choice(("变更法定代表人", "变更住所", "变更业务范围"))))
        if spec.end:
            kind, _prefix, reasons = organizations.END_KINDS[spec.end_kind]
            events.append((kind, spec.end, reasons[0]))
        events.sort(key=lambda e: e[1])
        # The kind's status goes in with the row, so that the batch's refresh_status_periods
        # updates only the events a later one ends.
        for kind, day, description in events:
            self.rows["event"].append((oid, kind, day, f"模拟〔{day.year}〕{serial}号", description,
                                       StatusEvent.RESULTING_STATUS.get(kind, "")))

    def _supervision(self, oid, spec, serial):
        rng, rows = self.rng, self.rows
        registered = spec.registered_from
        if registered is None:
            return
        revoked = spec.end_kind == plan.REVOKED
        for year in supervision.inspection_years(registered, spec.end):
            unreported = revoked and year >= spec.end.year - 2
            result, concluded = supervision.inspection_outcome(rng, year, unreported=unreported)
            rows["inspection"].append((oid, year, result, concluded, ""))
        for grade, awarded in supervision.grade_awards(rng, registered=registered, end=spec.end,
                                                       revoked=revoked):
            rows["grade"].append((oid, grade, awarded, grade_valid_until(awarded),
                                  supervision.AUTHORITY, f"模拟评〔{awarded.year}〕{serial}号"))
        if revoked:
            listed = max(spec.end - rng.randint(380, 500) * DAY, registered + 200 * DAY)
            rows["credit"].append((oid, CreditListEntry.ListKind.ABNORMAL_ACTIVITY,
                                   "未按规定参加年度检查", listed, supervision.AUTHORITY, "",
                                   spec.end, "被撤销登记，转入严重违法失信名单"))
            rows["credit"].append((oid, CreditListEntry.ListKind.SERIOUS_VIOLATION,
                                   "被列入活动异常名录满两年仍未改正，被撤销登记", spec.end,
                                   supervision.AUTHORITY, "", None, ""))
        elif spec.end is None and registered < D(2018, 1, 1) \
                and rng.random() < ABNORMAL_LISTING_RATE:
            listed = dates.between(rng, D(2019, 3, 1), D(2022, 10, 31))
            removed = min(listed + rng.randint(120, 400) * DAY, plan.HORIZON)
            rows["credit"].append((oid, CreditListEntry.ListKind.ABNORMAL_ACTIVITY,
                                   "未按规定报送年度工作报告", listed, supervision.AUTHORITY, "",
                                   removed, "已改正并申请移出"))

    def _services(self, oid, spec, name, town, fields, department):
        rng = self.rng
        late_ok = [f for f in fields if f not in LATE_SERVICE_FIELDS] or ["livelihood"]
        starts = []
        if spec.active_on(plan.END_2022) and spec.start <= services.LAST_START_2022 \
                and (spec.upgraded_on is None or spec.upgraded_on <= services.LAST_START_2022) \
                and rng.random() < UNDERTAKER_RATE.get(spec.legal_form, 0):
            for _ in range(rng.choices([1, 2, 3, 4], weights=[55, 25, 12, 8])[0]):
                lo = max(spec.start + 60 * DAY, D(2013, 3, 1))
                year = dates.weighted_year(rng, dates.SERVICE_YEARS, first=lo.year)
                starts.append((dates.in_year(rng, year, not_before=lo, not_after=plan.END_2022),
                               rng.choice(late_ok)))
            if spec.end is None and rng.random() < SERVICE_2023_RATE:
                starts.append((dates.between(rng, D(2023, 1, 1), D(2023, 12, 15)),
                               rng.choice(fields)))
        elif spec.end is None and spec.start <= D(2023, 9, 30) \
                and spec.legal_form in UNDERTAKER_RATE and rng.random() < NEW_UNDERTAKER_2023_RATE:
            starts.append((dates.between(rng, max(D(2023, 1, 1), spec.start + 30 * DAY),
                                         D(2023, 12, 15)), rng.choice(fields)))
        if not starts:
            return
        place = COUNTY_NAME if name.startswith(COUNTY_NAME) else town.name
        for start, field in starts:
            terms = services.service_terms(rng, start=start, org_end=spec.end,
                                           contracts=self.contracts)
            values = (
                services.service_title(start=start, place=place, field=field),
                self.department_ids[services.service_department_key(field)], oid,
                terms["mode"], terms["contract_number"], terms["amount"], terms["starts_on"],
                terms["ends_on"], terms["terminated_on"], terms["evaluation"],
                terms["evaluation_note"],
            )
            self.pending_services.append((values, [field], [town.pk]))

    def _incubations(self, oid, spec, name, town):
        rng, rows = self.rng, self.rows
        county = self.county_center
        if spec.start >= county.opened_on + 120 * DAY and not spec.upgraded_on:
            rate = INCUBATED_FILED_RATE if spec.was_filed else INCUBATED_REGISTERED_RATE
            if rng.random() < rate:
                center = self.town_centers.get(town.pk)
                if center is None or rng.random() >= 0.8 or name.startswith(COUNTY_NAME) \
                        or center.opened_on > spec.start - 120 * DAY:
                    center = county
                started = max(center.opened_on, spec.start - rng.randint(90, 330) * DAY)
                outcome = (Incubation.Outcome.FILED if spec.was_filed
                           else Incubation.Outcome.REGISTERED)
                rows["incubation"].append((center.pk, name, oid, started, _planned_end(started),
                                           spec.start, outcome, "场地支持、登记备案辅导", ""))
        if rng.random() < UNLINKED_INCUBATION_RATE:
            center = rng.choice(self.center_list)
            village = rng.choice(self.villages[town.pk])
            group = f"{town.name}{village.name}{rng.choice(self.kinds[village.level])[0]}"
            if rng.random() < 0.4:
                started = dates.between(rng, max(D(2015, 1, 1), center.opened_on + 30 * DAY),
                                        D(2022, 6, 30))
                rows["incubation"].append((
                    center.pk, group, None, started, _planned_end(started),
                    started + rng.randint(120, 360) * DAY,
                    Incubation.Outcome.LEFT, "能力建设培训", "成员流失，暂停孵化"))
            else:
                started = dates.between(rng, D(2022, 3, 1), D(2023, 12, 20))
                rows["incubation"].append((center.pk, group, None, started, _planned_end(started),
                                           None, Incubation.Outcome.ONGOING, "导师陪伴", ""))


def _planned_end(started):
    # The demo's term (website.demo.incubation), not the deployment's setting.
    return add_months(started, incubation.TERM_MONTHS)


def _through(model, field_name):
    field = model._meta.get_field(field_name)
    return fast_insert.Table(field.remote_field.through,
                      [field.m2m_column_name(), field.m2m_reverse_name()])


def _cumulative(weights):
    total, out = 0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def generate_scale_data(*, organizations, seed=1, log=print, batch_size=10_000):
    if organizations < 1:
        raise ValueError("organizations must be at least 1")
    result = ScaleGenerator(organizations=organizations, seed=seed, log=log,
                            batch_size=batch_size).run()
    _refresh_planner_statistics(log)
    page_cache.bump_everything()  # bulk inserts send no model signals
    return result


def _refresh_planner_statistics(log):
    # After a bulk load PostgreSQL's planner still believes the tables are small until autovacuum
    # gets to them; stale statistics turn 0.2 s aggregations into 15 s ones.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        log("已更新数据库统计信息（ANALYZE）。")
