"""API response schemas, generated from the public tables so that the OpenAPI document lists
exactly the columns the downloads carry (and nothing `website.privacy` keeps private)."""

from typing import List, Optional

from ninja import Field, Schema
from pydantic import create_model

from . import tables


def _python_type(column_type):
    return List[str] if column_type is list else column_type


def row_schema(table, name):
    fields = {"id": (int, Field(..., description="记录编号（API内部标识）"))}
    for column in table.columns:
        fields[column.key] = (
            Optional[_python_type(column.type)], Field(None, description=column.header))
        if column.code is not None:
            fields[f"{column.key}_code"] = (
                Optional[column.code_type], Field(None, description=f"{column.header}（代码）"))
    return create_model(name, __base__=Schema, __doc__=f"{table.title}:{table.description}",
                        **fields)


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

    year: int = Field(..., description="年度")
    money_in: float = Field(..., description="收入（元）")
    money_out: float = Field(..., description="支出（元）")


class OrganizationDetail(Organization):
    status_events: List[StatusEvent] = Field(..., description="登记备案事项")
    annual_inspections: List[AnnualInspection] = Field(..., description="年度检查")
    evaluation_grades: List[EvaluationGrade] = Field(..., description="评估等级")
    credit_list_entries: List[CreditListEntry] = Field(..., description="信用名录记录")
    transferred_services: List[TransferredService] = Field(..., description="承接政府转移职能")
    incubations: List[Incubation] = Field(..., description="孵化记录")
    community_foundation: Optional[CommunityFoundation] = Field(
        None, description="作为社区发展基金会在1+9+N网络中的角色")
    special_funds: List[SpecialFund] = Field(..., description="设立的专项基金")
    grants_received: List[MoneyMovement] = Field(..., description="获得的资助")


class CommunityFoundationDetail(CommunityFoundation):
    special_funds: List[SpecialFund] = Field(..., description="专项基金")
    money_by_year: List[MoneyYear] = Field(..., description="各年度收支（元）")


class SpecialFundDetail(SpecialFund):
    money_by_year: List[MoneyYear] = Field(..., description="各年度收支（元）")


def page_schema(item, name):
    return create_model(
        name, __base__=Schema,
        results=(List[item], Field(..., description="本页记录")),
        next_cursor=(Optional[str], Field(
            None, description="下一页的游标；为空表示没有下一页")),
        next=(Optional[str], Field(None, description="下一页的完整地址")),
    )


OrganizationPage = page_schema(Organization, "OrganizationPage")
TransferredServicePage = page_schema(TransferredService, "TransferredServicePage")
IncubationCenterPage = page_schema(IncubationCenter, "IncubationCenterPage")
IncubationPage = page_schema(Incubation, "IncubationPage")
CommunityFoundationPage = page_schema(CommunityFoundation, "CommunityFoundationPage")
SpecialFundPage = page_schema(SpecialFund, "SpecialFundPage")
MoneyMovementPage = page_schema(MoneyMovement, "MoneyMovementPage")


class Error(Schema):
    detail: str = Field(..., description="错误说明")

