"""What the 1+9+N drawing shows, as shapes: each node's circle and its labels' boxes, the spokes,
the legend; and every place two of them meet that should not.

`from_svg` reads the shapes from the SVG markup, estimating each label's box from its characters
(website.chart_text); the browser tests build the same shapes from getBBox() instead, so the
check runs on the boxes Chromium actually draws too."""

import math
import re
import xml.etree.ElementTree as ET

from website.chart_text import text_box

SVG = "{http://www.w3.org/2000/svg}"


def _float(element, name, default=0.0):
    return float(element.get(name, default))


def _circle(element):
    stroke = _float(element, "stroke-width", 0)
    return (_float(element, "cx"), _float(element, "cy"), _float(element, "r"), stroke / 2)


def _label(element):
    return text_box(
        "".join(element.itertext()), x=_float(element, "x"), y=_float(element, "y"),
        font_size=_float(element, "font-size"), anchor=element.get("text-anchor", "start"),
        bold=element.get("font-weight") == "bold",
    )


def from_svg(svg):
    """{view_box, nodes: [{href, circle: (cx, cy, r, half stroke), labels: [box], texts}],
    spokes: [(x1, y1, x2, y2)], legend: box or None}."""
    root = ET.fromstring(str(svg))
    view_box = tuple(float(v) for v in root.get("viewBox").split())
    nodes = []
    for group in root:
        if group.tag not in (f"{SVG}a", f"{SVG}g"):
            continue
        circle = group.find(f"{SVG}circle")
        texts = group.findall(f"{SVG}text")
        nodes.append({
            "href": group.get("href"),
            "circle": _circle(circle),
            "labels": [_label(t) for t in texts],
            "texts": ["".join(t.itertext()) for t in texts],
        })
    spokes = [tuple(_float(line, k) for k in ("x1", "y1", "x2", "y2")) for line in root.findall(f"{SVG}line")]
    legend = next((t for t in root.findall(f"{SVG}text") if t.get("class") == "legend"), None)
    return {"view_box": view_box, "nodes": nodes, "spokes": spokes,
            "legend": _label(legend) if legend is not None else None}


def _rects_meet(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _rect_meets_circle(box, circle):
    cx, cy, r, stroke = circle
    nearest_x, nearest_y = min(max(cx, box[0]), box[2]), min(max(cy, box[1]), box[3])
    return math.hypot(cx - nearest_x, cy - nearest_y) < r + stroke


def _inside_circle(box, circle):
    cx, cy, r, stroke = circle
    return all(math.hypot(x - cx, y - cy) <= r - stroke
               for x in (box[0], box[2]) for y in (box[1], box[3]))


def _segment_distance(px, py, spoke):
    ax, ay, bx, by = spoke
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if not length2 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def problems(shapes):
    """Every pair of shapes that meet, and every shape outside the drawing, as sentences."""
    found = []
    nodes = shapes["nodes"]
    x0, y0, width, height = shapes["view_box"]
    within = (x0, y0, x0 + width, y0 + height)

    def outside(box):
        return box[0] < within[0] or box[1] < within[1] or box[2] > within[2] or box[3] > within[3]

    for i, node in enumerate(nodes):
        cx, cy, r, stroke = node["circle"]
        if outside((cx - r - stroke, cy - r - stroke, cx + r + stroke, cy + r + stroke)):
            found.append(f"node {i} leaves the drawing")
        for k, box in enumerate(node["labels"]):
            if not _inside_circle(box, node["circle"]):
                found.append(f"label {node['texts'][k]!r} of node {i} leaves its circle")
        for a in range(len(node["labels"])):
            for b in range(a + 1, len(node["labels"])):
                if _rects_meet(node["labels"][a], node["labels"][b]):
                    found.append(f"node {i}'s labels {node['texts'][a]!r} and {node['texts'][b]!r} meet")
        for j in range(i + 1, len(nodes)):
            other = nodes[j]
            u, v, s, other_stroke = other["circle"]
            if math.hypot(cx - u, cy - v) < r + stroke + s + other_stroke:
                found.append(f"nodes {i} and {j} meet")
            for box in node["labels"]:
                if _rect_meets_circle(box, other["circle"]):
                    found.append(f"a label of node {i} meets node {j}")
            for box in other["labels"]:
                if _rect_meets_circle(box, node["circle"]):
                    found.append(f"a label of node {j} meets node {i}")
        for s, spoke in enumerate(shapes["spokes"]):
            ends = [(spoke[0], spoke[1]), (spoke[2], spoke[3])]
            touches = any(abs(math.hypot(x - cx, y - cy) - r) <= stroke + 1 for x, y in ends)
            if not touches and _segment_distance(cx, cy, spoke) < r + stroke:
                found.append(f"spoke {s} crosses node {i}")
    legend = shapes["legend"]
    if legend is not None:
        if outside(legend):
            found.append("the legend leaves the drawing")
        for i, node in enumerate(nodes):
            if _rect_meets_circle(legend, node["circle"]):
                found.append(f"the legend meets node {i}")
    return found


def fund_counts(shapes):
    """{href: the number shown in that node}."""
    return {node["href"]: int(next(t for t in node["texts"] if re.fullmatch(r"\d+", t)))
            for node in shapes["nodes"]}
