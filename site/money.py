"""How the public site, its charts and its summaries write an amount of money (in yuan).

One rule, in the reader's language:

- exact (tables, a record's facts, downloads' readers): the amount to the fen, thousands
  separated, the unit left to the column or label that holds it ("金额（元）", "Amount (CNY)"):
  ``1,234,567.80``;
- short (a figure, a total in a sentence, a summary's prose): in Chinese a sum of 10,000 yuan or
  more in 万元 with two decimals (``123.46万元``), from 100,000,000 yuan in 亿元 (``1.23亿元``), a
  smaller one exact to the yuan (``9,800元``; ``9,800.50元`` when it has fen); in English "CNY"
  before the number and, from 1,000,000, millions or billions with two decimals (``CNY 9,800``,
  ``CNY 123,456``, ``CNY 1.23 million``, ``CNY 4.50 billion``);
- axis (a chart's value axis, whose title names the unit): ``150万``, ``1.5亿`` in Chinese,
  ``150k``, ``1.5M`` in English, at most the decimals the ticks need.

Templates use the ``money`` filter (website.templatetags.summary_tags), Python code these
functions: nowhere else formats an amount. The English forms are number formats, like a locale's,
so they are written here rather than translated.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import get_language

WAN = Decimal(10_000)
YI = Decimal(100_000_000)
MILLION = Decimal(1_000_000)
BILLION = Decimal(1_000_000_000)
CENT = Decimal("0.01")

MISSING = "—"


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _english():
    return (get_language() or "").startswith("en")


def _grouped(amount, places):
    quantum = Decimal(1).scaleb(-places)
    return f"{amount.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"


def exact(value):
    """`1,234,567.80`: for a table cell or a fact whose label names the unit."""
    amount = _decimal(value)
    if amount is None:
        return MISSING
    return _grouped(amount, 2)


def _whole_or_cents(amount):
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    return _grouped(amount, 0 if amount == amount.to_integral_value() else 2)


def _in_units(amount, units):
    """(amount in the largest of `units` that it reaches once rounded to two decimals, suffix),
    or None below the smallest: 99,999,999 is 1.00亿, not 10,000.00万."""
    for size, suffix in units:
        scaled = (amount / size).quantize(CENT, rounding=ROUND_HALF_UP)
        if abs(scaled) >= 1:
            return scaled, suffix
    return None


def short(value):
    """`123.46万元` / `CNY 1.23 million`: for a figure or a sentence; the unit is included."""
    amount = _decimal(value)
    if amount is None:
        return MISSING
    if _english():
        scaled = _in_units(amount, ((BILLION, " billion"), (MILLION, " million")))
        if scaled:
            return f"CNY {scaled[0]:,.2f}{scaled[1]}"
        return f"CNY {_whole_or_cents(amount)}"
    scaled = _in_units(amount, ((YI, "亿元"), (WAN, "万元")))
    if scaled:
        return f"{scaled[0]:,.2f}{scaled[1]}"
    return f"{_whole_or_cents(amount)}元"


def axis(value):
    """`150万` / `1.5M`: a tick on a value axis in yuan (the chart's title names the unit)."""
    amount = _decimal(value)
    if amount is None:
        return ""
    units = ((BILLION, "B"), (MILLION, "M"), (Decimal(1000), "k")) if _english() else \
        ((YI, "亿"), (WAN, "万"))
    scaled = _in_units(amount, units) or (amount.quantize(CENT, rounding=ROUND_HALF_UP), "")
    return f"{scaled[0].normalize():,f}{scaled[1]}"
