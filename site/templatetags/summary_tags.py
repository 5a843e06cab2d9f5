from decimal import Decimal

from django import template

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
