"""The read-only JSON API, /api/v1/: organizations, transferred services, incubation and funds.

Every resource is a public table (see `tables`), so the API carries the same public fields as the
downloads. Lists page by cursor in id order; organizations take the directory's filters.

Summaries and descriptions are translatable and written when the OpenAPI document (or the
open-data page, which lists the endpoints) is shown: in English under /en/, else in Chinese.
"""

import datetime
import threading
from typing import Literal, Optional

import django_filters
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from ninja import Field, NinjaAPI, Path, Query, Router, Schema
from ninja.errors import Throttled, ValidationError
from ninja.throttling import BaseThrottle
from pydantic import create_model

from funds.models import CommunityFoundation, MoneyMovement, SpecialFund
from funds.selectors import grants_made, money_by_year
from incubator.models import Incubation, IncubationCenter
from registry.filters import OrganizationFilterSet
from registry.lookup import organization_by_identifier
from registry.models import Organization, TransferredService
from registry.service_filters import TransferredServiceFilterSet
from website import page_cache
from website.as_of import as_of_error

from . import schemas, tables
from .columns import Context
from .paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, BadCursor, cursor_page
from .query import BadQuery, organizations_matching, services_matching
from .ratelimit import hit
from .text import joined, when_shown


class _RateLimit(BaseThrottle):
    """The open-data limit (shared with the downloads) as a ninja throttle."""

    _decision = threading.local()  # ninja asks wait() right after allow_request(), same thread

    def allow_request(self, request):
        decision = hit(request, scope="query")
        self._decision.value = decision
        return decision.allowed

    def wait(self):
        decision = getattr(self._decision, "value", None)
        return decision.retry_after if decision else None


api = NinjaAPI(
    title=gettext_lazy("社会组织与社区基金公开数据 API"),
    version="1",
    description=when_shown(lambda: _(
        "只读 JSON API。所有字段均为公开字段；列表按编号排序，以游标（cursor）分页，"
        "每页最多%(max)s条。社会组织列表接受与名录页面相同的查询参数。") % {"max": MAX_PAGE_SIZE}),
    urls_namespace="opendata-api",
    docs_url=None,  # the open-data page documents the API; no third-party script or CDN
    throttle=[_RateLimit()],
)


def _error(request, status, detail, **extra):
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(ValidationError)
def _invalid_parameters(request, exc):
    names = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("query", "path")]
        names.append(location[-1] if location else "?")
    listed = joined(dict.fromkeys(names))
    return _error(request, 400, _("参数有误：%(names)s 的值无效，请查阅 API 文档。") % {
        "names": listed})


@api.exception_handler(BadQuery)
def _bad_query(request, exc):
    return _error(request, 400, exc.message, errors=exc.errors)


@api.exception_handler(BadCursor)
def _bad_cursor(request, exc):
    return _error(request, 400, str(exc))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, _("未找到该记录。"))


@api.exception_handler(Throttled)
def _throttled(request, exc):
    if exc.wait:
        detail = _("请求过于频繁，请在%(seconds)s秒后重试。") % {"seconds": int(exc.wait)}
    else:
        detail = _("请求过于频繁，请稍后重试。")
    return _error(request, 429, detail)


def _shows_everything(request):
    """A list or a record other than an organization: stored until anything published changes."""
    page_cache.depends_on(request, page_cache.tags.SITE, *page_cache.tags.ALL_CONTENT)


def _ctx(request):
    _shows_everything(request)
    return Context.for_request(request)


def _serializer(table, ctx):
    return lambda record: {"id": record.pk, **table.as_dict(record, ctx)}


def _page(request, table, queryset, *, cursor, page_size, as_of=None):
    _shows_everything(request)
    ctx = Context.for_request(request, as_of=as_of)
    return cursor_page(
        request, table.queryset(queryset), cursor=cursor, page_size=page_size,
        serialize=_serializer(table, ctx),
    )


def _one(table, queryset):
    record = table.queryset(queryset).first()
    if record is None:
        raise Http404
    return record


def _rows(table, queryset, ctx):
    serialize = _serializer(table, ctx)
    return [serialize(record) for record in table.queryset(queryset)]


def _choices(choices):
    return Literal[tuple(choices.values)]


def _with_values(text, pairs):
    """`text` and the values a parameter accepts, each with what it means."""
    values = joined(
        _("%(value)s（%(label)s）") % {"value": value, "label": label} for value, label in pairs)
    return _("%(text)s。可选值：%(values)s") % {"text": text, "values": values}


def _choice_query(choices, label):
    return Query(None, description=when_shown(lambda: _with_values(label, choices.choices)))


PageSize = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=gettext_lazy("每页条数"))
Cursor = Query(None, max_length=64, description=gettext_lazy("上一页返回的 next_cursor"))
# The largest id a column holds (64 bits on SQLite and PostgreSQL): a larger number would make the
# query itself fail on SQLite, so it is refused as a bad parameter with the others.
MAX_RECORD_ID = 2**63 - 1


def _record_id(description):
    return Query(None, ge=1, le=MAX_RECORD_ID, description=description)



def _filter_description(directory_filter, name):
    """A page filter's label and the values it accepts, in the active language."""
    text = str(directory_filter.label or name)
    if directory_filter.extra.get("help_text"):
        text = _("%(label)s（%(help)s）") % {"label": text, "help": directory_filter.extra["help_text"]}
    choices = directory_filter.extra.get("choices")
    if choices:
        return _with_values(text, choices)
    if isinstance(directory_filter, django_filters.ModelChoiceFilter):
        if directory_filter.extra.get("to_field_name"):
            return _("%(label)s（填代码）") % {"label": text}
        return _("%(label)s（填编号）") % {"label": text}
    return text


def _filters_schema(name, filterset_class):
    """Query parameters of a public page's FilterSet, described from its filters so that the
    documentation cannot drift from them. Values stay text here: the FilterSet validates them, as
    on the page itself."""
    return create_model(name, __base__=Schema, **{
        key: (Optional[str], Field(None, description=when_shown(
            lambda f=f, key=key: _filter_description(f, key))))
        for key, f in filterset_class.base_filters.items()
    })


OrganizationFilters = _filters_schema("OrganizationFilters", OrganizationFilterSet)
ServiceFilters = _filters_schema("ServiceFilters", TransferredServiceFilterSet)

organizations = Router(tags=[gettext_lazy("社会组织")])


@organizations.get(
    "", response=schemas.OrganizationPage, summary=gettext_lazy("社会组织列表"),
    description=gettext_lazy("与名录页面相同的筛选参数（不含排序：API 始终按编号排序）。"))
def list_organizations(request, filters: Query[OrganizationFilters],
                       cursor: Optional[str] = Cursor, page_size: int = PageSize):
    matching, as_of = organizations_matching(request.GET)
    return _page(request, tables.ORGANIZATIONS, matching, cursor=cursor, page_size=page_size,
                 as_of=as_of)


@organizations.get(
    "/{identifier}", response=schemas.OrganizationDetail, summary=gettext_lazy("社会组织详情"),
    description=gettext_lazy("按统一社会信用代码或备案编号查询一个社会组织及其全部公开记录。"))
def organization_detail(request, identifier: str = Path(
        ..., description=gettext_lazy("统一社会信用代码或备案编号")),
        as_of: Optional[str] = Query(None, description=gettext_lazy(
            "按某日的状态、评估等级和信用名录，格式 YYYY-MM-DD；默认为今天"))):
    if as_of:
        message = as_of_error(as_of)
        if message:
            raise BadQuery(message, {"as_of": [message]})
    org = organization_by_identifier(
        identifier=identifier, queryset=tables.ORGANIZATIONS.queryset(Organization.objects.all()))
    if org is None:
        raise Http404
    page_cache.depends_on(request, page_cache.tags.SITE, page_cache.tags.organization(org.pk),
                          page_cache.tags.CENTERS)
    ctx = Context.for_request(request, as_of=datetime.date.fromisoformat(as_of) if as_of else None)
    foundation = CommunityFoundation.objects.filter(organization=org)
    return {
        "id": org.pk,
        **tables.ORGANIZATIONS.as_dict(org, ctx),
        "status_events": _rows(
            tables.STATUS_EVENTS, org.status_events.order_by("date", "pk"), ctx),
        "annual_inspections": _rows(
            tables.ANNUAL_INSPECTIONS, org.annual_inspections.order_by("year"), ctx),
        "evaluation_grades": _rows(
            tables.EVALUATION_GRADES, org.evaluation_grades.order_by("awarded_on", "pk"), ctx),
        "credit_list_entries": _rows(
            tables.CREDIT_LIST_ENTRIES, org.credit_list_entries.order_by("listed_on", "pk"), ctx),
        "transferred_services": _rows(
            tables.TRANSFERRED_SERVICES, org.transferred_services.order_by("starts_on", "pk"), ctx),
        "incubations": _rows(tables.INCUBATIONS, org.incubations.order_by("started_on", "pk"), ctx),
        "community_foundation": next(
            iter(_rows(tables.COMMUNITY_FOUNDATIONS, foundation, ctx)), None),
        "special_funds": _rows(
            tables.SPECIAL_FUNDS,
            SpecialFund.objects.filter(host__organization=org).order_by("established_on", "pk"),
            ctx,
        ),
        "grants_received": _rows(
            tables.MONEY_MOVEMENTS,
            org.grants_received.filter(kind=MoneyMovement.Kind.GRANT_OUT).order_by("date", "pk"),
            ctx,
        ),
    }


services = Router(tags=[gettext_lazy("承接政府转移职能")])


@services.get(
    "", response=schemas.TransferredServicePage, summary=gettext_lazy("承接政府转移职能列表"),
    description=gettext_lazy("与“承接政府转移职能”目录页面相同的筛选参数。"))
def list_services(request, filters: Query[ServiceFilters], cursor: Optional[str] = Cursor,
                  page_size: int = PageSize):
    matching = services_matching(request.GET)
    return _page(request, tables.TRANSFERRED_SERVICES, matching, cursor=cursor, page_size=page_size)


@services.get("/{int:service_id}", response=schemas.TransferredService,
              summary=gettext_lazy("承接政府转移职能详情"))
def service_detail(request, service_id: int = Path(..., description=gettext_lazy("项目编号"))):
    service = _one(tables.TRANSFERRED_SERVICES, TransferredService.objects.filter(pk=service_id))
    return _serializer(tables.TRANSFERRED_SERVICES, _ctx(request))(service)


incubation = Router(tags=[gettext_lazy("培育孵化")])


@incubation.get("/incubation-centers", response=schemas.IncubationCenterPage,
                summary=gettext_lazy("培育发展中心列表"))
def list_centers(request, level: Optional[_choices(IncubationCenter.Level)] = _choice_query(
        IncubationCenter.Level, gettext_lazy("层级")), cursor: Optional[str] = Cursor,
                 page_size: int = PageSize):
    matching = IncubationCenter.objects.all()
    if level:
        matching = matching.filter(level=level)
    return _page(request, tables.INCUBATION_CENTERS, matching, cursor=cursor, page_size=page_size)


@incubation.get("/incubation-centers/{int:center_id}", response=schemas.IncubationCenter,
                summary=gettext_lazy("培育发展中心详情"))
def center_detail(request, center_id: int = Path(..., description=gettext_lazy("中心编号"))):
    center = _one(tables.INCUBATION_CENTERS, IncubationCenter.objects.filter(pk=center_id))
    return _serializer(tables.INCUBATION_CENTERS, _ctx(request))(center)


@incubation.get("/incubations", response=schemas.IncubationPage,
                summary=gettext_lazy("孵化记录列表"))
def list_incubations(
    request,
    center: Optional[int] = _record_id(gettext_lazy("培育中心编号")),
    outcome: Optional[_choices(Incubation.Outcome)] = _choice_query(
        Incubation.Outcome, gettext_lazy("孵化结果")),
    cursor: Optional[str] = Cursor,
    page_size: int = PageSize,
):
    matching = Incubation.objects.all()
    if center is not None:
        matching = matching.filter(center_id=center)
    if outcome:
        matching = matching.filter(outcome=outcome)
    return _page(request, tables.INCUBATIONS, matching, cursor=cursor, page_size=page_size)


funds = Router(tags=[gettext_lazy("社区基金")])


def _money_by_year(**which):
    return money_by_year(as_of=timezone.localdate(), **which)


@funds.get("/foundations", response=schemas.CommunityFoundationPage, summary=gettext_lazy("社区发展基金会列表"))
def list_foundations(request, cursor: Optional[str] = Cursor, page_size: int = PageSize):
    return _page(request, tables.COMMUNITY_FOUNDATIONS, CommunityFoundation.objects.all(),
                 cursor=cursor, page_size=page_size)


@funds.get("/foundations/{int:foundation_id}", response=schemas.CommunityFoundationDetail,
           summary=gettext_lazy("社区发展基金会详情"),
           description=gettext_lazy("基金会、其专项基金，及按年度汇总的收支。"))
def foundation_detail(request, foundation_id: int = Path(
        ..., description=gettext_lazy("基金会编号"))):
    foundation = _one(
        tables.COMMUNITY_FOUNDATIONS, CommunityFoundation.objects.filter(pk=foundation_id))
    ctx = _ctx(request)
    return {
        **_serializer(tables.COMMUNITY_FOUNDATIONS, ctx)(foundation),
        "special_funds": _rows(
            tables.SPECIAL_FUNDS, foundation.special_funds.order_by("established_on", "pk"), ctx),
        "money_by_year": _money_by_year(foundation=foundation),
    }


@funds.get("/special-funds", response=schemas.SpecialFundPage,
           summary=gettext_lazy("专项基金列表"))
def list_special_funds(
    request,
    foundation: Optional[int] = _record_id(gettext_lazy("所属基金会编号")),
    theme: Optional[_choices(SpecialFund.Theme)] = _choice_query(
        SpecialFund.Theme, gettext_lazy("主题")),
    cursor: Optional[str] = Cursor,
    page_size: int = PageSize,
):
    matching = SpecialFund.objects.all()
    if foundation is not None:
        matching = matching.filter(host_id=foundation)
    if theme:
        matching = matching.filter(theme=theme)
    return _page(request, tables.SPECIAL_FUNDS, matching, cursor=cursor, page_size=page_size)


@funds.get("/special-funds/{int:fund_id}", response=schemas.SpecialFundDetail,
           summary=gettext_lazy("专项基金详情"),
           description=gettext_lazy(
               "专项基金及按年度汇总的收入和支出；资助明细见 /special-funds/{id}/grants。"))
def special_fund_detail(request, fund_id: int = Path(
        ..., description=gettext_lazy("专项基金编号"))):
    fund = _one(tables.SPECIAL_FUNDS, SpecialFund.objects.filter(pk=fund_id))
    return {
        **_serializer(tables.SPECIAL_FUNDS, _ctx(request))(fund),
        "money_by_year": _money_by_year(special_fund=fund),
    }


@funds.get("/special-funds/{int:fund_id}/grants", response=schemas.MoneyMovementPage,
           summary=gettext_lazy("专项基金的资助明细"))
def special_fund_grants(request, fund_id: int = Path(
        ..., description=gettext_lazy("专项基金编号")),
                        cursor: Optional[str] = Cursor, page_size: int = PageSize):
    fund = _one(tables.SPECIAL_FUNDS, SpecialFund.objects.filter(pk=fund_id))
    grants = grants_made(as_of=timezone.localdate(), special_fund=fund).values("pk")
    return _page(request, tables.MONEY_MOVEMENTS, MoneyMovement.objects.filter(pk__in=grants),
                 cursor=cursor, page_size=page_size)


api.add_router("/organizations", organizations)
api.add_router("/services", services)
api.add_router("", incubation)
api.add_router("", funds)
