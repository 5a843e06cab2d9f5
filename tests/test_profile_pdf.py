"""An organization's profile PDF: its public record, nothing private."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from funds.factories import MoneyMovementFactory
from registry.factories import EvaluationGradeFactory, registered_organization
from tests.pdf import pdf_language, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_reset():
    """A request leaves its page's language active in the test's thread: not for the next test."""
    yield
    translation.deactivate()


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


def test_the_profile_pdf_is_in_the_language_of_its_address(client):
    org = registered_organization(name="嘉善县银发互助协会", on=datetime.date(2016, 4, 1))
    EvaluationGradeFactory(organization=org, grade=4, awarded_on=datetime.date(2021, 6, 1))
    grant = MoneyMovementFactory(kind="grant_out", grantee=org, amount=12345, project="助老项目",
                                 counterparty_kind="organization", counterparty=org.name)
    with translation.override("en"):
        url = reverse("organization_profile_pdf", args=[org.credit_code])
        headings = [gettext(m) for m in ("评估等级", "获得资助", "登记备案事项", "本页仅含公开信息，由登记管理记录自动生成。")]
        status = gettext("正常（登记）")
        current = gettext("当前状态：%(status)s（截至%(date)s）") % {
            "status": status, "date": date_format(timezone.localdate(), "DATE_FORMAT")}
    assert url.startswith("/en/")
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    text = one_line(pdf_text(pdf))
    assert "嘉善县银发互助协会" in text and org.credit_code in text  # record data, as kept
    assert current in text and status != "正常（登记）"
    assert all(heading in text for heading in headings)
    for chinese in ("当前状态", "评估等级", "获得资助", "登记备案事项", "本页仅含公开信息", "页 / 共"):
        assert chinese not in text
    # Chinese is left only in record data: the organization's own values and its grant's.
    records = [value for value in vars(org).values() if isinstance(value, str)]
    records += [org.town.name, grant.project, str(grant.special_fund or grant.foundation)]
    runs = re.findall("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+", text)
    assert runs and [run for run in runs if not any(run in record for record in records)] == []
    assert pdf_language(pdf) == "en"

    with translation.override("zh-hans"):  # a request leaves its language active in this thread
        url = reverse("organization_profile_pdf", args=[org.credit_code])
    chinese = one_line(pdf_text(client.get(url).content))
    assert "当前状态：正常（登记）" in chinese and "评估等级" in chinese and "第 1 页 / 共 1 页" in chinese
