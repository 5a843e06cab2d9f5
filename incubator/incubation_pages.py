"""What the incubation pages show: the centers and their coverage, each center's groups, the figures."""

from urllib.parse import urlencode

from django.http import Http404
from django.utils.translation import gettext as _

from registry.models import Area
from website.paging import page_window
from website.privacy import Public, public_display_rows

from . import selectors
from .facts import BEGUN_STATES, IncubationState
from .models import IncubationCenter

PER_PAGE = 30


def groups_url(base, *, as_of, states=(), center=None):
    """The list of incubated groups behind a figure: those in `states` on `as_of` (any, if none),
    of `center` (any, if None). It has exactly as many rows as the figure counts."""
    params = [("as_of", as_of.isoformat())] + [("state", IncubationState(s).value) for s in states]
    if center is not None:
        params.append(("center", str(center)))
    return f"{base}groups/?{urlencode(params)}"


def _outcome_figures(*, as_of, base, town=None):
    states = selectors.incubations_by_outcome(as_of=as_of, town=town)
    total = sum(states.values())
    done = states[IncubationState.REGISTERED] + states[IncubationState.FILED]
    done_states = (IncubationState.REGISTERED, IncubationState.FILED)
    figures = [
        {"key": "incubated", "value": total, "label": _("累计孵化社会组织（团队）")},
        {"key": "registered_or_filed", "value": done, "label": _("出壳后登记或备案"), "states": done_states,
         "detail": _("其中登记 %(registered)s、备案 %(filed)s") % {
             "registered": states[IncubationState.REGISTERED],
             "filed": states[IncubationState.FILED]}},
        {"key": "ongoing", "value": states[IncubationState.ONGOING], "label": _("正在孵化"),
         "states": (IncubationState.ONGOING,)},
        {"key": "overdue", "value": states[IncubationState.OVERDUE], "label": _("逾期未出壳"),
         "detail": _("已过计划出壳日期，尚未出壳或退出"), "states": (IncubationState.OVERDUE,)},
        {"key": "left", "value": states[IncubationState.LEFT], "label": _("未成功出壳（退出）"),
         "states": (IncubationState.LEFT,)},
    ]
    for figure in figures:
        figure["url"] = groups_url(base, as_of=as_of, states=figure.get("states", ()))
    return figures


def index_context(*, as_of, base):
    centers = list(selectors.centers_with_outcomes(as_of=as_of))
    towns = list(Area.objects.filter(level__in=Area.TOWN_LEVELS).order_by("code"))
    town_centers = {}
    for center in centers:
        if center.level == IncubationCenter.Level.TOWN:
            town_centers.setdefault(center.area_id, []).append(center)
    for center in centers:
        # Each count of the centers' table opens its groups (same states, same day).
        center.links = {
            key: groups_url(base, as_of=as_of, states=states, center=center.pk)
            for key, states in [("total", ()), *((s.value, (s,)) for s in BEGUN_STATES)]
        }
    return {
        "as_of": as_of,
        "figures": _outcome_figures(as_of=as_of, base=base),
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


def _center_asked(raw):
    """The center id in `?center=`, or None when absent or not an id (the list is then all)."""
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) <= 12 else None


def groups_context(*, request, as_of):
    """The incubated groups behind the figures: `?state=` (repeatable; unknown values are left
    out), `?center=`, `?as_of=`, with their count and each group's state that day."""
    known = {state.value for state in BEGUN_STATES}
    states = [IncubationState(s) for s in dict.fromkeys(request.GET.getlist("state")) if s in known]
    center_id = _center_asked(request.GET.get("center"))
    center = IncubationCenter.objects.filter(pk=center_id).first() if center_id else None
    groups = selectors.incubations_listed(as_of=as_of, states=states, center=center)
    window = page_window(groups, request=request, per_page=PER_PAGE)
    return {
        "as_of": as_of,
        "states": states,
        "center": Public(center) if center else None,
        "total": groups.count(),
        "window": window,
        "incubations": [{"incubation": Public(i), "state": i.state_on(as_of)}
                        for i in window.items],
    }
