"""PDF annual summaries: right figures, embedded CJK font, frozen once published."""

import datetime
import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from registry.models import Organization, StatusEvent
from registry.services import save_status_events
from tests.pdf import pdf_fonts, pdf_info, pdf_language, pdf_text
from website.summaries.fonts import MissingFontError
from website.summaries.models import AnnualSummary
from website.summaries.services import (
    SummaryRequestError, build_pdf, find_town, publish_summary, request_summary,
)

pytestmark = pytest.mark.django_db
# `demo` (tests/conftest.py) loads the Jiashan demo once for the module; each test rolls back.


def one_line(text):
    return " ".join(text.split())


def test_county_summary_2022_carries_the_reference_figures(demo, tmp_path):
    path = tmp_path / "2022.pdf"
    call_command("build_summary", year=2022, output=str(path))
    pdf = path.read_bytes()
    text = one_line(pdf_text(pdf, layout=True))
    assert "登记社会组织 555" in text
    assert "备案社区社会组织 2,590" in text
    assert "承接政府转移职能的社会组织（累计） 155" in text
    assert "累计孵化社会组织（团队） 278" in text
    assert "在设专项基金 30" in text
    plain = one_line(pdf_text(pdf))
    sentences = "".join(plain.split())  # a Chinese line may break anywhere
    assert "9个镇（街道）中9个设有培育发展中心" in sentences
    assert "9个镇（街道）中9个设有社区发展基金会" in sentences
    assert "第 1 页 / 共" not in plain  # the cover carries no footer
    assert "第 3 页 / 共" in plain
    fonts = pdf_fonts(path)
    assert "Noto-Sans-CJK-SC" in fonts
    cjk_rows = [row for row in fonts.splitlines() if "CJK" in row]
    assert cjk_rows and all(" yes yes yes " in row for row in cjk_rows)  # embedded, subset, unicode
    info = pdf_info(path)
    assert info["Title"].strip() == "嘉善县2022年度社会组织与社区基金年度报告"
    assert info["Author"].strip() == "嘉善县民政局"
    assert pdf_language(pdf) == "zh-CN"


def test_private_fields_never_reach_the_summary(demo):
    pdf, _pages = build_pdf(year=2022)
    text = one_line(pdf_text(pdf))
    phones = Organization.objects.exclude(contact_phone="").values_list("contact_phone", flat=True)[:200]
    assert not [p for p in phones if p in text]
    from funds.models import MoneyMovement
    donors = MoneyMovement.objects.exclude(personal_donor_name="").values_list("personal_donor_name", flat=True)
    assert donors and not [d for d in donors if d in text]


def test_town_summary_has_that_towns_organizations_and_no_other(demo):
    town = find_town("西塘")
    pdf, _pages = build_pdf(year=2022, town=town)
    text = one_line(pdf_text(pdf))
    listed_in_appendix = StatusEvent.objects.filter(
        kind__in=["registered", "filed_to_registered", "deregistered", "revoked"], date__year=2022
    ).select_related("organization")
    own = [e.organization.name for e in listed_in_appendix if e.organization.town_id == town.pk]
    others = [e.organization.name for e in listed_in_appendix if e.organization.town_id != town.pk]
    assert own and all(name in text for name in own)
    assert others and not [name for name in others if name in text]
    assert "西塘镇2022年度社会组织与社区基金年度报告" in text


def test_published_summary_stays_byte_for_byte_the_same(demo, client):
    draft = request_summary(year=2022)
    assert (draft.state, draft.progress, draft.version) == ("draft", 100, 1)
    published = publish_summary(summary=draft)
    first = b"".join(client.get(reverse("summary_download", args=[published.pk])).streaming_content)
    assert hashlib.sha256(first).hexdigest() == published.sha256

    # Records change after publication: a 2022 deregistration and a renamed organization.
    org = Organization.objects.filter(
        status_events__kind=StatusEvent.Kind.REGISTERED, status_events__date__year=2022
    ).first()
    org.name = "嘉善县改名后的测试协会"
    org.save()
    save_status_events(events=[StatusEvent(organization=org, kind=StatusEvent.Kind.DEREGISTERED,
                                           date=datetime.date(2022, 12, 30))])

    again = b"".join(client.get(reverse("summary_download", args=[published.pk])).streaming_content)
    assert again == first
    assert "嘉善县改名后的测试协会" not in one_line(pdf_text(again))

    # Generating again makes a new version that shows the change; the first is kept and listed.
    second = request_summary(year=2022)
    assert second.version == 2 and second.state == "draft"
    assert "嘉善县改名后的测试协会" in one_line(pdf_text(second.file.open("rb").read()))
    publish_summary(summary=second)
    listing = client.get(reverse("summary_list")).content.decode()
    assert "第1版" in listing and "第2版" in listing
    published.refresh_from_db()
    assert published.state == "published"
    assert b"".join(client.get(reverse("summary_download", args=[published.pk])).streaming_content) == first


def test_published_summary_cannot_be_overwritten(demo):
    summary = publish_summary(summary=request_summary(year=2022))
    summary.sha256 = "0" * 64
    with pytest.raises(Exception, match="已发布的年度报告不可修改"):
        summary.save()


def test_drafts_are_not_public(demo, client):
    draft = request_summary(year=2022)
    assert client.get(reverse("summary_download", args=[draft.pk])).status_code == 404
    assert "尚无已发布的年度报告" in client.get(reverse("summary_list")).content.decode()


@pytest.mark.parametrize("year, town, message", [
    (2030, None, "2030年是未来年份，不能生成年度报告。"),
    (2001, None, "全县在2001年末以前没有任何登记、孵化或资金记录，无法生成年度报告。"),
])
def test_impossible_years_are_refused_clearly(demo, tmp_path, year, town, message):
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match=message):
        call_command("build_summary", year=year, output=str(out))
    assert not out.exists()
    assert not AnnualSummary.objects.exists()


def test_unfinished_current_year_is_refused(demo):
    from django.utils import timezone

    with pytest.raises(SummaryRequestError, match="尚未结束"):
        request_summary(year=timezone.localdate().year)
    assert not AnnualSummary.objects.exists()


def test_unknown_town_is_refused_with_the_choices(demo, tmp_path):
    with pytest.raises(CommandError, match="镇街“火星镇”不存在。可选：罗星街道、"):
        call_command("build_summary", year=2022, town="火星镇", output=str(tmp_path / "x.pdf"))


def test_missing_cjk_font_is_reported_before_rendering(demo, tmp_path, monkeypatch):
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?><fontconfig></fontconfig>')
    monkeypatch.setenv("FONTCONFIG_FILE", str(empty))
    with pytest.raises(MissingFontError, match="fonts-noto-cjk"):
        build_pdf(year=2022)
    with pytest.raises(CommandError, match="未安装中文字体"):
        call_command("build_summary", year=2022, output=str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_staff_generate_review_and_publish_in_the_admin(demo, admin_client):
    index = reverse("summaries_admin:index")
    response = admin_client.post(index, {"year": "2022", "town": ""}, follow=True)
    assert response.status_code == 200
    summary = AnnualSummary.objects.get()
    assert summary.state == "draft" and summary.progress == 100
    page = response.content.decode()
    assert "草稿（待审核）" in page and "审核通过并发布" in page
    pdf = admin_client.get(reverse("summaries_admin:file", args=[summary.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    publish = reverse("summaries_admin:publish", args=[summary.pk])
    assert f'href="{publish}"' in page  # a link to the confirmation page, not a button that publishes
    confirmation = admin_client.get(publish).content.decode()
    assert summary.sha256 in confirmation and "确认发布" in confirmation
    admin_client.post(publish, {"sha256": summary.sha256})
    summary.refresh_from_db()
    assert summary.state == "published" and summary.published_by.username == "admin"


def test_admin_refuses_a_future_year_with_a_message(demo, admin_client):
    response = admin_client.post(reverse("summaries_admin:index"), {"year": "2031", "town": ""})
    assert "2031年是未来年份" in response.content.decode()
    assert not AnnualSummary.objects.exists()


def test_an_unknown_language_is_refused_with_the_choices(demo, tmp_path):
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match="不支持的语言“fr”。可选：zh-hans、en。"):
        call_command("build_summary", year=2022, language="fr", output=str(out))
    assert not out.exists()
