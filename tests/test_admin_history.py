"""An organization's history shows what each edit changed: the field's Chinese label, the old
value and the new one, readable (choice labels, related records by name, dates, amounts)."""

import pytest
from wagtail.test.utils import WagtailTestUtils

from registry import credit_code
from registry.factories import ServiceFieldFactory, TownFactory, registered_organization
from registry.models import Area, LegalForm, Organization
from tests.test_admin import admin_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(django_user_model):
    return django_user_model.objects.create_superuser(
        "chief", password="pw", first_name="五", last_name="王")


@pytest.fixture
def chief_client(client, chief):
    client.force_login(chief)
    return client


@pytest.fixture
def org():
    ServiceFieldFactory(name="养老服务", sort_order=1)
    ServiceFieldFactory(name="社区治理", sort_order=2)
    TownFactory(name="西塘镇")
    return registered_organization(
        name="嘉善县书画协会", town=TownFactory(name="罗星街道", level=Area.Level.SUBDISTRICT),
        address="罗星街道三里桥路1号")


def edit(client, org, **changes):
    data = form_data(client, admin_url(Organization, "edit", org))
    for name, value in changes.items():
        if isinstance(value, list):
            data.setlist(name, value)
        else:
            data[name] = value
    # As a browser posts it: every value of a field with several (the service fields' boxes).
    response = client.post(admin_url(Organization, "edit", org), dict(data.lists()))
    assert response.status_code == 302, response.context["form"].errors


def history_rows(client, org):
    """[(action, {field label: (old, new)}, user)] of the history, newest first."""
    response = client.get(admin_url(Organization, "history", org))
    assert response.status_code == 200
    soup = WagtailTestUtils.get_soup(response.content.decode())
    table = soup.find(id="listing-results").find("table")
    rows = []
    for tr in table.find("tbody").find_all("tr"):
        cells = tr.find_all("td")
        changes_cell = tr.find("td", attrs={"data-revision-changes": True})
        changes = {
            li.find(attrs={"data-change-field": True}).get_text(strip=True): (
                li.find(attrs={"data-change-old": True}).get_text(strip=True),
                li.find(attrs={"data-change-new": True}).get_text(strip=True))
            for li in changes_cell.find_all("li", attrs={"data-change": True})
        }
        rows.append((cells[0].get_text(" ", strip=True), changes,
                     cells[2].get_text(" ", strip=True), changes_cell.get_text(" ", strip=True)))
    return rows


def test_each_edit_shows_its_changed_fields_with_old_and_new_values(chief_client, org):
    xitang = Area.objects.get(name="西塘镇")
    fields = {f.name: f.pk for f in org.service_fields.model.objects.all()}
    edit(chief_client, org, address="西塘镇南大街8号", town=xitang.pk, founded_on="2019-12-01",
         initial_funds="50000", service_fields=[fields["养老服务"], fields["社区治理"]])
    institution_code = credit_code.make(
        legal_form_code="2", division_code="330421", body="MJ0000901")
    edit(chief_client, org, name="嘉善县书画艺术中心",
         legal_form=LegalForm.SOCIAL_SERVICE_INSTITUTION, credit_code=institution_code)

    (second, second_changes, second_user, _), (first, first_changes, first_user, _) = \
        history_rows(chief_client, org)
    assert first_changes == {
        "住所": ("罗星街道三里桥路1号", "西塘镇南大街8号"),
        "所属镇街": ("罗星街道", "西塘镇"),
        "成立日期": ("（空）", "2019年12月1日"),
        "开办资金（元）": ("（空）", "50,000.00"),
        "服务领域": ("（空）", "养老服务\u3001社区治理"),
    }
    assert second_changes == {
        "社会组织名称": ("嘉善县书画协会", "嘉善县书画艺术中心"),
        "组织类型": ("社会团体", "社会服务机构（民办非企业单位）"),
        "统一社会信用代码": (org.credit_code, institution_code),
    }
    # The user who made each edit, family name first.
    assert first_user == second_user == "王五"


def test_a_change_made_outside_the_admin_is_not_put_on_the_next_edit(chief_client, org):
    edit(chief_client, org, address="西塘镇南大街8号")
    # As the bulk import writes: no revision, no history row.
    Organization.objects.filter(pk=org.pk).update(legal_representative="李四")
    edit(chief_client, org, address="西塘镇南大街9号")
    rows = history_rows(chief_client, org)
    assert len(rows) == 2
    assert rows[0][1] == {"住所": ("西塘镇南大街8号", "西塘镇南大街9号")}
    assert rows[1][1] == {"住所": ("罗星街道三里桥路1号", "西塘镇南大街8号")}


def test_an_organization_created_in_the_admin_has_a_plain_first_row(chief_client, org):
    data = form_data(chief_client, admin_url(Organization, "add"))
    code = credit_code.make(legal_form_code="1", division_code="330421", body="MJ0000902")
    data.update({"name": "嘉善县新成立协会", "legal_form": LegalForm.SOCIAL_GROUP,
                 "credit_code": code, "town": org.town.pk})
    assert chief_client.post(admin_url(Organization, "add"), data).status_code == 302
    created = Organization.objects.get(name="嘉善县新成立协会")
    edit(chief_client, created, founded_on="2023-03-08")
    (edited, changes, _, _), (creation, creation_changes, _, creation_text) = \
        history_rows(chief_client, created)
    assert changes == {"成立日期": ("（空）", "2023年3月8日")}
    assert creation_changes == {} and creation_text == ""
