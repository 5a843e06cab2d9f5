"""The two records that made a figure and the list it links to disagree: a transferred service
that starts next month, and a filed organization registered (备案转登记) whose legal form stayed
社区社会组织. Each figure and its list now count the same organizations."""

import datetime

import pytest
from django.utils import timezone

from registry.factories import OrganizationFactory, StatusEventFactory, TransferredServiceFactory
from registry.models import LegalForm, StatusEvent
from tests.directory_support import organization, town
from tests.test_figure_lists import figure_links, listed_total, soup
from website.public_pages import ensure_public_pages

D = datetime.date


@pytest.fixture
def pages(db):
    ensure_public_pages()


def home_figure(client, key):
    card = soup(client.get("/")).select_one(f'a[data-figure="{key}"]')
    return int(card["data-figure-count"]), card["href"]


def test_a_service_starting_next_month_counts_in_neither_the_figure_nor_the_list(client, pages):
    xitang = town("330421104", "西塘镇")
    today = timezone.localdate()
    running = organization("嘉善县已承接协会", town=xitang)
    TransferredServiceFactory(organization=running, starts_on=today - datetime.timedelta(days=30))
    upcoming = organization("嘉善县下月承接协会", town=xitang)
    TransferredServiceFactory(organization=upcoming, starts_on=today + datetime.timedelta(days=31))
    count, url = home_figure(client, "service_undertakers")
    assert count == 1
    assert listed_total(client, url) == 1
    # As of the day it starts, it counts in both.
    later = (today + datetime.timedelta(days=31)).isoformat()
    assert listed_total(client, f"{url}&as_of={today.isoformat()}") == 1
    assert client.get("/organizations/", {"services": "yes", "as_of": later}).status_code == 200


def test_a_filed_organization_registered_without_a_new_legal_form_is_registered_in_both(
        client, pages):
    xitang = town("330421104", "西塘镇")
    organization("嘉善县登记协会", town=xitang)
    upgraded = OrganizationFactory(name="西塘镇转登记志愿队", town=xitang,
                                   legal_form=LegalForm.COMMUNITY_ORGANIZATION)
    StatusEventFactory(organization=upgraded, kind=StatusEvent.Kind.FILED, date=D(2018, 3, 1))
    StatusEventFactory(organization=upgraded, kind=StatusEvent.Kind.FILED_TO_REGISTERED,
                       date=D(2021, 5, 1))
    count, url = home_figure(client, "registered")
    assert count == 2
    assert listed_total(client, url) == 2
    filed_count, filed_url = home_figure(client, "filed")
    assert filed_count == listed_total(client, filed_url) == 0
    # Before the upgrade it was filed, in the figure and the list alike.
    stats = figure_links(soup(client.get("/statistics/", {"as_of": "2020-12-31"})))
    assert [(c, listed_total(client, u)) for c, u in stats[:2]] == [(1, 1), (1, 1)]
