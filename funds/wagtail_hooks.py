"""The staff admin for the 1+9+N community support network: foundations, special funds and the
money they receive and grant."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from funds.models import CommunityFoundation, MoneyMovement, SpecialFund
from website.admin_filters import (
    FoundationFilterMixin, HostFilterMixin, SpecialFundFilterMixin, choice_filter, date_range,
)
from website.admin_scoping import RecordModelViewSet, RecordSnippetViewSet

ALL = _("全部")


class CommunityFoundationFilterSet(WagtailFilterSet):
    role = choice_filter(_("网络角色"), CommunityFoundation.Role.choices)

    class Meta:
        model = CommunityFoundation
        fields = ["role"]


class CommunityFoundationViewSet(RecordSnippetViewSet):
    model = CommunityFoundation
    icon = "site"
    list_display = ["organization", "role", "area"]
    list_select_related = ("organization", "area")
    filterset_class = CommunityFoundationFilterSet
    search_fields = ["organization__name"]
    list_export = ["organization", "organization.credit_code", "get_role_display", "area"]
    extra_export_headings = {"organization.credit_code": _("统一社会信用代码")}
    export_filename = "community-foundations"
    panels = [FieldPanel("organization"), FieldRowPanel([FieldPanel("role"), FieldPanel("area")])]


class SpecialFundFilterSet(HostFilterMixin):
    theme = choice_filter(_("主题"), SpecialFund.Theme.choices)
    established_on = date_range("established_on", _("设立日期"))
    open = django_filters.BooleanFilter(
        field_name="closed_on", lookup_expr="isnull", label=_("存续中"),
        widget=forms.RadioSelect(choices=[("", ALL), ("true", _("是")), ("false", _("否（已终止）"))]),
    )

    class Meta:
        model = SpecialFund
        fields = ["host", "theme", "established_on", "open"]


class SpecialFundViewSet(RecordSnippetViewSet):
    model = SpecialFund
    icon = "folder-open-inverse"
    list_display = ["name", "host", "theme", "established_on", "closed_on", "target_amount"]
    list_select_related = ("host__organization",)
    filterset_class = SpecialFundFilterSet
    search_fields = ["name", "initiator", "purpose"]
    list_export = ["name", "host", "get_theme_display", "established_on", "closed_on",
                   "initiator", "purpose", "target_amount"]
    export_filename = "special-funds"
    panels = [
        FieldPanel("host", widget=forms.Select),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("theme"), FieldPanel("established_on"), FieldPanel("closed_on")]),
        FieldRowPanel([FieldPanel("initiator"), FieldPanel("target_amount")]),
        FieldPanel("purpose"),
    ]


class MoneyMovementFilterSet(FoundationFilterMixin, SpecialFundFilterMixin):
    kind = choice_filter(_("类别"), MoneyMovement.Kind.choices)
    counterparty_kind = choice_filter(_("对方类型"), MoneyMovement.CounterpartyKind.choices)
    date = date_range("date", _("日期"))

    class Meta:
        model = MoneyMovement
        fields = ["foundation", "special_fund", "kind", "counterparty_kind", "date"]


class MoneyMovementViewSet(RecordModelViewSet):
    model = MoneyMovement
    icon = "decimal"
    list_display = ["__str__", "foundation", "special_fund", "kind", "date", "amount",
                    "counterparty_kind", "counterparty", "grantee"]
    list_select_related = ("foundation__organization", "special_fund", "grantee")
    filterset_class = MoneyMovementFilterSet
    search_fields = ["counterparty", "personal_donor_name", "project", "receipt_number",
                     "grantee__name"]
    ordering = ["-date", "-pk"]
    list_export = ["date", "foundation", "special_fund", "get_kind_display", "amount",
                   "get_counterparty_kind_display", "counterparty", "personal_donor_name",
                   "grantee", "project", "receipt_number"]
    export_filename = "money-movements"
    panels = [
        FieldRowPanel([FieldPanel("foundation", widget=forms.Select),
                       FieldPanel("special_fund", widget=forms.Select)]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("date"), FieldPanel("amount")]),
        MultiFieldPanel([
            FieldPanel("counterparty_kind"),
            FieldRowPanel([FieldPanel("counterparty"), FieldPanel("personal_donor_name")]),
            FieldPanel("grantee"),
        ], heading=_("对方")),
        FieldRowPanel([FieldPanel("project"), FieldPanel("receipt_number")]),
        FieldPanel("internal_note"),
    ]


class FundsGroup(SnippetViewSetGroup):
    menu_label = _("社区基金")
    menu_name = "funds"
    menu_icon = "table"
    menu_order = 400
    items = (CommunityFoundationViewSet, SpecialFundViewSet, MoneyMovementViewSet)


@hooks.register("register_admin_viewset")
def register_funds_admin():
    return FundsGroup()
