"""The staff admin as a county registrar uses it: listings, search, filters, spreadsheet export,
validation on the form, history and locking, through the real admin views."""

import csv
import datetime
import io
import json

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import querydict_from_html

from funds.factories import CommunityFoundationFactory, MoneyMovementFactory, SpecialFundFactory
from funds.models import CommunityFoundation, MoneyMovement, SpecialFund
from incubator.factories import IncubationCenterFactory, IncubationFactory
from incubator.models import Incubation, IncubationCenter
from registry import credit_code
from registry.columns import ORGANIZATION_HEADERS
from registry.factories import (
    AnnualInspectionFactory, CreditListEntryFactory, DepartmentFactory, EvaluationGradeFactory,
    OrganizationFactory, ServiceFieldFactory, StatusEventFactory, TownFactory,
    TransferredServiceFactory, VillageFactory, registered_organization,
)
from registry.models import (
    AnnualInspection, Area, CreditListEntry, Department, EvaluationGrade, LegalForm, Organization,
    ServiceField, Status, StatusEvent, TransferredService,
)
from website.models import StaffScope
from website.roles import COUNTY_STAFF, ensure_role_groups

pytestmark = pytest.mark.django_db

ALL_MODELS = [
    Organization, StatusEvent, AnnualInspection, EvaluationGrade, CreditListEntry,
    TransferredService, Area, ServiceField, Department, IncubationCenter, Incubation,
    CommunityFoundation, SpecialFund, MoneyMovement, StaffScope,
]
LOCKABLE_FACTORIES = [
    OrganizationFactory, TransferredServiceFactory, IncubationCenterFactory,
    CommunityFoundationFactory, SpecialFundFactory,
]


def admin_url(model, view, obj=None):
    """The admin URL of a view of a record type, whether a snippet or a model viewset."""
    reverse("wagtailadmin_home")  # loads the admin URLs, which registers the viewsets
    viewset = getattr(model, "snippet_viewset", None)
    if viewset is not None:
        view = {"index": "list", "index_results": "list_results"}.get(view, view)
        name = viewset.get_url_name(view)
    else:
        name = f"{model._meta.app_label}_{model._meta.model_name}:{view}"
    return reverse(name, args=[obj.pk] if obj is not None else [])


def listed(client, model, **params):
    """The text of the listing's table (rows only, not the filter choices)."""
    response = client.get(admin_url(model, "index_results"), params)
    assert response.status_code == 200
    table = WagtailTestUtils.get_soup(response.content.decode()).find("table")
    return table.get_text(" ") if table else ""


def form_data(client, url):
    """The form as the page renders it, ready to change and post back like a browser."""
    response = client.get(url)
    assert response.status_code == 200
    return querydict_from_html(response.content.decode(), form_id="w-editor-form")


def download(response):
    return b"".join(response.streaming_content)


@pytest.fixture
def chief(django_user_model):
    return django_user_model.objects.create_superuser("chief", password="pw")


@pytest.fixture
def chief_client(client, chief):
    client.force_login(chief)
    return client


@pytest.fixture
def town():
    return TownFactory(name="罗星街道", level=Area.Level.SUBDISTRICT)


@pytest.fixture
def other_town():
    return TownFactory(name="西塘镇")


def test_every_listing_renders_in_chinese_for_a_superuser(chief_client):
    MoneyMovementFactory()
    IncubationFactory()
    TransferredServiceFactory()
    AnnualInspectionFactory()
    EvaluationGradeFactory()
    CreditListEntryFactory()
    for model in ALL_MODELS:
        response = chief_client.get(admin_url(model, "index"))
        assert response.status_code == 200, model
        assert str(model._meta.verbose_name_plural) in response.content.decode(), model


def menu_labels(client):
    """{group label: [item labels]} of the admin's sidebar menu."""
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    props = json.loads(WagtailTestUtils.get_soup(page).find(id="wagtail-sidebar-props").string)
    main_menu = next(m for m in props["modules"] if m["_type"].endswith("MainMenuModule"))
    groups = {}
    for item in main_menu["_args"][0]:
        children = item["_args"][1] if item["_type"].endswith("SubMenuItem") else []
        groups[item["_args"][0]["label"]] = [child["_args"][0]["label"] for child in children]
    return groups


def test_admin_menu_groups_every_family(chief_client):
    menu = menu_labels(chief_client)
    assert menu["社会组织登记"] == [
        "社会组织", "登记备案事项", "年度检查", "评估等级", "信用名录记录", "承接转移职能",
    ]
    assert menu["培育孵化"] == ["培育发展中心", "孵化记录"]
    assert menu["社区基金"] == ["社区发展基金会", "专项基金", "资金收支"]
    assert menu["基础数据"] == ["行政区划", "服务领域", "政府部门"]
    assert menu["工作人员"] == ["工作人员管辖范围"]


def test_organization_listing_shows_the_registrar_columns(chief_client, town):
    org = registered_organization(name="嘉善县书画协会", town=town)
    page = chief_client.get(admin_url(Organization, "index")).content.decode()
    for text in (org.name, town.name, org.credit_code, "社会团体", str(Status.REGISTERED.label)):
        assert text in page


def test_search_finds_a_chinese_substring(chief_client, town):
    OrganizationFactory(name="嘉善县银发互助协会", town=town)
    OrganizationFactory(name="嘉善县书画协会", town=town)
    page = chief_client.get(admin_url(Organization, "index"), {"q": "互助"}).content.decode()
    assert "嘉善县银发互助协会" in page and "嘉善县书画协会" not in page
    rows = listed(chief_client, Organization, q="互助")
    assert "嘉善县银发互助协会" in rows and "嘉善县书画协会" not in rows


def test_search_finds_an_organization_by_a_former_name(chief_client, town):
    org = OrganizationFactory(name="嘉善县老年协会", town=town)
    org.former_names.create(name="嘉善县老年人互助会")
    org.save()
    assert "嘉善县老年协会" in listed(chief_client, Organization, q="老年人互助")


def test_search_on_model_viewsets_uses_the_orm(chief_client):
    IncubationFactory(group_name="惠民街道邻里互助队")
    IncubationFactory(group_name="西塘镇摄影兴趣组")
    rows = listed(chief_client, Incubation, q="互助")
    assert "惠民街道邻里互助队" in rows and "西塘镇摄影兴趣组" not in rows


def test_organization_filters(chief_client, town, other_town):
    group = registered_organization(name="罗星街道书画协会", town=town)
    filed = registered_organization(
        name="罗星街道广场舞队", town=town, legal_form=LegalForm.COMMUNITY_ORGANIZATION
    )
    elsewhere = registered_organization(name="西塘镇古镇保护协会", town=other_town)
    StatusEventFactory(
        organization=elsewhere, kind=StatusEvent.Kind.DEREGISTERED, date=datetime.date(2022, 3, 1)
    )
    def names(**params):
        rows = listed(chief_client, Organization, **params)
        return {o.name for o in (group, filed, elsewhere) if o.name in rows}

    assert names(legal_form=LegalForm.COMMUNITY_ORGANIZATION) == {filed.name}
    assert names(town=other_town.pk) == {elsewhere.name}
    assert names(status=Status.DEREGISTERED) == {elsewhere.name}
    assert names(status=Status.REGISTERED) == {group.name}


def test_supervision_and_fund_filters(chief_client):
    passed = AnnualInspectionFactory(year=2021, result=AnnualInspection.Result.PASSED)
    failed = AnnualInspectionFactory(year=2022, result=AnnualInspection.Result.FAILED)
    rows = listed(chief_client, AnnualInspection, result="failed")
    assert failed.organization.name in rows and passed.organization.name not in rows
    rows = listed(chief_client, AnnualInspection, year=2021)
    assert passed.organization.name in rows and failed.organization.name not in rows

    mine, theirs = MoneyMovementFactory(), MoneyMovementFactory()
    rows = listed(chief_client, MoneyMovement, foundation=mine.foundation.pk)
    assert str(mine.special_fund) in rows and str(theirs.special_fund) not in rows

    elderly = SpecialFundFactory(name="银龄关爱专项基金", theme=SpecialFund.Theme.ELDERLY_CARE)
    other = SpecialFundFactory(name="共富工坊专项基金")
    rows = listed(chief_client, SpecialFund, theme="elderly_care")
    assert elderly.name in rows and other.name not in rows

    left = IncubationFactory(group_name="已退出志愿队", outcome=Incubation.Outcome.LEFT,
                             ended_on=datetime.date(2021, 3, 1))
    ongoing = IncubationFactory(group_name="孵化中志愿队")
    rows = listed(chief_client, Incubation, outcome="left")
    assert left.group_name in rows and ongoing.group_name not in rows

    listed_entry = CreditListEntryFactory(list_kind=CreditListEntry.ListKind.SERIOUS_VIOLATION)
    removed = CreditListEntryFactory(removed_on=datetime.date(2022, 1, 1))
    rows = listed(chief_client, CreditListEntry, list_kind="serious_violation")
    assert listed_entry.organization.name in rows and removed.organization.name not in rows
    rows = listed(chief_client, CreditListEntry, still_listed="false")
    assert removed.organization.name in rows and listed_entry.organization.name not in rows


@pytest.fixture
def exported_organizations(town):
    village = VillageFactory(parent=town, name="三里桥社区")
    department = DepartmentFactory(name="嘉善县民政局")
    elderly = ServiceFieldFactory(name="养老服务", sort_order=1)
    governance = ServiceFieldFactory(name="社区治理", sort_order=2)
    org = registered_organization(
        name="嘉善县银发互助协会", town=town, village=village, supervising_unit=department,
        founded_on=datetime.date(2019, 12, 1), address="罗星街道三里桥路1号",
        business_scope="为老年人提供互助服务", on=datetime.date(2020, 1, 15),
    )
    org.service_fields.set([governance, elderly])
    org.save()
    filed = registered_organization(
        name="罗星街道广场舞队", town=town, legal_form=LegalForm.COMMUNITY_ORGANIZATION,
        on=datetime.date(2021, 6, 1),
    )
    StatusEventFactory(
        organization=filed, kind=StatusEvent.Kind.FILING_CANCELLED, date=datetime.date(2022, 6, 1)
    )
    return org, filed


def expected_rows(org, filed):
    return {
        org.name: [
            org.name, org.credit_code, "", "登记", LegalForm.SOCIAL_GROUP.label,
            org.registration_authority, "嘉善县民政局", org.legal_representative, "2019-12-01",
            "2020-01-15", org.town.name, "三里桥社区", "罗星街道三里桥路1号", "为老年人提供互助服务",
            "养老服务、社区治理", org.contact_phone, Status.REGISTERED.label,
        ],
        filed.name: [
            filed.name, "", filed.filing_number, "备案", LegalForm.COMMUNITY_ORGANIZATION.label,
            filed.registration_authority, "", filed.legal_representative, "", "2021-06-01",
            filed.town.name, "", "", "", "", filed.contact_phone, Status.FILING_CANCELLED.label,
        ],
    }


def test_organization_csv_export_has_the_shared_columns(chief_client, exported_organizations):
    response = chief_client.get(admin_url(Organization, "index"), {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(download(response).decode("utf-8-sig"))))
    assert rows[0] == ORGANIZATION_HEADERS
    assert {row[0]: row for row in rows[1:]} == expected_rows(*exported_organizations)


def test_organization_xlsx_export_has_the_shared_columns(chief_client, exported_organizations):
    response = chief_client.get(admin_url(Organization, "index"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(download(response))).active
    rows = [
        ["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert rows[0] == ORGANIZATION_HEADERS
    assert {row[0]: row for row in rows[1:]} == expected_rows(*exported_organizations)


def test_export_follows_the_filters(chief_client, exported_organizations):
    org, filed = exported_organizations
    response = chief_client.get(
        admin_url(Organization, "index"), {"export": "csv", "legal_form": LegalForm.SOCIAL_GROUP}
    )
    rows = list(csv.reader(io.StringIO(download(response).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [org.name]


def test_other_exports_have_chinese_headings(chief_client):
    AnnualInspectionFactory(result=AnnualInspection.Result.BASICALLY_PASSED)
    response = chief_client.get(admin_url(AnnualInspection, "index"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(download(response).decode("utf-8"))))
    assert rows[0][:4] == ["社会组织", "统一社会信用代码/备案编号", "年度", "年检结论"]
    assert rows[1][3] == "基本合格"


def query_count(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
        if hasattr(response, "streaming_content"):
            download(response)
    assert response.status_code == 200
    return len(queries)


def organization_with_service_fields():
    org = registered_organization()
    org.service_fields.set([ServiceFieldFactory(), ServiceFieldFactory()])
    org.save()
    return org


@pytest.mark.parametrize("model, factory", [
    (Organization, organization_with_service_fields),
    (StatusEvent, StatusEventFactory),
    (MoneyMovement, MoneyMovementFactory),
    (SpecialFund, SpecialFundFactory),
    (Incubation, IncubationFactory),
    (TransferredService, TransferredServiceFactory),
])
def test_listing_and_export_queries_do_not_grow_with_rows(chief_client, model, factory):
    factory()
    factory()
    url = admin_url(model, "index")
    few = (query_count(chief_client, url), query_count(chief_client, url, {"export": "csv"}))
    for _ in range(4):
        factory()
    many = (query_count(chief_client, url), query_count(chief_client, url, {"export": "csv"}))
    assert many == few


def test_invalid_credit_code_is_refused_on_its_field_and_nothing_saved(chief_client, town):
    valid = credit_code.make(legal_form_code="1", division_code="330421", body="MJ0000077")
    mistyped = valid[:-1] + ("1" if valid[-1] != "1" else "2")
    data = form_data(chief_client, admin_url(Organization, "add"))
    data.update({
        "name": "嘉善县新成立协会", "legal_form": LegalForm.SOCIAL_GROUP, "credit_code": mistyped,
        "town": town.pk,
    })
    response = chief_client.post(admin_url(Organization, "add"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["credit_code"]
    assert "校验位" in errors["credit_code"][0]
    assert errors["credit_code"][0] in response.content.decode()
    assert not Organization.objects.exists()


def test_a_valid_organization_is_created_through_the_form(chief_client, town):
    data = form_data(chief_client, admin_url(Organization, "add"))
    code = credit_code.make(legal_form_code="1", division_code="330421", body="MJ0000078")
    data.update({"name": "嘉善县新成立协会", "legal_form": LegalForm.SOCIAL_GROUP,
                 "credit_code": code, "town": town.pk})
    response = chief_client.post(admin_url(Organization, "add"), data)
    assert response.status_code == 302
    org = Organization.objects.get()
    assert org.credit_code == code
    assert ModelLogEntry.objects.filter(object_id=str(org.pk), action="wagtail.create").exists()


def test_model_validation_of_a_model_viewset_lands_on_the_field(chief_client):
    fund = SpecialFundFactory()
    data = form_data(chief_client, admin_url(MoneyMovement, "add"))
    data.update({
        "foundation": fund.host.pk, "special_fund": fund.pk, "kind": "donation_in",
        "date": "2022-05-01", "amount": "500", "counterparty_kind": "individual",
        "counterparty": "张三",
    })
    response = chief_client.post(admin_url(MoneyMovement, "add"), data)
    assert response.status_code == 200
    assert "个人捐赠者姓名" in response.context["form"].errors["counterparty"][0]
    assert not MoneyMovement.objects.exists()


def test_editing_is_recorded_in_history_with_a_revision(chief_client, chief, town):
    org = registered_organization(name="嘉善县书画协会", town=town)
    data = form_data(chief_client, admin_url(Organization, "edit", org))
    data["address"] = "魏塘街道新址2号"
    response = chief_client.post(admin_url(Organization, "edit", org), data)
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.address == "魏塘街道新址2号"
    assert ModelLogEntry.objects.filter(
        object_id=str(org.pk), action="wagtail.edit", user=chief
    ).exists()
    # The state it had before (it was not made in the admin), then the edit.
    before, after = org.revisions.order_by("created_at", "pk")
    assert before.user is None and before.as_object().address != "魏塘街道新址2号"
    assert after.user == chief and after.as_object().address == "魏塘街道新址2号"
    history = chief_client.get(admin_url(Organization, "history", org))
    assert history.status_code == 200
    assert chief.get_username() in history.content.decode()


def test_editing_a_model_viewset_record_is_recorded_in_history(chief_client, chief):
    event = StatusEventFactory()
    data = form_data(chief_client, admin_url(StatusEvent, "edit", event))
    data["document_number"] = "嘉民〔2020〕1号"
    assert chief_client.post(admin_url(StatusEvent, "edit", event), data).status_code == 302
    assert ModelLogEntry.objects.filter(object_id=str(event.pk), action="wagtail.edit").exists()
    assert chief_client.get(admin_url(StatusEvent, "history", event)).status_code == 200


def test_inspect_shows_the_derived_status(chief_client, town):
    org = registered_organization(name="嘉善县书画协会", town=town, on=datetime.date(2020, 1, 15))
    page = chief_client.get(admin_url(Organization, "inspect", org)).content.decode()
    assert str(Status.REGISTERED.label) in page
    assert "2020" in page and "内部备注" in page


@pytest.mark.parametrize("factory", LOCKABLE_FACTORIES)
def test_lock_and_unlock(chief_client, factory):
    record = factory()
    model = type(record)
    assert chief_client.post(admin_url(model, "lock", record)).status_code == 302
    record.refresh_from_db()
    assert record.locked
    assert ModelLogEntry.objects.filter(object_id=str(record.pk), action="wagtail.lock").exists()
    assert chief_client.post(admin_url(model, "unlock", record)).status_code == 302
    record.refresh_from_db()
    assert not record.locked


def test_a_locked_organization_cannot_be_saved_by_another_registrar(
    chief_client, client, django_user_model, town
):
    org = registered_organization(name="嘉善县书画协会", town=town)
    chief_client.post(admin_url(Organization, "lock", org))
    ensure_role_groups()
    colleague = django_user_model.objects.create_user("colleague", password="pw")
    colleague.groups.add(ensure_role_groups()[COUNTY_STAFF])
    other = type(client)()
    other.force_login(colleague)
    data = form_data(other, admin_url(Organization, "edit", org))
    data["address"] = "被锁定时不应保存"
    response = other.post(admin_url(Organization, "edit", org), data)
    assert response.status_code == 200
    org.refresh_from_db()
    assert org.address != "被锁定时不应保存"
