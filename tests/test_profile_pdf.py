"""An organization's profile PDF: its public record, nothing private."""

import datetime

import pytest
from django.urls import reverse

from funds.factories import MoneyMovementFactory
from registry.factories import EvaluationGradeFactory, registered_organization
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def one_line(text):
    return " ".join(text.split())


def test_organization_profile_shows_its_public_record_and_nothing_private(client):
    org = registered_organization(name="嘉善县银发互助协会", on=datetime.date(2016, 4, 1),
                                  contact_phone="0573-84009999", internal_note="内部备注不得公开")
    EvaluationGradeFactory(organization=org, grade=4, awarded_on=datetime.date(2021, 6, 1))
    MoneyMovementFactory(kind="grant_out", grantee=org, amount=12345, project="助老项目",
                         counterparty_kind="organization", counterparty=org.name)
    response = client.get(reverse("organization_profile_pdf", args=[org.credit_code.lower()]))
    assert response["Content-Type"] == "application/pdf"
    text = one_line(pdf_text(response.content))
    assert "嘉善县银发互助协会" in text and org.credit_code in text
    assert "当前状态：正常（登记）" in text
    assert "4A" in text and "2026-05-31" in text and "12,345.00" in text
    assert "0573-84009999" not in text and "内部备注不得公开" not in text
    assert client.get(reverse("organization_profile_pdf", args=["X" * 200])).status_code == 404
