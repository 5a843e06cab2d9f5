"""Cursor pagination for the API: each page continues after the last id of the previous one.

A page is one index range scan however deep it is, and no page ever COUNTs the rows: a million
organizations page as fast as a hundred.
"""

import base64
import binascii

from django.utils.translation import gettext as _

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class BadCursor(ValueError):
    def __init__(self):
        super().__init__(_("游标（cursor）无效：请使用上一页返回的 next_cursor。"))


def encode_cursor(pk):
    return base64.urlsafe_b64encode(f"id:{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor):
    """The id a cursor continues after (0 for none); BadCursor if it is not one we issued."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, pk = text.split(":")
        pk = int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadCursor() from None
    if prefix != "id" or pk < 0:
        raise BadCursor()
    return pk


def cursor_page(request, queryset, *, cursor, page_size, serialize):
    """{results, next_cursor, next} for the page of `queryset` after `cursor`, in id order."""
    after = decode_cursor(cursor)
    records = list(queryset.filter(pk__gt=after).order_by("pk")[: page_size + 1])
    has_next = len(records) > page_size
    records = records[:page_size]
    next_cursor = encode_cursor(records[-1].pk) if has_next else None
    next_url = None
    if next_cursor:
        params = request.GET.copy()
        params["cursor"] = next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return {
        "results": [serialize(record) for record in records],
        "next_cursor": next_cursor,
        "next": next_url,
    }
