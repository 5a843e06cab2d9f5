"""Text the open-data page, the API document and the downloads write in the reader's language."""

from django.utils.functional import lazy
from django.utils.translation import pgettext


def when_shown(compute):
    """Text computed when it is shown, in the language of the page or document showing it (for
    descriptions built once, at import, from translatable parts)."""
    return lazy(compute, str)()


def list_separator():
    """What separates the names of a list, in the active language (、 in Chinese)."""
    return pgettext("between listed names", "、")


def joined(items):
    return list_separator().join(str(item) for item in items)


def cell_separator():
    """What separates several names in one cell of a CSV or XLSX file: 、 in Chinese, and in
    English a semicolon, as English names (of departments) may hold commas."""
    return pgettext("between names in a download cell", "、")
