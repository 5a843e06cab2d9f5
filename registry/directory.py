"""What the directory page shows for a query string: the filter form, one page of results and
the links around it. A fixed number of queries at any size of the register.

Pagination never counts a whole large result: the count stops at RESULT_CAP (a page says "more
than 10,000"), numbered pages go no further than the cap, and each page reads its rows from an
index in the order asked for (registry.selectors.directory_page_ids). In the name and date orders
the "next" and "previous" links of every page carry a cursor instead (`?after=` / `?before=`, a
token of the sort key of the last / first row shown), read as a WHERE on that key and a LIMIT
(registry.selectors.directory_ids_from): as fast at any depth, and on past the cap.
"""

import base64
import binascii
import datetime
import re
from dataclasses import dataclass, field
from math import ceil

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from website.as_of import EARLIEST_DATE, parse_as_of

from . import selectors
from .filters import OrganizationFilterSet
from .models import Organization
from .urls_public import organization_url

PAGE_SIZE = 20
RESULT_CAP = 10_000
PAGE_LINKS_AROUND = 2
DOWNLOAD_FORMATS = ("csv", "xlsx", "json")
PAGING_PARAMS = ("page", "after", "before")
# How the results are shown: cards (the default, one per organization, for a phone) or a compact
# table (`?view=table`: more rows a screen). Not a filter: every link of the page keeps it, and
# the downloads leave it out.
VIEWS = ("cards", "table")
VIEW_PARAM = "view"

# A cursor token is the unpadded base64url of "<sort>:<id>:<value>": the sort's letter, the row's
# id, and its name or start date (YYYY-MM-DD; empty for an organization without one). It only
# says where to start reading public rows, so nothing is signed; its shape is checked strictly.
CURSOR_SORT_CODES = {"name": "n", "registered": "r", "-registered": "d"}
NAME_MAX_LENGTH = Organization._meta.get_field("name").max_length
MAX_ID = 2**63 - 1  # a 64-bit id, as both databases hold it
# The longest token: "n:", 19 digits, ":" and a name of 4-byte characters.
MAX_CURSOR_LENGTH = 4 * ceil((3 + len(str(MAX_ID)) + 4 * NAME_MAX_LENGTH) / 3)
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
_ID = re.compile(r"[1-9][0-9]*")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass
class ResultPage:
    rows: list
    number: int | None  # None on a page reached by a cursor: where it falls is not counted
    num_pages: int
    total: int  # exact when not `more_than_cap`
    more_than_cap: bool
    past_cap: bool = False  # whether "next" reads on past the cap (the keyset sorts)
    out_of_range: bool = False
    links: list = field(default_factory=list)  # [(number or None for a gap, url)]
    previous_url: str = ""
    next_url: str = ""
    first_url: str = ""

    @property
    def start_index(self):
        return None if self.number is None else (self.number - 1) * PAGE_SIZE + 1

    @property
    def end_index(self):
        return None if self.number is None else self.start_index + len(self.rows) - 1

    # What templates/includes/pager.html reads.
    @property
    def has_previous(self):
        return bool(self.previous_url)

    @property
    def has_next(self):
        return bool(self.next_url)

    @property
    def is_paginated(self):
        return not self.out_of_range and (self.has_previous or self.has_next)


@dataclass(frozen=True)
class Cursor:
    """Where a keyset page starts: after (or, `backwards`, before) the row whose sort key in
    `sort` is `key` (registry.selectors.directory_sort_key)."""

    sort: str
    key: tuple
    backwards: bool = False


class CursorError(ValueError):
    """A cursor token that is not one of ours, or not of this sort; the message says so."""


def _invalid_cursor():
    return CursorError(_("翻页位置无效，请从第一页开始翻页。"))


def cursor_token(*, sort, key):
    """The token of the row whose sort key in `sort` is `key`."""
    value, pk = key
    text = value if sort == "name" else (value.isoformat() if value else "")
    payload = f"{CURSOR_SORT_CODES[sort]}:{pk}:{text}".encode()
    return base64.urlsafe_b64encode(payload).rstrip(b"=").decode("ascii")


def parse_cursor_token(token, *, sort):
    """The sort key a token carries, for a page in `sort`; CursorError for anything else."""
    if not 0 < len(token) <= MAX_CURSOR_LENGTH or not _TOKEN.fullmatch(token):
        raise _invalid_cursor()
    try:
        payload = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        text = payload.decode("utf-8")
    except (binascii.Error, ValueError):  # UnicodeDecodeError is a ValueError
        raise _invalid_cursor() from None
    if base64.urlsafe_b64encode(payload).rstrip(b"=").decode("ascii") != token:
        raise _invalid_cursor()  # only the one spelling cursor_token makes
    code, _colon, rest = text.partition(":")
    pk, colon, value = rest.partition(":")
    if not colon or code not in CURSOR_SORT_CODES.values():
        raise _invalid_cursor()
    if not _ID.fullmatch(pk) or len(pk) > len(str(MAX_ID)) or int(pk) > MAX_ID:
        raise _invalid_cursor()
    if code == "n":
        if len(value) > NAME_MAX_LENGTH or "\x00" in value:
            raise _invalid_cursor()
    elif value:
        if not _DATE.fullmatch(value):
            raise _invalid_cursor()
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            raise _invalid_cursor() from None
    else:
        value = None
    if code != CURSOR_SORT_CODES.get(sort):
        raise CursorError(_("翻页位置属于另一种排序，请从第一页开始翻页。"))
    return value, int(pk)


def cursor_asked(params, *, sort):
    """The Cursor that `after` or `before` asks for, or None; CursorError for a bad token."""
    after, before = params.get("after", ""), params.get("before", "")
    if not after and not before:
        return None
    if after and before:
        raise _invalid_cursor()
    return Cursor(sort=sort, key=parse_cursor_token(after or before, sort=sort),
                  backwards=bool(before))


def page_number(raw):
    """The page asked for: anything that is not a positive number is page 1."""
    try:
        return max(int(str(raw).strip()[:9]), 1)
    except (TypeError, ValueError):
        return 1


def _query_without(params, *names):
    params = params.copy()
    for name in names:
        params.pop(name, None)
    return params


def _page_url(params, number):
    params = _query_without(params, *PAGING_PARAMS)
    if number > 1:
        params["page"] = str(number)
    query = params.urlencode()
    return f"?{query}" if query else "?"


def _cursor_url(params, direction, *, sort, row):
    params = _query_without(params, *PAGING_PARAMS)
    params[direction] = cursor_token(sort=sort, key=selectors.directory_sort_key(row, sort=sort))
    return f"?{params.urlencode()}"


def _page_links(params, *, number, num_pages):
    shown = {1, num_pages, *range(number - PAGE_LINKS_AROUND, number + PAGE_LINKS_AROUND + 1)}
    links, previous = [], 0
    for n in sorted(p for p in shown if 1 <= p <= num_pages):
        if n > previous + 1:
            links.append((None, ""))
        links.append((n, _page_url(params, n)))
        previous = n
    return links


def result_page(filterset, *, params, request, cursor=None):
    """The page of the (valid) filterset's results that `params` asks for: the numbered page
    `page`, or the page `cursor` (a Cursor of the filterset's sort) starts."""
    queryset, sort = filterset.qs, filterset.chosen_sort
    total = selectors.count_up_to(queryset, cap=RESULT_CAP)
    more_than_cap = total > RESULT_CAP
    num_pages = max(1, ceil(min(total, RESULT_CAP) / PAGE_SIZE))
    page = ResultPage(
        rows=[], number=None, num_pages=num_pages, total=min(total, RESULT_CAP),
        more_than_cap=more_than_cap, past_cap=sort in selectors.KEYSET_SORTS,
        first_url=_page_url(params, 1),
    )
    # A few matches are sorted rather than read in order from an index (see directory_page_ids),
    # except names within one town: the (town, name) index holds exactly that order.
    one_town = sort == "name" and filterset.form.cleaned_data.get("town") is not None
    few = not more_than_cap and not one_town
    number, ids = None, None
    if cursor is None:
        number = page_number(params.get("page"))
    else:
        found = selectors.directory_ids_from(
            queryset, sort=sort, key=cursor.key, backwards=cursor.backwards,
            limit=PAGE_SIZE + 1, few=few,
        )
        ids, more = found[:PAGE_SIZE], len(found) > PAGE_SIZE
        if cursor.backwards:
            ids.reverse()
            if not more:  # nothing precedes them: the first page, shown as page 1
                number = 1
                if len(ids) < PAGE_SIZE:  # not all of it (rows have come or gone): read it
                    ids = None
    if number is not None:
        if number > num_pages:
            page.number, page.out_of_range = number, True
            return page
        if ids is None:
            offset = (number - 1) * PAGE_SIZE
            ids = selectors.directory_page_ids(
                queryset, sort=sort, as_of=filterset.as_of, offset=offset,
                limit=min(PAGE_SIZE, RESULT_CAP - offset), few=few,
            )
        # Past the last numbered page, the cursor of "next" reads on.
        has_previous, has_next = number > 1, number < num_pages or (more_than_cap and page.past_cap)
        page.links = _page_links(params, number=number, num_pages=num_pages)
    elif not ids:
        page.out_of_range = True  # a cursor past the end (its rows have gone)
        return page
    else:
        has_previous, has_next = (more, True) if cursor.backwards else (True, more)
        page.links = [(1, page.first_url), (None, "")]
    page.number = number
    page.rows = selectors.directory_rows(ids=ids, as_of=filterset.as_of)
    # A past view's rows open the organization's page as of the same day.
    suffix = f"?as_of={filterset.as_of.isoformat()}" if params.get("as_of") else ""
    for row in page.rows:
        url = organization_url(row, request=request)
        row.url = url + suffix if url else url
    if sort in selectors.KEYSET_SORTS and page.rows:
        if has_previous:
            page.previous_url = _cursor_url(params, "before", sort=sort, row=page.rows[0])
        if has_next:
            page.next_url = _cursor_url(params, "after", sort=sort, row=page.rows[-1])
    else:
        if has_previous:
            page.previous_url = _page_url(params, number - 1)
        if has_next:
            page.next_url = _page_url(params, number + 1)
    return page


def active_filters(filterset, *, params):
    """[(label, value shown, URL without this filter)] for the filters in use."""
    active = []
    for name, value in filterset.form.cleaned_data.items():
        if name == "sort" or value in (None, ""):
            continue
        bound = filterset.form[name]
        if hasattr(value, "pk"):  # a town, village or service field: its name, in the page's language
            shown = getattr(value, "display_name", None) or str(value)
        else:
            shown = str(dict(getattr(bound.field, "choices", ())).get(value, value))
        removed = _query_without(params, name, *PAGING_PARAMS)
        if name == "town":
            removed.pop("village", None)  # a village belongs to the town being removed
        query = removed.urlencode()
        active.append((bound.label, shown, f"?{query}" if query else "?"))
    return active


def chosen_view(params):
    """The results view asked for: "table" for `?view=table`, else "cards"."""
    return "table" if params.get(VIEW_PARAM) == "table" else "cards"


def view_links(params):
    """[(view, URL of this same page in that view, whether it is the one shown)]."""
    current = chosen_view(params)
    links = []
    for view in VIEWS:
        query = _query_without(params, VIEW_PARAM)
        if view != "cards":
            query[VIEW_PARAM] = view
        encoded = query.urlencode()
        links.append((view, f"?{encoded}" if encoded else "?", view == current))
    return links


def download_links(params):
    """[(format, URL)] of the open-data downloads of this same query, if they are installed."""
    query = _query_without(params, *PAGING_PARAMS, VIEW_PARAM).urlencode()
    links = []
    for extension in DOWNLOAD_FORMATS:
        try:
            url = reverse(f"opendata_organizations_{extension}")
        except NoReverseMatch:
            continue
        links.append((extension.upper(), f"{url}?{query}" if query else url))
    return links


def directory_context(request):
    """(context, HTTP status) for the directory page: 400 with the form's messages when a
    parameter is not valid, never a half-applied filter; so does a cursor token that is not one
    of this sort. An `as_of` that is not a day the register can be shown as of gives today's
    view with a message, as the statistics page does."""
    today = timezone.localdate()
    params = request.GET
    _as_of, as_of_message = parse_as_of(params.get("as_of"), today=today)
    if as_of_message:
        params = _query_without(params, "as_of")
    filterset = OrganizationFilterSet(params, request=request)
    context = {
        "filter": filterset,
        "form": filterset.form,
        "as_of": filterset.as_of,
        "as_of_message": as_of_message,
        "past_view": bool(params.get("as_of")),
        "today": today,
        "as_of_min": EARLIEST_DATE,
        "query": _query_without(params, *PAGING_PARAMS).urlencode(),
        "sort_choices": filterset.form.fields["sort"].choices,
        "view": chosen_view(params),
        "view_links": view_links(params),
        # "Clear all conditions" keeps the view: it is not a condition.
        "cleared_url": f"{request.path}?view=table" if chosen_view(params) == "table" else request.path,
    }
    if not filterset.is_valid():
        context["form_errors"] = [
            (filterset.form[name].label if name in filterset.form.fields else _("查询"), error)
            for name, errors in filterset.form.errors.items() for error in errors
        ]
        return context, 400
    try:
        cursor = cursor_asked(params, sort=filterset.chosen_sort)
    except CursorError as error:
        context["form_errors"] = [(_("翻页"), str(error))]
        return context, 400
    context.update(
        results=result_page(filterset, params=params, request=request, cursor=cursor),
        active_filters=active_filters(filterset, params=params),
        downloads=download_links(params),
        sort=filterset.chosen_sort,
        result_cap=RESULT_CAP,
    )
    return context, 200
