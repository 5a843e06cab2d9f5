"""The transferred-services catalog's filters (/services/): GET parameters `field`
(ServiceField.code), `department` (id), `town` (Area.code of a town the service covers), `mode`,
`year` (in progress at some point in that calendar year) and `state` (its ServiceState today). An
unknown value makes the form invalid: the page shows the message on its field and applies only the
valid filters."""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .facts.services import ServiceState, in_service_state, service_active_between
from .filters import TaxonomyChoiceFilter
from .models import Area, Department, ServiceField, TransferredService

FIRST_YEAR, LAST_YEAR = 1949, 2100
ALL = _("全部")


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class TransferredServiceFilterSet(django_filters.FilterSet):
    field = TaxonomyChoiceFilter(
        label=_("服务领域"), field_name="service_fields", queryset=ServiceField.objects.all(),
        to_field_name="code", empty_label=ALL,
        error_messages={"invalid_choice": _("没有这个服务领域。")},
    )
    department = TaxonomyChoiceFilter(
        label=_("转移部门"), queryset=Department.objects.order_by("name"), empty_label=ALL,
        error_messages={"invalid_choice": _("没有这个转移部门。")},
    )
    town = TaxonomyChoiceFilter(
        label=_("覆盖镇（街道）"), field_name="towns",
        queryset=Area.objects.filter(level__in=Area.TOWN_LEVELS).order_by("code"),
        to_field_name="code", empty_label=ALL,
        error_messages={"invalid_choice": _("没有这个镇（街道）。")},
    )
    mode = django_filters.ChoiceFilter(
        label=_("转移方式"), choices=TransferredService.Mode.choices, empty_label=ALL,
        error_messages={"invalid_choice": _("没有这种转移方式。")},
    )
    year = YearFilter(
        label=_("年度"), method="filter_year", min_value=FIRST_YEAR, max_value=LAST_YEAR,
        help_text=_("该年内执行过的项目"),
    )
    state = django_filters.ChoiceFilter(
        label=_("执行状态"), method="filter_state", choices=ServiceState.choices, empty_label=ALL,
        help_text=_("今日的执行状态"),
        error_messages={"invalid_choice": _("没有这种执行状态。")},
    )

    class Meta:
        model = TransferredService
        fields = []

    def filter_year(self, queryset, name, value):
        return queryset.filter(service_active_between(
            first=datetime.date(value, 1, 1), last=datetime.date(value, 12, 31)))

    def filter_state(self, queryset, name, value):
        return queryset.filter(in_service_state(value, as_of=timezone.localdate()))


def catalog_queryset():
    """The catalog's records with what a row shows, newest first."""
    return (
        TransferredService.objects.select_related("department", "organization")
        .prefetch_related("service_fields", "towns")
        .only("id", "title", "mode", "amount", "starts_on", "ends_on", "terminated_on",
              "evaluation",
              "department__id", "department__name", "department__name_en",
              "organization__id", "organization__name",
              "organization__credit_code", "organization__filing_number")
        .order_by("-starts_on", "-pk")
    )
