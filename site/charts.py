"""Server-rendered SVG charts, shared by the public pages and the PDF summaries.

Each function returns SVG markup (safe to insert) with a <title> and <desc>; pages show the
chart's data table beside it for screen readers. No JavaScript, no external assets.
"""

import hashlib
import math

from django.utils.html import escape
from django.utils.safestring import mark_safe

FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif"
PALETTE = ["#1f5fa8", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0f766e", "#a16207", "#475569"]
TEXT = "#1f2937"
GRID = "#d1d5db"


def _number(value):
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def _svg(width, height, title, desc, body):
    # Ids unique per chart (several share a page), stable for the same chart (reproducible output).
    key = "c" + hashlib.sha1(f"{title}|{desc}".encode()).hexdigest()[:10]
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" font-family="{FONT}" '
        f'aria-labelledby="{key}-t {key}-d"><title id="{key}-t">{escape(title)}</title>'
        f'<desc id="{key}-d">{escape(desc)}</desc>{body}</svg>'
    )


def bar_chart(*, title, items, unit="", width=640, bar_height=20, gap=8, label_width=110):
    """Horizontal bars: one (label, value) per row, value printed at the bar's end."""
    items = list(items)
    top = 8
    height = top + len(items) * (bar_height + gap) + 8
    largest = max([v for _, v in items] + [0]) or 1
    span = width - label_width - 70
    parts = []
    for i, (label, value) in enumerate(items):
        y = top + i * (bar_height + gap)
        length = max(0.0, span * float(value) / float(largest))
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.72:.1f}" text-anchor="end" '
            f'font-size="12" fill="{TEXT}">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'fill="{PALETTE[0]}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height * 0.72:.1f}" '
            f'font-size="12" fill="{TEXT}">{_number(value)}{escape(unit)}</text>'
        )
    desc = ";".join(f"{label} {_number(value)}{unit}" for label, value in items)
    return _svg(width, height, title, desc, "".join(parts))


def line_chart(*, title, x_labels, series, unit="", width=640, height=260):
    """Lines over years: `series` is [(name, [values...])] aligned with `x_labels`."""
    x_labels = [str(x) for x in x_labels]
    left, right, top, bottom = 64, 16, 28, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    ceiling, parts = _value_axis(series, left=left, right=width - right, top=top, plot_h=plot_h)
    n = max(len(x_labels) - 1, 1)
    every = max(1, math.ceil(len(x_labels) / 12))
    for i, label in enumerate(x_labels):
        if i % every == 0 or i == len(x_labels) - 1:
            x = left + plot_w * i / n
            parts.append(
                f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11" '
                f'fill="{TEXT}">{escape(label)}</text>'
            )
    for s, (name, values) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        points = " ".join(
            f"{left + plot_w * i / n:.1f},{top + plot_h - plot_h * float(v) / ceiling:.1f}"
            for i, v in enumerate(values)
        )
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        parts.append(
            f'<rect x="{left + s * 150}" y="6" width="12" height="12" fill="{colour}"/>'
            f'<text x="{left + s * 150 + 16}" y="16" font-size="12" fill="{TEXT}">{escape(name)}</text>'
        )
    desc = ";".join(
        f"{name}:" + "、".join(f"{x} {_number(v)}{unit}" for x, v in zip(x_labels, values))
        for name, values in series
    )
    return _svg(width, height, title, desc, "".join(parts))


def _value_axis(series, *, left, right, top, plot_h):
    """The value axis shared by line and column charts: a rounded ceiling over every series and
    five labelled grid lines. Returns (ceiling, [svg parts])."""
    largest = max([max(values, default=0) for _, values in series] + [0]) or 1
    step = _nice_step(float(largest) / 4)
    ceiling = step * math.ceil(float(largest) / step)
    parts = []
    for k in range(5):
        y = top + plot_h - plot_h * k / 4
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{TEXT}">{_number(ceiling * k / 4)}</text>'
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


def network_diagram(*, title, hub, towns, width=640, height=520):
    """The 1+9+N network: the county hub in the middle, the town foundations around it, and the
    number of special funds each hosts. `hub` is (name, fund_count); `towns` [(town, name, funds)]."""
    cx, cy = width / 2, height / 2
    radius = min(width, height) / 2 - 80
    parts = []
    nodes = []
    for i, (town, name, funds) in enumerate(towns):
        angle = -math.pi / 2 + 2 * math.pi * i / max(len(towns), 1)
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        parts.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="2"/>')
        nodes.append((x, y, town, name, funds))
    hub_name, hub_funds = hub
    parts.append(
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="66" fill="{PALETTE[0]}"/>'
        f'<text x="{cx:.1f}" y="{cy - 6:.1f}" text-anchor="middle" font-size="19" fill="#fff" '
        f'font-weight="bold">县级枢纽</text>'
        f'<text x="{cx:.1f}" y="{cy + 18:.1f}" text-anchor="middle" font-size="16" fill="#fff">'
        f'专项基金 {hub_funds}</text>'
    )
    for x, y, town, _name, funds in nodes:
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="50" fill="#fff" stroke="{PALETTE[2]}" stroke-width="3"/>'
            f'<text x="{x:.1f}" y="{y - 2:.1f}" text-anchor="middle" font-size="19" fill="{TEXT}" '
            f'font-weight="bold">{escape(town)}</text>'
            f'<text x="{x:.1f}" y="{y + 20:.1f}" text-anchor="middle" font-size="15" fill="{TEXT}">'
            f'专项基金 {funds}</text>'
        )
    total = hub_funds + sum(f for *_, f in towns)
    desc = (f"{hub_name}（专项基金{hub_funds}个）连接{len(towns)}个镇（街道）社区发展基金会："
            + "、".join(f"{town}{name}（专项基金{f}个）" for town, name, f in towns)
            + f"；专项基金合计{total}个。")
    return _svg(width, height, title, desc, "".join(parts))


def column_chart(*, title, x_labels, series, unit="", width=640, height=260):
    """Vertical bars grouped by x label (a year, say): `series` is [(name, [values...])] aligned
    with `x_labels`. Unlike a line, a single year still shows."""
    x_labels = [str(x) for x in x_labels]
    left, right, top, bottom = 64, 16, 28, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    ceiling, parts = _value_axis(series, left=left, right=width - right, top=top, plot_h=plot_h)
    slot = plot_w / max(len(x_labels), 1)
    bar = slot * 0.8 / max(len(series), 1)
    every = max(1, math.ceil(len(x_labels) * 40 / plot_w))  # a year label needs ~40 px
    for i, label in enumerate(x_labels):
        x0 = left + slot * i + slot * 0.1
        for s, (_name, values) in enumerate(series):
            value = float(values[i]) if i < len(values) else 0.0
            h = plot_h * value / ceiling
            parts.append(
                f'<rect x="{x0 + s * bar:.1f}" y="{top + plot_h - h:.1f}" width="{max(bar - 1, 1):.1f}" '
                f'height="{h:.1f}" fill="{PALETTE[s % len(PALETTE)]}"/>'
            )
        if i % every == 0 or i == len(x_labels) - 1:
            parts.append(
                f'<text x="{left + slot * (i + 0.5):.1f}" y="{height - bottom + 16}" '
                f'text-anchor="middle" font-size="11" fill="{TEXT}">{escape(label)}</text>'
            )
    spacing = min(150, plot_w / max(len(series), 1))
    for s, (name, _values) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        parts.append(
            f'<rect x="{left + s * spacing:.1f}" y="6" width="12" height="12" fill="{colour}"/>'
            f'<text x="{left + s * spacing + 16:.1f}" y="16" font-size="12" fill="{TEXT}">{escape(name)}</text>'
        )
    desc = ";".join(
        f"{name}:" + "、".join(f"{x} {_number(v)}{unit}" for x, v in zip(x_labels, values))
        for name, values in series
    )
    return _svg(width, height, title, desc, "".join(parts))
