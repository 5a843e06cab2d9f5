"""The staff admin against crafted requests: chooser URLs and fields given what is no record id,
the bulk-delete confirmation asked about records outside the user's scope, protected records
deleted in bulk, and the spreadsheet exports of text a spreadsheet would run as a formula. Each is
a 404, a form error or a Chinese message, never a 500; nothing out of scope is shown."""

import csv
import io
from urllib.parse import urlencode

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from funds.factories import SpecialFundFactory
from funds.models import CommunityFoundation, SpecialFund
from incubator.factories import IncubationFactory
from incubator.models import Incubation, IncubationCenter
from registry.factories import (
    DepartmentFactory, TransferredServiceFactory, registered_organization,
)
from registry.models import Organization, StatusEvent, TransferredService
from tests.test_admin import admin_url, download, form_data
from tests.test_roles import world  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

SNIPPETS = [Organization, TransferredService, IncubationCenter, CommunityFoundation, SpecialFund]
TOO_BIG = "99999999999999999999"
NOT_IDS = ["abc", "a\x00b", "1e5", "-1", TOO_BIG, "x" * 2000]
FORMULAS = ['=HYPERLINK("http://example.com","点我")', "+1+cmd|' /C calc'!A0", "@SUM(A1:A9)",
            "-2+3"]


def staff_client(user):
    # A 500 is a response here, as staff would see it, not an exception in the test.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def chief(django_user_model):
    return staff_client(django_user_model.objects.create_superuser("chief", password="pw"))


def chooser_url(model, view, *args):
    reverse("wagtailadmin_home")  # loads the admin URLs, which registers the viewsets
    return reverse(model.snippet_viewset.chooser_viewset.get_url_name(view), args=args)


def bulk_delete_url(model, *ids):
    url = reverse("wagtail_bulk_action", args=(model._meta.app_label, model._meta.model_name,
                                               "delete"))
    # `next` as the listing's buttons give it: where Wagtail goes once the action is done.
    return f"{url}?{urlencode([('id', i) for i in ids] + [('next', admin_url(model, 'index'))])}"


def denied(response):
    """Refused: 404 or 403, or Wagtail's permission-denied redirect to the dashboard."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home"))


# --- choosers ------------------------------------------------------------------------------------

def test_a_chooser_has_no_create_form_to_post_to(chief):
    registered_organization(name="嘉善县书画协会")
    for model in SNIPPETS:
        for response in (chief.get(chooser_url(model, "create")),
                         chief.post(chooser_url(model, "create"), {"name": "越权新建"})):
            assert response.status_code == 404, (model, response.status_code)
    assert not Organization.objects.filter(name="越权新建").exists()


def test_a_chosen_url_naming_no_record_is_a_404(chief):
    for model in SNIPPETS:
        for value in NOT_IDS:
            response = chief.get(chooser_url(model, "chosen", value))
            assert response.status_code == 404, (model, value[:20], response.status_code)


@pytest.mark.parametrize("chooser", ["wagtailimages_chooser", "wagtaildocs_chooser"])
def test_wagtails_own_choosers_take_only_ids(chief, chooser):
    for value in NOT_IDS:
        response = chief.get(reverse(f"{chooser}:chosen", args=[value]))
        assert response.status_code == 404, (chooser, value[:20], response.status_code)
    response = chief.get(f"{reverse(f'{chooser}:chosen_multiple')}?"
                         f"{urlencode([('id', v) for v in NOT_IDS])}")
    assert response.status_code == 200 and response.json()["result"] == []


def test_choosing_several_keeps_the_real_ids_and_drops_the_rest(chief):
    org = registered_organization(name="嘉善县书画协会")
    url = chooser_url(Organization, "chosen_multiple")
    response = chief.get(f"{url}?{urlencode([('id', v) for v in [*NOT_IDS, org.pk]])}")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["result"]] == [str(org.pk)]


def test_chooser_listings_take_any_search_and_page(chief):
    for model in SNIPPETS:
        for view in ("choose", "choose_results"):
            for value in NOT_IDS:
                response = chief.get(chooser_url(model, view), {"q": value, "p": value})
                assert response.status_code in (200, 404), (model, view, response.status_code)


@pytest.mark.parametrize("model, field", [
    (StatusEvent, "organization"), (TransferredService, "organization"),
    (Incubation, "center"), (SpecialFund, "host"),
])
def test_a_chooser_field_given_no_id_is_a_form_error(chief, model, field):
    TransferredServiceFactory()
    IncubationFactory()
    SpecialFundFactory()
    before = model.objects.count()
    data = form_data(chief, admin_url(model, "add"))
    for value in ("abc", TOO_BIG, "1e5"):
        data[field] = value
        response = chief.post(admin_url(model, "add"), data)
        assert response.status_code == 200, (value, response.status_code)
        errors = response.context["form"].errors
        assert field in errors and "选择" in errors[field][0], errors
    assert model.objects.count() == before


def test_editing_an_organization_with_no_town_id_keeps_it(chief):
    org = registered_organization(name="嘉善县书画协会")
    data = form_data(chief, admin_url(Organization, "edit", org))
    data["town"], data["name"] = "abc", "改了名"
    response = chief.post(admin_url(Organization, "edit", org), data)
    assert response.status_code == 200 and "town" in response.context["form"].errors
    org.refresh_from_db()
    assert org.name == "嘉善县书画协会"


# --- bulk delete ---------------------------------------------------------------------------------

def test_bulk_delete_shows_nothing_outside_the_scope(world):  # noqa: F811
    client = staff_client(world.town_staff)
    # Another town's organization: as if it did not exist.
    response = client.get(bulk_delete_url(Organization, world.org_b.pk))
    assert response.status_code == 404 and world.org_b.name not in response.content.decode()
    # Among their own: only their own.
    response = client.get(bulk_delete_url(Organization, world.org_a.pk, world.org_b.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert world.org_a.name in page and world.org_b.name not in page
    response = client.get(bulk_delete_url(Organization, "all"))
    assert world.org_a.name in response.content.decode()
    assert world.org_b.name not in response.content.decode()
    # A kind of record they have no rights on at all.
    for model, record in [(SpecialFund, world.fund_f), (IncubationCenter, world.center_x),
                          (CommunityFoundation, world.foundation_f)]:
        response = client.get(bulk_delete_url(model, record.pk))
        assert denied(response), (model, response.status_code)
        assert str(record) not in response.content.decode()
        client.post(bulk_delete_url(model, record.pk))
        assert model.objects.filter(pk=record.pk).exists()
    client.post(bulk_delete_url(Organization, world.org_b.pk))
    assert Organization.objects.filter(pk=world.org_b.pk).exists()


def test_bulk_delete_of_ids_that_are_no_records_is_a_404(chief):
    for model in SNIPPETS:
        for value in NOT_IDS:
            for response in (chief.get(bulk_delete_url(model, value)),
                             chief.post(bulk_delete_url(model, value))):
                assert response.status_code == 404, (model, value[:20], response.status_code)


def test_bulk_delete_of_a_record_others_depend_on_is_refused_in_chinese(chief):
    org = registered_organization(name="嘉善县书画协会")
    # Written in bulk, as the importer and the demo write (no signals, so Wagtail's reference
    # index does not know of the service): the database's protection still holds.
    TransferredService.objects.bulk_create(
        [TransferredServiceFactory.build(organization=org, department=DepartmentFactory())])
    response = chief.post(bulk_delete_url(Organization, org.pk), follow=True)
    assert response.status_code == 200
    assert "无法删除" in response.content.decode()
    assert Organization.objects.filter(pk=org.pk).exists()


# --- spreadsheet exports -------------------------------------------------------------------------

def exported(client, model, export_format):
    response = client.get(admin_url(model, "index"), {"export": export_format})
    assert response.status_code == 200
    data = download(response) if response.streaming else response.content
    if export_format == "csv":
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_exports_neutralize_formulas_as_the_public_downloads_do(chief, export_format):
    for text in FORMULAS:
        registered_organization(name=text)
        IncubationFactory(group_name=text)
        SpecialFundFactory(name=text)
    for model in (Organization, Incubation, SpecialFund):
        cells = {cell for row in exported(chief, model, export_format)[1:] for cell in row}
        assert {"'" + text for text in FORMULAS} <= cells, model
        assert not cells & set(FORMULAS), model


def test_deleting_one_record_others_depend_on_is_refused_in_chinese(chief):
    org = registered_organization(name="嘉善县书画协会")
    TransferredService.objects.bulk_create(
        [TransferredServiceFactory.build(organization=org, department=DepartmentFactory())])
    response = chief.post(admin_url(Organization, "delete", org), follow=True)
    assert response.status_code == 200
    assert "无法删除" in response.content.decode()
    assert Organization.objects.filter(pk=org.pk).exists()
