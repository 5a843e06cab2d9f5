from django import template
from django.utils.html import format_html

from website import money as amounts

register = template.Library()


@register.filter
def thousands(value):
    if value is None or value == "":
        return "—"
    return f"{int(value):,}"


@register.filter
def signed(value):
    if value is None:
        return "—"
    return f"+{value:,}" if value > 0 else (f"{value:,}" if value < 0 else "0")


@register.filter
def money(value, form="exact"):
    """An amount of money (yuan), the one way the site writes it (website.money has the rule):

    - ``{{ amount|money }}``: exact, for a table cell or a fact whose label names the unit
      ("金额（元）"): ``1,234,567.80``;
    - ``{{ amount|money:"short" }}``: for a figure or a sentence, unit included: ``9,800元``,
      ``123.46万元``, ``1.23亿元``; in English ``CNY 9,800``, ``CNY 1.23 million``.
    """
    if form == "short":
        return amounts.short(value)
    return amounts.exact(value)


@register.filter
def yuan(value):
    """The exact form of ``money`` (kept for the templates that name it so)."""
    return amounts.exact(value)


@register.simple_tag
def figure_link(count, url):
    """A figure that opens the list behind it: the list at `url` has exactly `count` rows (a test
    follows every such link and counts)."""
    if not url:
        return thousands(count)
    return format_html('<a href="{}" data-figure-count="{}">{}</a>', url, count, thousands(count))
