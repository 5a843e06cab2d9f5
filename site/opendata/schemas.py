"""API response schemas, generated from the public tables so that the OpenAPI document lists
exactly the columns the downloads carry (and nothing `website.privacy` keeps private).

Descriptions are translatable: the OpenAPI document is in the language of its address (/en/…
in English)."""

from typing import List, Optional

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from pydantic import create_model

from . import tables


def _python_type(column_type):
    return List[str] if column_type is list else column_type


def row_schema(table, name):
    fields = {"id": (int, Field(..., description=_("记录编号（API内部标识）")))}
    for column in table.columns:
        fields[column.key] = (
            Optional[_python_type(column.type)], Field(None, description=column.header))
        if column.code is not None:
            fields[f"{column.key}_code"] = (
                Optional[column.code_type],
                Field(None, description=format_lazy(_("{header}（代码）"), header=column.header)))
        if column.english is not None:
            english_type = List[str] if column.type is list else str
            fields[f"{column.key}_en"] = (
                Optional[english_type],
                Field(None, description=format_lazy(_("{header}（英文名称）"), header=column.header)))
    return create_model(
        name, __base__=Schema, **fields,
        __doc__=format_lazy(_("{title}：{description}"), title=table.title,
                            description=table.description))


Organization = row_schema(tables.ORGANIZATIONS, "Organization")
StatusEvent = row_schema(tables.STATUS_EVENTS, "StatusEvent")
AnnualInspection = row_schema(tables.ANNUAL_INSPECTIONS, "AnnualInspection")
EvaluationGrade = row_schema(tables.EVALUATION_GRADES, "EvaluationGrade")
CreditListEntry = row_schema(tables.CREDIT_LIST_ENTRIES, "CreditListEntry")
TransferredService = row_schema(tables.TRANSFERRED_SERVICES, "TransferredService")
IncubationCenter = row_schema(tables.INCUBATION_CENTERS, "IncubationCenter")
Incubation = row_schema(tables.INCUBATIONS, "Incubation")
CommunityFoundation = row_schema(tables.COMMUNITY_FOUNDATIONS, "CommunityFoundation")
SpecialFund = row_schema(tables.SPECIAL_FUNDS, "SpecialFund")
MoneyMovement = row_schema(tables.MONEY_MOVEMENTS, "MoneyMovement")


class MoneyYear(Schema):
    """One calendar year of money in and out (yuan)."""

    year: int = Field(..., description=_("年度"))
    money_in: float = Field(..., description=_("收入（元）"))
    money_out: float = Field(..., description=_("支出（元）"))


class OrganizationDetail(Organization):
    status_events: List[StatusEvent] = Field(..., description=_("登记备案事项"))
    annual_inspections: List[AnnualInspection] = Field(..., description=_("年度检查"))
    evaluation_grades: List[EvaluationGrade] = Field(..., description=_("评估等级"))
    credit_list_entries: List[CreditListEntry] = Field(..., description=_("信用名录记录"))
    transferred_services: List[TransferredService] = Field(..., description=_("承接政府转移职能"))
    incubations: List[Incubation] = Field(..., description=_("孵化记录"))
    community_foundation: Optional[CommunityFoundation] = Field(
        None, description=_("作为社区发展基金会在1+9+N网络中的角色"))
    special_funds: List[SpecialFund] = Field(..., description=_("设立的专项基金"))
    grants_received: List[MoneyMovement] = Field(..., description=_("获得的资助"))


class CommunityFoundationDetail(CommunityFoundation):
    special_funds: List[SpecialFund] = Field(..., description=_("专项基金"))
    money_by_year: List[MoneyYear] = Field(..., description=_("各年度收支（元）"))


class SpecialFundDetail(SpecialFund):
    money_by_year: List[MoneyYear] = Field(..., description=_("各年度收支（元）"))


def page_schema(item, name):
    return create_model(
        name, __base__=Schema,
        results=(List[item], Field(..., description=_("本页记录"))),
        next_cursor=(Optional[str], Field(
            None, description=_("下一页的游标；为空表示没有下一页"))),
        next=(Optional[str], Field(None, description=_("下一页的完整地址"))),
    )


OrganizationPage = page_schema(Organization, "OrganizationPage")
TransferredServicePage = page_schema(TransferredService, "TransferredServicePage")
IncubationCenterPage = page_schema(IncubationCenter, "IncubationCenterPage")
IncubationPage = page_schema(Incubation, "IncubationPage")
CommunityFoundationPage = page_schema(CommunityFoundation, "CommunityFoundationPage")
SpecialFundPage = page_schema(SpecialFund, "SpecialFundPage")
MoneyMovementPage = page_schema(MoneyMovement, "MoneyMovementPage")


class Error(Schema):
    detail: str = Field(..., description=_("错误说明"))

