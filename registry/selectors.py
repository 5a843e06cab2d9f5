"""Reads of the register, each as of a date.

Every per-record fact they count (status, grade, credit lists, services undertaken) is defined in
registry.facts; a figure here counts exactly the organizations a directory filter built on the
same fact lists. Status is one indexed range condition on StatusEvent (see registry.facts), never a
per-organization "latest event" subquery, so every "as of" figure stays fast at national scale.
"""

import datetime
from functools import lru_cache

from django.db.models import (
    BooleanField, Count, Exists, Expression, F, Max, Min, OuterRef, Q, Sum, Value,
)
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from website.aggregates import count_by

from . import facts
from .models import (
    REGISTERED_LEGAL_FORMS, AnnualInspection, Area, Department, EvaluationGrade, LegalForm,
    Organization, ServiceField, Status, StatusEvent, TransferredService,
)
from .pinyin import in_pinyin_order


def _in_town(queryset, town, path="organization__town"):
    """Narrow to one town's records (town summaries); `town=None` keeps the whole county."""
    return queryset if town is None else queryset.filter(**{path: town})


def _periods_covering(*, as_of, statuses, town=None):
    """Status events whose period covers `as_of` with a status in `statuses`: at most one per
    organization (registry.facts.status_periods)."""
    return _in_town(facts.status_periods(as_of=as_of, statuses=statuses), town)


def organizations_in_status(*, as_of, statuses, town=None):
    """Organizations whose status on `as_of` is one of `statuses`, each once."""
    return Organization.objects.filter(
        pk__in=_periods_covering(as_of=as_of, statuses=statuses, town=town).values("organization_id")
    )


def count_in_status(*, as_of, statuses, town=None):
    """The number of organizations whose status on `as_of` is one of `statuses`.

    Counts the covering periods themselves (one per organization, see above): an index scan of
    StatusEvent alone, with no join to Organization.
    """
    return _periods_covering(as_of=as_of, statuses=statuses, town=town).count()


def status_as_of(*, organization, as_of):
    """One organization's Status on `as_of`, or None if it was not yet registered or filed."""
    value = (
        _periods_covering(as_of=as_of, statuses=Status.values)
        .filter(organization=organization)
        .values_list("resulting_status", flat=True)
        .first()
    )
    return Status(value) if value else None


def count_towns():
    """The number of town-level areas (镇 and 街道)."""
    return Area.objects.filter(level__in=Area.TOWN_LEVELS).count()


def _count_by_town(organizations):
    """Every town-level area with its count in `organizations`, 0 included, ordered by code."""
    counts = dict(
        organizations.order_by()
        .values("town_id").annotate(n=Count("pk")).values_list("town_id", "n")
    )
    towns = Area.objects.filter(level__in=Area.TOWN_LEVELS).order_by("code")
    return [(town, counts.get(town.pk, 0)) for town in towns]


def registered_organizations(*, as_of, town=None):
    return organizations_in_status(as_of=as_of, statuses=[Status.REGISTERED], town=town)


def count_registered(*, as_of, town=None):
    return count_in_status(as_of=as_of, statuses=[Status.REGISTERED], town=town)


def registered_by_legal_form(*, as_of, town=None):
    """{legal form: organizations registered on `as_of`}, every registered legal form present; the
    community form too when a filed organization was registered (备案转登记) and its legal form was
    left as it was, so that the counts add up to `count_registered`."""
    counts = count_by(registered_organizations(as_of=as_of, town=town), "legal_form", LegalForm)
    return {form: n for form, n in counts.items() if form in REGISTERED_LEGAL_FORMS or n}


def registered_form_label(form):
    """How a legal form reads in a count of registered organizations (see registered_by_legal_form)."""
    if form == LegalForm.COMMUNITY_ORGANIZATION:
        return _("社区社会组织（备案转登记）")
    return LegalForm(form).label


def registered_by_town(*, as_of):
    return _count_by_town(registered_organizations(as_of=as_of))


def filed_organizations(*, as_of, town=None):
    return organizations_in_status(as_of=as_of, statuses=[Status.FILED], town=town)


def count_filed(*, as_of, town=None):
    return count_in_status(as_of=as_of, statuses=[Status.FILED], town=town)


def filed_by_town(*, as_of):
    return _count_by_town(filed_organizations(as_of=as_of))


def new_registrations(*, start, end, town=None):
    """Registrations dated in [start, end], including filed organizations upgraded to registered."""
    return _in_town(StatusEvent.objects.filter(
        kind__in=[StatusEvent.Kind.REGISTERED, StatusEvent.Kind.FILED_TO_REGISTERED],
        date__gte=start, date__lte=end,
    ), town)


def new_filings(*, start, end, town=None):
    """Filings of community organizations dated in [start, end]."""
    return _in_town(
        StatusEvent.objects.filter(kind=StatusEvent.Kind.FILED, date__gte=start, date__lte=end), town
    )


def deregistrations(*, start, end, town=None):
    """Deregistrations and revocations dated in [start, end]."""
    return _in_town(StatusEvent.objects.filter(
        kind__in=[StatusEvent.Kind.DEREGISTERED, StatusEvent.Kind.REVOKED],
        date__gte=start, date__lte=end,
    ), town)


def transferred_services_active(*, period_start=None, period_end, town=None):
    """Transferred services in progress at some point in [period_start, period_end]
    (`period_start=None`: since the beginning); a terminated service only before its
    terminated_on (registry.facts.service_active_between)."""
    return _in_town(TransferredService.objects.filter(
        facts.service_active_between(first=period_start, last=period_end)), town)


def service_undertakers(*, period_start=None, period_end, town=None):
    """Organizations undertaking a transferred service active in the period, each once."""
    active = transferred_services_active(period_start=period_start, period_end=period_end, town=town)
    return Organization.objects.filter(pk__in=active.values("organization_id"))


def count_service_undertakers(*, period_start=None, period_end, town=None):
    # Distinct undertakers counted on the services alone: no scan of the organizations.
    active = transferred_services_active(period_start=period_start, period_end=period_end, town=town)
    return active.order_by().values("organization_id").distinct().count()


def count_service_fields_covered(*, period_start=None, period_end, town=None):
    """Distinct service fields across the transferred services active in the period."""
    active = transferred_services_active(period_start=period_start, period_end=period_end, town=town)
    links = TransferredService.service_fields.through.objects.filter(transferredservice__in=active)
    return ServiceField.objects.filter(pk__in=links.values("servicefield_id")).count()


def inspection_results(*, year, town=None):
    """{annual-inspection result: count} for one inspection year, every result present."""
    return count_by(_in_town(AnnualInspection.objects.filter(year=year), town), "result",
                    AnnualInspection.Result)


def grades_valid(*, as_of, town=None):
    """{grade: number of organizations} holding that grade on `as_of` (registry.facts.grade_on:
    the latest grade awarded by then, still valid, the organization active), every grade present."""
    return count_by(_in_town(facts.current_grades(as_of=as_of), town), "grade",
                    EvaluationGrade.Grade)


def credit_listed(*, as_of, list_kind=None, town=None):
    """Organizations on a credit list (of `list_kind`, or any) on `as_of`, each once."""
    entries = _in_town(facts.credit_entries_covering(as_of=as_of, list_kind=list_kind), town)
    return Organization.objects.filter(pk__in=entries.values("organization_id"))


def services_by_field(*, period_start=None, period_end, town=None):
    """[(service field, services, organizations)] for the services active in the period, busiest
    field first; fields with no active service are left out."""
    active = transferred_services_active(period_start=period_start, period_end=period_end, town=town)
    return [
        (field, field.services, field.undertakers)
        for field in ServiceField.objects.filter(transferred_services__in=active)
        .annotate(
            services=Count("transferred_services", distinct=True),
            undertakers=Count("transferred_services__organization", distinct=True),
        )
        .order_by("-services", "sort_order", "code")
    ]


def services_by_department(*, period_start=None, period_end, town=None):
    """[(department, services, amount in yuan)] for the services active in the period."""
    active = transferred_services_active(period_start=period_start, period_end=period_end, town=town)
    return [
        (department, department.services, department.amount or 0)
        for department in Department.objects.filter(transferred_services__in=active)
        .annotate(services=Count("transferred_services"), amount=Sum("transferred_services__amount"))
        .order_by("-services", "name")
    ]


# --- The public directory -------------------------------------------------------------------

def incubated_organizations(*, as_of):
    """Organizations that came out of an incubation center by `as_of` (incubator.facts)."""
    from incubator import facts as incubation_facts  # incubator depends on registry, not the reverse

    return Organization.objects.filter(
        pk__in=incubation_facts.incubated_organizations(as_of=as_of))


def count_up_to(queryset, *, cap):
    """The number of rows in `queryset`, counting no further than `cap + 1`: cheap at any scale,
    and enough to say "more than `cap`"."""
    return queryset.order_by().values("pk")[: cap + 1].count()


DIRECTORY_SORTS = ("name", "-registered", "registered", "-grade")


def ordered_organizations(queryset, *, sort="name", as_of, few=False):
    """`queryset` in one of the directory's orders: "name" (pinyin), "registered" / "-registered"
    (date registered or filed, then id; never registered or filed last) or "-grade" (current grade,
    highest first, then name; ungraded last). Right at any size, and fast for a few thousand rows;
    `few=True` says they are few, so the name order sorts them rather than walk the name index
    (see registry.pinyin.in_pinyin_order). For one page of a large result, `directory_page_ids`."""
    by_name = in_pinyin_order(use_index=not few)
    if sort in ("registered", "-registered"):
        started = F("started_on")
        if sort == "registered":
            keys = (started.asc(nulls_last=True), "pk")
        else:
            keys = (started.desc(nulls_last=True), "-pk")
        return queryset.annotate(started_on=facts.started_on_expression()).order_by(*keys)
    if sort == "-grade":
        return queryset.annotate(current_grade=facts.grade_expression(as_of=as_of)).order_by(
            F("current_grade").desc(nulls_last=True), by_name, "pk"
        )
    return queryset.order_by(by_name, "pk")


def directory_page_ids(queryset, *, sort="name", as_of, offset, limit, few=False):
    """The ids of rows [offset, offset + limit) of `ordered_organizations(queryset, sort=sort)`.

    `few` says the caller has counted the rows and found them few (thousands): they are filtered
    first and then sorted. Otherwise each order is read from an index, which stays fast however
    many rows match: names from the pinyin index; dates and grades in two parts, the
    organizations with a start event (or a current grade) from their index, then the others."""
    if few:
        rows = ordered_organizations(queryset, sort=sort, as_of=as_of, few=True)
        return list(dict.fromkeys(rows.values_list("pk", flat=True)[offset: offset + limit]))
    ids = queryset.order_by().values("pk")
    if sort in ("registered", "-registered"):
        sign = "" if sort == "registered" else "-"
        starts = StatusEvent.objects.filter(kind__in=StatusEvent.START_KINDS)
        parts = [
            starts.filter(organization__in=ids)
            .order_by(f"{sign}date", f"{sign}organization_id").values_list("organization_id", flat=True),
            queryset.exclude(pk__in=starts.values("organization_id"))
            .order_by(f"{sign}pk").values_list("pk", flat=True),
        ]
    elif sort == "-grade":
        parts = [
            facts.current_grades(as_of=as_of).filter(organization__in=ids)
            .order_by("-grade", in_pinyin_order("organization__name"), "organization_id")
            .values_list("organization_id", flat=True),
            queryset.exclude(pk__in=facts.current_grades(as_of=as_of).values("organization_id"))
            .order_by(in_pinyin_order(), "pk").values_list("pk", flat=True),
        ]
    else:
        parts = [queryset.order_by(in_pinyin_order(), "pk").values_list("pk", flat=True)]
    return _slice_of_parts(parts, offset=offset, limit=limit)


def _slice_of_parts(parts, *, offset, limit):
    """Rows [offset, offset + limit) of the ordered querysets `parts` read one after another; each
    part but the last is counted only as far as the slice needs."""
    taken = []
    for index, part in enumerate(parts):
        if index < len(parts) - 1:
            size = count_up_to(part, cap=offset + limit)
            if size <= offset:
                offset -= size
                continue
        taken.extend(part[offset: offset + limit - len(taken)])
        offset = 0
        if len(taken) >= limit:
            break
    return list(dict.fromkeys(taken))


# Keyset (cursor) pages: each starts from the sort key of a row shown on the page before it and
# reads the next rows with a WHERE on that key and a LIMIT, never an OFFSET, so a page costs the
# same at row 500,000 as at row 20. The date orders are read in two parts, as directory_page_ids
# reads them: a cursor in the first part (a start date) reads on into the second (none).
KEYSET_SORTS = ("name", "registered", "-registered")


def directory_sort_key(row, *, sort):
    """The key of a directory row (from directory_rows) in a keyset sort: (name, id) in name
    order, (start date or None, id) in date order."""
    if sort == "name":
        return row.name, row.pk
    return row.started_on, row.pk


class _RowComparison(Expression):
    """`(a, b) > (x, y)` (or `<`): the row comparison PostgreSQL serves from a btree index on
    (a, b) as one range condition; SQLite has row values too."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, left, operator, right):
        super().__init__()
        self.left = list(left)
        self.operator = operator
        self.right = [Value(value) for value in right]

    def get_source_expressions(self):
        return [*self.left, *self.right]

    def set_source_expressions(self, expressions):
        self.left, self.right = expressions[: len(self.left)], expressions[len(self.left):]

    def as_sql(self, compiler, connection):
        sql, params = [], []
        for expression in self.get_source_expressions():
            part, part_params = compiler.compile(expression)
            sql.append(part)
            params.extend(part_params)
        size = len(self.left)
        return f"({', '.join(sql[:size])}) {self.operator} ({', '.join(sql[size:])})", params


def _keyset_parts(queryset, *, sort, few):
    """The order of `sort` as [(rows, keys, id field)]: querysets read one after another, each
    ordered by its `keys` (ascending; "-registered" reads them all descending)."""
    if sort == "name":
        return [(queryset, [in_pinyin_order(use_index=not few), F("pk")], "pk")]
    if few:  # sorted after filtering, as ordered_organizations(few=True) does
        dated = queryset.annotate(started_on=facts.started_on_expression())
        return [
            (dated.filter(started_on__isnull=False), [F("started_on"), F("pk")], "pk"),
            (dated.filter(started_on__isnull=True), [F("pk")], "pk"),
        ]
    starts = StatusEvent.objects.filter(kind__in=StatusEvent.START_KINDS)
    return [
        (starts.filter(organization__in=queryset.order_by().values("pk")),
         [F("date"), F("organization_id")], "organization_id"),
        # NOT EXISTS, an anti-join probing each organization's events: NOT IN would hash every
        # start event of the register first.
        (queryset.exclude(Exists(starts.filter(organization_id=OuterRef("pk")))), [F("pk")], "pk"),
    ]


def directory_ids_from(queryset, *, sort, key, backwards=False, limit, few=False):
    """The ids of up to `limit` rows of `ordered_organizations(queryset, sort=sort)` that follow
    the row whose sort key is `key` (directory_sort_key), or with `backwards` that precede it,
    nearest first. The row itself need not exist any more: the key says where it stood.

    `few` as for directory_page_ids. Otherwise each part is read from its index from the key on:
    names from the pinyin index (or the (town, name) one), start dates from the start events'."""
    value, pk = key
    parts = _keyset_parts(queryset, sort=sort, few=few)
    start = 1 if sort != "name" and value is None else 0
    descending = (sort == "-registered") != backwards
    taken = []
    for index in range(start, -1, -1) if backwards else range(start, len(parts)):
        rows, keys, id_field = parts[index]
        if index == start:
            bound = [value, pk] if len(keys) == 2 else [pk]
            rows = rows.filter(_RowComparison(keys, "<" if descending else ">", bound))
        ordering = [k.desc() if descending else k.asc() for k in keys]
        taken.extend(rows.order_by(*ordering).values_list(id_field, flat=True)[: limit - len(taken)])
        if len(taken) >= limit:
            break
    return list(dict.fromkeys(taken))


@lru_cache(maxsize=64)
def _directory_row_query(as_of):
    """The rows' query with its annotations resolved, for one day: building them costs more than
    running the query, and they depend on nothing but the day (never evaluated itself: each page
    filters a copy)."""
    return Organization.objects.select_related("town", "village").annotate(
        status=facts.status_expression(as_of=as_of), started_on=facts.started_on_expression(),
        current_grade=facts.grade_expression(as_of=as_of),
    )


def directory_rows(*, ids, as_of):
    """The organizations `ids`, in that order, each with what a directory row shows on `as_of`:
    `status` (a Status value), `started_on`, `current_grade` and `credit_list_kinds` (the credit
    lists it is on, serious violations first)."""
    rows = _directory_row_query(as_of).filter(pk__in=ids)
    listed = {}
    for organization_id, kind in (
        facts.credit_entries_covering(as_of=as_of).filter(organization_id__in=ids)
        .order_by("-list_kind", "listed_on").values_list("organization_id", "list_kind")
    ):
        kinds = listed.setdefault(organization_id, [])
        if kind not in kinds:
            kinds.append(kind)
    for row in rows:
        row.credit_list_kinds = listed.get(row.pk, [])
    by_pk = {row.pk: row for row in rows}
    return [by_pk[pk] for pk in ids if pk in by_pk]


# --- The public statistics and services pages -------------------------------------------------

def count_in_status_on_dates(*, dates, statuses, town=None):
    """[number of organizations whose status is one of `statuses`] on each of `dates`, in one
    query over the status periods however many dates are asked (the statistics page's trends)."""
    dates = list(dates)
    if not dates:
        return []
    events = _in_town(StatusEvent.objects.filter(resulting_status__in=statuses), town)
    row = events.aggregate(**{
        f"on{i}": Count("pk", filter=Q(date__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gt=day)))
        for i, day in enumerate(dates)
    })
    return [row[f"on{i}"] for i in range(len(dates))]


def count_events_by_year(*, kinds, until, town=None):
    """{year: number of status events of `kinds`} dated on or before `until`; years without
    events are absent."""
    return dict(
        _in_town(StatusEvent.objects.filter(kind__in=kinds, date__lte=until), town).order_by()
        .annotate(year=ExtractYear("date")).values("year")
        .annotate(n=Count("pk")).values_list("year", "n")
    )


def first_status_event_date():
    """The date of the register's earliest status event, or None for an empty register."""
    return StatusEvent.objects.aggregate(first=Min("date"))["first"]


def service_undertakers_by_town(*, period_start=None, period_end):
    """{town id: organizations undertaking a transferred service active in the period}, by the
    organization's town."""
    active = transferred_services_active(period_start=period_start, period_end=period_end)
    return dict(
        active.order_by().values("organization__town")
        .annotate(n=Count("organization", distinct=True)).values_list("organization__town", "n")
    )


def transferred_services_in_year(*, year):
    """Transferred services active at some point in calendar year `year`."""
    return transferred_services_active(
        period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31)
    )


def transferred_service_years():
    """(first, last) calendar year in which any transferred service starts or ends, or None."""
    span = TransferredService.objects.aggregate(
        first=Min("starts_on"), last_start=Max("starts_on"), last_end=Max("ends_on"),
    )
    if span["first"] is None:
        return None
    last = max(d for d in (span["last_start"], span["last_end"]) if d is not None)
    return span["first"].year, last.year


def services_by_field_and_town(*, services):
    """The coverage matrix of `services` (a TransferredService queryset): {(service field id,
    town id): number of services}, with {field id: services} and {town id: services} totals;
    a service counts once in each field and town it covers. Three queries."""
    chosen = TransferredService.objects.filter(pk__in=services.values("pk")).order_by()
    cells = {
        (field, town): n
        for field, town, n in chosen.filter(service_fields__isnull=False, towns__isnull=False)
        .values("service_fields", "towns").annotate(n=Count("pk", distinct=True))
        .values_list("service_fields", "towns", "n")
    }
    by_field = dict(
        chosen.filter(service_fields__isnull=False).values("service_fields")
        .annotate(n=Count("pk", distinct=True)).values_list("service_fields", "n")
    )
    by_town = dict(
        chosen.filter(towns__isnull=False).values("towns")
        .annotate(n=Count("pk", distinct=True)).values_list("towns", "n")
    )
    return cells, by_field, by_town
