"""The staff admin for incubation centers and the groups they incubate."""

import django_filters
from django import forms
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from incubator.models import Incubation, IncubationCenter
from registry.models import Area
from website.admin_filters import CenterFilterMixin, choice_filter, date_range
from website.admin_scoping import RecordModelViewSet, RecordSnippetViewSet


class IncubationCenterFilterSet(WagtailFilterSet):
    level = choice_filter("层级", IncubationCenter.Level.choices)
    area = django_filters.ModelChoiceFilter(
        label="所在区划",
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
    outcome = choice_filter("孵化结果", Incubation.Outcome.choices)
    started_on = date_range("started_on", "入驻日期")
    ended_on = date_range("ended_on", "出壳/退出日期")

    class Meta:
        model = Incubation
        fields = ["center", "outcome", "started_on", "ended_on"]


class IncubationViewSet(RecordModelViewSet):
    model = Incubation
    icon = "tasks"
    list_display = ["group_name", "center", "started_on", "ended_on", "outcome", "organization"]
    list_select_related = ("center", "organization")
    filterset_class = IncubationFilterSet
    search_fields = ["group_name", "organization__name"]
    list_export = ["group_name", "center", "started_on", "ended_on", "get_outcome_display",
                   "organization", "support"]
    export_filename = "incubations"
    panels = [
        FieldPanel("center", widget=forms.Select),
        FieldPanel("group_name"),
        FieldRowPanel([FieldPanel("started_on"), FieldPanel("ended_on"), FieldPanel("outcome")]),
        FieldPanel("organization"),
        FieldPanel("support"),
        FieldPanel("internal_note"),
    ]


class IncubatorGroup(SnippetViewSetGroup):
    menu_label = "培育孵化"
    menu_name = "incubator"
    menu_icon = "pick"
    menu_order = 300
    items = (IncubationCenterViewSet, IncubationViewSet)


@hooks.register("register_admin_viewset")
def register_incubator_admin():
    return IncubatorGroup()
