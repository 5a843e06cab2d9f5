"""What the incubation pages show: the centers and their coverage, each center's groups, the figures."""

from django.http import Http404
from django.utils.translation import gettext as _

from registry.models import Area
from website.paging import page_window
from website.privacy import Public, public_display_rows

from . import selectors
from .facts import BEGUN_STATES, IncubationState
from .models import IncubationCenter

PER_PAGE = 30


def _outcome_figures(*, as_of, town=None):
    states = selectors.incubations_by_outcome(as_of=as_of, town=town)
    total = sum(states.values())
    done = states[IncubationState.REGISTERED] + states[IncubationState.FILED]
    return [
        {"key": "incubated", "value": total, "label": _("累计孵化社会组织(团队)")},
        {"key": "registered_or_filed", "value": done, "label": _("出壳后登记或备案"),
         "detail": _("其中登记 %(registered)s、备案 %(filed)s") % {
             "registered": states[IncubationState.REGISTERED],
             "filed": states[IncubationState.FILED]}},
        {"key": "ongoing", "value": states[IncubationState.ONGOING], "label": _("正在孵化")},
        {"key": "overdue", "value": states[IncubationState.OVERDUE], "label": _("逾期未出壳"),
         "detail": _("已过计划出壳日期，尚未出壳或退出")},
        {"key": "left", "value": states[IncubationState.LEFT], "label": _("未成功出壳(退出)")},
    ]


def index_context(*, as_of):
    centers = list(selectors.centers_with_outcomes(as_of=as_of))
    towns = list(Area.objects.filter(level__in=Area.TOWN_LEVELS).order_by("code"))
    town_centers = {}
    for center in centers:
        if center.level == IncubationCenter.Level.TOWN:
            town_centers.setdefault(center.area_id, []).append(center)
    return {
        "as_of": as_of,
        "figures": _outcome_figures(as_of=as_of),
        "county_centers": [c for c in centers if c.level == IncubationCenter.Level.COUNTY],
        "centers": centers,
        "coverage": [{"town": town, "centers": town_centers.get(town.pk, [])} for town in towns],
        "towns_covered": sum(1 for town in towns if town.pk in town_centers),
        "town_count": len(towns),
    }


def center_context(*, request, center_id, as_of):
    center = (
        selectors.centers_with_outcomes(as_of=as_of).filter(pk=center_id).first()
    )
    if center is None:
        raise Http404(_("未找到该培育发展中心。"))
    window = page_window(selectors.center_incubations(center=center), request=request, per_page=PER_PAGE)
    counts = ("total",) + tuple(state.value for state in BEGUN_STATES)
    return {
        "as_of": as_of,
        "center": Public(center, extra=counts),
        "center_rows": public_display_rows(center, exclude=("id", "name", "operator")),
        "window": window,
        # Each group with its state on the page's date, read from its dates; public fields only.
        "incubations": [{"incubation": Public(i), "state": i.state_on(as_of)}
                        for i in window.items],
    }
