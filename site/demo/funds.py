"""The demo's 1+9+N network: community foundations, special funds and money in and out."""

import datetime
from decimal import Decimal

from funds.models import CommunityFoundation, MoneyMovement, SpecialFund

from . import bulk, dates, names, plan
from .taxonomy import COUNTY_NAME

D = datetime.date
DAY = datetime.timedelta(days=1)
Theme = SpecialFund.Theme
Kind = MoneyMovement.Kind
Counterparty = MoneyMovement.CounterpartyKind

# Name patterns per theme: {place} is the foundation's area, {village} one of its villages.
_FUND_NAMES = {
    Theme.COMMON_PROSPERITY: ("{place}共同富裕专项基金", "{village}乡贤共富专项基金",
                              "{brand}共富帮扶专项基金"),
    Theme.RURAL_REVITALIZATION: ("{place}乡村振兴专项基金", "{village}乡村振兴专项基金",
                                 "{brand}强村富民专项基金"),
    Theme.ELDERLY_CARE: ("{place}助老专项基金", "{brand}银龄关爱专项基金",
                         "{village}爱心食堂专项基金"),
    Theme.EDUCATION: ("{brand}助学专项基金", "{place}奖教助学专项基金"),
    Theme.DISABILITY: ("{brand}助残专项基金", "{place}阳光助残专项基金"),
    Theme.COMMUNITY_GOVERNANCE: ("{village}微治理专项基金", "{place}邻里议事专项基金"),
    Theme.CULTURE: ("{place}文化传承专项基金", "{brand}田歌传承专项基金"),
    Theme.ENVIRONMENT: ("{place}护河治水专项基金", "{brand}绿色家园专项基金"),
    Theme.EMERGENCY_RELIEF: ("{place}应急救助专项基金", "{brand}急难救助专项基金"),
    Theme.OTHER: ("{brand}公益创投专项基金", "{place}公益创投专项基金"),
}
_PROJECT_WORDS = ("邻里互助", "助老服务", "关爱儿童", "助学", "困难家庭帮扶", "文化活动", "环境整治",
                  "乡村振兴")
_INDUSTRIES = ("实业", "木业", "电子", "纺织", "食品", "建材", "机械", "新材料", "光电", "物流")


def build_foundations(ctx, specs):
    taxonomy = ctx.taxonomy
    foundations = []
    for spec in specs:
        if spec.role == "hub":
            foundations.append(CommunityFoundation(
                organization=spec.org, role=CommunityFoundation.Role.COUNTY_HUB,
                area=taxonomy.county))
        elif spec.role == "town_foundation":
            foundations.append(CommunityFoundation(
                organization=spec.org, role=CommunityFoundation.Role.TOWN_FOUNDATION,
                area=spec.town))
    bulk.insert(CommunityFoundation, foundations)
    registered_on = {spec.org.pk: spec.start for spec in specs if spec.role}
    return [(f, registered_on[f.organization_id]) for f in foundations]


def build_special_funds(ctx, foundations):
    """30 funds by the end of 2022 (the hub hosts the most), more in 2023, two closed in 2023."""
    rng = ctx.rng
    hub = [f for f in foundations if f[0].role == CommunityFoundation.Role.COUNTY_HUB]
    towns = [f for f in foundations if f[0].role == CommunityFoundation.Role.TOWN_FOUNDATION]
    themes_2022 = [t for t, n in plan.SPECIAL_FUNDS_2022.items() for _ in range(n)]
    themes_2023 = [t for t, n in plan.SPECIAL_FUNDS_2023.items() for _ in range(n)]
    rng.shuffle(themes_2022)
    town_hosts = [f for f in towns for _ in range(2)] + towns[:4]  # 22 town funds
    hosts_2022 = hub * (len(themes_2022) - len(town_hosts)) + town_hosts
    hosts_2023 = hub * 2 + rng.sample(towns, len(themes_2023) - 2)
    funds = []
    for (foundation, registered), theme in zip(hosts_2022, themes_2022):
        established = dates.between(rng, max(registered + 60 * DAY, D(2019, 6, 1)), D(2022, 12, 20))
        funds.append(_fund(ctx, foundation, theme, established))
    for (foundation, _registered), theme in zip(hosts_2023, themes_2023):
        established = dates.between(rng, D(2023, 1, 10), D(2023, 12, 10))
        funds.append(_fund(ctx, foundation, theme, established))
    early = sorted((f for f in funds if f.established_on < D(2021, 6, 1)), key=lambda f: f.name)
    for fund in rng.sample(early, plan.SPECIAL_FUNDS_CLOSED_2023):
        fund.closed_on = dates.between(rng, D(2023, 3, 1), D(2023, 11, 30))
        fund.purpose += "专项任务已完成，基金终止。"
    bulk.insert(SpecialFund, funds)
    return funds


def _fund(ctx, foundation, theme, established):
    rng, taxonomy = ctx.rng, ctx.taxonomy
    area = foundation.area
    town = area if area.is_town_level else rng.choice(taxonomy.towns)
    place = COUNTY_NAME if not area.is_town_level else area.name
    while True:
        village = rng.choice(taxonomy.villages[town.pk])
        name = rng.choice(_FUND_NAMES[theme]).format(
            place=place, village=f"{town.name}{village.name}", brand=rng.choice(names.BRANDS))
        if ctx.names.claim(name):
            break
    initiator = rng.choice((
        f"{COUNTY_NAME}{rng.choice(names.BRANDS)}{rng.choice(_INDUSTRIES)}有限公司",
        f"{town.name}{village.name}乡贤参事会",
        f"{town.name}{'办事处' if town.name.endswith('街道') else '人民政府'}",
    ))
    return SpecialFund(
        host=foundation, name=name, theme=theme, established_on=established, initiator=initiator,
        purpose=f"用于{place}{Theme(theme).label}相关公益项目。",
        target_amount=Decimal(rng.randrange(20, 500) * 10_000),
    )


def build_money(ctx, specs, foundations, funds):
    """Donations in, grants out to demo organizations active on the day, and small expenses, year
    by year from each fund's (or foundation's) start to the horizon."""
    grantees_by_town = {}
    for spec in specs:
        if not spec.role:
            grantees_by_town.setdefault(spec.town.pk, []).append(spec)
    everyone = [s for s in specs if not s.role]
    counters = {"donor": 0, "receipt": 0}
    rows = []
    for foundation, registered in foundations:
        streams = [(None, registered + 30 * DAY, None)] + [
            (fund, fund.established_on, fund.closed_on) for fund in funds if fund.host is foundation
        ]
        for fund, first, closed in streams:
            last = min(closed or plan.HORIZON, plan.HORIZON)
            pool = (everyone if not foundation.area.is_town_level
                    else grantees_by_town.get(foundation.area_id, everyone))
            rows += _stream(ctx, foundation, fund, first, last, pool, counters)
    bulk.insert(MoneyMovement, rows)
    return len(rows)


def _stream(ctx, foundation, fund, first, last, pool, counters):
    rng = ctx.rng
    rows, balance = [], Decimal(0)
    project = fund.name if fund else "基金会非限定性项目"
    for year in range(first.year, last.year + 1):
        start = max(first, D(year, 1, 1))
        end = min(last, D(year, 12, 31))
        if start > end:
            continue
        donations = sorted(dates.between(rng, start, end) for _ in range(rng.randint(2, 6)))
        if year == first.year:
            donations[0] = first  # the founding donation on the first day
        for day in donations:
            kind = rng.choices([Counterparty.ENTERPRISE, Counterparty.INDIVIDUAL,
                                Counterparty.GOVERNMENT, Counterparty.ORGANIZATION],
                               weights=[50, 30, 10, 10])[0]
            amount = {
                Counterparty.ENTERPRISE: rng.randrange(10, 500) * 1000,
                Counterparty.INDIVIDUAL: rng.randrange(2, 500) * 100,
                Counterparty.GOVERNMENT: rng.randrange(50, 300) * 1000,
                Counterparty.ORGANIZATION: rng.randrange(5, 100) * 1000,
            }[kind]
            counters["receipt"] += 1
            row = MoneyMovement(
                foundation=foundation, special_fund=fund, kind=Kind.DONATION_IN, date=day,
                amount=Decimal(amount), counterparty_kind=kind, project=project,
                receipt_number=f"ZJJZ{day.year}{counters['receipt']:06d}",
            )
            if kind == Counterparty.INDIVIDUAL:
                row.personal_donor_name = names.donor_placeholder(counters["donor"])
                counters["donor"] += 1
            elif kind == Counterparty.ENTERPRISE:
                row.counterparty = (f"{COUNTY_NAME}{rng.choice(names.BRANDS)}"
                                    f"{rng.choice(_INDUSTRIES)}有限公司")
            elif kind == Counterparty.GOVERNMENT:
                row.counterparty = rng.choice(("嘉善县民政局", "嘉善县财政局", foundation.area.name))
            else:
                row.counterparty = rng.choice(pool).name
            rows.append(row)
            balance += row.amount
        for _ in range(rng.randint(1, 4)):
            day = dates.between(rng, start, end)
            grantee = _active_grantee(rng, pool, day)
            # Never grant more than the fund holds: at most 60% of its balance.
            amount = min(Decimal(rng.randrange(5, 100) * 1000),
                         (balance * 6 / 10).quantize(Decimal(1)))
            if grantee is None or amount < 1000 or day < donations[0]:
                continue
            rows.append(MoneyMovement(
                foundation=foundation, special_fund=fund, kind=Kind.GRANT_OUT, date=day,
                amount=amount, counterparty_kind=Counterparty.ORGANIZATION,
                counterparty=grantee.name, grantee=grantee.org,
                project=f"{year}年{grantee.town.name}{rng.choice(_PROJECT_WORDS)}项目",
            ))
            balance -= amount
        fee = (balance * Decimal("0.01")).quantize(Decimal("0.01"))
        if fee >= 1:
            rows.append(MoneyMovement(
                foundation=foundation, special_fund=fund, kind=Kind.EXPENSE, date=end,
                amount=fee, counterparty_kind=Counterparty.OTHER, project="项目执行及管理费用",
            ))
            balance -= fee
    return rows


def _active_grantee(rng, pool, day):
    for _ in range(30):
        spec = rng.choice(pool)
        if spec.active_on(day):
            return spec
    return None
