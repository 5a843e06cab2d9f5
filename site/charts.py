"""Server-rendered SVG charts, shared by the public pages and the PDF summaries.

Each function returns SVG markup (safe to insert) with a <title> and <desc>; pages show the
chart's data table beside it for screen readers. No JavaScript, no external assets.
"""

import hashlib
import math

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .chart_text import text_width

FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif"
PALETTE = ["#1f5fa8", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0f766e", "#a16207", "#475569"]
TEXT = "#1f2937"
GRID = "#d1d5db"


def _number(value):
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def _svg(width, height, title, desc, body, *, interactive=False, view_box=None):
    # Ids unique per chart (several share a page), stable for the same chart (reproducible output).
    key = "c" + hashlib.sha1(f"{title}|{desc}".encode()).hexdigest()[:10]
    # A picture with links in it is a group: an img's content is hidden from assistive technology.
    role = "group" if interactive else "img"
    view_box = view_box or f"0 0 {width} {height}"
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}" '
        f'width="{width}" height="{height}" role="{role}" font-family="{FONT}" '
        f'aria-labelledby="{key}-t {key}-d"><title id="{key}-t">{escape(title)}</title>'
        f'<desc id="{key}-d">{escape(desc)}</desc>{body}</svg>'
    )


def bar_chart(*, title, items, unit="", width=640, bar_height=20, gap=8, label_width=110,
              value_format=None):
    """Horizontal bars: one (label, value) per row, value printed at the bar's end. The label
    column is widened to the longest label (up to 40% of the width)."""
    items = list(items)
    number = value_format or _number
    widest = max([text_width(label, 12) for label, _v in items] + [0])
    label_width = max(label_width, min(widest + 12, width * 0.4))
    top = 8
    height = top + len(items) * (bar_height + gap) + 8
    largest = max([v for _, v in items] + [0]) or 1
    value_room = max([text_width(f"{number(v)}{unit}", 12) for _l, v in items] + [0]) + 8
    span = max(width - label_width - value_room, 10)
    parts = []
    for i, (label, value) in enumerate(items):
        y = top + i * (bar_height + gap)
        length = max(0.0, span * float(value) / float(largest))
        parts.append(
            f'<text x="{label_width - 6:.1f}" y="{y + bar_height * 0.72:.1f}" text-anchor="end" '
            f'font-size="12" fill="{TEXT}">{escape(label)}</text>'
            f'<rect x="{label_width:.1f}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'fill="{PALETTE[0]}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height * 0.72:.1f}" '
            f'font-size="12" fill="{TEXT}">{escape(number(value))}{escape(unit)}</text>'
        )
    desc = ";".join(f"{label} {number(value)}{unit}" for label, value in items)
    return _svg(width, height, title, desc, "".join(parts))


LEGEND_FONT = 12
AXIS_FONT = 11
LABEL_GAP = 6  # the least room between two year labels


def _legend(series, *, left, right):
    """The series' colour keys in rows from `left`, wrapped before `right`: ([svg parts], the
    y just below the last row)."""
    parts, x, row = [], left, 0
    for s, (name, _values) in enumerate(series):
        item = 16 + text_width(name, LEGEND_FONT)
        if x > left and x + item > right:
            x, row = left, row + 1
        y = 6 + row * 20
        colour = PALETTE[s % len(PALETTE)]
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16:.1f}" y="{y + 10}" font-size="{LEGEND_FONT}" fill="{TEXT}" '
            f'class="legend">{escape(name)}</text>'
        )
        x += item + 18
    return parts, 6 + (row + 1) * 20


def year_labels(labels, positions, *, y, width):
    """The x-axis labels, thinned so that no two meet: the last (the newest year) always, then
    every k-th one back from it, with the smallest k that keeps LABEL_GAP between neighbours.
    A label that would leave the chart is moved inside it. Returns [svg parts]."""
    def placed(i):
        text, x = labels[i], positions[i]
        half = text_width(text, AXIS_FONT) / 2
        if x + half > width - 1:
            return text, width - 1, "end", (width - 1 - 2 * half, width - 1)
        if x - half < 1:
            return text, 1, "start", (1, 1 + 2 * half)
        return text, x, "middle", (x - half, x + half)

    count = len(labels)
    chosen = []
    for every in range(1, count + 1):
        chosen = [placed(i) for i in range(count - 1, -1, -every)][::-1]
        if all(a[3][1] + LABEL_GAP <= b[3][0] for a, b in zip(chosen, chosen[1:])):
            break
    return [
        f'<text x="{x:.1f}" y="{y}" text-anchor="{anchor}" font-size="{AXIS_FONT}" fill="{TEXT}" '
        f'class="x-label">{escape(text)}</text>'
        for text, x, anchor, _span in chosen
    ]


def _plot_frame(series, *, width, height, value_format):
    """(left, top, plot width, plot height, [legend parts]) of a chart with a value axis: the left
    margin fits the widest tick, the top the legend's rows."""
    number = value_format or _number
    ceiling = _ceiling(series)
    widest = max(text_width(number(ceiling * k / 4), AXIS_FONT) for k in range(5))
    left, right, bottom = max(64, widest + 14), 16, 40
    legend, top = _legend(series, left=left, right=width - right)
    top += 6
    return left, top, width - left - right, height - top - bottom, legend


def line_chart(*, title, x_labels, series, unit="", width=640, height=260, value_format=None):
    """Lines over years: `series` is [(name, [values...])] aligned with `x_labels`.
    `value_format` writes a value (website.money.axis for amounts); thousands separated by default."""
    x_labels = [str(x) for x in x_labels]
    number = value_format or _number
    left, top, plot_w, plot_h, legend = _plot_frame(
        series, width=width, height=height, value_format=value_format)
    ceiling, parts = _value_axis(series, left=left, right=left + plot_w, top=top, plot_h=plot_h,
                                 value_format=number)
    n = max(len(x_labels) - 1, 1)
    positions = [left + plot_w * i / n for i in range(len(x_labels))]
    parts += year_labels(x_labels, positions, y=top + plot_h + 16, width=width)
    for s, (_name, values) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        points = " ".join(
            f"{left + plot_w * i / n:.1f},{top + plot_h - plot_h * float(v) / ceiling:.1f}"
            for i, v in enumerate(values)
        )
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
    parts += legend
    desc = ";".join(
        f"{name}:" + "、".join(f"{x} {number(v)}{unit}" for x, v in zip(x_labels, values))
        for name, values in series
    )
    return _svg(width, height, title, desc, "".join(parts))


def _ceiling(series):
    largest = max([max(values, default=0) for _, values in series] + [0]) or 1
    step = _nice_step(float(largest) / 4)
    return step * math.ceil(float(largest) / step)


def _value_axis(series, *, left, right, top, plot_h, value_format=_number):
    """The value axis shared by line and column charts: a rounded ceiling over every series and
    five labelled grid lines. Returns (ceiling, [svg parts])."""
    ceiling = _ceiling(series)
    parts = []
    for k in range(5):
        y = top + plot_h - plot_h * k / 4
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="{AXIS_FONT}" '
            f'fill="{TEXT}">{escape(value_format(ceiling * k / 4))}</text>'
        )
    return ceiling, parts


def _nice_step(raw):
    if raw <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


NETWORK_MAX_SCALE = 1.6


def network_diagram(*, title, hub, towns, width=640, height=None, hub_url=None):
    """The 1+9+N network: the county hub in the middle, the town foundations around it, and the
    number of special funds each hosts (website.network_chart lays it out without overlaps).
    `hub` is (name, fund_count); `towns` [(town, name, funds)] or [(town, name, funds, url)]: with
    URLs (and `hub_url`) each node links to its foundation's page.

    The drawing is at most `width` wide (its text never scaled up more than NETWORK_MAX_SCALE
    times), None for its natural size (text at 15 px), and as tall as its layout needs; `height`
    is accepted for older callers and not used."""
    from .network_chart import network_parts

    view_w, view_h, body = network_parts(hub=hub, towns=towns, hub_url=hub_url)
    hub_name, hub_funds = hub
    total = hub_funds + sum(t[2] for t in towns)
    desc = _("%(hub)s（专项基金 %(funds)s 个）连接 %(count)s 个镇（街道）社区发展基金会：") % {
        "hub": hub_name, "funds": hub_funds, "count": len(towns)} + pgettext("list separator", "、").join(
        _("%(town)s%(name)s（专项基金 %(funds)s 个）") % {"town": t[0], "name": t[1], "funds": t[2]}
        for t in towns) + _("；专项基金合计 %(total)s 个。") % {"total": total}
    interactive = bool(hub_url) or any(len(t) > 3 and t[3] for t in towns)
    shown = view_w if width is None else min(width, view_w * NETWORK_MAX_SCALE)
    return _svg(round(shown), round(shown * view_h / view_w), title, desc, body,
                interactive=interactive, view_box=f"0 0 {view_w:.1f} {view_h:.1f}")


def column_chart(*, title, x_labels, series, unit="", width=640, height=260, value_format=None):
    """Vertical bars grouped by x label (a year, say): `series` is [(name, [values...])] aligned
    with `x_labels`. Unlike a line, a single year still shows. `value_format` as for line_chart."""
    x_labels = [str(x) for x in x_labels]
    number = value_format or _number
    left, top, plot_w, plot_h, legend = _plot_frame(
        series, width=width, height=height, value_format=value_format)
    ceiling, parts = _value_axis(series, left=left, right=left + plot_w, top=top, plot_h=plot_h,
                                 value_format=number)
    slot = plot_w / max(len(x_labels), 1)
    bar = slot * 0.8 / max(len(series), 1)
    for i in range(len(x_labels)):
        x0 = left + slot * i + slot * 0.1
        for s, (_name, values) in enumerate(series):
            value = float(values[i]) if i < len(values) else 0.0
            h = plot_h * value / ceiling
            parts.append(
                f'<rect x="{x0 + s * bar:.1f}" y="{top + plot_h - h:.1f}" width="{max(bar - 1, 1):.1f}" '
                f'height="{h:.1f}" fill="{PALETTE[s % len(PALETTE)]}"/>'
            )
    positions = [left + slot * (i + 0.5) for i in range(len(x_labels))]
    parts += year_labels(x_labels, positions, y=top + plot_h + 16, width=width)
    parts += legend
    desc = ";".join(
        f"{name}:" + "、".join(f"{x} {number(v)}{unit}" for x, v in zip(x_labels, values))
        for name, values in series
    )
    return _svg(width, height, title, desc, "".join(parts))
