"""The public tables of the register: what each download and API resource holds, and how its
records are read in bounded chunks (a million rows never sit in memory)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from funds.models import CommunityFoundation, MoneyMovement, SpecialFund
from incubator.models import Incubation, IncubationCenter
from registry import facts
from registry.models import (
    AnnualInspection, Area, CreditListEntry, Department, EvaluationGrade, FormerName,
    Organization, ServiceField, StatusEvent, TransferredService,
)
from registry.urls_public import organization_url

from .columns import Column, arrange, field_columns, prefetched, related_list

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Table:
    name: str  # file stem and API resource name
    title: str  # translatable, shown in the request's language
    description: str  # one line for the README and the open-data page (translatable)
    model: type
    columns: tuple
    select_related: tuple = ()
    prefetch_related: tuple = field(default=())

    def queryset(self, queryset=None):
        """Records of this table (all, in id order, unless `queryset` narrows and orders them)
        with what the columns read joined or prefetched."""
        if queryset is None:
            queryset = self.model.objects.order_by("pk")
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        return queryset

    def records(self, queryset=None):
        """Iterate the records chunk by chunk; prefetches run once per chunk."""
        return self.queryset(queryset).iterator(chunk_size=CHUNK_SIZE)

    def row(self, record, ctx):
        return [column.get(record, ctx) for column in self.columns]

    def as_dict(self, record, ctx):
        """The record as the machine formats carry it: values by key, plus `<key>_code` and
        `<key>_en`."""
        data = {}
        for column in self.columns:
            data[column.key] = column.get(record, ctx)
            if column.code is not None:
                data[f"{column.key}_code"] = column.code(record, ctx)
            if column.english is not None:
                data[f"{column.key}_en"] = column.english(record, ctx)
        return data

    @property
    def headers(self):
        """The column headers in the active language."""
        return [str(column.header) for column in self.columns]


# --- organizations -------------------------------------------------------------------------

# Each organization column reads its fact from registry.facts, on ctx.today (the query's as_of).

def status_today(organization, ctx):
    """The organization's Status on ctx.today, from its prefetched status events, or None."""
    return facts.status_on(related_list(organization, "status_events"), ctx.today)


def _status_label(organization, ctx):
    status = status_today(organization, ctx)
    return str(status.label) if status else None


def _status_code(organization, ctx):
    status = status_today(organization, ctx)
    return status.value if status else None


def _registered_on(organization, ctx):
    return facts.started_on(related_list(organization, "status_events"))


def _grade_today(organization, ctx):
    grade = facts.grade_on(related_list(organization, "evaluation_grades"), day=ctx.today,
                           status=status_today(organization, ctx))
    return grade.get_grade_display() if grade else None


def _credit_entries_today(organization, ctx):
    return facts.credit_entries_on(related_list(organization, "credit_list_entries"), ctx.today)


def _credit_lists(organization, ctx):
    kinds = dict.fromkeys(e.list_kind for e in _credit_entries_today(organization, ctx))
    return [str(CreditListEntry.ListKind(kind).label) for kind in sorted(kinds, reverse=True)]


def _credit_listed_on(organization, ctx):
    entries = _credit_entries_today(organization, ctx)
    return min(e.listed_on for e in entries) if entries else None


def _page_url(organization, ctx):
    url = organization_url(organization, request=ctx.request)
    if url is None or url.startswith(("http://", "https://")):
        return url
    return ctx.base_url + url


ORGANIZATION_EXTRAS = (
    ("filing_number", Column(
        "status", _("当前状态"), _status_label, str, code=_status_code)),
    ("status", Column("registered_on", _("登记（备案）日期"), _registered_on, datetime.date)),
    ("name", Column(
        "former_names", _("曾用名"),
        lambda org, ctx: [n.name for n in related_list(org, "former_names")], list)),
    ("service_fields", Column("grade", _("当前评估等级"), _grade_today, str)),
    ("grade", Column("credit_lists", _("列入的信用名录"), _credit_lists, list)),
    ("credit_lists", Column("credit_listed_on", _("列入信用名录日期"), _credit_listed_on, datetime.date)),
    (None, Column("url", _("公示页面"), _page_url, str)),
)

ORGANIZATIONS = Table(
    name="organizations",
    title=_("社会组织"),
    description=_("登记和备案的社会组织：公开信息、当前状态、登记（备案）日期、当前评估等级、列入的信用名录。"),
    model=Organization,
    columns=arrange(
        field_columns(Organization),
        first=("name", "legal_form", "credit_code", "filing_number"),
        extra=ORGANIZATION_EXTRAS,
    ),
    select_related=("supervising_unit", "town", "village"),
    prefetch_related=(
        Prefetch("status_events", to_attr=prefetched("status_events"),
                 queryset=StatusEvent.objects.order_by("date", "pk").only(
                     "id", "organization_id", "kind", "date", "resulting_status", "ends_on")),
        Prefetch("evaluation_grades", to_attr=prefetched("evaluation_grades"),
                 queryset=EvaluationGrade.objects.order_by().only(
                     "id", "organization_id", "grade", "awarded_on", "valid_until")),
        Prefetch("credit_list_entries", to_attr=prefetched("credit_list_entries"),
                 queryset=CreditListEntry.objects.order_by("listed_on", "pk").only(
                     "id", "organization_id", "list_kind", "listed_on", "removed_on")),
        Prefetch("former_names", to_attr=prefetched("former_names"),
                 queryset=FormerName.objects.order_by("used_until", "pk").only(
                     "id", "organization_id", "name")),
        Prefetch("service_fields", to_attr=prefetched("service_fields"),
                 queryset=ServiceField.objects.order_by("sort_order", "code")),
    ),
)


def _organization_table(name, title, description, model, **kwargs):
    """A table of records belonging to an organization: the organization's name and identifier
    first."""
    return Table(
        name=name, title=title, description=description, model=model,
        columns=arrange(field_columns(model), first=("organization", "organization_identifier")),
        **kwargs,
    )


STATUS_EVENTS = _organization_table(
    "status_events", _("登记备案事项"),
    _("成立登记、备案、变更、注销、撤销等事项，及每一事项所致状态的起止。"),
    StatusEvent, select_related=("organization",),
)
ANNUAL_INSPECTIONS = _organization_table(
    "annual_inspections", _("年度检查"), _("各年度的年检结论。"), AnnualInspection,
    select_related=("organization",),
)
EVALUATION_GRADES = _organization_table(
    "evaluation_grades", _("评估等级"), _("评估等级（1A至5A）及其有效期。"), EvaluationGrade,
    select_related=("organization",),
)
CREDIT_LIST_ENTRIES = _organization_table(
    "credit_list_entries", _("信用名录记录"), _("列入及移出活动异常名录、严重违法失信名单的记录。"),
    CreditListEntry, select_related=("organization",),
)

# A service's and an incubation's state on ctx.today, read from its dates (registry.facts.services,
# incubator.facts): no field holds it.
SERVICE_EXTRAS = (
    ("terminated_on", Column(
        "state", _("执行状态"), lambda service, ctx: str(service.state_on(ctx.today).label), str,
        code=lambda service, ctx: service.state_on(ctx.today).value)),
)
INCUBATION_EXTRAS = (
    ("outcome", Column(
        "state", _("孵化状态"), lambda incubation, ctx: str(incubation.state_on(ctx.today).label), str,
        code=lambda incubation, ctx: incubation.state_on(ctx.today).value)),
)

TRANSFERRED_SERVICES = Table(
    name="transferred_services",
    title=_("承接政府转移职能"),
    description=_("政府部门转移给社会组织的服务项目：部门、承接组织、领域、方式、期限、金额、覆盖镇街、执行状态。"),
    model=TransferredService,
    columns=arrange(field_columns(TransferredService), extra=SERVICE_EXTRAS),
    select_related=("department", "organization"),
    prefetch_related=(
        Prefetch("service_fields", to_attr=prefetched("service_fields"),
                 queryset=ServiceField.objects.order_by("sort_order", "code")),
        Prefetch("towns", to_attr=prefetched("towns"), queryset=Area.objects.order_by("code")),
    ),
)

INCUBATION_CENTERS = Table(
    name="incubation_centers",
    title=_("培育发展中心"),
    description=_("县级和镇（街道）级社会组织培育发展中心。"),
    model=IncubationCenter,
    columns=arrange(field_columns(IncubationCenter)),
    select_related=("area", "operator"),
)
INCUBATIONS = Table(
    name="incubations",
    title=_("孵化记录"),
    description=_("培育中心孵化的团队：入驻、计划出壳、出壳或退出日期，结果及孵化状态。"),
    model=Incubation,
    columns=arrange(field_columns(Incubation), extra=INCUBATION_EXTRAS),
    select_related=("center", "organization"),
)

COMMUNITY_FOUNDATIONS = _organization_table(
    "community_foundations", _("社区发展基金会"), _("1+9+N网络中的县级枢纽和镇（街道）社区发展基金会。"),
    CommunityFoundation, select_related=("organization", "area"),
)
SPECIAL_FUNDS = Table(
    name="special_funds",
    title=_("专项基金"),
    description=_("社区发展基金会设立的专项基金。"),
    model=SpecialFund,
    columns=arrange(field_columns(SpecialFund)),
    select_related=("host__organization",),
)
MONEY_MOVEMENTS = Table(
    name="money_movements",
    title=_("资金收支"),
    description=_("基金会及专项基金的捐赠收入、资助支出和其他支出（个人捐赠者姓名等不公开）。"),
    model=MoneyMovement,
    columns=arrange(field_columns(MoneyMovement)),
    select_related=("foundation__organization", "special_fund", "grantee"),
)

AREAS = Table(
    name="areas", title=_("行政区划"), description=_("县、镇（街道）、村（社区）及其区划代码。"),
    model=Area, columns=arrange(field_columns(Area)), select_related=("parent",),
)
SERVICE_FIELDS = Table(
    name="service_fields", title=_("服务领域"), description=_("服务领域分类。"),
    model=ServiceField, columns=arrange(field_columns(ServiceField)),
)
DEPARTMENTS = Table(
    name="departments", title=_("政府部门"), description=_("业务主管单位和转移职能的政府部门。"),
    model=Department, columns=arrange(field_columns(Department)), select_related=("area",),
)

# The whole register, in the order its files appear in the download.
REGISTER = (
    ORGANIZATIONS, STATUS_EVENTS, ANNUAL_INSPECTIONS, EVALUATION_GRADES, CREDIT_LIST_ENTRIES,
    TRANSFERRED_SERVICES, INCUBATION_CENTERS, INCUBATIONS, COMMUNITY_FOUNDATIONS, SPECIAL_FUNDS,
    MONEY_MOVEMENTS, AREAS, SERVICE_FIELDS, DEPARTMENTS,
)
REGISTER_BY_NAME = {table.name: table for table in REGISTER}
