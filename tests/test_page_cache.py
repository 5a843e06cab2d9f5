"""The public page cache (website.page_cache): what is stored, what refreshes it, what never is.

Each test reads pages through the whole stack with Django's test client, as a reader would. That
a page came from the cache is shown by what it says: a change written past the model signals
(a queryset update, as a careless script would) stays invisible while the stored copy holds.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from wagtail.models import PageViewRestriction

from registry.models import Organization
from registry.urls_public import organization_url
from tests.directory_support import organization, text_of, town
from tests.redis_support import redis_caches, require_redis
from website.models import ArticlePage, HomePage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pages(public_pages):
    """The public pages, built once for the module (tests/conftest.py)."""


@pytest.fixture
def world():
    luoxing, weitang = town("330421001", "罗星街道"), town("330421002", "魏塘街道")
    return {
        "luoxing": luoxing, "weitang": weitang,
        "a": organization("嘉善县甲乙互助协会", town=luoxing),
        "b": organization("嘉善县丙丁互助协会", town=luoxing),
        "c": organization("嘉善县戊己互助协会", town=weitang),
    }


def quietly_rename(org, name):
    """A write no signal sees: the stored copies do not know about it."""
    Organization.objects.filter(pk=org.pk).update(name=name)


def get(client, url, **headers):
    return client.get(url, headers=headers)


def test_a_second_reading_of_a_public_page_comes_from_the_cache(world):
    client, url = Client(), organization_url(world["a"])
    first = get(client, url)
    assert first.status_code == 200 and first["X-Cache"] == "miss"
    quietly_rename(world["a"], "嘉善县悄悄改名协会")
    second = get(client, url)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content and "悄悄改名" not in text_of(second)
    # The stored copy carries the page's own headers.
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == "zh-hans" and "Cookie" in second["Vary"]


def test_editing_one_organization_refreshes_its_page_its_lists_and_the_figures_only(world):
    a, b, c = world["a"], world["b"], world["c"]
    client = Client()
    urls = {
        "a": organization_url(a), "b": organization_url(b), "c": organization_url(c),
        "directory": "/organizations/", "luoxing": "/organizations/?town=330421001",
        "weitang": "/organizations/?town=330421002", "home": "/", "statistics": "/statistics/",
    }
    for url in urls.values():
        assert get(client, url).status_code == 200
    # Quiet renames of the others: whichever copy refreshes shows them, whichever holds does not.
    quietly_rename(b, "嘉善县乙改协会")
    quietly_rename(c, "嘉善县丙改协会")
    a.name = "嘉善县甲乙互助促进会"
    a.save()  # the write path of the admin's edit view

    fresh = {name: get(client, url) for name, url in urls.items()}
    assert fresh["a"]["X-Cache"] == "miss" and "嘉善县甲乙互助促进会" in text_of(fresh["a"])
    for name in ("directory", "luoxing"):  # the lists that show it
        assert fresh[name]["X-Cache"] == "miss", name
        assert "嘉善县甲乙互助促进会" in text_of(fresh[name]), name
    assert "嘉善县乙改协会" in text_of(fresh["luoxing"])  # rendered again from the records
    for name in ("home", "statistics"):  # the figures that count it
        assert fresh[name]["X-Cache"] == "miss", name
    for name in ("b", "c", "weitang"):  # another organization, another town's list
        assert fresh[name]["X-Cache"] == "hit", name
    assert "嘉善县乙改协会" not in text_of(fresh["b"])
    assert "嘉善县丙改协会" not in text_of(fresh["c"]) and "嘉善县丙改协会" not in text_of(fresh["weitang"])


def test_moving_an_organization_refreshes_both_towns_lists(world):
    client = Client()
    luoxing, weitang = "/organizations/?town=330421001", "/organizations/?town=330421002"
    get(client, luoxing), get(client, weitang)
    a = world["a"]
    a.town = world["weitang"]
    a.save()
    assert "嘉善县甲乙互助协会" not in text_of(get(client, luoxing))
    assert "嘉善县甲乙互助协会" in text_of(get(client, weitang))


def test_a_status_event_refreshes_the_page_and_the_figures(world):
    from registry.models import StatusEvent
    from tests.directory_support import end

    client, url = Client(), organization_url(world["a"])
    before = get(client, url)
    statistics = get(client, "/statistics/")
    end(world["a"], StatusEvent.Kind.DEREGISTERED, on=datetime.date(2024, 3, 1))
    after = get(client, url)
    assert after["X-Cache"] == "miss" and "注销" in text_of(after) and after.content != before.content
    assert get(client, "/statistics/").content != statistics.content


def test_a_matching_conditional_request_gets_304_and_a_changed_page_does_not(world):
    client, url = Client(), organization_url(world["a"])
    first = get(client, url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    same = get(client, url, if_none_match=etag)
    assert same.status_code == 304 and same.content == b"" and same["ETag"] == etag
    assert get(client, url, if_modified_since=modified).status_code == 304
    assert get(client, url, if_none_match='"not-this-one"').status_code == 200
    world["a"].save()
    changed = get(client, url, if_none_match=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_downloads_and_the_api_carry_validators_and_answer_304(world):
    client = Client()
    for url in ("/open-data/organizations.csv?town=330421001", "/api/v1/organizations",
                f"/api/v1/organizations/{world['a'].credit_code}"):
        first = get(client, url)
        assert first.status_code == 200 and first["ETag"], url
        assert get(client, url, if_none_match=first["ETag"]).status_code == 304, url
    detail = f"/api/v1/organizations/{world['a'].credit_code}"
    etag = get(client, detail)["ETag"]
    world["c"].save()  # another town's organization: this detail stays as it was
    assert get(client, detail, if_none_match=etag).status_code == 304
    world["a"].save()
    assert get(client, detail, if_none_match=etag).status_code == 200


def test_each_language_is_stored_apart(world):
    url = organization_url(world["a"])
    chinese = get(Client(), url)
    english = get(Client(), "/en" + url)
    assert english["Content-Language"] == "en" and english.content != chinese.content
    assert english["X-Cache"] == "miss"
    again = get(Client(), "/en" + url)
    assert again["X-Cache"] == "hit" and again.content == english.content
    assert get(Client(), url).content == chinese.content


def staff_client():
    user = User.objects.create_superuser("editor", "editor@example.org", "pw-editor-1")
    client = Client()
    client.force_login(user)
    return client


def test_staff_never_get_or_leave_a_stored_copy(world):
    url = organization_url(world["a"])
    staff = staff_client()
    seen_by_staff = get(staff, url)
    assert seen_by_staff.status_code == 200
    assert "X-Cache" not in seen_by_staff and "ETag" not in seen_by_staff
    anonymous = get(Client(), url)
    assert anonymous["X-Cache"] == "miss"  # the staff reading stored nothing
    quietly_rename(world["a"], "嘉善县悄悄改名协会")
    assert "悄悄改名" in text_of(get(staff, url))  # staff read the records, not the copy
    admin = get(staff, "/admin/")
    assert admin.status_code == 200 and "X-Cache" not in admin and "ETag" not in admin


def test_a_restricted_page_and_a_response_that_sets_a_cookie_are_never_stored():
    home = HomePage.objects.get()
    article = ArticlePage(title="内部通知", slug="internal-notice", date=datetime.date(2026, 1, 5),
                          body="<p>只给工作人员看的通知</p>")
    home.add_child(instance=article)
    article.save_revision().publish()
    restriction = PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.create(name="工作人员")])
    client = Client()
    refused = get(client, article.url)
    assert refused.status_code in (302, 403) and "X-Cache" not in refused
    assert "只给工作人员看的通知" not in refused.content.decode()
    # The language switch sets a cookie: no copy of it is kept for anyone.
    switched = get(client, "/i18n/setlang/?language=en&next=/")
    assert switched.cookies and "X-Cache" not in switched and "ETag" not in switched


def test_hostile_query_strings_are_answered_but_not_stored(world):
    client = Client()
    long = "/organizations/?q=" + "互" * 1000
    response = get(client, long)
    assert response.status_code in (200, 400) and "X-Cache" not in response
    bad = get(client, "/organizations/?town=" + "9" * 40)
    assert bad.status_code == 400 and "X-Cache" not in bad


def test_the_cache_works_the_same_on_redis_shared_by_app_servers(settings, world):
    require_redis()
    settings.CACHES = {**redis_caches(), "pages": redis_caches()["default"]}
    url = organization_url(world["a"])
    assert get(Client(), url)["X-Cache"] == "miss"
    quietly_rename(world["a"], "嘉善县悄悄改名协会")
    assert get(Client(), url)["X-Cache"] == "hit"  # another client, the same stored copy
    world["b"].save()
    assert get(Client(), url)["X-Cache"] == "hit"
    world["a"].refresh_from_db()
    world["a"].save()
    refreshed = get(Client(), url)
    assert refreshed["X-Cache"] == "miss" and "悄悄改名" in text_of(refreshed)


def test_turned_off_nothing_is_stored(settings, world):
    settings.PAGE_CACHE_ENABLED = False
    url = organization_url(world["a"])
    get(Client(), url)
    quietly_rename(world["a"], "嘉善县悄悄改名协会")
    response = get(Client(), url)
    assert "X-Cache" not in response and "悄悄改名" in text_of(response)


def test_the_filter_options_are_computed_once_and_again_after_an_area_changes(settings, world):
    settings.PAGE_CACHE_ENABLED = False  # the memo holds with the whole-page cache off too
    from registry.models import Area

    client = Client()
    assert '<option value="330421002">魏塘街道</option>' in get(client, "/organizations/").content.decode()
    Area.objects.filter(code="330421002").update(name="魏塘街道（悄悄）")
    html = get(client, "/organizations/").content.decode()
    assert '<option value="330421002">魏塘街道</option>' in html  # the options as computed
    assert "魏塘街道（悄悄）" in html  # while the rows are read afresh
    weitang = Area.objects.get(code="330421002")
    weitang.name = "魏塘新街道"
    weitang.save()
    html = get(client, "/organizations/?town=330421002").content.decode()
    assert '<option value="330421002" selected>魏塘新街道</option>' in html


def test_a_page_restricted_after_it_was_stored_is_no_longer_served_to_anyone():
    home = HomePage.objects.get()
    article = ArticlePage(title="先公开后收回的通知", slug="withdrawn-notice",
                          date=datetime.date(2026, 1, 6), body="<p>收回后不应再公开的内容</p>")
    home.add_child(instance=article)
    article.save_revision().publish()
    client = Client()
    assert "收回后不应再公开的内容" in get(client, article.url).content.decode()
    assert get(client, article.url)["X-Cache"] == "hit"
    restriction = PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="pw-notice")
    refused = get(client, article.url)
    assert "收回后不应再公开的内容" not in refused.content.decode() and "X-Cache" not in refused
    restriction.delete()
    assert "收回后不应再公开的内容" in get(client, article.url).content.decode()


def test_a_host_not_allowed_is_refused_before_the_cache_is_read(world):
    response = Client().get(organization_url(world["a"]), HTTP_HOST="attacker.example")
    assert response.status_code == 400 and "X-Cache" not in response


def test_an_edit_in_the_admin_refreshes_the_stored_public_page(world):
    from tests.test_admin import admin_url, form_data

    reader, url = Client(), organization_url(world["a"])
    assert get(reader, url)["X-Cache"] == "miss" and get(reader, url)["X-Cache"] == "hit"
    staff = staff_client()
    edit = admin_url(Organization, "edit", world["a"])
    data = form_data(staff, edit)
    data["name"] = "嘉善县甲乙互助服务中心"
    assert staff.post(edit, data).status_code == 302
    refreshed = get(reader, url)
    assert refreshed["X-Cache"] == "miss" and "嘉善县甲乙互助服务中心" in text_of(refreshed)
