"""People are named family name first (张三, not "三 张") wherever the admin shows a user: the
sidebar, the users list, history, locks, the staff scopes and the columns that print a user."""

import json

import pytest
from django.urls import reverse
from wagtail.test.utils import WagtailTestUtils

from registry.factories import TownFactory, registered_organization
from registry.models import Organization
from tests.test_admin import admin_url
from website import roles
from website.admin_names import full_name
from website.models import StaffScope

pytestmark = pytest.mark.django_db


def test_the_rule():
    assert full_name("三", "张") == "张三"
    assert full_name("建国", "欧阳") == "欧阳建国"
    assert full_name("", "张") == "张"
    assert full_name("John", "Smith") == "John Smith"
    assert full_name("", "") == ""


@pytest.fixture
def zhang(django_user_model):
    return django_user_model.objects.create_superuser(
        "zhangsan", password="pw", first_name="三", last_name="张")


@pytest.fixture
def zhang_client(client, zhang):
    client.force_login(zhang)
    return client


def test_the_user_model_names_people_family_name_first(zhang, django_user_model):
    assert zhang.get_full_name() == "张三"
    assert zhang.get_short_name() == "张三"
    assert str(zhang) == "张三"
    nameless = django_user_model.objects.create_user("nobody")
    assert str(nameless) == "nobody"
    smith = django_user_model.objects.create_user("js", first_name="John", last_name="Smith")
    assert smith.get_full_name() == "John Smith" and smith.get_short_name() == "John"


def test_the_sidebar_greets_the_whole_name(zhang_client):
    page = zhang_client.get(reverse("wagtailadmin_home")).content.decode()
    props = WagtailTestUtils.get_soup(page).find(id="wagtail-sidebar-props").string
    assert '"name": "张三"' in json.dumps(json.loads(props), ensure_ascii=False)


def test_the_users_list_and_history_and_lock_name_the_user(zhang_client):
    users = zhang_client.get("/admin/users/").content.decode()
    assert "张三" in users and "三 张" not in users
    org = registered_organization(town=TownFactory())
    assert zhang_client.post(admin_url(Organization, "lock", org)).status_code == 302
    history = zhang_client.get(admin_url(Organization, "history", org)).content.decode()
    assert "张三" in history and "三 张" not in history
    edit = zhang_client.get(admin_url(Organization, "edit", org)).content.decode()
    assert "张三" in edit and "三 张" not in edit


def test_staff_scopes_name_the_person_and_the_account(zhang_client, django_user_model):
    town = TownFactory(name="西塘镇")
    li = django_user_model.objects.create_user("lisi", first_name="四", last_name="李")
    li.groups.add(roles.ensure_role_groups()[roles.TOWN_STAFF])
    StaffScope.objects.create(user=li, town=town)
    listing = zhang_client.get(admin_url(StaffScope, "index")).content.decode()
    assert "李四\uff08lisi\uff09" in listing
    form = zhang_client.get(admin_url(StaffScope, "add")).content.decode()
    assert "张三\uff08zhangsan\uff09" in form
