"""What the funds pages show: the 1+9+N network, each community foundation, each special fund.

Personal donors are never named: the selectors do not even load their names, and a donation from a
person is shown as “个人捐赠”. The templates get records as website.privacy.Public views, so that
only public fields can reach them."""

from django.http import Http404
from django.utils.translation import gettext as _

from website import charts, money
from website.paging import page_window
from website.privacy import Public, public_display_rows

from . import selectors
from .models import CommunityFoundation, SpecialFund

PER_PAGE = 20
# What the funds selectors annotate a special fund with (yuan, up to the page's date).
FUND_TOTALS = ("money_in", "money_out")
CHART_WIDTH = 400


def _money_chart(*, key, title, yearly, grants=None):
    """Income and spending by year as a column chart and its table; with `grants` ({year:
    amount}), spending is split into grants and other spending."""
    years = [row["year"] for row in yearly]
    money_in = [row["money_in"] for row in yearly]
    if grants is None:
        series = [(_("收入"), money_in), (_("支出"), [row["money_out"] for row in yearly])]
    else:
        granted = [grants.get(row["year"], 0) for row in yearly]
        other = [row["money_out"] - g for row, g in zip(yearly, granted)]
        series = [(_("收入"), money_in), (_("资助支出"), granted), (_("其他支出"), other)]
    return {
        "key": key,
        "title": title,
        "svg": charts.column_chart(title=title, x_labels=years, series=series, width=CHART_WIDTH,
                                   value_format=money.axis)
        if yearly else "",
        "columns": [_("年份")] + [_("%(series)s（元）") % {"series": name} for name, _values in series],
        "rows": [[str(year)] + [money.exact(values[i]) for _name, values in series]
                 for i, year in enumerate(years)],
    }


def _is_open(fund, as_of):
    return fund.closed_on is None or fund.closed_on > as_of


def _public_funds(funds):
    return [Public(fund, extra=FUND_TOTALS) for fund in funds]


def _public_row(row):
    return {**row, "foundation": Public(row["foundation"])}


def network_context(*, as_of):
    foundations = list(
        selectors.community_foundations(as_of=as_of).select_related("organization", "area")
        .order_by("role", "area__code", "pk")
    )
    funds = list(selectors.special_funds_with_totals(as_of=as_of))
    open_funds = {}
    for fund in funds:
        if _is_open(fund, as_of):
            open_funds[fund.host_id] = open_funds.get(fund.host_id, 0) + 1
    totals = selectors.money_totals_by_foundation(as_of=as_of)
    rows = [
        {"foundation": f, "open_funds": open_funds.get(f.pk, 0),
         "money_in": totals.get(f.pk, {}).get("money_in", 0),
         "money_out": totals.get(f.pk, {}).get("money_out", 0)}
        for f in foundations
    ]
    hubs = [row for row in rows if row["foundation"].role == CommunityFoundation.Role.COUNTY_HUB]
    towns = [row for row in rows if row["foundation"].role == CommunityFoundation.Role.TOWN_FOUNDATION]
    network = ""
    if hubs:
        hub = hubs[0]
        # Links relative to the network page, which is the page that shows the drawing.
        network = charts.network_diagram(
            title=_("“1+9+N”社区支持网络"),
            hub=(hub["foundation"].organization.name, hub["open_funds"]),
            hub_url=f"foundations/{hub['foundation'].pk}/",
            towns=[(row["foundation"].area.display_short_name, row["foundation"].organization.name,
                    row["open_funds"], f"foundations/{row['foundation'].pk}/") for row in towns],
            width=None,
        )
    yearly = selectors.money_by_year(as_of=as_of)
    return {
        "as_of": as_of,
        "network": network,
        "hubs": [_public_row(row) for row in hubs],
        "towns": [_public_row(row) for row in towns],
        "rows": [_public_row(row) for row in rows],
        "open_fund_count": sum(open_funds.values()),
        "funds": _public_funds(funds),
        "open_ids": {f.pk for f in funds if _is_open(f, as_of)},
        "money_chart": _money_chart(key="money", title=_("历年社区基金收入与支出（元）"), yearly=yearly),
    }


def _donation_sources(totals):
    return [
        {"label": _("个人捐赠") if kind == "individual" else kind.label, "count": row["count"],
         "amount": row["amount"]}
        for kind, row in totals.items() if row["count"]
    ]


def foundation_context(*, request, foundation_id, as_of):
    foundation = (
        CommunityFoundation.objects.select_related("organization", "area")
        .filter(pk=foundation_id).first()
    )
    if foundation is None:
        raise Http404(_("未找到该社区发展基金会。"))
    grants = page_window(selectors.grants_made(as_of=as_of, foundation=foundation),
                         request=request, per_page=PER_PAGE, param="grants_page")
    yearly = selectors.money_by_year(as_of=as_of, foundation=foundation)
    return {
        "as_of": as_of,
        "foundation": Public(foundation),
        "funds": _public_funds(
            selectors.special_funds_with_totals(as_of=as_of, foundation=foundation)),
        "money_chart": _money_chart(
            key="money", title=_("历年收入与支出（元）"), yearly=yearly,
            grants=selectors.grants_by_year(as_of=as_of, foundation=foundation)),
        "sources": _donation_sources(
            selectors.donations_by_counterparty_kind(as_of=as_of, foundation=foundation)),
        "grants_window": grants,
        "grants": [Public(grant) for grant in grants.items],
    }


def fund_context(*, request, fund_id, as_of):
    fund = SpecialFund.objects.select_related("host__organization", "host__area").filter(pk=fund_id).first()
    if fund is None:
        raise Http404(_("未找到该专项基金。"))
    grants = page_window(selectors.grants_made(as_of=as_of, special_fund=fund),
                         request=request, per_page=PER_PAGE, param="grants_page")
    donations = page_window(selectors.donations_received(as_of=as_of, special_fund=fund),
                            request=request, per_page=PER_PAGE, param="donations_page")
    yearly = selectors.money_by_year(as_of=as_of, special_fund=fund)
    return {
        "as_of": as_of,
        "fund": Public(fund),
        "is_open": _is_open(fund, as_of),
        "fund_rows": public_display_rows(fund, exclude=("id", "name", "host", "target_amount")),
        "money_chart": _money_chart(
            key="money", title=_("历年收入与资助支出（元）"), yearly=yearly,
            grants=selectors.grants_by_year(as_of=as_of, special_fund=fund)),
        "totals": {
            "money_in": sum((row["money_in"] for row in yearly), 0),
            "money_out": sum((row["money_out"] for row in yearly), 0),
        },
        "sources": _donation_sources(
            selectors.donations_by_counterparty_kind(as_of=as_of, special_fund=fund)),
        "grants_window": grants,
        "grants": [Public(grant) for grant in grants.items],
        "donations_window": donations,
        "donations": [Public(donation) for donation in donations.items],
    }
