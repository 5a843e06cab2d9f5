from django.core import checks

from funds.models import MoneyMovement
from registry.models import Organization
from website import privacy


def test_every_field_of_every_published_model_is_classified():
    errors = [e for e in checks.run_checks() if e.id.startswith("website.")]
    assert errors == []


def test_a_new_unclassified_field_fails_the_system_check(monkeypatch):
    public, private = privacy.CLASSIFICATION["registry.organization"]
    monkeypatch.setitem(
        privacy.CLASSIFICATION, "registry.organization", (public - {"address"}, private)
    )
    errors = privacy.check_every_field_is_classified()
    assert [e.id for e in errors] == ["website.E001"]
    assert "Organization.address" in errors[0].msg


def test_private_fields_are_not_public():
    assert "contact_phone" not in privacy.public_fields(Organization)
    assert "internal_note" not in privacy.public_fields(Organization)
    assert "personal_donor_name" not in privacy.public_fields(MoneyMovement)
    assert {"name", "credit_code", "legal_representative"} <= set(privacy.public_fields(Organization))


def test_public_values_leave_out_private_values():
    org = Organization(name="嘉善县银发互助协会", contact_phone="0573-84000000", internal_note="秘密")
    values = privacy.public_values(org)
    assert values["name"] == "嘉善县银发互助协会"
    assert "0573-84000000" not in values.values() and "秘密" not in values.values()
