"""Filters shared by several admin listings, as small FilterSet mixins.

Choice lists of towns, centers and foundations come through website.roles.choosable, so scoped
staff are offered only their own.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from funds.models import CommunityFoundation, SpecialFund
from incubator.models import IncubationCenter
from registry.models import Area, LegalForm
from website import roles


def _choosable(queryset_function):
    """A django-filter queryset callable: the rows the requesting user may pick."""

    def queryset(request):
        rows = queryset_function()
        if request is None:
            return rows.none()
        return roles.choosable(user=request.user, queryset=rows)

    return queryset


def _towns():
    return Area.objects.filter(level__in=Area.TOWN_LEVELS).order_by("code")


def _centers():
    return IncubationCenter.objects.all()


def _foundations():
    return CommunityFoundation.objects.select_related("organization")


def _special_funds():
    return SpecialFund.objects.all()


def choice_filter(label, choices, **kwargs):
    """One of a field's choices, as radio buttons with 全部 first."""
    return django_filters.ChoiceFilter(
        label=label, choices=choices, empty_label=_("全部"), widget=forms.RadioSelect, **kwargs
    )


def date_range(field_name, label):
    return django_filters.DateFromToRangeFilter(
        field_name=field_name, label=label, widget=DateRangePickerWidget
    )


def town_filter(field_name="town", label=_("所属镇街")):
    return django_filters.ModelChoiceFilter(
        field_name=field_name, label=label, queryset=_choosable(_towns)
    )


class TownFilterMixin(WagtailFilterSet):
    """For records with a `town` of their own (organizations)."""

    town = town_filter()


class OrganizationTownFilterMixin(WagtailFilterSet):
    """For records that belong to an organization: filter by the organization's town."""

    town = town_filter("organization__town")


class OrganizationLegalFormFilterMixin(WagtailFilterSet):
    organization__legal_form = choice_filter(_("组织类型"), LegalForm.choices)


class CenterFilterMixin(WagtailFilterSet):
    center = django_filters.ModelChoiceFilter(label=_("培育中心"), queryset=_choosable(_centers))


class FoundationFilterMixin(WagtailFilterSet):
    foundation = django_filters.ModelChoiceFilter(
        label=_("基金会"), queryset=_choosable(_foundations)
    )


class HostFilterMixin(WagtailFilterSet):
    host = django_filters.ModelChoiceFilter(
        label=_("所属基金会"), queryset=_choosable(_foundations)
    )


class SpecialFundFilterMixin(WagtailFilterSet):
    special_fund = django_filters.ModelChoiceFilter(
        label=_("专项基金"), queryset=_choosable(_special_funds)
    )
