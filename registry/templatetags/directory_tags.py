"""Template helpers of the directory page."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from registry.models import CreditListEntry, Status

register = template.Library()


@register.simple_tag
def filter_select(bound_field):
    """A filter's <select>, written directly: Django's widget templates render each option
    through a template of its own, which costs more than the rest of the page."""
    chosen = bound_field.value()
    chosen = "" if chosen is None else str(chosen)
    options = format_html_join(
        "", '<option value="{}"{}>{}</option>',
        ((value, " selected" if str(value) == chosen else "", label)
         for value, label in bound_field.field.choices),
    )
    invalid = mark_safe(' aria-invalid="true"') if bound_field.errors else ""
    return format_html(
        '<select name="{}" id="{}"{}>{}</select>', bound_field.html_name,
        bound_field.id_for_label, invalid, options,
    )


_STATUS_CLASS = {"registered": "ok", "filed": "ok"}


@register.simple_tag
def status_tag(status):
    """A status (a Status value, or None before registration or filing) as a coloured label."""
    if not status:
        return format_html('<span class="tag wait">{}</span>', gettext("尚未登记或备案"))
    return format_html(
        '<span class="tag {}" data-status="{}">{}</span>', _STATUS_CLASS.get(status, "off"),
        status, gettext(Status(status).label),
    )


@register.simple_tag
def credit_tags(list_kinds):
    """The credit lists an organization is on (CreditListEntry.ListKind values) as warning labels."""
    return format_html_join(
        "", ' <span class="tag warn" data-credit-list="{}">{}</span>',
        ((kind, gettext(CreditListEntry.ListKind(kind).label)) for kind in list_kinds or ()),
    )
