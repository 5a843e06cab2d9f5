"""The trend charts' year labels and legends as Chromium draws them (getBBox, real fonts): no two
meet and none leaves the chart, at every number of years up to 76 and at both chart widths."""

from website import charts

BOXES_JS = """(svg) => {
    const width = svg.viewBox.baseVal.width;
    const boxes = (cls) => [...svg.querySelectorAll(`text.${cls}`)].map((t) => {
        const b = t.getBBox();
        return [t.textContent, b.x, b.x + b.width, b.y, b.y + b.height];
    });
    return {width, labels: boxes('x-label'), legend: boxes('legend')};
}"""


def _meet(a, b):
    return a[1] < b[2] and b[1] < a[2] and a[3] < b[4] and b[3] < a[4]


def _problems(drawn):
    found = []
    for kind in ("labels", "legend"):
        boxes = drawn[kind]
        for text, left, right, _top, _bottom in boxes:
            if left < 0 or right > drawn["width"]:
                found.append(f"{kind} {text!r} leaves the chart ({left:.1f}–{right:.1f})")
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                if _meet(a, b):
                    found.append(f"{kind} {a[0]!r} and {b[0]!r} meet")
    return found


def test_year_labels_and_legends_never_meet_in_the_real_fonts(browser):
    series = [("新登记", []), ("新备案", []), ("注销、撤销", [])]
    english = [("New registrations", []), ("New filings", []), ("Deregistered, revoked", [])]
    drawings = []
    for draw in (charts.line_chart, charts.column_chart):
        for width in (400, 640):
            for count in (2, 9, 12, 13, 14, 17, 25, 31, 50, 76):
                years = [str(y) for y in range(2024 - count + 1, 2024)] + ["2024（截至06-30）"]
                for names in (series, english):
                    drawings.append(draw(title=f"t{len(drawings)}", x_labels=years, width=width,
                                         series=[(n, list(range(count))) for n, _v in names]))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.set_content("<!DOCTYPE html><html lang='zh-hans'><body>"
                         + "".join(f"<div>{svg}</div>" for svg in drawings) + "</body></html>")
        svgs = page.locator("svg")
        assert svgs.count() == len(drawings)
        for i in range(len(drawings)):
            drawn = svgs.nth(i).evaluate(BOXES_JS)
            assert drawn["labels"] and len(drawn["legend"]) == 3
            assert drawn["labels"][-1][0] == "2024（截至06-30）"
            assert _problems(drawn) == [], (i, _problems(drawn)[:5])
    finally:
        context.close()
