"""Reading annual summaries: what the public sees of them."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import AnnualSummary

PUBLIC_STATES = (AnnualSummary.State.PUBLISHED, AnnualSummary.State.WITHDRAWN)
# The heading of each language's versions on the public list.
EDITIONS = {"zh-hans": _("中文版"), "en": _("英文版")}


def published_summaries(*, language=None):
    """Every published version (not withdrawn), newest year first; only those in `language`
    when it is given."""
    summaries = AnnualSummary.objects.filter(state=AnnualSummary.State.PUBLISHED)
    if language:
        summaries = summaries.filter(language=language)
    return summaries.select_related("town")


def public_summaries():
    """Every version the public may see and download: published, and withdrawn (kept as the
    public record of what was published, with why it was taken back)."""
    return AnnualSummary.objects.filter(state__in=PUBLIC_STATES).select_related("town")


def _edition(summary):
    return (summary.year, summary.town_id, summary.language)


def current_versions(summaries):
    """{(year, town id, language): the newest published version}: the one that stands. A
    withdrawn version is current for nobody; the next published one of its edition replaces it."""
    current = {}
    for summary in summaries:
        if summary.state != AnnualSummary.State.PUBLISHED:
            continue
        best = current.get(_edition(summary))
        if best is None or summary.version > best.version:
            current[_edition(summary)] = summary
    return current


def public_listing():
    """The public list, one group per language (in the site's order), each version with the
    version that stands for its year, town and language (None when none does)."""
    summaries = list(public_summaries().order_by("language", "-year", "town__code", "-version"))
    current = current_versions(summaries)
    groups = []
    for code, _name in settings.LANGUAGES:
        rows = [
            {"summary": s, "current": current.get(_edition(s)),
             "is_current": current.get(_edition(s)) is s}
            for s in summaries if s.language == code
        ]
        if rows:
            groups.append({"language": code, "name": EDITIONS.get(code, _name), "rows": rows})
    return groups
