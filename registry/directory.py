"""What the directory page shows for a query string: the filter form, one page of results and
the links around it. A fixed number of queries at any size of the register.

Pagination never counts a whole large result: the count stops at RESULT_CAP (a page says "more
than 10,000"), pages go no further than the cap, and each page reads its rows from an index in
the order asked for (registry.selectors.directory_page_ids).
"""

from dataclasses import dataclass, field
from math import ceil

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from website.as_of import EARLIEST_DATE, parse_as_of

from . import selectors
from .filters import OrganizationFilterSet
from .urls_public import organization_url

PAGE_SIZE = 20
RESULT_CAP = 10_000
PAGE_LINKS_AROUND = 2
DOWNLOAD_FORMATS = ("csv", "xlsx", "json")


@dataclass
class ResultPage:
    rows: list
    number: int
    num_pages: int
    total: int  # exact when not `more_than_cap`
    more_than_cap: bool
    out_of_range: bool = False
    links: list = field(default_factory=list)  # [(number or None for a gap, url)]
    previous_url: str = ""
    next_url: str = ""
    first_url: str = ""

    @property
    def start_index(self):
        return (self.number - 1) * PAGE_SIZE + 1

    @property
    def end_index(self):
        return self.start_index + len(self.rows) - 1


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
    params = _query_without(params, "page")
    if number > 1:
        params["page"] = str(number)
    query = params.urlencode()
    return f"?{query}" if query else "?"


def _page_links(params, *, number, num_pages):
    shown = {1, num_pages, *range(number - PAGE_LINKS_AROUND, number + PAGE_LINKS_AROUND + 1)}
    links, previous = [], 0
    for n in sorted(p for p in shown if 1 <= p <= num_pages):
        if n > previous + 1:
            links.append((None, ""))
        links.append((n, _page_url(params, n)))
        previous = n
    return links


def result_page(filterset, *, params, request):
    """The page of the (valid) filterset's results that `params` asks for."""
    queryset = filterset.qs
    total = selectors.count_up_to(queryset, cap=RESULT_CAP)
    more_than_cap = total > RESULT_CAP
    num_pages = max(1, ceil(min(total, RESULT_CAP) / PAGE_SIZE))
    number = page_number(params.get("page"))
    page = ResultPage(
        rows=[], number=number, num_pages=num_pages, total=min(total, RESULT_CAP),
        more_than_cap=more_than_cap, first_url=_page_url(params, 1),
    )
    if number > num_pages:
        page.out_of_range = True
        return page
    offset = (number - 1) * PAGE_SIZE
    sort = filterset.chosen_sort
    # A few matches are sorted rather than read in order from an index (see directory_page_ids),
    # except names within one town: the (town, name) index holds exactly that order.
    one_town = sort == "name" and filterset.form.cleaned_data.get("town") is not None
    ids = selectors.directory_page_ids(
        queryset, sort=sort, as_of=filterset.as_of, offset=offset,
        limit=min(PAGE_SIZE, RESULT_CAP - offset), few=not more_than_cap and not one_town,
    )
    page.rows = selectors.directory_rows(ids=ids, as_of=filterset.as_of)
    # A past view's rows open the organization's page as of the same day.
    suffix = f"?as_of={filterset.as_of.isoformat()}" if params.get("as_of") else ""
    for row in page.rows:
        url = organization_url(row, request=request)
        row.url = url + suffix if url else url
    page.links = _page_links(params, number=number, num_pages=num_pages)
    if number > 1:
        page.previous_url = _page_url(params, number - 1)
    if number < num_pages:
        page.next_url = _page_url(params, number + 1)
    return page


def active_filters(filterset, *, params):
    """[(label, value shown, URL without this filter)] for the filters in use."""
    active = []
    for name, value in filterset.form.cleaned_data.items():
        if name == "sort" or value in (None, ""):
            continue
        bound = filterset.form[name]
        if hasattr(value, "pk"):  # a town, village or service field: its name
            shown = str(value)
        else:
            shown = str(dict(getattr(bound.field, "choices", ())).get(value, value))
        removed = _query_without(params, name, "page")
        if name == "town":
            removed.pop("village", None)  # a village belongs to the town being removed
        query = removed.urlencode()
        active.append((bound.label, shown, f"?{query}" if query else "?"))
    return active


def download_links(params):
    """[(format, URL)] of the open-data downloads of this same query, if they are installed."""
    query = _query_without(params, "page").urlencode()
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
    parameter is not valid, never a half-applied filter. An `as_of` that is not a day the
    register can be shown as of gives today's view with a message, as the statistics page does."""
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
        "query": _query_without(params, "page").urlencode(),
        "sort_choices": filterset.form.fields["sort"].choices,
    }
    if not filterset.is_valid():
        context["form_errors"] = [
            (filterset.form[name].label if name in filterset.form.fields else _("查询"), error)
            for name, errors in filterset.form.errors.items() for error in errors
        ]
        return context, 400
    context.update(
        results=result_page(filterset, params=params, request=request),
        active_filters=active_filters(filterset, params=params),
        downloads=download_links(params),
        sort=filterset.chosen_sort,
        result_cap=RESULT_CAP,
    )
    return context, 200
