"""The open-data page's catalog (downloads, columns, limits, API endpoints) for its template."""

from django import template

from website.opendata import catalog

register = template.Library()


@register.simple_tag
def open_data_catalog():
    return catalog.open_data_catalog()
