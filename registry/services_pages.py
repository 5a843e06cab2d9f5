"""What the transferred-services pages show: the filtered catalog and the coverage matrix."""

from urllib.parse import urlencode

from django.utils import timezone
from django.utils.translation import gettext as _

from website.paging import page_window

from . import selectors
from .models import Area, ServiceField
from .service_filters import FIRST_YEAR, LAST_YEAR, TransferredServiceFilterSet, catalog_queryset

PER_PAGE = 20


def catalog_context(*, request, today=None):
    """The catalog page: the services the filters select, each with its state today (read from
    its dates, as the state filter selects them)."""
    today = today or timezone.localdate()
    filterset = TransferredServiceFilterSet(request.GET or None, queryset=catalog_queryset())
    filterset.is_valid()  # invalid filters are reported on their field and left out of `qs`
    window = page_window(filterset.qs, request=request, per_page=PER_PAGE)
    chosen = [key for key in filterset.filters if request.GET.get(key)]
    services = [{"service": s, "state": s.state_on(today)} for s in window.items]
    return {"filter": filterset, "window": window, "services": services, "filtered": bool(chosen),
            "today": today}


def _year_choice(raw, *, default):
    """(year, message): the year asked for, or `default` with a message when it is not a year."""
    raw = (raw or "").strip()
    if not raw:
        return default, None
    try:
        year = int(raw)
    except ValueError:
        year = None
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        shown = raw if len(raw) <= 20 else raw[:20] + "…"
        return default, _("年度“%(value)s”无效，请填写4位年份。下面是%(year)s年的数据。") % {
            "value": shown, "year": default}
    return year, None


def coverage_context(*, request, catalog_url, today):
    """The matrix of service fields by town: services active at some point in the chosen year
    (this year by default); each cell links to those services in the catalog."""
    span = selectors.transferred_service_years()
    years = list(range(span[0], max(span[1], today.year) + 1)) if span else [today.year]
    year, message = _year_choice(request.GET.get("year"), default=today.year)
    services = selectors.transferred_services_in_year(year=year)
    cells, by_field, by_town = selectors.services_by_field_and_town(services=services)
    towns = list(Area.objects.filter(level__in=Area.TOWN_LEVELS).order_by("code"))
    fields = list(ServiceField.objects.all())

    def link(**params):
        return f"{catalog_url}?{urlencode({**params, 'year': year})}"

    rows = []
    for field in fields:
        rows.append({
            "field": field,
            "total": by_field.get(field.pk, 0),
            "total_url": link(field=field.code),
            "cells": [
                {"town": town, "count": cells.get((field.pk, town.pk), 0),
                 "url": link(field=field.code, town=town.code)}
                for town in towns
            ],
        })
    return {
        "year": year,
        "years": sorted(set(years) | {year}, reverse=True),
        "year_message": message,
        "towns": towns,
        "town_totals": [{"town": t, "count": by_town.get(t.pk, 0), "url": link(town=t.code)}
                        for t in towns],
        "rows": rows,
        "services_total": services.count(),
        "fields_covered": sum(1 for row in rows if row["total"]),
    }
