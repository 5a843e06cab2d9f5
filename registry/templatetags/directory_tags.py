"""Template helpers of the directory page."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from registry.models import CreditListEntry, Status
from website.page_cache.memo import memo

register = template.Library()


def _options(bound_field):
    """[(value, <option> as HTML)] of the field's choices, the same for every reader of one
    language while the areas and service fields are unchanged. A village's choices are those of
    the town (or the village) asked for."""
    form = bound_field.form
    depends = (form.data.get("town"), form.data.get("village")) if bound_field.name == "village" else ()
    return memo(
        "filter_options",
        lambda: [(str(value), format_html('<option value="{}">{}</option>', value, label))
                 for value, label in bound_field.field.choices],
        key=(type(form).__qualname__, bound_field.name, *depends),
    )


@register.simple_tag
def filter_select(bound_field):
    """A filter's <select>, written directly: Django's widget templates render each option
    through a template of its own, which costs more than the rest of the page."""
    chosen = bound_field.value()
    chosen = "" if chosen is None else str(chosen)
    options = mark_safe("".join(
        option.replace(">", " selected>", 1) if value == chosen else option  # the value is escaped
        for value, option in _options(bound_field)
    ))
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
