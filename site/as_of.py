"""The day a public page shows the register as of (`?as_of=YYYY-MM-DD`): one rule and one set of
messages for the statistics page, the directory, an organization's page, the downloads and the API.

A day that is not a date, lies before EARLIEST_DATE or after today is refused with a message in the
reader's language; a page then shows today's view with that message, a download or the API
answers 400 with it. Never a 500.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST_DATE = datetime.date(1949, 10, 1)
_SHOWN_LENGTH = 40


def _shown(raw):
    raw = str(raw)
    return raw if len(raw) <= _SHOWN_LENGTH else raw[:_SHOWN_LENGTH] + "…"


def _parse(raw):
    raw = (raw or "").strip() if isinstance(raw, str) else raw
    if isinstance(raw, datetime.date):
        return raw
    if not raw or len(raw) != 10:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        return None


def as_of_error(raw, *, today=None):
    """The reader's message if `raw` (text or a date) is not a day the register can be shown as
    of, else None."""
    today = today or timezone.localdate()
    day = _parse(raw)
    if day is None:
        return _("日期“%(value)s”无法识别，请按“年-月-日”填写，例如 2022-12-31。") % {
            "value": _shown(raw or "")}
    if day > today:
        return _("日期 %(value)s 晚于今天。") % {"value": day.isoformat()}
    if day < EARLIEST_DATE:
        return _("日期不能早于 %(value)s。") % {"value": EARLIEST_DATE.isoformat()}
    return None


def parse_as_of(raw, *, today):
    """(the day to show, a message for the reader or None). Missing: today. Not a day the register
    can be shown as of: today, with a message saying why."""
    if not (raw or "").strip():
        return today, None
    message = as_of_error(raw, today=today)
    if message:
        return today, message + _("下面是今天的数据。")
    return _parse(raw), None
