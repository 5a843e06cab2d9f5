"""The statistics page: every headline figure as of a date the reader picks, broken down by legal
form, town and service field, with trends over the years (charts and their data tables) and the
published annual summaries. Everything is read through the selectors the summaries use too."""

import datetime
from urllib.parse import urlencode

from django.utils import translation
from django.utils.translation import gettext as _

from funds.selectors import money_by_year, special_funds_by_host_area
from incubator.selectors import incubated_by_area, incubations_started_by_year
from registry.models import LegalForm, Status, StatusEvent
from registry.selectors import (
    count_events_by_year, count_in_status_on_dates, filed_by_town, first_status_event_date,
    registered_by_legal_form, registered_by_town, registered_form_label,
    service_undertakers_by_town, services_by_field,
)

from . import charts
from . import money as amounts
from .selectors import headline_figures
from .summaries.services import published_summaries

MAX_TREND_YEARS = 30
# Narrow enough that a phone shows the charts' text at a readable size.
CHART_WIDTH = 400


def _int(n):
    return f"{int(n):,}"


def _yuan(amount):
    return amounts.exact(amount)


def _chart(*, key, title, svg, columns, rows):
    return {"key": key, "title": title, "svg": svg, "columns": columns, "rows": rows}


def directory_link(directory_url, *, as_of, **params):
    """The directory's list, as of `as_of`, behind a figure counted with the same filters."""
    if not directory_url:
        return ""
    return f"{directory_url}?{urlencode({**params, 'as_of': as_of.isoformat()})}"


REGISTERED = {"kind": "registered", "status": "active"}
FILED = {"kind": "filed", "status": "active"}


def figure_rows(figures, *, directory_url=""):
    """[(label, value text, count, URL of the list behind it or "")] of every headline figure."""
    def listed(count, **params):
        return _int(count), count, directory_link(directory_url, as_of=figures.as_of, **params)

    return [
        (_("登记社会组织"), *listed(figures.registered, **REGISTERED)),
        (_("备案社区社会组织"), *listed(figures.filed, **FILED)),
        (_("承接政府转移职能的社会组织（累计）"), *listed(figures.service_undertakers, services="yes")),
    ] + [(label, value, None, "") for label, value in [
        (_("转移职能覆盖的服务领域"), _int(figures.service_fields_covered)),
        (_("累计孵化社会组织（团队）"), _int(figures.incubated)),
        (_("县级培育发展中心"), _int(figures.incubation_centers_county)),
        (_("镇（街道）级培育发展中心"), _int(figures.incubation_centers_town)),
        (_("设有培育发展中心的镇（街道）"), f"{figures.towns_with_center} / {figures.town_count}"),
        (_("县级社区发展基金会（枢纽）"), _int(figures.county_hubs)),
        (_("镇（街道）社区发展基金会"), _int(figures.town_foundations)),
        (_("设有社区发展基金会的镇（街道）"), f"{figures.towns_with_foundation} / {figures.town_count}"),
        (_("在设专项基金"), _int(figures.special_funds)),
    ]]


def _by_legal_form(as_of, figures, directory_url):
    def link(**params):
        return directory_link(directory_url, as_of=as_of, **params)

    rows = [
        (registered_form_label(form), count, link(**REGISTERED, legal_form=form))
        for form, count in registered_by_legal_form(as_of=as_of).items()
    ]
    rows.append((LegalForm.COMMUNITY_ORGANIZATION.label, figures.filed, link(**FILED)))
    total = sum(n for _label, n, _url in rows)
    return {
        "rows": [(label, n, url, f"{100 * n / total:.1f}%" if total else "—")
                 for label, n, url in rows],
        "total": _int(total),
    }


def _by_town(as_of, directory_url):
    registered = {town.pk: n for town, n in registered_by_town(as_of=as_of)}
    filed = filed_by_town(as_of=as_of)
    undertakers = service_undertakers_by_town(period_end=as_of)
    incubated = incubated_by_area(as_of=as_of)
    funds = special_funds_by_host_area(as_of=as_of)
    def link(town, **params):
        return directory_link(directory_url, as_of=as_of, town=town.code, **params)

    rows = [
        {"town": town, "registered": registered.get(town.pk, 0), "filed": n,
         "undertakers": undertakers.get(town.pk, 0), "incubated": incubated.get(town.pk, 0),
         "special_funds": funds.get(town.pk, 0),
         "registered_url": link(town, **REGISTERED), "filed_url": link(town, **FILED),
         "undertakers_url": link(town, services="yes")}
        for town, n in filed
    ]
    town_ids = {row["town"].pk for row in rows}
    # The county center's groups and the county hub's funds belong to no one town.
    county_row = {
        "incubated": sum(n for area, n in incubated.items() if area not in town_ids),
        "special_funds": sum(n for area, n in funds.items() if area not in town_ids),
    }
    totals = {key: sum(row[key] for row in rows) for key in
              ("registered", "filed", "undertakers", "incubated", "special_funds")}
    totals["incubated"] += county_row["incubated"]
    totals["special_funds"] += county_row["special_funds"]
    chart = charts.bar_chart(
        title=_("各镇（街道）登记与备案社会组织合计"),
        items=[(row["town"].display_name, row["registered"] + row["filed"]) for row in rows],
        width=CHART_WIDTH, label_width=70,
    ) if rows else ""
    return {"rows": rows, "county_row": county_row, "totals": totals, "chart": chart}


def _trend_dates(as_of):
    first = first_status_event_date()
    first_year = first.year if first and first <= as_of else as_of.year
    first_year = max(first_year, as_of.year - MAX_TREND_YEARS + 1)
    years = list(range(first_year, as_of.year + 1))
    dates = [datetime.date(y, 12, 31) for y in years[:-1]] + [as_of]
    return years, dates


def _trends(as_of):
    years, dates = _trend_dates(as_of)
    label_last = _("%(year)s（截至%(date)s）") % {"year": years[-1], "date": as_of.strftime("%m-%d")} \
        if as_of != datetime.date(as_of.year, 12, 31) else str(years[-1])
    labels = [str(y) for y in years[:-1]] + [label_last]
    registered = count_in_status_on_dates(dates=dates, statuses=[Status.REGISTERED])
    filed = count_in_status_on_dates(dates=dates, statuses=[Status.FILED])
    stock_chart = (charts.line_chart if len(years) > 1 else charts.column_chart)(
        title=_("历年年末登记与备案社会组织数量"), x_labels=[str(y) for y in years],
        series=[(_("登记"), registered), (_("备案"), filed)], width=CHART_WIDTH,
    )
    kind = StatusEvent.Kind
    new_registered = count_events_by_year(
        kinds=[kind.REGISTERED, kind.FILED_TO_REGISTERED], until=as_of)
    new_filed = count_events_by_year(kinds=[kind.FILED], until=as_of)
    ended = count_events_by_year(
        kinds=[kind.DEREGISTERED, kind.REVOKED, kind.FILING_CANCELLED], until=as_of)
    flows = [[d.get(y, 0) for y in years] for d in (new_registered, new_filed, ended)]
    flow_chart = charts.column_chart(
        title=_("每年新登记、新备案与注销（撤销）的社会组织"), x_labels=years,
        series=[(_("新登记"), flows[0]), (_("新备案"), flows[1]), (_("注销、撤销"), flows[2])],
        width=CHART_WIDTH,
    )
    started = incubations_started_by_year(as_of=as_of)
    before = sum(n for y, n in started.items() if y < years[0])
    incubation_rows, cumulative = [], before
    for label, y in zip(labels, years):
        cumulative += started.get(y, 0)
        incubation_rows.append([label, _int(started.get(y, 0)), _int(cumulative)])
    incubation_chart = charts.column_chart(
        title=_("每年新入驻孵化的社会组织（团队）"), x_labels=years,
        series=[(_("新入驻"), [started.get(y, 0) for y in years])], width=CHART_WIDTH,
    )
    money = money_by_year(as_of=as_of)
    money_chart = charts.column_chart(
        title=_("历年社区基金收入与支出（元）"), x_labels=[row["year"] for row in money],
        series=[(_("收入"), [row["money_in"] for row in money]),
                (_("支出"), [row["money_out"] for row in money])], width=CHART_WIDTH,
        value_format=amounts.axis,
    ) if money else ""
    return [
        _chart(key="stock", title=_("历年年末登记与备案社会组织数量"), svg=stock_chart,
               columns=[_("年份"), _("登记"), _("备案")],
               rows=[[label, _int(r), _int(f)] for label, r, f in zip(labels, registered, filed)]),
        _chart(key="flows", title=_("每年新登记、新备案与注销（撤销）的社会组织"), svg=flow_chart,
               columns=[_("年份"), _("新登记"), _("新备案"), _("注销、撤销")],
               rows=[[label, _int(a), _int(b), _int(c)] for label, a, b, c in zip(labels, *flows)]),
        _chart(key="incubation", title=_("每年新入驻孵化的社会组织（团队）"), svg=incubation_chart,
               columns=[_("年份"), _("新入驻"), _("累计")], rows=incubation_rows),
        _chart(key="money", title=_("历年社区基金收入与支出（元）"), svg=money_chart,
               columns=[_("年份"), _("收入（元）"), _("支出（元）")],
               rows=[[str(row["year"]), _yuan(row["money_in"]), _yuan(row["money_out"])]
                     for row in money]),
    ]


def statistics_context(*, as_of, directory_url=""):
    """Everything the statistics page shows on `as_of`; each organization figure links to its list
    in the directory at `directory_url`, as of the same day."""
    figures = headline_figures(as_of=as_of)
    return {
        "as_of": as_of,
        "figures": figures,
        "figure_rows": figure_rows(figures, directory_url=directory_url),
        "by_legal_form": _by_legal_form(as_of, figures, directory_url),
        "by_town": _by_town(as_of, directory_url),
        "by_field": [
            {"field": field, "services": services, "organizations": organizations}
            for field, services, organizations in services_by_field(period_end=as_of)
        ],
        "trends": _trends(as_of),
        "summaries": list(published_summaries(language=translation.get_language())),
    }
