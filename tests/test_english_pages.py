"""The English public pages show the register's labels and taxonomy in English: legal forms,
statuses, event kinds, inspection results, credit lists, field labels, filter options, services,
statistics and the open-data page; areas, service fields and departments by their English names.
The same pages at their Chinese addresses stay Chinese. The records are built from factories;
their own names (organizations, addresses) are data and stay as written."""

import datetime

import pytest

from registry.factories import (
    AnnualInspectionFactory, CountyFactory, CreditListEntryFactory, DepartmentFactory,
    EvaluationGradeFactory, ServiceFieldFactory, StatusEventFactory, TownFactory,
    TransferredServiceFactory, VillageFactory, registered_organization,
)
from registry.filters import OrganizationFilterSet
from registry.models import (
    AnnualInspection, Area, CreditListEntry, LegalForm, Status, StatusEvent, TransferredService,
)
from registry.record import ENDING_MESSAGES, START_DATE_LABELS
from registry.urls_public import organization_url
from tests.english_support import get_chinese, get_english, han, in_chinese, in_english, soup

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def world(public_pages):
    county = CountyFactory(name_en="Jiashan County")
    town = TownFactory(name="西塘镇", name_en="Xitang Town", parent=county)
    village = VillageFactory(parent=town, name="新丰村", name_en="Xinfeng Village",
                             level=Area.Level.VILLAGE)
    field = ServiceFieldFactory(name="养老服务", name_en="Elderly care")
    department = DepartmentFactory(name="嘉善县民政局", name_en="Jiashan County Civil Affairs Bureau")
    org = registered_organization(name="西塘镇书画协会", town=town, village=village,
                                  supervising_unit=department, on=D(2015, 3, 2))
    org.service_fields.set([field])
    org.save()
    StatusEventFactory(organization=org, kind=StatusEvent.Kind.CHANGED, date=D(2018, 5, 1))
    AnnualInspectionFactory(organization=org, year=2021,
                            result=AnnualInspection.Result.BASICALLY_PASSED)
    EvaluationGradeFactory(organization=org, awarded_on=D(2021, 6, 1))
    CreditListEntryFactory(organization=org, listed_on=D(2021, 7, 1),
                           list_kind=CreditListEntry.ListKind.ABNORMAL_ACTIVITY)
    service = TransferredServiceFactory(
        organization=org, department=department, service_fields=[field],
        mode=TransferredService.Mode.DELEGATION, starts_on=D(2021, 1, 1), ends_on=None)
    service.towns.set([town])
    filed = registered_organization(name="西塘镇新丰村睦邻互助队", town=town, village=village,
                                    legal_form=LegalForm.COMMUNITY_ORGANIZATION, on=D(2019, 4, 1))
    ended = registered_organization(name="西塘镇已注销协会", town=town, on=D(2012, 1, 5))
    StatusEventFactory(organization=ended, kind=StatusEvent.Kind.DEREGISTERED, date=D(2022, 6, 1))
    return {"town": town, "village": village, "field": field, "department": department,
            "org": org, "filed": filed, "ended": ended, "service": service}


def facts(dl):
    """{label: text} of a <dl> of facts."""
    return {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
            for dt in dl.find_all("dt")}


def test_the_organization_page_reads_in_english(client, world):
    org = world["org"]
    page = soup(get_english(client, organization_url(org)))

    top = page.select_one("article dl.facts")
    labels = facts(top)
    assert labels[in_english(START_DATE_LABELS[StatusEvent.Kind.REGISTERED])] == "2015-03-02"
    assert in_english(LegalForm.SOCIAL_GROUP.label) in labels.values()
    assert page.select_one(".org-status .tag[data-status]").get_text(strip=True) == \
        in_english(Status.REGISTERED.label)
    assert page.select_one('.org-status [data-credit-list="abnormal_activity"]').get_text(
        strip=True) == in_english(CreditListEntry.ListKind.ABNORMAL_ACTIVITY.label)

    basic = facts(page.select_one("#basic dl.facts"))
    assert all(not han(label) for label in basic), list(basic)
    shown = set(basic.values())
    assert {"Xitang Town", "Xinfeng Village", "Jiashan County Civil Affairs Bureau",
            "Elderly care"} <= shown
    kinds = [strong.get_text(strip=True) for strong in page.select("#history .timeline strong")]
    assert kinds == [in_english(StatusEvent.Kind.REGISTERED.label),
                     in_english(StatusEvent.Kind.CHANGED.label)]
    results = [row.find("td").get_text(strip=True)
               for row in page.select("#supervision table")[0].select("tbody tr")]
    assert results == [in_english(AnnualInspection.Result.BASICALLY_PASSED.label)]

    services = facts(page.select_one("#services dl"))
    assert all(not han(label) for label in services), list(services)
    assert in_english(TransferredService.Mode.DELEGATION.label) in services.values()
    assert {"Jiashan County Civil Affairs Bureau", "Elderly care", "Xitang Town"} <= set(
        services.values())
    headings = [h.get_text(strip=True) for h in page.select("main h2, main h3[id], main th[scope=col]")]
    assert all(not han(text) for text in headings), headings


def test_the_same_page_at_its_chinese_address_stays_chinese(client, world):
    org = world["org"]
    get_english(client, organization_url(org))
    page = soup(get_chinese(client, organization_url(org)))
    basic = facts(page.select_one("#basic dl.facts"))
    assert basic["所属镇街"] == "西塘镇" and basic["业务主管单位"] == "嘉善县民政局"
    assert in_chinese(LegalForm.SOCIAL_GROUP.label) in facts(page.select_one("article dl.facts")).values()
    assert "成立登记日期" in facts(page.select_one("article dl.facts"))


def test_an_ended_organization_says_so_in_one_english_sentence(client, world):
    page = soup(get_english(client, organization_url(world["ended"])))
    message = page.select_one('.message[data-status="deregistered"]').get_text(" ", strip=True)
    expected = in_english(ENDING_MESSAGES[StatusEvent.Kind.DEREGISTERED]) % {
        "date": "2022-06-01", "status": in_english(Status.DEREGISTERED.label)}
    assert message == expected and not han(message)


def test_the_directory_filters_and_rows_are_english(client, world):
    page = soup(get_english(client, "/organizations/", town=world["town"].code))
    form = page.select_one("form.directory-filters")
    options = {select["name"]: [o.get_text(strip=True) for o in select.find_all("option")]
               for select in form.find_all("select")}
    assert all(not han(text) for values in options.values() for text in values), options
    assert "Xitang Town" in options["town"] and "Xinfeng Village" in options["village"]
    assert "Elderly care" in options["field"]
    assert in_english(LegalForm.COMMUNITY_ORGANIZATION.label) in options["legal_form"]
    assert in_english(CreditListEntry.ListKind.SERIOUS_VIOLATION.label) in options["credit_list"]
    labels = [label.get_text(strip=True) for label in form.find_all("label")]
    assert labels and all(not han(text) for text in labels), labels
    # The filter in use is named as the options name it, in a phrase of the page's language.
    chosen = [tag.get_text(strip=True) for tag in page.select("ul.tags .tag")]
    assert chosen == [f"{in_english(OrganizationFilterSet.base_filters['town'].label)}: Xitang Town"]

    rows = {card.h3.get_text(strip=True): facts(card.dl) for card in page.select("li.record")}
    filed = rows[world["filed"].name]
    assert "Xitang Town · Xinfeng Village" in filed.values()
    assert in_english(LegalForm.COMMUNITY_ORGANIZATION.label) in filed.values()
    assert all(not han(label) for label in filed), list(filed)


def test_the_services_catalog_and_coverage_are_english(client, world):
    page = soup(get_english(client, "/services/"))
    options = [o.get_text(strip=True) for o in page.select("form select option")]
    assert "Jiashan County Civil Affairs Bureau" in options and "Elderly care" in options
    assert in_english(TransferredService.Mode.PURCHASE.label) in options
    assert all(not han(text) for text in options), options
    record = facts(page.select_one("li.record dl"))
    assert all(not han(label) for label in record), list(record)
    assert {"Jiashan County Civil Affairs Bureau", "Elderly care", "Xitang Town"} <= set(
        record.values())

    coverage = soup(get_english(client, "/services/coverage/", year="2022"))
    heads = [th.get_text(strip=True) for th in coverage.select("table th")]
    assert "Xitang" in heads and "Elderly care" in heads
    assert all(not han(text) for text in heads), heads


def test_the_statistics_tables_are_english(client, world):
    page = soup(get_english(client, "/statistics/"))
    forms = [th.get_text(strip=True) for th in page.select("#forms-caption ~ tbody th")]
    assert in_english(LegalForm.SOCIAL_GROUP.label) in forms
    towns = [th.get_text(strip=True) for th in page.select("#towns-caption ~ tbody th")]
    assert "Xitang Town" in towns
    fields = [th.get_text(strip=True) for th in page.select("#fields-caption ~ tbody th")]
    assert fields == ["Elderly care"]
    cells = forms + towns + fields + [th.get_text(strip=True) for th in page.select("main th")]
    assert all(not han(text) for text in cells), cells


def test_the_open_data_page_is_english(client, world):
    page = soup(get_english(client, "/open-data/"))
    main = page.find("main")
    assert han(main.get_text(" ")) == []
    parameters = [dd.get_text(strip=True) for dd in main.select("#api ~ section dl.facts dd")]
    assert parameters and all(not han(text) for text in parameters)
