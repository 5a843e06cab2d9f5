"""Reads of the 1+9+N community support network and its money, each as of a date."""

from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from registry.models import Area, Organization
from registry.selectors import registered_organizations
from website import privacy
from website.aggregates import count_by

from .models import CommunityFoundation, MoneyMovement, SpecialFund


def community_foundations(*, as_of, town=None):
    """Community foundations whose organization is registered on `as_of` (serving `town`, if given)."""
    foundations = CommunityFoundation.objects.filter(
        organization__in=registered_organizations(as_of=as_of)
    )
    return foundations if town is None else foundations.filter(area=town)


def foundations_by_role(*, as_of, town=None):
    """{network role: count} of the community foundations on `as_of`, every role present."""
    return count_by(community_foundations(as_of=as_of, town=town), "role", CommunityFoundation.Role)


def count_towns_covered_by_foundations(*, as_of):
    """Distinct towns and subdistricts served by a town-level community foundation on `as_of`."""
    return (
        community_foundations(as_of=as_of)
        .filter(role=CommunityFoundation.Role.TOWN_FOUNDATION, area__level__in=Area.TOWN_LEVELS)
        .order_by().values("area_id").distinct().count()
    )


def special_funds(*, as_of, town=None):
    """Special funds established on or before `as_of` and not closed by then (hosted by the
    foundation serving `town`, if given)."""
    funds = SpecialFund.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=as_of), established_on__lte=as_of,
    )
    return funds if town is None else funds.filter(host__area=town)


def count_special_funds(*, as_of, town=None):
    return special_funds(as_of=as_of, town=town).count()


def special_funds_by_theme(*, as_of):
    """{theme: count} of the special funds open on `as_of`, every theme present."""
    return count_by(special_funds(as_of=as_of), "theme", SpecialFund.Theme)


def _yuan_sum(kinds, *, prefix="", only=None):
    """Sum of the movements' amounts of `kinds` (through the relation `prefix`, narrowed by the Q
    `only`), 0.00 when there are none."""
    amount = MoneyMovement._meta.get_field("amount")
    # The explicit output field makes both databases return a Decimal with the column's 2 places.
    output = DecimalField(max_digits=amount.max_digits + 4, decimal_places=amount.decimal_places)
    condition = Q(**{f"{prefix}kind__in": kinds}) & (only or Q())
    return Coalesce(
        Sum(f"{prefix}amount", filter=condition, output_field=output),
        Value(Decimal("0.00")), output_field=output,
    )


def money_by_year(*, as_of, foundation=None, special_fund=None, town=None):
    """[{year, money_in, money_out}] by calendar year of the movements dated on or before `as_of`,
    for all foundations or one foundation or one special fund; only years with movements."""
    movements = MoneyMovement.objects.filter(date__lte=as_of)
    if foundation is not None:
        movements = movements.filter(foundation=foundation)
    if special_fund is not None:
        movements = movements.filter(special_fund=special_fund)
    if town is not None:
        movements = movements.filter(foundation__area=town)
    return list(
        movements.order_by()
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(
            money_in=_yuan_sum(MoneyMovement.INFLOW_KINDS),
            money_out=_yuan_sum(MoneyMovement.OUTFLOW_KINDS),
        )
        .order_by("year")
    )


def special_funds_with_money(*, as_of, since, town=None):
    """Special funds open on `as_of`, annotated with `money_in` and `money_out` (yuan) over the
    movements dated in [since, as_of]."""
    in_period = Q(money_movements__date__gte=since, money_movements__date__lte=as_of)
    prefix = "money_movements__"
    return special_funds(as_of=as_of, town=town).select_related("host__organization").annotate(
        money_in=_yuan_sum(MoneyMovement.INFLOW_KINDS, prefix=prefix, only=in_period),
        money_out=_yuan_sum(MoneyMovement.OUTFLOW_KINDS, prefix=prefix, only=in_period),
    ).order_by("host__role", "host__area__code", "established_on", "pk")


# --- The public funds and statistics pages ----------------------------------------------------

def special_funds_by_host_area(*, as_of):
    """{area id of the host foundation: special funds open on `as_of`}."""
    return dict(
        special_funds(as_of=as_of).order_by().values("host__area")
        .annotate(n=Count("pk")).values_list("host__area", "n")
    )


def money_totals_by_foundation(*, as_of):
    """{foundation id: {"money_in", "money_out"}} over the movements dated on or before `as_of`."""
    rows = (
        MoneyMovement.objects.filter(date__lte=as_of).order_by().values("foundation")
        .annotate(money_in=_yuan_sum(MoneyMovement.INFLOW_KINDS),
                  money_out=_yuan_sum(MoneyMovement.OUTFLOW_KINDS))
    )
    return {row["foundation"]: row for row in rows}


def special_funds_with_totals(*, as_of, foundation=None):
    """Special funds established on or before `as_of`, closed ones included, each annotated with
    `money_in` and `money_out` (yuan) over its movements up to `as_of`. One query."""
    funds = SpecialFund.objects.filter(established_on__lte=as_of)
    if foundation is not None:
        funds = funds.filter(host=foundation)
    until = Q(money_movements__date__lte=as_of)
    prefix = "money_movements__"
    return funds.select_related("host__organization", "host__area").annotate(
        money_in=_yuan_sum(MoneyMovement.INFLOW_KINDS, prefix=prefix, only=until),
        money_out=_yuan_sum(MoneyMovement.OUTFLOW_KINDS, prefix=prefix, only=until),
    ).order_by("host__role", "host__area__code", "established_on", "pk")


def _movements(*, kinds, as_of, foundation=None, special_fund=None):
    movements = MoneyMovement.objects.filter(kind__in=kinds, date__lte=as_of)
    if foundation is not None:
        movements = movements.filter(foundation=foundation)
    if special_fund is not None:
        movements = movements.filter(special_fund=special_fund)
    return movements


def grants_made(*, as_of, foundation=None, special_fund=None):
    """Grants (资助支出) dated on or before `as_of`, newest first, public fields only, with the
    grantee organization and the special fund."""
    return (
        _movements(kinds=[MoneyMovement.Kind.GRANT_OUT], as_of=as_of,
                   foundation=foundation, special_fund=special_fund)
        .select_related("grantee", "special_fund")
        # Public fields only (website.privacy): a personal donor's name, the receipt number and
        # the internal note are never even read for the public.
        .only(*privacy.only_public(
            MoneyMovement, related={"grantee": Organization, "special_fund": SpecialFund}))
        .order_by("-date", "-pk")
    )


def donations_received(*, as_of, foundation=None, special_fund=None):
    """Donations (捐赠收入) dated on or before `as_of`, newest first, public fields only: a personal
    donor is known as an individual, never by name."""
    return (
        _movements(kinds=MoneyMovement.INFLOW_KINDS, as_of=as_of,
                   foundation=foundation, special_fund=special_fund)
        .select_related("special_fund")
        .only(*privacy.only_public(MoneyMovement, related={"special_fund": SpecialFund}))
        .order_by("-date", "-pk")
    )


def donations_by_counterparty_kind(*, as_of, foundation=None, special_fund=None):
    """{counterparty kind: {"count", "amount"}} of the donations up to `as_of`, every kind present."""
    totals = {kind: {"count": 0, "amount": Decimal("0.00")} for kind in MoneyMovement.CounterpartyKind}
    rows = (
        _movements(kinds=MoneyMovement.INFLOW_KINDS, as_of=as_of,
                   foundation=foundation, special_fund=special_fund)
        .order_by().values("counterparty_kind")
        .annotate(count=Count("pk"), amount=_yuan_sum(MoneyMovement.INFLOW_KINDS))
    )
    for row in rows:
        totals[row["counterparty_kind"]] = {"count": row["count"], "amount": row["amount"]}
    return totals


def grants_by_year(*, as_of, foundation=None, special_fund=None):
    """{year: grants (资助支出) in yuan} up to `as_of`; years without grants are absent."""
    rows = (
        _movements(kinds=[MoneyMovement.Kind.GRANT_OUT], as_of=as_of,
                   foundation=foundation, special_fund=special_fund)
        .order_by().annotate(year=ExtractYear("date")).values("year")
        .annotate(amount=_yuan_sum([MoneyMovement.Kind.GRANT_OUT])).values_list("year", "amount")
    )
    return dict(rows)
