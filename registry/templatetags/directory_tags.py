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


@register.simple_tag
def directory_rows(rows):
    """The directory's result cards, written directly: a card through the template language
    cost a quarter of a millisecond, most of the page's rendering."""
    labels = {
        "status": gettext("状态"), "legal_form": gettext("组织类型"),
        "credit_code": gettext("统一社会信用代码"), "filing_number": gettext("备案编号"),
        "town": gettext("所属镇街"), "started_on": gettext("登记/备案日期"), "grade": gettext("评估等级"),
    }
    return mark_safe("".join(_directory_row(row, labels) for row in rows))


def _directory_row(row, labels):
    place = format_html("{}", row.town.display_name if row.town_id else "")
    if row.village_id:
        place = format_html("{} · {}", place, row.village.display_name)
    started = ""
    if row.started_on:
        day = row.started_on.isoformat()
        started = format_html('<dt>{}</dt><dd><time datetime="{}">{}</time></dd>',
                              labels["started_on"], day, day)
    grade = format_html("<dt>{}</dt><dd>{}A</dd>", labels["grade"], row.current_grade) \
        if row.current_grade else ""
    return format_html(
        '<li class="record">\n  <h3><a href="{}">{}</a></h3>\n  <dl>\n'
        "    <dt>{}</dt>\n    <dd>{}{}</dd>\n"
        "    <dt>{}</dt><dd>{}</dd>\n"
        "    <dt>{}</dt>\n    <dd>{}</dd>\n"
        "    <dt>{}</dt><dd>{}</dd>\n"
        "    {}\n    {}\n  </dl>\n</li>",
        row.url or "", row.name,
        labels["status"], status_tag(row.status), credit_tags(row.credit_list_kinds),
        labels["legal_form"], row.get_legal_form_display(),
        labels["credit_code"] if row.credit_code else labels["filing_number"], row.public_identifier,
        labels["town"], place, started, grade,
    )


@register.simple_tag
def number_input(bound_field):
    """A year filter's <input type="number">, written directly (Django's widget templates cost a
    millisecond for two inputs); an invalid value points to its message (`<id>_error`)."""
    field, value = bound_field.field, bound_field.value()
    invalid = format_html(' aria-invalid="true" aria-describedby="{}_error"', bound_field.auto_id) \
        if bound_field.errors else ""
    return format_html(
        '<input type="number" name="{}"{} min="{}" max="{}"{} id="{}">', bound_field.html_name,
        format_html(' value="{}"', value) if value not in (None, "") else "",
        field.min_value, field.max_value, invalid, bound_field.auto_id,
    )
