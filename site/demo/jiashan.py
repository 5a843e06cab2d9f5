"""Builds the Jiashan demo in one transaction: `load_demo(seed=...)`."""

import time

from django.db import transaction
from wagtail.models import Site

from funds.models import CommunityFoundation
from registry.models import Organization
from website import page_cache
from website.models import PublicSiteSettings

from . import funds, incubation, organizations, plan, services, supervision
from .context import new_context
from .taxonomy import COUNTY_CODE, ensure_taxonomy, load_taxonomy

DEFAULT_SEED = 20221231


def demo_present():
    """The demo is there when the county's hub foundation is: the scale generator may create the
    county's areas, but never its foundations."""
    return CommunityFoundation.objects.filter(
        area__code=COUNTY_CODE, role=CommunityFoundation.Role.COUNTY_HUB
    ).exists()


def load_demo(*, seed=DEFAULT_SEED, log=print):
    """Load the demo unless it is present. Returns {what: rows created}, or None if present."""
    plan.check_plan()
    if demo_present():
        return None
    started = time.monotonic()
    with transaction.atomic():
        counts = _build(seed=seed, log=log)
        _show_demo_notice()
    page_cache.bump_everything()  # bulk inserts send no model signals
    log(f"完成，用时 {time.monotonic() - started:.1f} 秒。")
    return counts


def _build(*, seed, log):
    ensure_taxonomy()
    ctx = new_context(seed=seed, taxonomy=load_taxonomy(demo_towns_only=True))
    counts = {}
    others = Organization.objects.count()
    if others:
        log(f"注意：数据库中已有 {others} 个社会组织，演示数据的统计数字将与参考数字不一致。")

    specs = organizations.plan_organizations(ctx)
    organizations.assign_identifiers(ctx, specs)
    organizations.save_organizations(ctx, specs)
    counts["organizations"] = len(specs)
    log(f"社会组织 {len(specs)} 个及其登记备案事项。")

    unreported = supervision.build_credit_entries(ctx, specs)
    counts["inspections"] = supervision.build_inspections(ctx, specs, unreported_years=unreported)
    counts["grades"] = supervision.build_grades(ctx, specs)
    log(f"年检 {counts['inspections']} 条，评估等级 {counts['grades']} 条，信用名录。")

    operators = [s.org for s in specs if s.role == "operator"]
    centers = incubation.ensure_centers(ctx, operators=operators)
    counts["incubations"] = incubation.build_incubations(ctx, specs, centers)
    log(f"培育中心 {len(centers)} 个，孵化记录 {counts['incubations']} 条。")

    counts["transferred_services"] = services.build_services(ctx, specs)
    log(f"承接转移职能 {counts['transferred_services']} 项。")

    foundations = funds.build_foundations(ctx, specs)
    special_funds = funds.build_special_funds(ctx, foundations)
    counts["special_funds"] = len(special_funds)
    counts["money_movements"] = funds.build_money(ctx, specs, foundations, special_funds)
    log(f"社区发展基金会 {len(foundations)} 个，专项基金 {len(special_funds)} 个，"
        f"资金收支 {counts['money_movements']} 笔。")
    return counts


def _show_demo_notice():
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    settings = PublicSiteSettings.for_site(site)
    if not settings.shows_demo_data:
        settings.shows_demo_data = True
        settings.save()
