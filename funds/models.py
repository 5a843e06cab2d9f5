from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import LockableMixin

from website.section_page import SectionPage

from registry.models import Area, LegalForm, Organization


class CommunityFoundation(LockableMixin, models.Model):
    """A 社区发展基金会 and its place in the 1+9+N network."""

    class Role(models.TextChoices):
        COUNTY_HUB = "county_hub", _("县级枢纽（1）")
        TOWN_FOUNDATION = "town_foundation", _("镇（街道）基金会（9）")

    organization = models.OneToOneField(
        Organization, verbose_name=_("基金会（社会组织）"), on_delete=models.PROTECT,
        related_name="community_foundation", limit_choices_to={"legal_form": LegalForm.FOUNDATION},
    )
    role = models.CharField(_("网络角色"), max_length=16, choices=Role.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("服务区域"), on_delete=models.PROTECT, related_name="community_foundations"
    )

    class Meta:
        verbose_name = _("社区发展基金会")
        verbose_name_plural = _("社区发展基金会")
        ordering = ["role", "area__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["area"], name="one_community_foundation_per_area",
                violation_error_message=_("该区域已有社区发展基金会。"),
            )
        ]

    def __str__(self):
        return self.organization.name

    def clean(self):
        errors = {}
        if self.organization_id and self.organization.legal_form != LegalForm.FOUNDATION:
            errors["organization"] = ValidationError(
                _("社区发展基金会必须是组织类型为“基金会”的社会组织。"), code="legal_form")
        if self.area_id and self.role == self.Role.COUNTY_HUB and self.area.level != Area.Level.COUNTY:
            errors["area"] = ValidationError(_("县级枢纽的服务区域必须是县。"), code="level")
        if self.area_id and self.role == self.Role.TOWN_FOUNDATION and not self.area.is_town_level:
            errors["area"] = ValidationError(_("镇（街道）基金会的服务区域必须是镇或街道。"), code="level")
        if errors:
            raise ValidationError(errors)


class SpecialFund(LockableMixin, models.Model):
    """A 专项基金 hosted by a community foundation: the N of 1+9+N."""

    class Theme(models.TextChoices):
        COMMON_PROSPERITY = "common_prosperity", _("共同富裕")
        RURAL_REVITALIZATION = "rural_revitalization", _("乡村振兴")
        ELDERLY_CARE = "elderly_care", _("养老助老")
        EDUCATION = "education", _("助学育才")
        DISABILITY = "disability", _("助残扶弱")
        COMMUNITY_GOVERNANCE = "community_governance", _("社区治理")
        CULTURE = "culture", _("文化传承")
        ENVIRONMENT = "environment", _("生态环保")
        EMERGENCY_RELIEF = "emergency_relief", _("应急救助")
        OTHER = "other", _("其他")

    host = models.ForeignKey(
        CommunityFoundation, verbose_name=_("所属基金会"), on_delete=models.PROTECT,
        related_name="special_funds",
    )
    name = models.CharField(_("专项基金名称"), max_length=120)
    theme = models.CharField(_("主题"), max_length=24, choices=Theme.choices)
    established_on = models.DateField(_("设立日期"))
    closed_on = models.DateField(_("终止日期"), null=True, blank=True)
    initiator = models.CharField(_("发起方"), max_length=120, blank=True)
    purpose = models.TextField(_("宗旨用途"), blank=True)
    target_amount = models.DecimalField(
        _("筹款目标（元）"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0, message=_("筹款目标不能为负数。"))],
    )

    class Meta:
        verbose_name = _("专项基金")
        verbose_name_plural = _("专项基金")
        ordering = ["host", "established_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["host", "name"], name="special_fund_unique_name_per_host",
                violation_error_message=_("该基金会已有同名专项基金。"),
            )
        ]
        indexes = [models.Index(fields=["established_on", "closed_on"])]

    def __str__(self):
        return self.name

    def clean(self):
        if self.established_on and self.closed_on and self.closed_on < self.established_on:
            raise ValidationError({"closed_on": ValidationError(
                _("终止日期（%(closed)s）不能早于设立日期（%(established)s）。"), code="closed_before",
                params={"closed": self.closed_on, "established": self.established_on},
            )})


class MoneyMovement(models.Model):
    """Money into or out of a community foundation, optionally through one of its special funds."""

    class Kind(models.TextChoices):
        DONATION_IN = "donation_in", _("捐赠收入")
        GRANT_OUT = "grant_out", _("资助支出")
        EXPENSE = "expense", _("其他支出")

    class CounterpartyKind(models.TextChoices):
        ORGANIZATION = "organization", _("社会组织")
        ENTERPRISE = "enterprise", _("企业")
        GOVERNMENT = "government", _("政府及事业单位")
        INDIVIDUAL = "individual", _("个人")
        OTHER = "other", _("其他")

    INFLOW_KINDS = (Kind.DONATION_IN,)
    OUTFLOW_KINDS = (Kind.GRANT_OUT, Kind.EXPENSE)

    foundation = models.ForeignKey(
        CommunityFoundation, verbose_name=_("基金会"), on_delete=models.PROTECT,
        related_name="money_movements",
    )
    special_fund = models.ForeignKey(
        SpecialFund, verbose_name=_("专项基金"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="money_movements",
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("日期"))
    amount = models.DecimalField(
        _("金额（元）"), max_digits=14, decimal_places=2,
        validators=[MinValueValidator(0.01, message=_("金额必须大于0元。"))],
    )
    counterparty_kind = models.CharField(
        _("对方类型"), max_length=16, choices=CounterpartyKind.choices,
        default=CounterpartyKind.ORGANIZATION,
    )
    counterparty = models.CharField(
        _("对方单位"), max_length=200, blank=True, help_text=_("个人捐赠者的姓名请填在“个人捐赠者姓名”，不公开。")
    )
    personal_donor_name = models.CharField(_("个人捐赠者姓名"), max_length=60, blank=True)
    grantee = models.ForeignKey(
        Organization, verbose_name=_("受资助社会组织"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="grants_received",
    )
    project = models.CharField(_("项目"), max_length=200, blank=True)
    receipt_number = models.CharField(_("票据号"), max_length=60, blank=True)
    internal_note = models.TextField(_("内部备注"), blank=True)

    class Meta:
        verbose_name = _("资金收支")
        verbose_name_plural = _("资金收支")
        ordering = ["-date", "pk"]
        indexes = [
            models.Index(fields=["foundation", "date"]),
            models.Index(fields=["special_fund", "date"]),
            models.Index(fields=["kind", "date"]),
        ]

    def __str__(self):
        return _("%(kind)s %(amount)s元 %(date)s") % {
            "kind": self.get_kind_display(), "amount": self.amount, "date": self.date}

    def clean(self):
        errors = {}
        if self.special_fund_id and self.foundation_id and self.special_fund.host_id != self.foundation_id:
            errors["special_fund"] = ValidationError(
                _("专项基金“%(fund)s”不属于该基金会。"), code="fund_host",
                params={"fund": self.special_fund.name},
            )
        if self.counterparty_kind == self.CounterpartyKind.INDIVIDUAL:
            if self.counterparty:
                errors["counterparty"] = ValidationError(
                    _("对方为个人时，“对方单位”须留空，姓名填在“个人捐赠者姓名”（不公开）。"),
                    code="individual_public_name")
        elif self.personal_donor_name:
            errors["personal_donor_name"] = ValidationError(
                _("只有对方类型为“个人”时才填写个人捐赠者姓名。"), code="not_individual")
        if self.grantee_id and self.kind != self.Kind.GRANT_OUT:
            errors["grantee"] = ValidationError(
                _("只有“资助支出”才能选择受资助社会组织。"), code="grantee_kind")
        if errors:
            raise ValidationError(errors)


class FundsNetworkPage(RoutablePageMixin, SectionPage):
    """The 1+9+N network, each foundation and each special fund."""

    class Meta:
        verbose_name = _("社区基金与1+9+N网络")

    @path("", name="network")
    def network(self, request):
        from .funds_pages import network_context

        context = network_context(as_of=timezone.localdate())
        context["breadcrumbs"] = self.breadcrumbs(request)
        return self.render(request, context_overrides=context)

    @path("foundations/<int:foundation_id>/", name="foundation")
    def foundation(self, request, foundation_id):
        from .funds_pages import foundation_context

        context = foundation_context(
            request=request, foundation_id=foundation_id, as_of=timezone.localdate()
        )
        context["breadcrumbs"] = self.breadcrumbs(
            request, (context["foundation"].organization.name, "")
        )
        return self.render(request, context_overrides=context, template="funds/foundation.html")

    @path("special-funds/<int:fund_id>/", name="special_fund")
    def special_fund(self, request, fund_id):
        from .funds_pages import fund_context

        context = fund_context(request=request, fund_id=fund_id, as_of=timezone.localdate())
        fund = context["fund"]
        context["breadcrumbs"] = self.breadcrumbs(
            request,
            (fund.host.organization.name,
             self.get_url(request) + self.reverse_subpage("foundation", args=[fund.host_id])),
            (fund.name, ""),
        )
        return self.render(request, context_overrides=context, template="funds/special_fund.html")

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        base = urls[0]

        def sub(name, pk):
            return {**base, "location": base["location"] + self.reverse_subpage(name, args=[pk])}

        foundations = CommunityFoundation.objects.order_by("pk").values_list("pk", flat=True)
        funds = SpecialFund.objects.order_by("pk").values_list("pk", flat=True)
        return (urls + [sub("foundation", pk) for pk in foundations]
                + [sub("special_fund", pk) for pk in funds])
