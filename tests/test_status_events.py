"""Status events (登记备案事项) have one write path, registry.services: whatever writes them (the
admin, the bulk import, the demo, the factories), the organization's status on a date and each
event's period end come out right, for exactly the organizations written, or nothing is written."""

import datetime

import pytest
from django.db import IntegrityError
from wagtail.models import ModelLogEntry

from registry import services
from registry.facts import status_expression, status_on
from registry.factories import OrganizationFactory, StatusEventFactory, registered_organization
from registry.models import LegalForm, Organization, Status, StatusEvent
from registry.services import delete_status_events, refresh_status_periods, save_status_events
from tests.import_support import import_file, make_county, org_row, table, xlsx_bytes
from tests.test_admin import admin_url, form_data

pytestmark = pytest.mark.django_db

D = datetime.date
Kind = StatusEvent.Kind
STALE = D(1999, 9, 9)  # an ends_on no refresh would ever write


@pytest.fixture
def chief_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("chief", password="pw"))
    return client


def stored_status(org, day):
    """The status on `day` as the pages read it: from the stored periods."""
    return Organization.objects.filter(pk=org.pk).annotate(
        status=status_expression(as_of=day)).values_list("status", flat=True).get()


def assert_status(org, day, expected):
    """The stored periods and the events themselves (registry.facts.status_on) agree."""
    assert stored_status(org, day) == expected
    assert status_on(StatusEvent.objects.filter(organization=org), day) == expected


def ends_on(org, kind):
    return StatusEvent.objects.get(organization=org, kind=kind).ends_on


def make_stale(org):
    StatusEvent.objects.filter(organization=org).update(ends_on=STALE)


# --- the admin ----------------------------------------------------------------------------------

def add_in_admin(client, org, kind, day):
    data = form_data(client, admin_url(StatusEvent, "add"))
    data.update({"organization": org.pk, "kind": kind, "date": day.isoformat()})
    response = client.post(admin_url(StatusEvent, "add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return StatusEvent.objects.get(organization=org, kind=kind, date=day)


def test_an_event_added_in_the_admin_sets_the_status_and_ends_the_earlier_period(chief_client):
    org = registered_organization(on=D(2015, 3, 2))
    add_in_admin(chief_client, org, Kind.CHANGED, D(2018, 5, 1))
    add_in_admin(chief_client, org, Kind.DEREGISTERED, D(2022, 6, 1))

    assert ends_on(org, Kind.REGISTERED) == D(2022, 6, 1)
    assert ends_on(org, Kind.CHANGED) is None  # a change starts no period of its own
    assert ends_on(org, Kind.DEREGISTERED) is None
    assert StatusEvent.objects.get(organization=org, kind=Kind.DEREGISTERED).resulting_status \
        == Status.DEREGISTERED
    assert_status(org, D(2022, 5, 31), Status.REGISTERED)
    assert_status(org, D(2022, 6, 1), Status.DEREGISTERED)
    page = chief_client.get(admin_url(Organization, "inspect", org)).content.decode()
    assert str(Status.DEREGISTERED.label) in page


def test_moving_an_event_in_the_admin_moves_the_period_end(chief_client):
    org = registered_organization(on=D(2015, 3, 2))
    end = StatusEventFactory(organization=org, kind=Kind.DEREGISTERED, date=D(2022, 6, 1))
    data = form_data(chief_client, admin_url(StatusEvent, "edit", end))
    data["date"] = "2021-01-15"
    assert chief_client.post(admin_url(StatusEvent, "edit", end), data).status_code == 302

    assert ends_on(org, Kind.REGISTERED) == D(2021, 1, 15)
    assert_status(org, D(2021, 1, 14), Status.REGISTERED)
    assert_status(org, D(2021, 6, 1), Status.DEREGISTERED)
    assert ModelLogEntry.objects.filter(object_id=str(end.pk), action="wagtail.edit").exists()


def test_an_event_given_to_another_organization_in_the_admin_refreshes_both(chief_client):
    first = registered_organization(on=D(2015, 3, 2))
    second = registered_organization(on=D(2016, 3, 2))
    end = StatusEventFactory(organization=first, kind=Kind.DEREGISTERED, date=D(2022, 6, 1))
    data = form_data(chief_client, admin_url(StatusEvent, "edit", end))
    data["organization"] = second.pk
    assert chief_client.post(admin_url(StatusEvent, "edit", end), data).status_code == 302

    assert ends_on(first, Kind.REGISTERED) is None  # its period is open again
    assert ends_on(second, Kind.REGISTERED) == D(2022, 6, 1)
    assert_status(first, D(2023, 1, 1), Status.REGISTERED)
    assert_status(second, D(2023, 1, 1), Status.DEREGISTERED)


def test_deleting_an_event_in_the_admin_reopens_the_previous_period(chief_client):
    org = registered_organization(on=D(2015, 3, 2))
    end = StatusEventFactory(organization=org, kind=Kind.DEREGISTERED, date=D(2022, 6, 1))
    assert_status(org, D(2023, 1, 1), Status.DEREGISTERED)

    response = chief_client.post(admin_url(StatusEvent, "delete", end))

    assert response.status_code == 302
    assert not StatusEvent.objects.filter(pk=end.pk).exists()
    assert ends_on(org, Kind.REGISTERED) is None
    assert_status(org, D(2023, 1, 1), Status.REGISTERED)
    assert ModelLogEntry.objects.filter(object_id=str(end.pk), action="wagtail.delete").exists()


def test_an_admin_edit_leaves_other_organizations_alone(chief_client):
    org = registered_organization(on=D(2015, 3, 2))
    other = registered_organization(on=D(2016, 3, 2))
    make_stale(other)
    add_in_admin(chief_client, org, Kind.DEREGISTERED, D(2022, 6, 1))
    assert ends_on(other, Kind.REGISTERED) == STALE


# --- the bulk import ----------------------------------------------------------------------------

@pytest.fixture
def county():
    return make_county()


def run_status_events(rows):
    headers = list(rows[0])
    content = xlsx_bytes([headers] + [[row.get(h, "") for h in headers] for row in rows])
    return import_file(content, kind="status_events")


def test_a_one_row_status_event_import_refreshes_only_that_organization(county):
    org = registered_organization(town=county.xitang, name="嘉善县测试协会", on=D(2015, 3, 2))
    untouched = registered_organization(town=county.xitang, on=D(2016, 3, 2))
    StatusEventFactory(organization=untouched, kind=Kind.DEREGISTERED, date=D(2020, 1, 1))
    make_stale(untouched)

    result = run_status_events([{"统一社会信用代码": org.credit_code, "事项": "注销登记",
                                 "生效日期": "2022-06-01"}])

    assert result.committed and result.created == 1, result.errors
    assert ends_on(org, Kind.REGISTERED) == D(2022, 6, 1)
    assert_status(org, D(2022, 6, 1), Status.DEREGISTERED)
    assert set(StatusEvent.objects.filter(organization=untouched)
               .values_list("ends_on", flat=True)) == {STALE}


def test_a_one_row_organization_import_refreshes_only_that_organization(county):
    untouched = registered_organization(town=county.xitang, on=D(2016, 3, 2))
    make_stale(untouched)

    result = import_file(xlsx_bytes(table([org_row(1)])))

    assert result.committed and result.created == 1, result.errors
    new = Organization.objects.get(name="嘉善县测试协会1")
    start = new.status_events.get()
    assert (start.kind, start.resulting_status, start.ends_on) == (
        Kind.REGISTERED, Status.REGISTERED, None)
    assert_status(new, D(2015, 3, 2), Status.REGISTERED)
    assert ends_on(untouched, Kind.REGISTERED) == STALE


def test_a_row_changing_an_events_text_keeps_its_period(county):
    org = registered_organization(town=county.xitang, name="嘉善县测试协会", on=D(2015, 3, 2))
    StatusEventFactory(organization=org, kind=Kind.DEREGISTERED, date=D(2022, 6, 1))

    result = run_status_events([{"统一社会信用代码": org.credit_code, "事项": "注销登记",
                                 "生效日期": "2022-06-01", "文号": "嘉民社注〔2022〕3号"}])

    assert result.committed and result.updated == 1, result.errors
    end = StatusEvent.objects.get(organization=org, kind=Kind.DEREGISTERED)
    assert (end.document_number, end.resulting_status) == ("嘉民社注〔2022〕3号", Status.DEREGISTERED)
    assert ends_on(org, Kind.REGISTERED) == D(2022, 6, 1)


# --- the service itself ---------------------------------------------------------------------------

def test_many_events_are_bulk_created_with_their_periods():
    orgs = OrganizationFactory.create_batch(3)
    events = []
    for org in orgs:
        events += [StatusEvent(organization=org, kind=Kind.REGISTERED, date=D(2015, 1, 1)),
                   StatusEvent(organization=org, kind=Kind.CHANGED, date=D(2016, 1, 1)),
                   StatusEvent(organization=org, kind=Kind.REVOKED, date=D(2019, 1, 1))]

    save_status_events(events=events)

    assert all(e.pk for e in events)
    for org in orgs:
        assert ends_on(org, Kind.REGISTERED) == D(2019, 1, 1)
        assert_status(org, D(2018, 12, 31), Status.REGISTERED)
        assert_status(org, D(2019, 1, 1), Status.REVOKED)
    # The instances carry what was stored, as after a save().
    assert [(e.resulting_status, e.ends_on) for e in events[:3]] == [
        (Status.REGISTERED, D(2019, 1, 1)), ("", None), (Status.REVOKED, None)]


def test_events_on_the_same_day_end_in_the_order_entered():
    org = OrganizationFactory(legal_form=LegalForm.COMMUNITY_ORGANIZATION)
    filed, upgraded = save_status_events(events=[
        StatusEvent(organization=org, kind=Kind.FILED, date=D(2015, 1, 1)),
        StatusEvent(organization=org, kind=Kind.FILED_TO_REGISTERED, date=D(2015, 1, 1)),
    ])
    assert (filed.ends_on, upgraded.ends_on) == (D(2015, 1, 1), None)
    assert_status(org, D(2015, 1, 1), Status.REGISTERED)


def test_refresh_repairs_stale_periods_of_the_given_organizations_only():
    org = registered_organization(on=D(2015, 3, 2))
    StatusEventFactory(organization=org, kind=Kind.DEREGISTERED, date=D(2022, 6, 1))
    other = registered_organization(on=D(2016, 3, 2))
    make_stale(org)
    make_stale(other)
    StatusEvent.objects.filter(organization=org).update(resulting_status="")

    assert refresh_status_periods(organization_ids=[org.pk]) == 2

    assert [(e.resulting_status, e.ends_on) for e in org.status_events.order_by("date")] == [
        (Status.REGISTERED, D(2022, 6, 1)), (Status.DEREGISTERED, None)]
    assert ends_on(other, Kind.REGISTERED) == STALE
    assert refresh_status_periods(organization_ids=[org.pk]) == 0


def test_refresh_works_in_batches(monkeypatch):
    monkeypatch.setattr(services, "REFRESH_BATCH_SIZE", 2)
    orgs = [registered_organization(on=D(2015, 3, 2)) for _ in range(5)]
    for org in orgs:
        StatusEvent.objects.create(organization=org, kind=Kind.DEREGISTERED, date=D(2022, 6, 1))
    assert refresh_status_periods(organization_ids=[o.pk for o in orgs]) == 5
    assert {ends_on(o, Kind.REGISTERED) for o in orgs} == {D(2022, 6, 1)}


def test_a_failing_save_leaves_nothing_half_written(monkeypatch):
    org = registered_organization(on=D(2015, 3, 2))
    end = StatusEventFactory(organization=org, kind=Kind.DEREGISTERED, date=D(2022, 6, 1))
    before = sorted(StatusEvent.objects.values_list())

    # A bad event among good ones: the database refuses it, and the good ones are not kept.
    end.date = D(2021, 1, 1)
    with pytest.raises(IntegrityError):
        save_status_events(events=[
            end, StatusEvent(organization=org, kind=Kind.CHANGED, date=D(2016, 1, 1)),
            StatusEvent(organization=org, kind=Kind.CHANGED, date=None),
        ])
    assert sorted(StatusEvent.objects.values_list()) == before

    # The refresh failing after the writes takes the writes back with it.
    def broken(**kwargs):
        raise RuntimeError("the refresh failed")
    monkeypatch.setattr(services, "refresh_status_periods", broken)
    with pytest.raises(RuntimeError):
        save_status_events(events=[StatusEvent(organization=org, kind=Kind.CHANGED,
                                               date=D(2016, 1, 1))])
    end.refresh_from_db()
    with pytest.raises(RuntimeError):
        delete_status_events(events=[end])
    assert sorted(StatusEvent.objects.values_list()) == before
    assert_status(org, D(2023, 1, 1), Status.DEREGISTERED)


def test_the_factory_writes_through_the_service():
    org = registered_organization(on=D(2015, 3, 2))
    end = StatusEventFactory(organization=org, kind=Kind.REVOKED, date=D(2020, 2, 2))
    assert (end.resulting_status, end.ends_on) == (Status.REVOKED, None)
    assert ends_on(org, Kind.REGISTERED) == D(2020, 2, 2)
