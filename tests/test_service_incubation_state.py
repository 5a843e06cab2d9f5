"""A transferred service's state and an incubation's state on a date are read from their dates
(registry.facts.services, incubator.facts), never typed: what /services/, an organization's page,
the incubation pages, the admin and the downloads show, and the twin pairs agreeing on the demo."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from incubator import selectors as incubator_selectors
from incubator.facts import (
    BEGUN_STATES, IncubationState, in_incubation_state, incubation_state,
    incubation_state_expression,
)
from incubator.factories import IncubationCenterFactory, IncubationFactory
from incubator.models import Incubation, add_months
from registry import selectors
from registry.facts import (
    ServiceState, service_state, service_state_expression, services_in_state,
)
from registry.factories import (
    CountyFactory, DepartmentFactory, ServiceFieldFactory, TownFactory, TransferredServiceFactory,
    registered_organization,
)
from registry.models import TransferredService
from registry.urls_public import organization_url
from website.demo import incubation as demo_incubation
from website.public_pages import ensure_public_pages

D = datetime.date


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def state_shown(page, title):
    """(state code, text) of the record titled `title` on a page listing records."""
    record = next(r for r in page.select(".record") if r.h3.get_text(strip=True) == title)
    cell = record.select_one("[data-state]")
    return cell["data-state"], " ".join(cell.get_text(" ").split())


def next_month(day):
    return add_months(day.replace(day=1), 1)


@pytest.fixture
def world(db):
    county = CountyFactory()
    town = TownFactory(parent=county, name="甲镇")
    org = registered_organization(name="嘉善县测试社工服务中心", town=town, on=D(2019, 5, 1))
    department, field = DepartmentFactory(name="测试县民政局"), ServiceFieldFactory(name="养老服务")

    def service(title, starts_on, ends_on, terminated_on=None):
        return TransferredServiceFactory(
            title=title, organization=org, department=department, service_fields=[field],
            starts_on=starts_on, ends_on=ends_on, terminated_on=terminated_on)

    today = timezone.localdate()
    services = {
        "ended": service("2024年居家养老上门服务项目", D(2023, 12, 7), D(2024, 12, 6)),
        "terminated": service("2024年助餐服务项目", D(2024, 1, 1), D(2025, 12, 31),
                              terminated_on=D(2024, 9, 1)),
        "upcoming": service("来年社区议事协商项目", next_month(today), None),
        "running": service("长期心理援助热线项目", D(2025, 1, 1), None),
    }
    center = IncubationCenterFactory(area=town, name="甲镇社会组织培育发展中心")
    overdue = IncubationFactory(center=center, group_name="甲镇银发互助队", started_on=D(2023, 4, 10))
    ongoing = IncubationFactory(
        center=center, group_name="甲镇青年志愿队", started_on=D(2023, 4, 10),
        planned_end_on=today + datetime.timedelta(days=90), organization=org)
    ensure_public_pages()
    return {"org": org, "services": services, "center": center, "overdue": overdue,
            "ongoing": ongoing, "today": today}


# --- transferred services ---------------------------------------------------------------------

def test_a_service_that_ran_2023_to_2024_reads_ended_today_on_the_catalog_and_its_organization(
        client, world):
    ended = world["services"]["ended"]
    assert state_shown(soup(client.get("/services/")), ended.title) == ("ended", "已结束")
    page = soup(client.get(organization_url(world["org"])))
    services = page.find("section", id="services")
    assert state_shown(services, ended.title) == ("ended", "已结束")
    assert "执行中" not in state_shown(services, ended.title)[1]

    # On 2024-06-01 it was in progress: the twin, the expression and the page as of that day.
    day = D(2024, 6, 1)
    assert service_state(ended, day) == ServiceState.IN_PROGRESS
    annotated = TransferredService.objects.annotate(state=service_state_expression(as_of=day))
    assert annotated.get(pk=ended.pk).state == "in_progress"
    past = soup(client.get(organization_url(world["org"]), {"as_of": "2024-06-01"}))
    assert state_shown(past.find("section", id="services"), ended.title) == ("in_progress", "执行中")


def test_a_terminated_service_reads_terminated_from_its_date(client, world):
    terminated = world["services"]["terminated"]
    assert service_state(terminated, D(2024, 8, 31)) == ServiceState.IN_PROGRESS
    assert service_state(terminated, D(2024, 9, 1)) == ServiceState.TERMINATED
    # Still 已终止 after its planned end.
    assert service_state(terminated, D(2026, 1, 1)) == ServiceState.TERMINATED
    code, text = state_shown(soup(client.get("/services/")), terminated.title)
    assert code == "terminated" and text.startswith("已终止") and "2024-09-01" in text
    code, text = state_shown(soup(client.get(organization_url(world["org"]))), terminated.title)
    assert code == "terminated" and "2024-09-01" in text
    # Active in 2024 until the day before; not at all in 2025, though its contract ran to its end.
    assert terminated in selectors.transferred_services_active(
        period_start=D(2024, 8, 31), period_end=D(2024, 8, 31))
    assert terminated not in selectors.transferred_services_active(
        period_start=D(2024, 9, 1), period_end=D(2025, 12, 31))


def test_a_service_starting_next_month_reads_not_started(client, world):
    upcoming = world["services"]["upcoming"]
    assert state_shown(soup(client.get("/services/")), upcoming.title) == ("not_started", "未开始")
    page = soup(client.get(organization_url(world["org"])))
    assert state_shown(page, upcoming.title) == ("not_started", "未开始")


def test_the_catalog_filters_by_state_today(client, world):
    def titles(state):
        page = soup(client.get("/services/", {"state": state}))
        return {r.h3.get_text(strip=True) for r in page.select(".record")}

    services = world["services"]
    assert titles("ended") == {services["ended"].title}
    assert titles("terminated") == {services["terminated"].title}
    assert titles("not_started") == {services["upcoming"].title}
    assert titles("in_progress") == {services["running"].title}
    page = soup(client.get("/services/", {"state": "completed"}))
    assert "没有这种执行状态。" in page.get_text() and len(page.select(".record")) == 4


def test_terminated_on_is_checked_against_the_period(world):
    from django.core.exceptions import ValidationError

    service = world["services"]["ended"]
    service.terminated_on = D(2023, 12, 1)
    with pytest.raises(ValidationError) as error:
        service.full_clean()
    assert error.value.message_dict["terminated_on"] == [
        "提前终止日期\uff082023-12-01\uff09不能早于开始日期\uff082023-12-07\uff09。"]
    service.terminated_on = D(2024, 12, 7)
    with pytest.raises(ValidationError) as error:
        service.full_clean()
    assert error.value.message_dict["terminated_on"] == [
        "提前终止日期\uff082024-12-07\uff09不能晚于结束日期\uff082024-12-06\uff09。"]


def admin_rows(client, url, **params):
    """The text of an admin listing's table (rows only, not the filter choices)."""
    response = client.get(url, params)
    assert response.status_code == 200
    table = BeautifulSoup(response.content.decode(), "html.parser").find("table")
    return " ".join(table.get_text(" ").split()) if table else ""


def test_the_admin_lists_and_filters_services_by_state_today(admin_client, world):
    reverse("wagtailadmin_home")  # loads the admin URLs, which registers the viewsets
    viewset = TransferredService.snippet_viewset
    rows = admin_rows(admin_client, reverse(viewset.get_url_name("list_results")), state="ended")
    assert world["services"]["ended"].title in rows and "已结束" in rows
    assert world["services"]["terminated"].title not in rows
    url = reverse(viewset.get_url_name("list"))
    export = admin_client.get(url, {"export": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    header, *lines = text.splitlines()
    assert "执行状态" in header and "提前终止日期" in header
    ended_line = next(line for line in lines if world["services"]["ended"].title in line)
    assert "已结束" in ended_line


# --- incubations --------------------------------------------------------------------------------

def test_an_incubation_begun_in_2023_without_an_outcome_reads_overdue_on_its_center_page(
        client, world):
    overdue, center = world["overdue"], world["center"]
    assert overdue.planned_end_on == D(2024, 4, 10)  # filled on save: a year's term
    page = soup(client.get(f"/incubation/{center.pk}/"))
    code, text = state_shown(page, overdue.group_name)
    assert code == "overdue" and "逾期未出壳" in text and "2024-04-10" in text
    assert state_shown(page, world["ongoing"].group_name)[0] == "ongoing"
    figures = {c["data-figure"]: c.find(class_="value").get_text(strip=True)
               for c in page.select("[data-figure]")}
    assert (figures["ongoing"], figures["overdue"]) == ("1", "1")
    # Before its planned end it read 孵化中.
    assert incubation_state(overdue, D(2024, 4, 10)) == IncubationState.ONGOING
    assert incubation_state(overdue, D(2024, 4, 11)) == IncubationState.OVERDUE


def test_the_organization_page_shows_its_incubation_state(client, world):
    world["ongoing"].planned_end_on = D(2024, 1, 31)
    world["ongoing"].save()
    page = soup(client.get(organization_url(world["org"])))
    cell = page.find("section", id="incubation").select_one("[data-state]")
    assert cell["data-state"] == "overdue"
    assert "逾期未出壳" in cell.get_text() and "2024-01-31" in cell.get_text()


def test_an_ended_incubation_reads_its_outcome_from_its_end(world):
    incubation = world["overdue"]
    incubation.ended_on, incubation.outcome = D(2025, 3, 1), Incubation.Outcome.REGISTERED
    incubation.save()
    assert incubation_state(incubation, D(2025, 2, 28)) == IncubationState.OVERDUE
    assert incubation_state(incubation, D(2025, 3, 1)) == IncubationState.REGISTERED
    assert incubation_state(incubation, D(2023, 4, 9)) == IncubationState.NOT_STARTED


def test_the_planned_end_is_filled_from_the_term_setting_and_checked(db, settings):
    settings.INCUBATION_TERM_MONTHS = 6
    incubation = IncubationFactory(started_on=D(2024, 8, 31))
    assert incubation.planned_end_on == D(2025, 2, 28)  # no 31 February: the month's last day
    from django.core.exceptions import ValidationError

    incubation.planned_end_on = D(2024, 8, 30)
    with pytest.raises(ValidationError) as error:
        incubation.full_clean()
    assert error.value.message_dict["planned_end_on"] == [
        "计划出壳日期\uff082024-08-30\uff09不能早于入驻日期\uff082024-08-31\uff09。"]


def test_the_admin_lists_and_filters_incubations_by_state_today(admin_client, world):
    reverse("wagtailadmin_home")
    rows = admin_rows(admin_client, reverse("incubator_incubation:index_results"), state="overdue")
    assert world["overdue"].group_name in rows and "逾期未出壳" in rows and "2024年4月10日" in rows
    assert world["ongoing"].group_name not in rows


# --- the twins agree on the demo ------------------------------------------------------------------

@pytest.fixture
def demo_db(demo, db):
    return demo


def demo_days():
    return [D(2015, 12, 31), D(2020, 12, 31), D(2022, 12, 31), timezone.localdate()]


def test_service_state_expression_twin_and_filter_agree_on_every_demo_service(demo_db):
    services = list(TransferredService.objects.all())
    assert len(services) > 150 and any(s.terminated_on for s in services)
    for day in demo_days():
        annotated = dict(TransferredService.objects.annotate(
            state=service_state_expression(as_of=day)).values_list("pk", "state"))
        twin = {s.pk: service_state(s, day).value for s in services}
        assert annotated == twin, day
        for state in ServiceState:
            selected = set(services_in_state(state, as_of=day).values_list("pk", flat=True))
            assert selected == {pk for pk, value in twin.items() if value == state}, (day, state)
    today = {service_state(s, timezone.localdate()) for s in services}
    assert {ServiceState.ENDED, ServiceState.TERMINATED} <= today


def test_incubation_state_expression_twin_and_counts_agree_on_every_demo_incubation(demo_db):
    incubations = list(Incubation.objects.all())
    assert len(incubations) > 278
    for day in demo_days():
        annotated = dict(Incubation.objects.annotate(
            state=incubation_state_expression(as_of=day)).values_list("pk", "state"))
        twin = {i.pk: incubation_state(i, day).value for i in incubations}
        assert annotated == twin, day
        for state in IncubationState:
            selected = set(Incubation.objects.filter(in_incubation_state(state, as_of=day))
                           .values_list("pk", flat=True))
            assert selected == {pk for pk, value in twin.items() if value == state}, (day, state)
        counts = incubator_selectors.incubations_by_outcome(as_of=day)
        assert counts == {s: sum(1 for v in twin.values() if v == s) for s in BEGUN_STATES}, day
        centers = list(incubator_selectors.centers_with_outcomes(as_of=day))
        for state in BEGUN_STATES:
            assert sum(getattr(c, state.value) for c in centers) == counts[state], (day, state)


def test_the_demo_has_no_overdue_group_at_the_end_of_2022_and_some_2023_groups_overdue_today(
        demo_db):
    end_2022 = incubator_selectors.incubations_by_outcome(as_of=D(2022, 12, 31))
    assert end_2022[IncubationState.OVERDUE] == 0 and sum(end_2022.values()) == 278
    begun_2023 = Incubation.objects.filter(started_on__year=2023, ended_on__isnull=True)
    today = {incubation_state(i, timezone.localdate()) for i in begun_2023}
    assert today == {IncubationState.OVERDUE, IncubationState.ONGOING}
    assert demo_incubation.LONG_TERM_MONTHS > demo_incubation.TERM_MONTHS
