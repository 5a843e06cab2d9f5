"""What an annual summary says: every figure from the selectors the site uses, as of 31 December."""

import datetime

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from funds.models import CommunityFoundation, SpecialFund
from funds.selectors import community_foundations, money_by_year, special_funds_with_money
from incubator.facts import IncubationState
from incubator.models import IncubationCenter
from incubator.selectors import centers_with_counts, incubations_by_outcome
from registry.models import AnnualInspection, Area, CreditListEntry, EvaluationGrade, Status
from registry.selectors import (
    count_in_status_on_dates, credit_listed, deregistrations, filed_by_town, grades_valid,
    inspection_results, new_filings, new_registrations, registered_by_legal_form,
    registered_by_town, registered_form_label, services_by_department, services_by_field,
    transferred_services_active,
)
from website import charts
from website.models import PublicSiteSettings
from website.selectors import headline_figures

FIRST_TREND_YEAR = 2010
# A county lists every new registration of its year; at province or national scale the appendix
# lists the first ones and points to the open-data download for the rest.
APPENDIX_LIMIT = 100
# Town rows in the tables and bars in the chart; the rest are summed into one row.
TOWN_ROWS_LIMIT = 60
TOWN_BARS_LIMIT = 30
CHAPTERS = [
    ("key-figures", gettext_lazy("主要数据")),
    ("organizations", gettext_lazy("登记与备案")),
    ("supervision", gettext_lazy("年检、评估与信用")),
    ("services", gettext_lazy("承接政府转移职能")),
    ("incubation", gettext_lazy("培育孵化")),
    ("funds", gettext_lazy("社区发展基金会与专项基金")),
    ("appendix", gettext_lazy("附录 本年度新登记与注销名单")),
]
KEY_FIGURES = [
    ("registered", gettext_lazy("登记社会组织")),
    ("filed", gettext_lazy("备案社区社会组织")),
    ("service_undertakers", gettext_lazy("承接政府转移职能的社会组织（累计）")),
    ("service_fields_covered", gettext_lazy("转移职能覆盖的服务领域")),
    ("incubated", gettext_lazy("累计孵化社会组织（团队）")),
    ("incubation_centers_town", gettext_lazy("镇（街道）级培育发展中心")),
    ("towns_with_foundation", gettext_lazy("设有社区发展基金会的镇（街道）")),
    ("special_funds", gettext_lazy("在设专项基金")),
]


def year_end(year):
    return datetime.date(year, 12, 31)


def summary_context(*, year, town=None):
    as_of, since = year_end(year), datetime.date(year, 1, 1)
    county = Area.objects.filter(level=Area.Level.COUNTY).order_by("code").first()
    place = town.display_name if town else (county.display_name if county else _("全县"))
    figures = headline_figures(as_of=as_of, town=town)
    previous = headline_figures(as_of=year_end(year - 1), town=town)
    registrations = new_registrations(start=since, end=as_of, town=town)
    removals = deregistrations(start=since, end=as_of, town=town)
    context = {
        "title": _("%(place)s%(year)s年度社会组织与社区基金年度报告") % {"place": place, "year": year},
        "place": place,
        "author": _("%(county)s民政局") % {"county": county.display_name if county else ""},
        "year": year,
        "previous_year": year - 1,
        "town": town,
        "as_of": as_of,
        "generated_at": timezone.localtime(),
        "demo": PublicSiteSettings.objects.filter(shows_demo_data=True).exists(),
        "chapters": CHAPTERS,
        "figures": figures,
        "key_figures": [
            {"label": label, "value": getattr(figures, name), "previous": getattr(previous, name),
             "change": getattr(figures, name) - getattr(previous, name)}
            for name, label in KEY_FIGURES
        ],
        **_trend(year, town),
        **_organizations(as_of, town),
        "new_registrations": _appendix_rows(registrations),
        "new_registrations_count": registrations.count(),
        "appendix_limit": APPENDIX_LIMIT,
        "new_filings_count": new_filings(start=since, end=as_of, town=town).count(),
        "deregistrations": _appendix_rows(removals),
        "deregistrations_count": removals.count(),
        **_supervision(year, as_of, since, town),
        **_services(as_of, since, town),
        **_incubation(as_of, since, town),
        **_funds(as_of, since, town),
    }
    context["figure_numbers"] = _figure_numbers(context)
    return context


def _figure_numbers(context):
    """Figures are numbered in the order they appear, counting only the ones this summary has."""
    shown = [name for name in ("trend_chart", "town_chart", "network_chart", "money_chart") if context[name]]
    return {name.removesuffix("_chart"): number for number, name in enumerate(shown, 1)}


def _appendix_rows(events):
    rows = []
    for event in events.select_related("organization__town").order_by(
        "date", "organization__name", "pk"
    )[:APPENDIX_LIMIT]:
        org = event.organization
        rows.append({"name": org.name, "code": org.public_identifier, "town": org.town.display_name,
                     "legal_form": org.get_legal_form_display(), "kind": event.get_kind_display(),
                     "date": event.date})
    return rows


def _trend(year, town):
    years = list(range(FIRST_TREND_YEAR, year + 1))
    ends = [year_end(y) for y in years]
    registered = count_in_status_on_dates(dates=ends, statuses=[Status.REGISTERED], town=town)
    filed = count_in_status_on_dates(dates=ends, statuses=[Status.FILED], town=town)
    chart = charts.line_chart(
        title=_("历年年末登记与备案社会组织数量"), x_labels=years,
        series=[(_("登记"), registered), (_("备案"), filed)],
    )
    # The chart's figures beside it, newest year first.
    rows = [{"year": y, "registered": r, "filed": f} for y, r, f in zip(years, registered, filed)]
    return {"trend_chart": chart, "trend_rows": rows[::-1]}


def _organizations(as_of, town):
    forms = registered_by_legal_form(as_of=as_of, town=town)
    total = sum(forms.values()) or 1
    by_legal_form = [
        {"label": registered_form_label(form), "count": count,
         "share": f"{100 * count / total:.1f}%"}
        for form, count in forms.items()
    ]
    if town is not None:  # a town summary has no by-town breakdown
        return {"by_legal_form": by_legal_form, "by_town": [], "town_chart": ""}
    registered = dict((t.pk, n) for t, n in registered_by_town(as_of=as_of))
    by_town = [
        {"town": t.display_name, "registered": registered.get(t.pk, 0), "filed": n,
         "total": registered.get(t.pk, 0) + n}
        for t, n in filed_by_town(as_of=as_of)
    ]
    by_size = sorted(by_town, key=lambda row: -row["total"])
    if len(by_town) > TOWN_ROWS_LIMIT:
        rest = by_size[TOWN_ROWS_LIMIT - 1:]
        by_town = by_size[:TOWN_ROWS_LIMIT - 1] + [{
            "town": _("其余%(count)s个镇（街道）合计") % {"count": len(rest)},
            **{key: sum(row[key] for row in rest) for key in ("registered", "filed", "total")},
        }]
    bars = by_town if len(by_town) <= TOWN_BARS_LIMIT else by_size[:TOWN_BARS_LIMIT]
    town_chart = charts.bar_chart(
        title=_("各镇（街道）登记与备案社会组织合计"),
        items=[(row["town"], row["total"]) for row in bars],
    ) if len(by_town) > 1 else ""
    return {"by_legal_form": by_legal_form, "by_town": by_town, "town_chart": town_chart}


def _supervision(year, as_of, since, town):
    inspection_year = year - 1  # the inspection of year Y-1 is carried out in year Y
    listed_in_year = CreditListEntry.objects.filter(listed_on__gte=since, listed_on__lte=as_of)
    removed_in_year = CreditListEntry.objects.filter(removed_on__gte=since, removed_on__lte=as_of)
    if town is not None:
        listed_in_year = listed_in_year.filter(organization__town=town)
        removed_in_year = removed_in_year.filter(organization__town=town)
    return {
        "inspection_year": inspection_year,
        "inspections": [
            {"label": AnnualInspection.Result(r).label, "count": n}
            for r, n in inspection_results(year=inspection_year, town=town).items()
        ],
        "grades": [
            {"label": EvaluationGrade.Grade(g).label, "count": n}
            for g, n in sorted(grades_valid(as_of=as_of, town=town).items(), reverse=True)
        ],
        "credit": [
            {"label": kind.label,
             "on_list": credit_listed(as_of=as_of, list_kind=kind, town=town).count(),
             "listed": listed_in_year.filter(list_kind=kind).count(),
             "removed": removed_in_year.filter(list_kind=kind).count()}
            for kind in CreditListEntry.ListKind
        ],
    }


def _services(as_of, since, town):
    in_year = transferred_services_active(period_start=since, period_end=as_of, town=town)
    return {
        "services_in_year": in_year.count(),
        "services_amount": in_year.aggregate(total=Sum("amount"))["total"] or 0,
        "services_by_field": [
            {"name": f.display_name, "services": s, "organizations": o}
            for f, s, o in services_by_field(period_start=since, period_end=as_of, town=town)
        ],
        "services_by_department": [
            {"name": d.display_name, "services": s, "amount": a}
            for d, s, a in services_by_department(period_start=since, period_end=as_of, town=town)
        ],
    }


def _incubation(as_of, since, town):
    centers = centers_with_counts(as_of=as_of, since=since, town=town)
    return {
        "centers": [
            {"name": c.name, "level": IncubationCenter.Level(c.level).label, "total": c.total,
             "started": c.started, "ongoing": c.ongoing, "overdue": c.overdue}
            for c in centers
        ],
        "outcomes": [
            {"label": IncubationState(o).label, "count": n}
            for o, n in incubations_by_outcome(as_of=as_of, town=town).items()
        ],
    }


def _funds(as_of, since, town):
    foundations = list(community_foundations(as_of=as_of, town=town).select_related("organization", "area"))
    funds = list(special_funds_with_money(as_of=as_of, since=since, town=town))
    per_host = {}
    for fund in funds:
        per_host[fund.host_id] = per_host.get(fund.host_id, 0) + 1
    hub = next((f for f in foundations if f.role == CommunityFoundation.Role.COUNTY_HUB), None)
    network = ""
    if hub is not None:
        network = charts.network_diagram(
            title=_("“1+9+N”社区支持网络"),
            hub=(hub.organization.name, per_host.get(hub.pk, 0)),
            towns=[(_node_name(f.area), f.organization.name, per_host.get(f.pk, 0))
                   for f in foundations if f.role == CommunityFoundation.Role.TOWN_FOUNDATION],
        )
    yearly = money_by_year(as_of=as_of, town=town)
    money_chart = charts.line_chart(
        title=_("历年社区基金收入与支出"), x_labels=[row["year"] for row in yearly],
        series=[(_("收入"), [row["money_in"] for row in yearly]),
                (_("支出"), [row["money_out"] for row in yearly])],
    ) if len(yearly) > 1 else ""
    this_year = next((row for row in yearly if row["year"] == as_of.year), None)
    return {
        "foundations": foundations,
        "special_funds_count": len(funds),
        "funds": [
            {"name": f.name, "host": f.host.organization.name, "theme": SpecialFund.Theme(f.theme).label,
             "money_in": f.money_in, "money_out": f.money_out}
            for f in funds
        ],
        "network_chart": network,
        "money_chart": money_chart,
        "money_rows": list(reversed(yearly)) if money_chart else [],
        "money_in": this_year["money_in"] if this_year else 0,
        "money_out": this_year["money_out"] if this_year else 0,
    }


def _node_name(area):
    """A town in the network diagram: its English name on an English summary, else the short
    Chinese name (西塘镇 → 西塘) that fits a node."""
    return area.display_name if area.display_name != area.name else area.short_name
