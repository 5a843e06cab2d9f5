"""The directory's compact table of results (`?view=table`), written directly as the cards are
(registry.templatetags.directory_tags.directory_rows): one row an organization, the columns of a
national credit list (name, code, legal form, town, status, grade, date)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .directory_tags import credit_tags, status_tag

register = template.Library()


def _columns():
    return [
        (gettext("名称"), ""), (gettext("统一社会信用代码/备案编号"), "code"),
        (gettext("组织类型"), ""), (gettext("所属镇街"), ""), (gettext("状态"), ""),
        (gettext("评估等级"), "num"), (gettext("登记/备案日期"), "date"),
    ]


@register.simple_tag
def directory_table_head():
    return format_html_join(
        "", '<th scope="col"{}>{}</th>',
        ((format_html(' class="{}"', css) if css else "", label) for label, css in _columns()),
    )


def _name(place):
    return getattr(place, "display_name", None) or place.name


@register.simple_tag
def directory_table_rows(rows):
    return mark_safe("".join(_row(row) for row in rows))


def _row(row):
    place = _name(row.town) if row.town_id else ""
    if row.village_id:
        place = format_html("{} · {}", place, _name(row.village))
    started = format_html('<time datetime="{}">{}</time>', row.started_on.isoformat(),
                          row.started_on.isoformat()) if row.started_on else "—"
    return format_html(
        '<tr class="record-row"><th scope="row"><a href="{}">{}</a></th><td class="code">{}</td>'
        "<td>{}</td><td>{}</td><td>{}{}</td><td class=\"num\">{}</td><td class=\"date\">{}</td></tr>",
        row.url or "", row.name, row.public_identifier, row.get_legal_form_display(), place,
        status_tag(row.status), credit_tags(row.credit_list_kinds),
        f"{row.current_grade}A" if row.current_grade else "—", started,
    )
