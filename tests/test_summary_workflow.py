"""Publishing an annual summary after a confirmation page, withdrawing a published version with a
reason, and what the public then sees: through the admin and the public list, in both languages."""

import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.timezone import localtime
from django.utils.translation import gettext
from wagtail.users.models import UserProfile

from website.summaries.models import AnnualSummary
from website.summaries.services import (
    SummaryRequestError, publish_summary, request_summary, withdraw_summary,
)

pytestmark = pytest.mark.django_db
REASON = "第3章的年检数字统计口径有误，已在第2版更正。"


@pytest.fixture(autouse=True)
def _language_reset():
    """A request leaves its page's language active in the test's thread: not for the next test."""
    yield
    translation.deactivate()


def download(client, summary):
    response = client.get(reverse("summary_download", args=[summary.pk]))
    return response.status_code, b"".join(response.streaming_content) if response.status_code == 200 else b""


def public_rows(client, url=None):
    """The public list's rows by the version each downloads: {pk: the row's visible text}."""
    page = client.get(url or reverse("summary_list")).content.decode()
    rows = re.findall(r"<tr(?: class=\"withdrawn\")?>\s*<td>.*?</tr>", page, re.S)
    return {int(re.search(r"/summaries/(\d+)/download/", row).group(1)):
            " ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows}, page


def test_publishing_in_the_admin_goes_through_a_confirmation_page(demo, admin_client):
    draft = request_summary(year=2022)
    index = admin_client.get(reverse("summaries_admin:index")).content.decode()
    publish = reverse("summaries_admin:publish", args=[draft.pk])
    assert f'href="{publish}"' in index

    page = admin_client.get(publish).content.decode()
    assert draft.title in page and draft.sha256 in page and "确认发布" in page and "取消" in page
    assert "不可再修改或替换" in page
    draft.refresh_from_db()
    assert draft.state == "draft"  # looking is not publishing

    # A form posted without the checksum the page shows (an old list's button) publishes nothing.
    refused = admin_client.post(publish, {})
    assert refused.status_code == 200 and "请先在本页核对报告，再确认发布。" in refused.content.decode()
    refused = admin_client.post(publish, {"sha256": "0" * 64})
    assert "PDF文件与生成时的校验值不符" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.state == "draft" and draft.published_at is None

    done = admin_client.post(publish, {"sha256": draft.sha256}, follow=True)
    assert f"已发布：{draft}" in done.content.decode()
    draft.refresh_from_db()
    assert draft.state == "published" and draft.published_by.username == "admin"
    again = admin_client.get(publish, follow=True).content.decode()
    assert "不是待审核的草稿（当前状态：已发布），不能发布。" in again


def test_a_withdrawal_needs_a_reason_and_leaves_the_version_listed_and_downloadable(demo, admin_client, client):
    first = publish_summary(summary=request_summary(year=2022))
    status, original = download(client, first)
    assert status == 200 and hashlib.sha256(original).hexdigest() == first.sha256

    withdraw = reverse("summaries_admin:withdraw", args=[first.pk])
    assert f'href="{withdraw}"' in admin_client.get(reverse("summaries_admin:index")).content.decode()
    form = admin_client.get(withdraw).content.decode()
    assert first.title in form and "撤回原因" in form and "确认撤回" in form
    for blank in ("", "  \n "):
        refused = admin_client.post(withdraw, {"reason": blank})
        assert refused.status_code == 200 and "请填写撤回原因。" in refused.content.decode()
    first.refresh_from_db()
    assert first.state == "published" and first.withdrawal_reason == ""

    done = admin_client.post(withdraw, {"reason": REASON}, follow=True).content.decode()
    assert "已撤回：" in done and REASON in done
    first.refresh_from_db()
    assert first.state == "withdrawn" and first.withdrawn_by.username == "admin"
    assert first.withdrawal_reason == REASON and first.withdrawn_at is not None

    # Publicly: listed as withdrawn, with the date and the reason, and the same file.
    rows, page = public_rows(client)
    assert "尚无已发布的年度报告" not in page
    row = rows[first.pk]
    assert "已撤回" in row and REASON in row and localtime(first.withdrawn_at).strftime("%Y-%m-%d") in row
    assert "现行版本" not in row
    assert download(client, first) == (200, original)

    # The next published version of the same year, town and language is the current one.
    second = publish_summary(summary=request_summary(year=2022))
    assert second.version == 2
    rows, _page = public_rows(client)
    new_row, old_row = rows[second.pk], rows[first.pk]
    assert "现行版本" in new_row and "已撤回" not in new_row
    assert "已撤回" in old_row and "现行版本为第2版。" in old_row

    # A withdrawn file is checked as a published one is: a changed file is not served.
    with open(first.file.path, "ab") as handle:
        handle.write(b"%")
    assert download(client, first)[0] == 404
    assert download(client, second)[0] == 200


def test_only_the_withdrawal_may_change_a_published_version_and_then_nothing(demo):
    draft = request_summary(year=2022)
    with pytest.raises(SummaryRequestError, match="只有已发布的年度报告才能撤回"):
        withdraw_summary(summary=draft, reason=REASON)
    published = publish_summary(summary=draft)
    with pytest.raises(SummaryRequestError, match="请填写撤回原因。"):
        withdraw_summary(summary=published, reason="   ")
    published.refresh_from_db()
    assert published.state == "published"

    # Saved directly, a published row takes no other change, nor a withdrawal without a reason.
    for change in ({"state": "withdrawn"}, {"withdrawal_reason": REASON}, {"page_count": 1},
                   {"message": "改过"}, {"file": "summaries/other.pdf"}):
        row = AnnualSummary.objects.get(pk=published.pk)
        for name, value in change.items():
            setattr(row, name, value)
        with pytest.raises(Exception, match="已发布的年度报告|须注明撤回时间和原因"):
            row.save()

    withdrawn = withdraw_summary(summary=published, reason=REASON)
    assert withdrawn.file.name == published.file.name and withdrawn.sha256 == published.sha256
    for change in ({"state": "published"}, {"withdrawal_reason": "另一个原因"}, {"sha256": "0" * 64}):
        row = AnnualSummary.objects.get(pk=withdrawn.pk)
        for name, value in change.items():
            setattr(row, name, value)
        with pytest.raises(Exception, match="不可修改"):
            row.save()
    with pytest.raises(SummaryRequestError, match="只有已发布的年度报告才能撤回"):
        withdraw_summary(summary=withdrawn, reason="再撤一次")
    stored = AnnualSummary.objects.get(pk=withdrawn.pk)
    assert (stored.state, stored.withdrawal_reason) == ("withdrawn", REASON)


def test_staff_choose_the_language_and_each_language_has_its_own_versions(demo, admin_client, client):
    index = reverse("summaries_admin:index")
    form = admin_client.get(index).content.decode()
    assert 'name="language"' in form and 'value="en"' in form
    admin_client.post(index, {"year": "2022", "town": "", "language": "en"})
    admin_client.post(index, {"year": "2022", "town": "", "language": "zh-hans"})
    english = AnnualSummary.objects.get(language="en")
    chinese = AnnualSummary.objects.get(language="zh-hans")
    assert (english.version, chinese.version, english.state, chinese.state) == (1, 1, "draft", "draft")
    for summary in (english, chinese):
        admin_client.post(reverse("summaries_admin:publish", args=[summary.pk]), {"sha256": summary.sha256})

    rows, page = public_rows(client)
    assert page.index("中文版") < page.index(chinese.title) < page.index("英文版") < page.index(english.title)
    assert english.title in rows[english.pk] and "现行版本" in rows[english.pk]
    assert chinese.title in rows[chinese.pk] and "现行版本" in rows[chinese.pk]
    assert not re.search("[\u4e00-\u9fff]", english.title)
    assert english.download_name.endswith(".pdf") and not re.search("[\u4e00-\u9fff]", english.download_name)

    # The English page lists the same versions, in English.
    with translation.override("en"):
        url = reverse("summary_list")
        labels = [gettext(m) for m in ("年度报告", "中文版", "英文版", "现行版本", "发布日期")]
    assert url.startswith("/en/")
    rows, page = public_rows(client, url)
    assert all(label in page for label in labels)
    assert "现行版本" not in page and "发布日期" not in page
    assert len(rows) == 2


def test_the_summaries_admin_speaks_the_staff_members_language(demo, admin_client, admin_user):
    summary = publish_summary(summary=request_summary(year=2022, language="en"))
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    with translation.override("en"):
        labels = [gettext(m) for m in ("生成草稿", "语言", "撤回…", "查看PDF", "已发布", "全县")]
        withdraw_labels = [gettext(m) for m in ("撤回原因", "确认撤回", "请填写撤回原因。")]
    page = admin_client.get(reverse("summaries_admin:index")).content.decode()
    assert all(label in page for label in labels)
    assert "生成草稿" not in page and "查看PDF" not in page
    refused = admin_client.post(reverse("summaries_admin:withdraw", args=[summary.pk]), {"reason": ""})
    assert all(label in refused.content.decode() for label in withdraw_labels)
