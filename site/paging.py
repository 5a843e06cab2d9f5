"""Pagination without COUNT: fetch one row more than a page to know whether another follows.

Page numbers come from the query string, so anything may arrive there: a missing, negative or
non-numeric page is page 1; a page beyond `MAX_PAGE` is an empty page (never a huge OFFSET).
"""

from dataclasses import dataclass

MAX_PAGE = 10_000


@dataclass
class PageWindow:
    items: list
    number: int
    has_previous: bool
    has_next: bool
    previous_url: str = ""
    next_url: str = ""
    first_url: str = ""
    start_index: int = 0
    out_of_range: bool = False
    param: str = "page"

    @property
    def is_paginated(self):
        return self.has_previous or self.has_next


def _page_number(raw):
    try:
        number = int(str(raw).strip())
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


def page_window(queryset, *, request, per_page=20, param="page"):
    """The page of `queryset` the request asks for (the queryset must be ordered)."""
    number = _page_number(request.GET.get(param, 1))

    def url_for(n):
        params = request.GET.copy()
        if n <= 1:
            params.pop(param, None)
        else:
            params[param] = str(n)
        query = params.urlencode()
        return f"{request.path}?{query}" if query else request.path

    if number > MAX_PAGE:
        return PageWindow(items=[], number=number, has_previous=True, has_next=False,
                          first_url=url_for(1), out_of_range=True, param=param)
    offset = (number - 1) * per_page
    rows = list(queryset[offset:offset + per_page + 1])
    has_next = len(rows) > per_page
    items = rows[:per_page]
    return PageWindow(
        items=items, number=number, has_previous=number > 1, has_next=has_next,
        previous_url=url_for(number - 1) if number > 1 else "",
        next_url=url_for(number + 1) if has_next else "",
        first_url=url_for(1), start_index=offset + 1,
        out_of_range=number > 1 and not items, param=param,
    )
