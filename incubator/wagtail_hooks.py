"""The staff admin for incubation centers and the groups they incubate."""

from collections import OrderedDict

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.coreutils import multigetattr
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from incubator.facts import IncubationState, in_incubation_state
from incubator.models import Incubation, IncubationCenter
from registry.models import Area
from website.admin_filters import CenterFilterMixin, choice_filter, date_range
from website.admin_scoping import RecordModelViewSet, RecordSnippetViewSet


class IncubationCenterFilterSet(WagtailFilterSet):
    level = choice_filter(_("层级"), IncubationCenter.Level.choices)
    area = django_filters.ModelChoiceFilter(
        label=_("所在区划"),
        queryset=Area.objects.filter(level__in=(Area.Level.COUNTY, *Area.TOWN_LEVELS)),
    )

    class Meta:
        model = IncubationCenter
        fields = ["level", "area"]


class IncubationCenterViewSet(RecordSnippetViewSet):
    model = IncubationCenter
    icon = "home"
    list_display = ["name", "level", "area", "operator", "opened_on"]
    list_select_related = ("area", "operator")
    filterset_class = IncubationCenterFilterSet
    search_fields = ["name", "address"]
    list_export = ["name", "get_level_display", "area", "operator", "address", "opened_on",
                   "space_m2", "services"]
    export_filename = "incubation-centers"
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("level"), FieldPanel("area"), FieldPanel("opened_on")]),
        FieldPanel("operator"),
        FieldRowPanel([FieldPanel("address"), FieldPanel("space_m2")]),
        FieldPanel("services"),
    ]


class IncubationFilterSet(CenterFilterMixin):
    state = choice_filter(_("孵化状态"), IncubationState.choices, method="filter_state")
    outcome = choice_filter(_("孵化结果"), Incubation.Outcome.choices)
    started_on = date_range("started_on", _("入驻日期"))
    ended_on = date_range("ended_on", _("出壳/退出日期"))

    class Meta:
        model = Incubation
        fields = ["center", "state", "outcome", "started_on", "ended_on"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(in_incubation_state(value, as_of=timezone.localdate()))


def incubation_state_today(incubation):
    return incubation.state_on(timezone.localdate()).label


class IncubationIndexView(IndexView):
    def to_row_dict(self, item):
        # `state` is no field: the export reads it, as the listing does, from the row's dates.
        return OrderedDict(
            (name, incubation_state_today(item) if name == "state" else multigetattr(item, name))
            for name in self.list_export
        )


class IncubationViewSet(RecordModelViewSet):
    model = Incubation
    icon = "tasks"
    index_view_class = IncubationIndexView
    list_display = ["group_name", "center", "started_on", "planned_end_on", "ended_on",
                    Column("state", label=_("孵化状态"), accessor=incubation_state_today),
                    "organization"]
    list_select_related = ("center", "organization")
    filterset_class = IncubationFilterSet
    search_fields = ["group_name", "organization__name"]
    list_export = ["group_name", "center", "started_on", "planned_end_on", "ended_on", "state",
                   "get_outcome_display", "organization", "support"]
    extra_export_headings = {"state": _("孵化状态")}
    export_filename = "incubations"
    panels = [
        FieldPanel("center", widget=forms.Select),
        FieldPanel("group_name"),
        FieldRowPanel([FieldPanel("started_on"), FieldPanel("planned_end_on")]),
        FieldRowPanel([FieldPanel("ended_on"), FieldPanel("outcome")]),
        FieldPanel("organization"),
        FieldPanel("support"),
        FieldPanel("internal_note"),
    ]


class IncubatorGroup(SnippetViewSetGroup):
    menu_label = _("培育孵化")
    menu_name = "incubator"
    menu_icon = "pick"
    menu_order = 300
    items = (IncubationCenterViewSet, IncubationViewSet)


@hooks.register("register_admin_viewset")
def register_incubator_admin():
    return IncubatorGroup()
