"""Generating, storing and publishing annual summaries."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from funds.models import MoneyMovement
from incubator.models import Incubation
from registry.models import Area, StatusEvent

from .context import summary_context, year_end
from .models import AnnualSummary
from .render import render_pdf

TEMPLATE = "summaries/annual_summary.html"


class SummaryRequestError(ValidationError):
    """A summary that cannot be made (the message says why, in Chinese)."""


def find_town(name):
    """The town-level Area called `name` (with or without its 镇/街道 suffix)."""
    name = (name or "").strip()
    towns = list(Area.objects.filter(level__in=Area.TOWN_LEVELS).order_by("code"))
    for town in towns:
        if name in (town.name, town.short_name):
            return town
    raise SummaryRequestError(
        "镇街“%(name)s”不存在。可选：%(choices)s。",
        params={"name": name, "choices": "、".join(t.name for t in towns) or "（尚无镇街数据）"},
    )


def check_request(*, year, town=None):
    """Refuse a future or unfinished year, and a year with no records."""
    today = timezone.localdate()
    if year > today.year:
        raise SummaryRequestError("%(year)s年是未来年份，不能生成年度报告。", params={"year": year})
    if year == today.year:
        raise SummaryRequestError(
            "年度报告按12月31日统计，%(year)s年尚未结束，暂不能生成。", params={"year": year}
        )
    as_of = year_end(year)
    records = [
        StatusEvent.objects.filter(date__lte=as_of, **({"organization__town": town} if town else {})),
        Incubation.objects.filter(started_on__lte=as_of, **({"center__area": town} if town else {})),
        MoneyMovement.objects.filter(date__lte=as_of, **({"foundation__area": town} if town else {})),
    ]
    if not any(qs.exists() for qs in records):
        raise SummaryRequestError(
            "%(place)s在%(year)s年末以前没有任何登记、孵化或资金记录，无法生成年度报告。",
            params={"place": town.name if town else "全县", "year": year},
        )


def build_pdf(*, year, town=None):
    """The summary as PDF bytes and its page count; the building block of the command and task."""
    check_request(year=year, town=town)
    return render_pdf(template=TEMPLATE, context=summary_context(year=year, town=town))


def request_summary(*, year, town=None, user=None):
    """Record a new version (queued) and start its generation as a task."""
    from .tasks import generate_summary_task

    check_request(year=year, town=town)
    with transaction.atomic():
        versions = AnnualSummary.objects.select_for_update().filter(
            Q(town=town) if town else Q(town__isnull=True), year=year
        )
        latest = versions.aggregate(latest=Max("version"))["latest"] or 0
        summary = AnnualSummary.objects.create(
            year=year, town=town, version=latest + 1, generated_by=user
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
    _progress(summary, AnnualSummary.State.RUNNING, 10, "正在汇总数据")
    try:
        context = summary_context(year=summary.year, town=summary.town)
        _progress(summary, AnnualSummary.State.RUNNING, 40, "正在排版PDF")
        pdf, pages = render_pdf(template=TEMPLATE, context=context)
    except Exception as error:  # reported to staff on the summary itself
        _progress(summary, AnnualSummary.State.FAILED, 0, f"生成失败：{error}")
        raise
    summary.file.save(f"summary-{summary.year}.pdf", ContentFile(pdf), save=False)
    summary.file_size = len(pdf)
    summary.sha256 = hashlib.sha256(pdf).hexdigest()
    summary.page_count = pages
    summary.generated_at = timezone.now()
    summary.state, summary.progress, summary.message = AnnualSummary.State.DRAFT, 100, "草稿已生成，待审核发布"
    summary.save()
    return summary


def publish_summary(*, summary, user=None):
    """Publish a reviewed draft. From now on its file is frozen."""
    if summary.state != AnnualSummary.State.DRAFT:
        raise SummaryRequestError("只有已生成的草稿才能发布（当前状态：%(state)s）。",
                                  params={"state": summary.get_state_display()})
    if summary.file_checksum() != summary.sha256:
        raise SummaryRequestError("PDF文件与生成时的校验值不符，请重新生成。")
    summary.state = AnnualSummary.State.PUBLISHED
    summary.published_at = timezone.now()
    summary.published_by = user
    summary.message = "已发布"
    summary.save()
    return summary


def published_summaries():
    """Every published version, newest year first; the public list and downloads use this."""
    return AnnualSummary.objects.filter(state=AnnualSummary.State.PUBLISHED).select_related("town")
