"""How much room a line of chart text takes, without a font file at hand.

The charts place their labels before any browser or WeasyPrint lays them out, so they estimate each
label's box from its characters. The widths are those of Noto Sans CJK SC (the charts' font) as
headless Chromium measures them, rounded up; a box is as tall as SVG's getBBox() reports a line of
that font (1.15 em above the baseline, 0.30 em below), so two estimated boxes that do not meet are
two drawn labels that do not meet.
"""

import unicodedata

ASCENT = 1.15  # em above the baseline
DESCENT = 0.30  # em below it

_NARROW = set("iljI.,:;'!|()[]-/")
_WIDE_LATIN = set("MWmw@%")


def _advance(char):
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0  # Chinese characters and full-width punctuation
    if char == " ":
        return 0.25
    if char.isdigit():
        return 0.56
    if char in _NARROW:
        return 0.36
    if char in _WIDE_LATIN:
        return 0.86
    if char.isupper():
        return 0.70
    return 0.58


def text_width(text, font_size, *, bold=False):
    """The width of `text` drawn at `font_size` (px), a little more than it is."""
    width = 0.0
    for char in str(text):
        advance = _advance(char)
        width += advance if advance == 1.0 or not bold else advance * 1.08
    return width * font_size


def text_box(text, *, x, y, font_size, anchor="start", bold=False):
    """(left, top, right, bottom) of `text` whose baseline starts at (x, y), as SVG's text-anchor
    `anchor` ("start", "middle" or "end") places it."""
    width = text_width(text, font_size, bold=bold)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return left, y - ASCENT * font_size, left + width, y + DESCENT * font_size


def boxes_overlap(a, b, *, gap=0.0):
    """Whether two (left, top, right, bottom) boxes come closer than `gap`."""
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap
