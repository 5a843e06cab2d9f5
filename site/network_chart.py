"""The 1+9+N network drawing: the county hub in the middle, each town foundation a node around it
labelled with its town and the number of special funds it hosts (a line under the drawing says
what the number is), each node a link to the foundation's page when a URL is given.

The town nodes stand at evenly spaced angles on one ring or, when there are many, on two or more
rings in turn (inner, outer, inner, ...), so that each spoke from the hub passes between the nodes
nearer in. Of those layouts the smallest in which no two nodes come closer than GAP and no spoke
passes within GAP / 2 of another node is chosen; every label lies inside its own node's circle,
so nothing drawn overlaps at any number of towns. The drawing is as large as its layout needs
(its viewBox); a page scales it to the room it has.
"""

import math

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .chart_text import ASCENT, DESCENT, text_width

GAP = 12  # between two nodes; a spoke keeps half of it from a node it passes
MARGIN = 6
PADDING = 5  # between a label and its node's circle
LINE_GAP = 2
HUB_FONTS = (17, 16)  # the hub's two lines: its role, its number of funds
TOWN_FONTS = (15, 15)  # a town node's: its town, its number of funds
LEGEND_FONT = 12
MAX_RINGS = 4

HUB_FILL = "#1f5fa8"
TOWN_STROKE = "#15803d"
EMPTY_STROKE = "#6b7280"  # a foundation hosting no open fund
TEXT = "#1f2937"
SPOKE = "#d1d5db"
BOLD = ' font-weight="bold"'


def _fund_count(n):
    return ngettext("%(count)s 个专项基金", "%(count)s 个专项基金", n) % {"count": n}


def _label_lines(first, second, fonts):
    """The two lines of a node's label, centred on the node: [(text, font size, bold, baseline
    offset)], and the radius of the smallest circle holding both line boxes with PADDING."""
    sizes = [(first, fonts[0], True), (second, fonts[1], True)]
    heights = [(ASCENT + DESCENT) * size for _text, size, _bold in sizes]
    top = -(sum(heights) + LINE_GAP) / 2
    lines, radius = [], 0.0
    for (text, size, bold), height in zip(sizes, heights):
        half_width = text_width(text, size, bold=bold) / 2
        bottom = top + height
        lines.append((text, size, bold, top + ASCENT * size))
        radius = max(radius, math.hypot(half_width, max(abs(top), abs(bottom))))
        top = bottom + LINE_GAP
    return lines, radius + PADDING


def _segment_distance(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _fits(points, r, hub_r):
    """Whether town nodes of radius r at `points` (hub at the origin) keep clear of each other,
    of the hub and of each other's spokes."""
    for i, (x, y) in enumerate(points):
        if math.hypot(x, y) < hub_r + r + GAP:
            return False
        for j, (u, v) in enumerate(points):
            if j == i:
                continue
            if j > i and math.hypot(x - u, y - v) < 2 * r + GAP:
                return False
            if _segment_distance(u, v, 0.0, 0.0, x, y) < r + GAP / 2:
                return False
    return True


def _slots(n, rings):
    """The (slot, ring) of each of n nodes: rings * ceil(n / rings) slots round the circle, ring
    by turn; the spare slots (fewer than `rings`) are spread out and left empty, so that two
    neighbours are never on the same ring."""
    slots = rings * math.ceil(n / rings)
    spare = slots - n
    empty = {int((k + 0.5) * slots / spare) for k in range(spare)} if spare else set()
    used = [s for s in range(slots) if s not in empty]
    return slots, [(s, s % rings) for s in used]


def _ring_points(n, rings, inner, step):
    slots, placed = _slots(n, rings)
    points = []
    for slot, ring in placed:
        angle = -math.pi / 2 + 2 * math.pi * slot / slots
        radius = inner + ring * step
        points.append((radius * math.cos(angle), radius * math.sin(angle)))
    return points


def _ring_layout(n, rings, r, hub_r):
    """The smallest fitting layout on `rings` rings, or None; (extent, points)."""
    slots = rings * math.ceil(n / rings)
    angle = 2 * math.pi / slots
    inner = hub_r + r + GAP
    if rings == 1:
        if n > 1:
            inner = max(inner, (r + GAP / 2) / math.sin(math.pi / n))
        step = 0.0
    else:
        # A spoke to an outer neighbour passes an inner node at inner * sin(angle).
        inner = max(inner, (r + GAP / 2) / math.sin(min(angle, math.pi / 2)))
        step = _ring_step(inner, angle, 2 * r + GAP)
    for _attempt in range(200):
        points = _ring_points(n, rings, inner, step)
        if _fits(points, r, hub_r):
            return inner + (rings - 1) * step + r, points
        inner *= 1.02
        if rings > 1:
            step = _ring_step(inner, angle, 2 * r + GAP)
    return None


def _ring_step(inner, angle, distance):
    """How far out the next ring must be for two nodes `angle` apart, one on each ring, to be
    `distance` apart."""
    low, high = 0.0, distance + inner
    for _step in range(40):
        mid = (low + high) / 2
        outer = inner + mid
        if math.sqrt(inner * inner + outer * outer - 2 * inner * outer * math.cos(angle)) >= distance:
            high = mid
        else:
            low = mid
    return high


def layout(n, r, hub_r):
    """The town nodes' centres round a hub at the origin: the layout with the smallest extent."""
    if n == 0:
        return []
    best = None
    for rings in range(1, min(MAX_RINGS, n) + 1):
        found = _ring_layout(n, rings, r, hub_r)
        if found and (best is None or found[0] < best[0] - 0.5):
            best = found
    if best is None:  # more towns than four rings hold apart: one ring as large as it takes
        best = (0, _ring_points(n, 1, (r + GAP) / math.sin(math.pi / n) + hub_r, 0.0))
    return best[1]


def _label(x, y, lines, fills):
    return "".join(
        f'<text x="{x:.1f}" y="{y + offset:.1f}" text-anchor="middle" font-size="{size}" '
        f'fill="{fill}"{BOLD if bold else ""}>{escape(text)}</text>'
        for (text, size, bold, offset), fill in zip(lines, fills)
    )


def _linked(url, name, body):
    if not url:
        return f'<g class="node">{body}</g>'
    return f'<a class="node" href="{escape(url)}"><title>{escape(name)}</title>{body}</a>'


def network_parts(*, hub, towns, hub_url=None):
    """(viewBox width, height, SVG body) of the network. `hub` is (name, fund count); `towns`
    [(town, foundation name, fund count[, URL])]."""
    hub_name, hub_funds = hub
    hub_lines, hub_r = _label_lines(_("县级枢纽"), str(hub_funds), HUB_FONTS)
    town_labels = [_label_lines(t[0], str(t[2]), TOWN_FONTS) for t in towns]
    r = max([radius for _lines, radius in town_labels] + [28.0])
    points = layout(len(towns), r, hub_r)
    legend = _("圆内数字为该基金会在设的专项基金个数")
    legend_width = text_width(legend, LEGEND_FONT)
    half_width = max([hub_r, legend_width / 2] + [abs(x) + r for x, _y in points]) + MARGIN
    top = max([hub_r] + [r - y for _x, y in points]) + MARGIN
    bottom = max([hub_r] + [y + r for _x, y in points]) + MARGIN
    cx, cy = half_width, top
    parts = []
    for x, y in points:
        distance = math.hypot(x, y)
        ux, uy = x / distance, y / distance
        parts.append(
            f'<line x1="{cx + ux * hub_r:.1f}" y1="{cy + uy * hub_r:.1f}" '
            f'x2="{cx + x - ux * r:.1f}" y2="{cy + y - uy * r:.1f}" stroke="{SPOKE}" stroke-width="2"/>'
        )
    parts.append(_linked(
        hub_url, f"{hub_name}：{_fund_count(hub_funds)}",
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{hub_r:.1f}" fill="{HUB_FILL}"/>'
        + _label(cx, cy, hub_lines, ("#fff", "#fff")),
    ))
    for (x, y), town, (lines, _radius) in zip(points, towns, town_labels):
        _town, name, funds = town[:3]
        url = town[3] if len(town) > 3 else None
        stroke = TOWN_STROKE if funds else EMPTY_STROKE
        parts.append(_linked(
            url, f"{name}：{_fund_count(funds)}",
            f'<circle cx="{cx + x:.1f}" cy="{cy + y:.1f}" r="{r:.1f}" fill="#fff" '
            f'stroke="{stroke}" stroke-width="3"/>'
            + _label(cx + x, cy + y, lines, (TEXT, stroke)),
        ))
    baseline = top + bottom + ASCENT * LEGEND_FONT
    parts.append(
        f'<text x="{cx:.1f}" y="{baseline:.1f}" text-anchor="middle" font-size="{LEGEND_FONT}" '
        f'fill="{TEXT}" class="legend">{escape(legend)}</text>'
    )
    return 2 * half_width, baseline + DESCENT * LEGEND_FONT + MARGIN, "".join(parts)
