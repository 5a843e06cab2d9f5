"""Services a government department has handed to an organization (政府转移职能)."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import LockableMixin

from .organization import Organization
from .taxonomy import Area, Department, ServiceField


class TransferredService(LockableMixin, models.Model):
    class Mode(models.TextChoices):
        PURCHASE = "purchase", _("政府购买服务")
        DELEGATION = "delegation", _("委托")
        AUTHORISATION = "authorisation", _("授权")

    class Evaluation(models.TextChoices):
        NOT_EVALUATED = "not_evaluated", _("未评估")
        EXCELLENT = "excellent", _("优秀")
        GOOD = "good", _("良好")
        PASSED = "passed", _("合格")
        FAILED = "failed", _("不合格")

    title = models.CharField(_("服务项目名称"), max_length=200)
    department = models.ForeignKey(
        Department, verbose_name=_("转移部门"), on_delete=models.PROTECT,
        related_name="transferred_services",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("承接组织"), on_delete=models.PROTECT,
        related_name="transferred_services",
    )
    service_fields = models.ManyToManyField(
        ServiceField, verbose_name=_("服务领域"), related_name="transferred_services"
    )
    mode = models.CharField(_("转移方式"), max_length=16, choices=Mode.choices)
    contract_number = models.CharField(_("合同编号"), max_length=80, blank=True)
    amount = models.DecimalField(
        _("金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0, message=_("金额不能为负数。"))],
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    # The state (执行中, 已结束...) is derived from the dates: registry.facts.services.
    terminated_on = models.DateField(
        _("提前终止日期"), null=True, blank=True,
        help_text=_("提前终止的，填写终止之日（当日起不再执行）；按期执行的留空。"),
    )
    towns = models.ManyToManyField(
        Area, verbose_name=_("覆盖镇街"), blank=True, related_name="transferred_services",
        limit_choices_to={"level__in": Area.TOWN_LEVELS},
    )
    evaluation = models.CharField(
        _("绩效评价"), max_length=16, choices=Evaluation.choices, default=Evaluation.NOT_EVALUATED
    )
    evaluation_note = models.TextField(_("评价说明"), blank=True)

    class Meta:
        verbose_name = _("承接转移职能")
        verbose_name_plural = _("承接转移职能")
        ordering = ["-starts_on", "pk"]
        indexes = [
            models.Index(fields=["starts_on", "ends_on"]),
            models.Index(fields=["organization", "starts_on"]),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = ValidationError(
                _("结束日期（%(end)s）不能早于开始日期（%(start)s）。"), code="end_before_start",
                params={"end": self.ends_on, "start": self.starts_on},
            )
        if self.terminated_on and self.starts_on and self.terminated_on < self.starts_on:
            errors["terminated_on"] = ValidationError(
                _("提前终止日期（%(terminated)s）不能早于开始日期（%(start)s）。"),
                code="terminated_before_start",
                params={"terminated": self.terminated_on, "start": self.starts_on},
            )
        elif self.terminated_on and self.ends_on and self.terminated_on > self.ends_on:
            errors["terminated_on"] = ValidationError(
                _("提前终止日期（%(terminated)s）不能晚于结束日期（%(end)s）。"),
                code="terminated_after_end",
                params={"terminated": self.terminated_on, "end": self.ends_on},
            )
        if errors:
            raise ValidationError(errors)

    def state_on(self, day):
        """The service's ServiceState on `day` (registry.facts.services)."""
        from registry.facts.services import service_state  # facts import the models

        return service_state(self, day)
