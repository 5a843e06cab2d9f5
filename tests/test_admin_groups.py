"""The staff groups are the project's four roles: Wagtail's default "Moderators" and "Editors"
groups, which its migrations create, are removed while nobody is in them."""

import importlib
import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command

from website import roles

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("website.migrations.0007_remove_wagtail_default_groups")


def group_names():
    return set(Group.objects.values_list("name", flat=True))


def test_a_fresh_migrate_leaves_no_wagtail_default_group():
    # The test database was built by running every migration, as `migrate` does.
    assert not group_names() & {"Moderators", "Editors"}


def test_migrate_and_setup_roles_leave_exactly_the_four_roles():
    call_command("setup_roles", stdout=io.StringIO())
    assert group_names() == set(roles.ROLE_PERMISSIONS)
    call_command("setup_roles", stdout=io.StringIO())  # again: nothing changes
    assert group_names() == set(roles.ROLE_PERMISSIONS)


def test_a_default_group_somebody_is_in_is_kept(django_user_model):
    editors = Group.objects.create(name="Editors")
    Group.objects.create(name="Moderators")
    django_user_model.objects.create_user("editor", password="pw").groups.add(editors)
    call_command("setup_roles", stdout=io.StringIO())
    assert group_names() == set(roles.ROLE_PERMISSIONS) | {"Editors"}


def test_the_migration_removes_only_empty_default_groups(django_user_model):
    moderators = Group.objects.create(name="Moderators")
    Group.objects.create(name="Editors")
    Group.objects.create(name="Editors of the newsletter")
    django_user_model.objects.create_user("moderator", password="pw").groups.add(moderators)
    MIGRATION.remove_empty_wagtail_groups(apps, schema_editor=None)
    assert group_names() == {"Moderators", "Editors of the newsletter"}
