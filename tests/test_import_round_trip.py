"""The admin's spreadsheet export of organizations, imported back, changes nothing."""

import pytest
from django.core.management import call_command

from registry.models import Organization
from tests.test_admin import admin_url
from website.importer.engine import run_import
from website.importer.kinds import get_kind

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_exported_organizations_import_back_with_zero_changes(admin_client, export_format):
    call_command("load_demo", verbosity=0)
    response = admin_client.get(admin_url(Organization, "index"), {"export": export_format})
    assert response.status_code == 200
    exported = b"".join(response.streaming_content) if response.streaming else response.content
    before = list(Organization.objects.order_by("pk").values())

    result = run_import(kind=get_kind("organizations"), file_name=f"export.{export_format}",
                        data=exported, commit=True)

    assert result.ok, (result.file_error, result.errors[:5])
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == result.total_rows == Organization.objects.count() > 3000
    assert list(Organization.objects.order_by("pk").values()) == before
