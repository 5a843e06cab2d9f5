from decimal import Decimal

from django import template
from django.utils.html import format_html

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
def yuan(value):
    if value is None:
        return "—"
    return f"{Decimal(value):,.2f}"


@register.simple_tag
def figure_link(count, url):
    """A figure that opens the list behind it: the list at `url` has exactly `count` rows (a test
    follows every such link and counts)."""
    if not url:
        return thousands(count)
    return format_html('<a href="{}" data-figure-count="{}">{}</a>', url, count, thousands(count))
