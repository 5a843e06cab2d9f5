"""The transferred-services catalog's filters (/services/): GET parameters `field`
(ServiceField.code), `department` (id), `town` (Area.code of a town the service covers), `mode`
and `year` (active at some point in that calendar year). An unknown value makes the form invalid:
the page shows the message on its field and applies only the valid filters."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Area, Department, ServiceField, TransferredService

FIRST_YEAR, LAST_YEAR = 1949, 2100
ALL = _("全部")


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class TransferredServiceFilterSet(django_filters.FilterSet):
    field = django_filters.ModelChoiceFilter(
        label=_("服务领域"), field_name="service_fields", queryset=ServiceField.objects.all(),
        to_field_name="code", empty_label=ALL,
        error_messages={"invalid_choice": _("没有这个服务领域。")},
    )
    department = django_filters.ModelChoiceFilter(
        label=_("转移部门"), queryset=Department.objects.order_by("name"), empty_label=ALL,
        error_messages={"invalid_choice": _("没有这个转移部门。")},
    )
    town = django_filters.ModelChoiceFilter(
        label=_("覆盖镇(街道)"), field_name="towns",
        queryset=Area.objects.filter(level__in=Area.TOWN_LEVELS).order_by("code"),
        to_field_name="code", empty_label=ALL,
        error_messages={"invalid_choice": _("没有这个镇(街道)。")},
    )
    mode = django_filters.ChoiceFilter(
        label=_("转移方式"), choices=TransferredService.Mode.choices, empty_label=ALL,
        error_messages={"invalid_choice": _("没有这种转移方式。")},
    )
    year = YearFilter(
        label=_("年度"), method="filter_year", min_value=FIRST_YEAR, max_value=LAST_YEAR,
        help_text=_("该年内执行过的项目"),
    )

    class Meta:
        model = TransferredService
        fields = []

    def filter_year(self, queryset, name, value):
        year = value
        return queryset.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=datetime.date(year, 1, 1)),
            starts_on__lte=datetime.date(year, 12, 31),
        )


def catalog_queryset():
    """The catalog's records with what a row shows, newest first."""
    return (
        TransferredService.objects.select_related("department", "organization")
        .prefetch_related("service_fields", "towns")
        .only("id", "title", "mode", "amount", "starts_on", "ends_on", "status", "evaluation",
              "department__id", "department__name", "organization__id", "organization__name",
              "organization__credit_code", "organization__filing_number")
        .order_by("-starts_on", "-pk")
    )
