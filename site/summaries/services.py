"""Generating, storing, publishing and withdrawing annual summaries."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _, gettext_noop

from funds.models import MoneyMovement
from incubator.models import Incubation
from registry.models import Area, StatusEvent

from .context import summary_context, year_end
from .models import AnnualSummary
from .render import html_to_pdf, render_html
from .selectors import published_summaries  # noqa: F401  (read here by the statistics page)

TEMPLATE = "summaries/annual_summary.html"
# Progress notes, stored as message ids and translated when shown.
COLLECTING = gettext_noop("正在汇总数据")
TYPESETTING = gettext_noop("正在排版PDF")
DRAFTED = gettext_noop("草稿已生成，待审核发布")
PUBLISHED = gettext_noop("已发布")


class SummaryRequestError(ValidationError):
    """A summary that cannot be made or changed (the message says why, in the staff's language)."""


def find_town(name):
    """The town-level Area called `name` (with or without its 镇/街道 suffix)."""
    name = (name or "").strip()
    towns = list(Area.objects.filter(level__in=Area.TOWN_LEVELS).order_by("code"))
    for town in towns:
        if name in (town.name, town.short_name):
            return town
    raise SummaryRequestError(
        _("镇街“%(name)s”不存在。可选：%(choices)s。"),
        params={"name": name, "choices": "\u3001".join(t.name for t in towns) or _("（尚无镇街数据）")},
    )


def check_language(language):
    if language not in dict(settings.LANGUAGES):
        raise SummaryRequestError(
            _("不支持的语言“%(language)s”。可选：%(choices)s。"),
            params={"language": language, "choices": "\u3001".join(dict(settings.LANGUAGES))},
        )


def check_request(*, year, town=None):
    """Refuse a future or unfinished year, and a year with no records."""
    today = timezone.localdate()
    if year > today.year:
        raise SummaryRequestError(_("%(year)s年是未来年份，不能生成年度报告。"), params={"year": year})
    if year == today.year:
        raise SummaryRequestError(
            _("年度报告按12月31日统计，%(year)s年尚未结束，暂不能生成。"), params={"year": year}
        )
    as_of = year_end(year)
    records = [
        StatusEvent.objects.filter(date__lte=as_of, **({"organization__town": town} if town else {})),
        Incubation.objects.filter(started_on__lte=as_of, **({"center__area": town} if town else {})),
        MoneyMovement.objects.filter(date__lte=as_of, **({"foundation__area": town} if town else {})),
    ]
    if not any(qs.exists() for qs in records):
        raise SummaryRequestError(
            _("%(place)s在%(year)s年末以前没有任何登记、孵化或资金记录，无法生成年度报告。"),
            params={"place": town.name if town else _("全县"), "year": year},
        )


def summary_html(*, year, town=None, language=settings.LANGUAGE_CODE):
    """The summary as the HTML WeasyPrint sets, every label in `language`."""
    with translation.override(language):
        return render_html(template=TEMPLATE, context=summary_context(year=year, town=town))


def build_pdf(*, year, town=None, language=settings.LANGUAGE_CODE):
    """The summary as PDF bytes and its page count; the building block of the command and task."""
    check_language(language)
    check_request(year=year, town=town)
    return html_to_pdf(summary_html(year=year, town=town, language=language))


def request_summary(*, year, town=None, user=None, language=settings.LANGUAGE_CODE):
    """Record a new version (queued) of the year's summary in `language` and start its
    generation as a task. Each language numbers its own versions."""
    from .tasks import generate_summary_task

    check_language(language)
    check_request(year=year, town=town)
    with transaction.atomic():
        versions = AnnualSummary.objects.select_for_update().filter(
            Q(town=town) if town else Q(town__isnull=True), year=year, language=language
        )
        latest = versions.aggregate(latest=Max("version"))["latest"] or 0
        summary = AnnualSummary.objects.create(
            year=year, town=town, language=language, version=latest + 1, generated_by=user
        )
    generate_summary_task.enqueue(summary_id=summary.pk)
    summary.refresh_from_db()
    return summary


def _progress(summary, state, progress, message=""):
    summary.state, summary.progress, summary.message = state, progress, message
    summary.save(update_fields=["state", "progress", "message"])


def generate_summary(*, summary_id):
    """Render a queued summary into a draft; on failure keep the reason, never a broken file."""
    summary = AnnualSummary.objects.select_related("town").get(pk=summary_id)
    _progress(summary, AnnualSummary.State.RUNNING, 10, COLLECTING)
    try:
        with translation.override(summary.language):
            context = summary_context(year=summary.year, town=summary.town)
            _progress(summary, AnnualSummary.State.RUNNING, 40, TYPESETTING)
            pdf, pages = html_to_pdf(render_html(template=TEMPLATE, context=context))
    except Exception as error:  # reported to staff on the summary itself
        _progress(summary, AnnualSummary.State.FAILED, 0, str(error))
        raise
    summary.file.save(f"summary-{summary.year}.pdf", ContentFile(pdf), save=False)
    summary.file_size = len(pdf)
    summary.sha256 = hashlib.sha256(pdf).hexdigest()
    summary.page_count = pages
    summary.generated_at = timezone.now()
    summary.state, summary.progress, summary.message = AnnualSummary.State.DRAFT, 100, DRAFTED
    summary.save()
    return summary


def _locked(summary):
    return AnnualSummary.objects.select_for_update().get(pk=summary.pk)


def publish_summary(*, summary, user=None, sha256=None):
    """Publish a reviewed draft. From now on its file is frozen. `sha256`, when given, is the
    checksum of the file the reviewer confirmed: another file is not published."""
    with transaction.atomic():
        summary = _locked(summary)
        if summary.state != AnnualSummary.State.DRAFT:
            raise SummaryRequestError(_("只有已生成的草稿才能发布（当前状态：%(state)s）。"),
                                      params={"state": summary.get_state_display()})
        if summary.file_checksum() != summary.sha256 or (sha256 is not None and sha256 != summary.sha256):
            raise SummaryRequestError(_("PDF文件与生成时的校验值不符，请重新生成。"))
        summary.state = AnnualSummary.State.PUBLISHED
        summary.published_at = timezone.now()
        summary.published_by = user
        summary.message = PUBLISHED
        summary.save()
    return summary


def withdraw_summary(*, summary, reason, user=None):
    """Withdraw a published version. It stays listed publicly as withdrawn, with its file, the
    date and the reason; nothing else about it changes."""
    reason = (reason or "").strip()
    if not reason:
        raise SummaryRequestError(_("请填写撤回原因。"), code="required")
    with transaction.atomic():
        summary = _locked(summary)
        if summary.state != AnnualSummary.State.PUBLISHED:
            raise SummaryRequestError(_("只有已发布的年度报告才能撤回（当前状态：%(state)s）。"),
                                      params={"state": summary.get_state_display()})
        summary.state = AnnualSummary.State.WITHDRAWN
        summary.withdrawn_at = timezone.now()
        summary.withdrawn_by = user
        summary.withdrawal_reason = reason
        summary.save()
    return summary
