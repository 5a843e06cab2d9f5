"""The staff admin for the register: organizations and their records, and the shared taxonomies."""

from collections import OrderedDict

import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import DeleteView
from wagtail.log_actions import log
from wagtail.coreutils import multigetattr
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import InspectView as SnippetInspectView
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from registry.columns import ORGANIZATION_HEADERS, SERVICE_FIELD_SEPARATOR
from registry.models import (
    REGISTERED_LEGAL_FORMS, AnnualInspection, Area, CreditListEntry, Department, EvaluationGrade,
    FormerName, LegalForm, Organization, ServiceField, Status, StatusEvent, TransferredService,
)
from registry.facts.services import ServiceState, services_in_state
from registry import facts
from website.admin_filters import (
    OrganizationLegalFormFilterMixin, OrganizationTownFilterMixin, TownFilterMixin, choice_filter,
    date_range,
)
from registry.services import delete_status_events, save_status_events
from website.admin_choosers import OrganizationChooserViewSet
from website.admin_scoping import RecordModelViewSet, RecordSnippetViewSet, ScopedAdminModelForm

ALL = _("全部")


# == Organizations ==

def status_label(value):
    return Status(value).label if value else ""


def _iso(value):
    return value.isoformat() if value else ""


def _name(value):
    return value.name if value else ""


# The organizations spreadsheet, one function per column of registry.columns, so that the bulk
# import reads an export back unchanged.
ORGANIZATION_EXPORT = OrderedDict([
    ("社会组织名称", lambda o: o.name),
    ("统一社会信用代码", lambda o: o.credit_code),
    ("备案编号", lambda o: o.filing_number),
    ("登记/备案", lambda o: "登记" if o.legal_form in REGISTERED_LEGAL_FORMS else "备案"),
    ("组织类型", lambda o: o.get_legal_form_display()),
    ("登记管理机关", lambda o: o.registration_authority),
    ("业务主管单位", lambda o: _name(o.supervising_unit)),
    ("法定代表人", lambda o: o.legal_representative),
    ("成立日期", lambda o: _iso(o.founded_on)),
    ("登记日期", lambda o: _iso(o.registered_on)),
    ("所属镇街", lambda o: _name(o.town)),
    ("村社区", lambda o: _name(o.village)),
    ("住所", lambda o: o.address),
    ("业务范围", lambda o: o.business_scope),
    ("服务领域", lambda o: SERVICE_FIELD_SEPARATOR.join(f.name for f in o.service_fields.all())),
    ("联系电话", lambda o: o.contact_phone),
    ("登记状态", lambda o: status_label(o.current_status)),
])
if list(ORGANIZATION_EXPORT) != ORGANIZATION_HEADERS:
    raise ImproperlyConfigured("The organization export no longer matches registry.columns.")


class OrganizationFilterSet(TownFilterMixin):
    legal_form = choice_filter(_("组织类型"), LegalForm.choices)
    status = choice_filter(_("当前状态"), Status.choices, method="filter_status")
    service_fields = django_filters.ModelChoiceFilter(
        label=_("服务领域"), queryset=ServiceField.objects.all()
    )
    founded_on = date_range("founded_on", _("成立日期"))

    class Meta:
        model = Organization
        fields = ["town", "legal_form", "status", "service_fields", "founded_on"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(facts.in_status(as_of=timezone.localdate(), statuses=[value]))


class OrganizationIndexView(SnippetIndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset().annotate(
            current_status=facts.status_expression(as_of=timezone.localdate())
        )
        if self.is_export:
            queryset = queryset.annotate(registered_on=facts.started_on_expression()).select_related(
                "supervising_unit", "village"
            ).prefetch_related("service_fields")
        return queryset

    def search_queryset(self, queryset):
        # Former names count too: staff often know an organization by its old name.
        if not self.is_searching:
            return queryset
        query = Q(pk__in=FormerName.objects.filter(name__icontains=self.search_query)
                  .values("organization_id"))
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": self.search_query})
        # A code typed in full width or with spaces finds its organization as on the public site;
        # filtering `queryset` keeps the viewer's scope.
        from registry.lookup import organization_by_identifier

        found = organization_by_identifier(
            identifier=self.search_query, queryset=Organization.objects.only("pk", "credit_code"))
        if found is not None:
            query |= Q(pk=found.pk)
        return queryset.filter(query)

    def to_row_dict(self, item):
        return OrderedDict(
            (header, ORGANIZATION_EXPORT[header](item)) for header in self.list_export
        )

    def stream_csv(self, queryset):
        # A byte-order mark, so that Excel opens the Chinese text as UTF-8.
        yield "\ufeff".encode()
        yield from super().stream_csv(queryset)


class OrganizationInspectView(SnippetInspectView):
    extra_fields = {"current_status": _("当前状态"), "registered_on": _("登记（备案）日期")}

    def get_fields(self):
        return super().get_fields() + list(self.extra_fields)

    def get_field_label(self, field_name, field):
        if field_name in self.extra_fields:
            return self.extra_fields[field_name]
        return super().get_field_label(field_name, field)

    def get_current_status_display_value(self):
        status = facts.status_on(self.object.status_events.all(), timezone.localdate())
        return status.label if status else _("未登记（备案）")

    def get_registered_on_display_value(self):
        return facts.started_on(self.object.status_events.all()) or "-"


class OrganizationViewSet(RecordSnippetViewSet):
    model = Organization
    icon = "group"
    index_view_class = OrganizationIndexView
    inspect_view_class = OrganizationInspectView
    chooser_viewset_class = OrganizationChooserViewSet
    list_display = [
        "name", "legal_form", "town",
        Column("identifier", label=_("统一社会信用代码/备案编号"), accessor="public_identifier"),
        Column("current_status", label=_("当前状态"),
               accessor=lambda o: status_label(o.current_status)),
        "updated_at",
    ]
    list_per_page = 50
    list_select_related = ("town",)
    filterset_class = OrganizationFilterSet
    search_fields = ["name", "credit_code", "filing_number", "legal_representative"]
    list_export = ORGANIZATION_HEADERS
    export_headings = {header: header for header in ORGANIZATION_HEADERS}
    export_filename = "organizations"
    inspect_view_fields_exclude = RecordSnippetViewSet.inspect_view_fields_exclude + [
        "created_at",
    ]
    panels = [
        MultiFieldPanel([
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("legal_form"), FieldPanel("founded_on")]),
            FieldRowPanel([FieldPanel("credit_code"), FieldPanel("filing_number")]),
            FieldRowPanel([FieldPanel("registration_authority"), FieldPanel("supervising_unit")]),
            FieldRowPanel([FieldPanel("legal_representative"), FieldPanel("initial_funds")]),
        ], heading=_("登记信息")),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("town"), FieldPanel("village")]),
            FieldPanel("address"),
            FieldRowPanel([FieldPanel("contact_phone"), FieldPanel("website")]),
        ], heading=_("住所与联系方式")),
        MultiFieldPanel([
            FieldPanel("business_scope"),
            FieldPanel("service_fields", widget=forms.CheckboxSelectMultiple),
            FieldPanel("description"),
        ], heading=_("业务")),
        InlinePanel("former_names", heading=_("曾用名"), label=_("曾用名")),
        FieldPanel("internal_note"),
    ]


# == Status events and supervision records ==

class StatusEventFilterSet(OrganizationTownFilterMixin):
    kind = choice_filter(_("事项"), StatusEvent.Kind.choices)
    resulting_status = choice_filter(_("结果状态"), Status.choices)
    date = date_range("date", _("生效日期"))

    class Meta:
        model = StatusEvent
        fields = ["town", "kind", "resulting_status", "date"]


class StatusEventForm(ScopedAdminModelForm):
    """The create, copy and edit views save through the form: here, through the service that
    refreshes the organization's status periods with the event."""

    def save(self, commit=True):
        event = super().save(commit=False)
        if commit:
            save_status_events(events=[event])
            self.save_m2m()
        return event


class StatusEventDeleteView(DeleteView):
    def delete_action(self):
        # Wagtail's DeleteAction (log, then delete), with the delete through the service.
        with transaction.atomic():
            log(instance=self.object, action="wagtail.delete", user=self.request.user,
                deleted=True)
            delete_status_events(events=[self.object])


class StatusEventViewSet(RecordModelViewSet):
    model = StatusEvent
    icon = "date"
    base_form_class = StatusEventForm
    delete_view_class = StatusEventDeleteView
    list_display = [
        "organization", "kind", "date", "resulting_status", "ends_on", "document_number",
    ]
    list_select_related = ("organization",)
    filterset_class = StatusEventFilterSet
    search_fields = ["organization__name", "document_number"]
    ordering = ["-date", "-pk"]
    list_export = [
        "organization", "organization.public_identifier", "get_kind_display", "date",
        "document_number", "get_resulting_status_display", "ends_on", "description",
    ]
    extra_export_headings = {"organization.public_identifier": _("统一社会信用代码/备案编号")}
    export_filename = "status-events"
    panels = [
        FieldPanel("organization"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("date")]),
        FieldPanel("document_number"),
        FieldPanel("description"),
        FieldPanel("internal_note"),
    ]


class AnnualInspectionFilterSet(OrganizationTownFilterMixin, OrganizationLegalFormFilterMixin):
    year = django_filters.NumberFilter(label=_("年度"))
    result = choice_filter(_("年检结论"), AnnualInspection.Result.choices)

    class Meta:
        model = AnnualInspection
        fields = ["town", "organization__legal_form", "year", "result"]


class AnnualInspectionViewSet(RecordModelViewSet):
    model = AnnualInspection
    icon = "clipboard-list"
    list_display = ["organization", "year", "result", "concluded_on"]
    list_select_related = ("organization",)
    filterset_class = AnnualInspectionFilterSet
    search_fields = ["organization__name"]
    list_export = ["organization", "organization.public_identifier", "year",
                   "get_result_display", "concluded_on", "note"]
    extra_export_headings = {"organization.public_identifier": _("统一社会信用代码/备案编号")}
    export_filename = "annual-inspections"
    panels = [
        FieldPanel("organization"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("result"), FieldPanel("concluded_on")]),
        FieldPanel("note"),
    ]


class EvaluationGradeFilterSet(OrganizationTownFilterMixin):
    grade = choice_filter(_("评估等级"), EvaluationGrade.Grade.choices)
    awarded_on = date_range("awarded_on", _("评定日期"))

    class Meta:
        model = EvaluationGrade
        fields = ["town", "grade", "awarded_on"]


class EvaluationGradeViewSet(RecordModelViewSet):
    model = EvaluationGrade
    icon = "success"
    list_display = ["organization", "grade", "awarded_on", "valid_until", "assessed_by"]
    list_select_related = ("organization",)
    filterset_class = EvaluationGradeFilterSet
    search_fields = ["organization__name", "certificate_number"]
    list_export = ["organization", "organization.public_identifier", "get_grade_display",
                   "awarded_on", "valid_until", "assessed_by", "certificate_number"]
    extra_export_headings = {"organization.public_identifier": _("统一社会信用代码/备案编号")}
    export_filename = "evaluation-grades"
    panels = [
        FieldPanel("organization"),
        FieldRowPanel([FieldPanel("grade"), FieldPanel("awarded_on"), FieldPanel("valid_until")]),
        FieldRowPanel([FieldPanel("assessed_by"), FieldPanel("certificate_number")]),
    ]


class CreditListEntryFilterSet(OrganizationTownFilterMixin):
    list_kind = choice_filter(_("名录类别"), CreditListEntry.ListKind.choices)
    still_listed = django_filters.BooleanFilter(
        field_name="removed_on", lookup_expr="isnull", label=_("仍在名录中"),
        widget=forms.RadioSelect(choices=[("", ALL), ("true", _("是")), ("false", _("否（已移出）"))]),
    )
    listed_on = date_range("listed_on", _("列入日期"))

    class Meta:
        model = CreditListEntry
        fields = ["town", "list_kind", "still_listed", "listed_on"]


class CreditListEntryViewSet(RecordModelViewSet):
    model = CreditListEntry
    icon = "warning"
    list_display = ["organization", "list_kind", "listed_on", "removed_on", "listed_by"]
    list_select_related = ("organization",)
    filterset_class = CreditListEntryFilterSet
    search_fields = ["organization__name", "decision_number", "reason"]
    list_export = ["organization", "organization.public_identifier", "get_list_kind_display",
                   "reason", "listed_on", "listed_by", "decision_number", "removed_on",
                   "removal_reason"]
    extra_export_headings = {"organization.public_identifier": _("统一社会信用代码/备案编号")}
    export_filename = "credit-list-entries"
    panels = [
        FieldPanel("organization"),
        FieldRowPanel([FieldPanel("list_kind"), FieldPanel("listed_on")]),
        FieldPanel("reason"),
        FieldRowPanel([FieldPanel("listed_by"), FieldPanel("decision_number")]),
        FieldPanel("removed_on"),
        FieldPanel("removal_reason"),
    ]


class TransferredServiceFilterSet(OrganizationTownFilterMixin):
    mode = choice_filter(_("转移方式"), TransferredService.Mode.choices)
    state = choice_filter(_("执行状态"), ServiceState.choices, method="filter_state")
    evaluation = choice_filter(_("绩效评价"), TransferredService.Evaluation.choices)
    department = django_filters.ModelChoiceFilter(
        label=_("转移部门"), queryset=Department.objects.all()
    )
    service_fields = django_filters.ModelChoiceFilter(
        label=_("服务领域"), queryset=ServiceField.objects.all()
    )
    starts_on = date_range("starts_on", _("开始日期"))

    class Meta:
        model = TransferredService
        fields = ["town", "mode", "state", "evaluation", "department", "service_fields",
                  "starts_on"]

    def filter_state(self, queryset, name, value):
        return services_in_state(value, as_of=timezone.localdate(), queryset=queryset)


def service_state_today(service):
    return service.state_on(timezone.localdate()).label


class TransferredServiceIndexView(SnippetIndexView):
    def to_row_dict(self, item):
        # `state` is no field: the export reads it, as the listing does, from the row's dates.
        return OrderedDict(
            (name, service_state_today(item) if name == "state" else multigetattr(item, name))
            for name in self.list_export
        )


class TransferredServiceViewSet(RecordSnippetViewSet):
    model = TransferredService
    icon = "resubmit"
    index_view_class = TransferredServiceIndexView
    list_display = ["title", "organization", "department", "mode", "amount", "starts_on",
                    "ends_on", Column("state", label=_("执行状态"), accessor=service_state_today)]
    list_select_related = ("organization", "department")
    filterset_class = TransferredServiceFilterSet
    search_fields = ["title", "organization__name", "contract_number"]
    list_export = ["title", "organization", "organization.public_identifier", "department",
                   "get_mode_display", "contract_number", "amount", "starts_on", "ends_on",
                   "terminated_on", "state", "get_evaluation_display"]
    extra_export_headings = {"organization.public_identifier": _("统一社会信用代码/备案编号"),
                             "state": _("执行状态")}
    export_filename = "transferred-services"
    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("department"), FieldPanel("organization")]),
        FieldRowPanel([FieldPanel("mode"), FieldPanel("contract_number"), FieldPanel("amount")]),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on"),
                       FieldPanel("terminated_on")]),
        FieldPanel("service_fields", widget=forms.CheckboxSelectMultiple),
        FieldPanel("towns", widget=forms.CheckboxSelectMultiple),
        FieldPanel("evaluation"),
        FieldPanel("evaluation_note"),
    ]


class RegistryGroup(SnippetViewSetGroup):
    menu_label = _("社会组织登记")
    menu_name = "registry"
    menu_icon = "group"
    menu_order = 200
    items = (
        OrganizationViewSet, StatusEventViewSet, AnnualInspectionViewSet, EvaluationGradeViewSet,
        CreditListEntryViewSet, TransferredServiceViewSet,
    )


# == Shared taxonomies ==

class AreaViewSet(RecordModelViewSet):
    model = Area
    icon = "site"
    list_display = ["name", "code", "level", "parent"]
    list_select_related = ("parent",)
    list_filter = ["level"]
    search_fields = ["name", "code"]
    ordering = ["code"]
    list_per_page = 50
    list_export = ["code", "name", "get_level_display", "parent"]
    export_filename = "areas"
    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("level"), FieldPanel("parent")]


class ServiceFieldViewSet(RecordModelViewSet):
    model = ServiceField
    icon = "tag"
    list_display = ["name", "code", "category", "sort_order"]
    search_fields = ["name", "code", "category"]
    list_export = ["code", "name", "category", "sort_order"]
    export_filename = "service-fields"
    panels = [FieldPanel("name"), FieldPanel("code"), FieldPanel("category"),
              FieldPanel("sort_order")]


class DepartmentViewSet(RecordModelViewSet):
    model = Department
    icon = "home"
    list_display = ["name", "short_name", "area"]
    list_select_related = ("area",)
    search_fields = ["name", "short_name"]
    list_export = ["name", "short_name", "area"]
    export_filename = "departments"
    panels = [FieldPanel("name"), FieldPanel("short_name"), FieldPanel("area")]


class ReferenceDataGroup(SnippetViewSetGroup):
    menu_label = _("基础数据")
    menu_name = "reference-data"
    menu_icon = "cogs"
    menu_order = 500
    items = (AreaViewSet, ServiceFieldViewSet, DepartmentViewSet)


@hooks.register("register_admin_viewset")
def register_registry_admin():
    return [RegistryGroup(), ReferenceDataGroup()]
