"""Roles and scopes: town staff, incubation-center operators and foundation staff see and change
only their own scope, through every admin URL; county staff see everything."""

import csv
import io
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from funds.factories import MoneyMovementFactory, SpecialFundFactory
from funds.models import CommunityFoundation, MoneyMovement, SpecialFund
from incubator.factories import IncubationCenterFactory, IncubationFactory
from incubator.models import Incubation, IncubationCenter
from registry.factories import (
    StatusEventFactory, TownFactory, VillageFactory, registered_organization,
)
from registry.models import Area, LegalForm, Organization, StatusEvent
from tests.test_admin import admin_url, download, form_data, listed, menu_labels
from website import roles
from website.models import StaffScope

pytestmark = pytest.mark.django_db

OUT_OF_SCOPE = "不在您的管辖范围内"


@pytest.fixture
def world(django_user_model):
    groups = roles.ensure_role_groups()
    w = SimpleNamespace()
    w.town_a = TownFactory(name="罗星街道", level=Area.Level.SUBDISTRICT)
    w.town_b = TownFactory(name="西塘镇")
    w.village_a = VillageFactory(parent=w.town_a, name="三里桥社区")
    w.village_b = VillageFactory(parent=w.town_b, name="西塘社区")
    w.org_a = registered_organization(name="罗星街道书画协会", town=w.town_a)
    w.org_b = registered_organization(name="西塘镇古镇保护协会", town=w.town_b)
    w.event_a = w.org_a.status_events.get()
    w.event_b = w.org_b.status_events.get()
    w.center_x = IncubationCenterFactory(name="罗星街道社会组织培育发展中心", area=w.town_a)
    w.center_y = IncubationCenterFactory(name="西塘镇社会组织培育发展中心", area=w.town_b)
    w.inc_x = IncubationFactory(center=w.center_x, group_name="罗星邻里互助队")
    w.inc_y = IncubationFactory(center=w.center_y, group_name="西塘古镇志愿队")
    w.fund_f = SpecialFundFactory(name="罗星共同富裕专项基金", host__area=w.town_a)
    w.fund_g = SpecialFundFactory(name="西塘乡村振兴专项基金", host__area=w.town_b)
    w.foundation_f, w.foundation_g = w.fund_f.host, w.fund_g.host
    w.money_f = MoneyMovementFactory(special_fund=w.fund_f, project="罗星助老项目")
    w.money_g = MoneyMovementFactory(special_fund=w.fund_g, project="西塘助学项目")

    def staff(username, group, **scope):
        user = django_user_model.objects.create_user(username, password="pw")
        user.groups.add(groups[group])
        if scope:
            StaffScope.objects.create(user=user, **scope)
        return user

    w.town_staff = staff("luoxing", roles.TOWN_STAFF, town=w.town_a)
    w.center_staff = staff("center", roles.CENTER_STAFF, incubation_center=w.center_x)
    w.foundation_staff = staff("foundation", roles.FOUNDATION_STAFF, foundation=w.foundation_f)
    w.county_staff = staff("county", roles.COUNTY_STAFF)
    w.lost = staff("lost", roles.TOWN_STAFF)  # a town account nobody gave a scope
    return w


def denied(response):
    """Refused: 404 or 403, or Wagtail's permission-denied redirect to the dashboard."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


# (user, model, own record, other scope's record, how a row shows it, a text field to edit)
CASES = {
    "town-organization": ("town_staff", Organization, "org_a", "org_b", str, "address"),
    "town-status-event": ("town_staff", StatusEvent, "event_a", "event_b",
                          lambda e: e.organization.name, "document_number"),
    "center-incubation": ("center_staff", Incubation, "inc_x", "inc_y",
                          lambda i: i.group_name, "support"),
    "foundation-special-fund": ("foundation_staff", SpecialFund, "fund_f", "fund_g", str,
                                "purpose"),
    "foundation-money": ("foundation_staff", MoneyMovement, "money_f", "money_g",
                         lambda m: m.special_fund.name, "project"),
}


@pytest.fixture(params=list(CASES))
def case(request, world):
    user, model, own, other, label, text_field = CASES[request.param]
    return SimpleNamespace(
        user=getattr(world, user), client=client_for(getattr(world, user)), model=model,
        own=getattr(world, own), other=getattr(world, other), label=label, text_field=text_field,
    )


def test_list_shows_own_records_only(case):
    rows = listed(case.client, case.model)
    assert case.label(case.own) in rows
    assert case.label(case.other) not in rows


def test_export_holds_own_records_only(case):
    for fmt in ("csv", "xlsx"):
        response = case.client.get(admin_url(case.model, "index"), {"export": fmt})
        assert response.status_code == 200
    response = case.client.get(admin_url(case.model, "index"), {"export": "csv"})
    text = download(response).decode("utf-8-sig")
    assert case.label(case.own) in text
    assert case.label(case.other) not in text


def object_views(model):
    views = ["edit", "delete", "inspect", "history", "history_results", "usage", "copy"]
    if getattr(model, "snippet_viewset", None) and model.snippet_viewset.locking_enabled:
        views += ["lock", "unlock"]
    if getattr(model, "snippet_viewset", None) and model.snippet_viewset.revision_enabled:
        views += ["revisions_compare_earliest"]
    return views


def url_of(model, view, obj):
    if view == "revisions_compare_earliest":
        viewset = model.snippet_viewset
        return reverse(viewset.get_url_name("revisions_compare"), args=[obj.pk, "earliest", "live"])
    return admin_url(model, view, obj)


def test_other_scope_records_cannot_be_opened_by_url(case):
    for view in object_views(case.model):
        response = case.client.get(url_of(case.model, view, case.other))
        assert response.status_code in (403, 404), view


def test_other_scope_records_cannot_be_changed_by_post(case):
    data = form_data(case.client, admin_url(case.model, "edit", case.own))
    data[case.text_field] = "越权修改"
    response = case.client.post(admin_url(case.model, "edit", case.other), data)
    assert response.status_code in (403, 404)
    for view in object_views(case.model):
        if view not in ("edit", "history_results", "revisions_compare_earliest"):
            assert case.client.post(url_of(case.model, view, case.other)).status_code in (403, 404)
    other = type(case.other).objects.get(pk=case.other.pk)
    assert getattr(other, case.text_field) != "越权修改"
    assert not getattr(other, "locked", False)
    own = type(case.own).objects.get(pk=case.own.pk)
    assert getattr(own, case.text_field) != "越权修改"


def test_own_records_can_be_opened_and_edited(case):
    for view in ("inspect", "history", "usage"):
        assert case.client.get(admin_url(case.model, view, case.own)).status_code == 200, view
    data = form_data(case.client, admin_url(case.model, "edit", case.own))
    data[case.text_field] = "本辖区修改"
    response = case.client.post(admin_url(case.model, "edit", case.own), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert getattr(type(case.own).objects.get(pk=case.own.pk), case.text_field) == "本辖区修改"


def test_revisions_of_another_town_are_out_of_reach(world):
    viewset = Organization.snippet_viewset
    theirs = world.org_b.save_revision(user=world.county_staff)
    mine = world.org_a.save_revision(user=world.county_staff)
    client = client_for(world.town_staff)

    def revision_urls(org, revision):
        return [
            reverse(viewset.get_url_name("revisions_revert"), args=[org.pk, revision.pk]),
            reverse(viewset.get_url_name("revisions_compare"), args=[org.pk, "earliest", "live"]),
        ]

    for url in revision_urls(world.org_b, theirs):
        assert denied(client.get(url)), url
    garbage = reverse(viewset.get_url_name("revisions_compare"), args=["abc", "earliest", "live"])
    assert client.get(garbage).status_code == 404
    for url in revision_urls(world.org_a, mine):
        assert client.get(url).status_code == 200, url
    data = form_data(client, admin_url(Organization, "edit", world.org_a))
    data["address"] = "越权回滚"
    assert denied(client.post(revision_urls(world.org_b, theirs)[0], data))
    world.org_b.refresh_from_db()
    assert world.org_b.address != "越权回滚"


def test_bulk_delete_skips_other_scope_snippets(world):
    client = client_for(world.town_staff)
    url = reverse("wagtail_bulk_action", args=("registry", "organization", "delete"))
    client.post(f"{url}?id={world.org_b.pk}")
    assert Organization.objects.filter(pk=world.org_b.pk).exists()


def refused_on(response, field):
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert OUT_OF_SCOPE in errors[field][0], errors
    return errors


def test_town_staff_choose_only_their_town_and_villages(world):
    client = client_for(world.town_staff)
    response = client.get(admin_url(Organization, "add"))
    form = response.context["form"]
    assert list(form.fields["town"].queryset) == [world.town_a]
    assert list(form.fields["village"].queryset) == [world.village_a]
    assert form["town"].value() == world.town_a.pk


def test_town_staff_cannot_forge_another_town(world):
    client = client_for(world.town_staff)
    data = form_data(client, admin_url(Organization, "add"))
    data.update({"name": "伪造镇街的协会", "legal_form": LegalForm.COMMUNITY_ORGANIZATION,
                 "filing_number": "嘉善备999999", "town": world.town_b.pk})
    refused_on(client.post(admin_url(Organization, "add"), data), "town")
    assert not Organization.objects.filter(name="伪造镇街的协会").exists()

    data = form_data(client, admin_url(Organization, "edit", world.org_a))
    data["town"] = world.town_b.pk
    refused_on(client.post(admin_url(Organization, "edit", world.org_a), data), "town")
    world.org_a.refresh_from_db()
    assert world.org_a.town == world.town_a


def test_town_staff_cannot_record_an_event_of_another_town(world):
    client = client_for(world.town_staff)
    data = form_data(client, admin_url(StatusEvent, "add"))
    data.update({"organization": world.org_b.pk, "kind": StatusEvent.Kind.CHANGED,
                 "date": "2023-01-01"})
    refused_on(client.post(admin_url(StatusEvent, "add"), data), "organization")
    assert not world.org_b.status_events.filter(kind=StatusEvent.Kind.CHANGED).exists()


def test_town_staff_can_file_a_community_organization_in_their_town(world):
    client = client_for(world.town_staff)
    data = form_data(client, admin_url(Organization, "add"))
    data.update({"name": "三里桥社区广场舞队", "legal_form": LegalForm.COMMUNITY_ORGANIZATION,
                 "filing_number": "嘉善备100001", "village": world.village_a.pk})
    assert client.post(admin_url(Organization, "add"), data).status_code == 302
    assert Organization.objects.get(name="三里桥社区广场舞队").town == world.town_a


def test_center_staff_cannot_forge_another_center(world):
    client = client_for(world.center_staff)
    data = form_data(client, admin_url(Incubation, "add"))
    assert data["center"] == str(world.center_x.pk)
    data.update({"center": world.center_y.pk, "group_name": "伪造中心的队伍",
                 "started_on": "2023-03-01", "outcome": "ongoing"})
    refused_on(client.post(admin_url(Incubation, "add"), data), "center")
    assert not Incubation.objects.filter(group_name="伪造中心的队伍").exists()


def test_foundation_staff_cannot_forge_another_foundation_or_its_fund(world):
    client = client_for(world.foundation_staff)
    data = form_data(client, admin_url(MoneyMovement, "add"))
    data.update({"foundation": world.foundation_g.pk, "special_fund": world.fund_g.pk,
                 "kind": "donation_in", "date": "2023-01-01", "amount": "100",
                 "counterparty_kind": "enterprise", "counterparty": "某公司"})
    errors = refused_on(client.post(admin_url(MoneyMovement, "add"), data), "foundation")
    assert OUT_OF_SCOPE in errors["special_fund"][0]
    assert MoneyMovement.objects.count() == 2

    data = form_data(client, admin_url(SpecialFund, "add"))
    data.update({"host": world.foundation_g.pk, "name": "伪造专项基金", "theme": "other",
                 "established_on": "2023-01-01"})
    refused_on(client.post(admin_url(SpecialFund, "add"), data), "host")
    assert not SpecialFund.objects.filter(name="伪造专项基金").exists()


def test_foundation_staff_may_grant_to_an_organization_of_any_town(world):
    client = client_for(world.foundation_staff)
    data = form_data(client, admin_url(MoneyMovement, "add"))
    data.update({"foundation": world.foundation_f.pk, "special_fund": world.fund_f.pk,
                 "kind": "grant_out", "date": "2023-02-01", "amount": "5000",
                 "counterparty_kind": "organization", "grantee": world.org_b.pk})
    assert client.post(admin_url(MoneyMovement, "add"), data).status_code == 302
    assert MoneyMovement.objects.filter(grantee=world.org_b, foundation=world.foundation_f).exists()


def chooser(user, view, *args):
    viewset = Organization.snippet_viewset.chooser_viewset
    return client_for(user).get(reverse(viewset.get_url_name(view), args=args))


def test_organization_chooser_follows_the_scope(world):
    page = chooser(world.town_staff, "choose_results").content.decode()
    assert world.org_a.name in page and world.org_b.name not in page
    assert chooser(world.town_staff, "chosen", world.org_b.pk).status_code == 404
    assert chooser(world.town_staff, "chosen", world.org_a.pk).status_code == 200
    # Grants go to any organization: for foundation staff organizations are public reference.
    page = chooser(world.foundation_staff, "choose_results").content.decode()
    assert world.org_a.name in page and world.org_b.name in page


def test_filter_choices_follow_the_scope(world):
    response = client_for(world.town_staff).get(admin_url(Organization, "index"))
    assert list(response.context["filters"].form.fields["town"].queryset) == [world.town_a]
    response = client_for(world.foundation_staff).get(admin_url(MoneyMovement, "index"))
    fields = response.context["filters"].form.fields
    assert list(fields["foundation"].queryset) == [world.foundation_f]
    assert list(fields["special_fund"].queryset) == [world.fund_f]


def test_roles_see_only_their_menus(world):
    assert menu_labels(client_for(world.town_staff))["社会组织登记"] == ["社会组织", "登记备案事项"]
    assert menu_labels(client_for(world.center_staff))["培育孵化"] == ["培育发展中心", "孵化记录"]
    assert "社会组织登记" not in menu_labels(client_for(world.center_staff))
    assert menu_labels(client_for(world.foundation_staff))["社区基金"] == [
        "社区发展基金会", "专项基金", "资金收支",
    ]


def test_roles_cannot_reach_other_families(world):
    assert denied(client_for(world.town_staff).get(admin_url(Incubation, "index")))
    assert denied(client_for(world.center_staff).get(admin_url(Organization, "index")))
    foundation = client_for(world.foundation_staff)
    assert denied(foundation.get(admin_url(CommunityFoundation, "add")))
    rows = listed(foundation, CommunityFoundation)
    assert world.foundation_f.organization.name in rows
    assert world.foundation_g.organization.name not in rows
    center = client_for(world.center_staff)
    assert denied(center.get(admin_url(IncubationCenter, "edit", world.center_x)))
    assert world.center_y.name not in listed(center, IncubationCenter)


def test_a_scoped_account_without_a_scope_sees_nothing(world):
    client = client_for(world.lost)
    rows = listed(client, Organization)
    assert world.org_a.name not in rows and world.org_b.name not in rows
    assert client.get(admin_url(Organization, "edit", world.org_a)).status_code == 404
    response = client.get(admin_url(Organization, "add"))
    assert list(response.context["form"].fields["town"].queryset) == []


def test_county_staff_see_and_edit_everything(world):
    client = client_for(world.county_staff)
    rows = listed(client, Organization)
    assert world.org_a.name in rows and world.org_b.name in rows
    assert world.inc_y.group_name in listed(client, Incubation)
    data = form_data(client, admin_url(Organization, "edit", world.org_b))
    data["address"] = "县局修改"
    assert client.post(admin_url(Organization, "edit", world.org_b), data).status_code == 302
    world.org_b.refresh_from_db()
    assert world.org_b.address == "县局修改"
    response = client.get(admin_url(Organization, "index"), {"export": "csv"})
    names = [row[0] for row in csv.reader(io.StringIO(download(response).decode("utf-8-sig")))]
    assert world.org_a.name in names and world.org_b.name in names


def test_town_staff_lock_their_own_organization(world):
    client = client_for(world.town_staff)
    assert client.post(admin_url(Organization, "lock", world.org_a)).status_code == 302
    world.org_a.refresh_from_db()
    assert world.org_a.locked and world.org_a.locked_by == world.town_staff


def test_events_of_another_town_are_hidden_even_when_deregistered(world):
    StatusEventFactory(organization=world.org_b, kind=StatusEvent.Kind.DEREGISTERED,
                       date="2023-05-01")
    rows = listed(client_for(world.town_staff), StatusEvent)
    assert world.org_b.name not in rows


def test_setup_roles_is_idempotent(world):
    def snapshot():
        return {
            group.name: sorted(group.permissions.values_list("content_type__app_label", "codename"))
            for group in Group.objects.filter(name__in=roles.ROLE_PERMISSIONS)
        }

    before = snapshot()
    call_command("setup_roles", stdout=io.StringIO())
    call_command("setup_roles", stdout=io.StringIO())
    assert snapshot() == before
    assert set(before) == set(roles.ROLE_PERMISSIONS)
    town = {codename for _, codename in before[roles.TOWN_STAFF]}
    assert town == {
        "access_admin", "lock_organization", "unlock_organization",
        *(f"{action}_{model}" for action in roles.EDIT
          for model in ("organization", "formername", "statusevent")),
    }
    county = {codename for _, codename in before[roles.COUNTY_STAFF]}
    for label in roles.RECORD_MODELS:
        assert f"change_{label.split('.')[1]}" in county


def test_site_history_report_is_for_county_staff_only(world):
    # An edit in another town must not surface to town staff through the site-wide history.
    client_for(world.county_staff).post(
        reverse("wagtailsnippets_registry_organization:edit", args=[world.org_b.pk]),
        {"name": world.org_b.name}, follow=True,
    )
    history = reverse("wagtailadmin_reports:site_history")
    for scoped in ("town_staff", "center_staff", "foundation_staff"):
        client = client_for(getattr(world, scoped))
        assert denied(client.get(history))
        assert denied(client.get(reverse("wagtailadmin_reports:site_history_results")))
        assert "站点历史" not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert client_for(world.county_staff).get(history).status_code == 200


def test_county_staff_publish_summaries_and_town_staff_do_not(world):
    assert world.county_staff.has_perm("website.change_annualsummary")
    assert not world.town_staff.has_perm("website.view_annualsummary")
    assert denied(client_for(world.town_staff).get(reverse("summaries_admin:index")))
