"""The admin's spreadsheet export of organizations, imported back, changes nothing."""

import pytest

from registry.models import Organization
from tests.test_admin import admin_url
from website.importer.engine import run_import
from website.importer.kinds import get_kind

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_exported_organizations_import_back_with_zero_changes(demo, admin_client, export_format):
    # Text a spreadsheet would run as a formula is exported with a leading ' (and read back).
    first, second = Organization.objects.order_by("pk")[:2]
    Organization.objects.filter(pk=first.pk).update(contact_phone="+86-573-84001234",
                                                    business_scope="-为老服务\n=组织活动")
    Organization.objects.filter(pk=second.pk).update(address="@嘉善县罗星街道")
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
