"""The public pages' queries, read outside the pages: downloads and the API take exactly the GET
parameters of the directory (and of the services catalog) through the pages' own FilterSets."""

from django.utils.translation import gettext as _, pgettext

from registry.filters import OrganizationFilterSet
from registry.models import Organization, TransferredService
from registry.service_filters import TransferredServiceFilterSet

# Parameters that page a listing; a download or an API page ignores them
# (the API pages with its own cursor and always orders by id).
PAGING_PARAMETERS = ("page", "cursor", "page_size")


class BadQuery(ValueError):
    """The query string has a value the page does not accept; `message` names the field."""

    def __init__(self, message, errors):
        super().__init__(message)
        self.message = message
        self.errors = errors


def _matching(filterset_class, params, queryset):
    """`queryset` filtered by `filterset_class` for `params` (a QueryDict).

    Raises BadQuery, with a Chinese message naming each field, when a parameter's value is not one
    the page accepts: a download must not silently drop a filter and return more than asked.
    """
    params = params.copy()
    for name in PAGING_PARAMETERS:
        params.pop(name, None)
    filterset = filterset_class(params, queryset=queryset)
    if not filterset.is_valid():
        errors = {}
        for name, messages in filterset.errors.items():
            field = filterset.form.fields.get(name)
            label = str(field.label) if field is not None and field.label else name
            errors[name] = [_("%(label)s（%(name)s）：%(message)s") % {
                "label": label, "name": name, "message": message} for message in messages]
        text = pgettext("between clauses", "；").join(
            m for messages in errors.values() for m in messages)
        raise BadQuery(_("查询参数有误：%(errors)s") % {"errors": text}, errors)
    return filterset


def organizations_matching(params):
    """(the organizations the directory lists for `params`, in the directory's order; the day
    their status, grade and lists are read on: the query's `as_of`, else today)."""
    filterset = _matching(OrganizationFilterSet, params, Organization.objects.all())
    return filterset.qs, filterset.as_of


def services_matching(params):
    """The transferred services the services catalog lists for `params`."""
    return _matching(TransferredServiceFilterSet, params, TransferredService.objects.all()).qs


def query_summary(params):
    """The query's parameters as a plain dict (for the JSON download's header)."""
    return {
        name: params.get(name) for name in sorted(params) if name not in PAGING_PARAMETERS
    }
