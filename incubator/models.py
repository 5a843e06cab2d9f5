import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import LockableMixin

from website.section_page import SectionPage

from registry.models import Area, Organization


class IncubationCenter(LockableMixin, models.Model):
    """A 社会组织培育发展中心, at county or town level."""

    class Level(models.TextChoices):
        COUNTY = "county", _("县级")
        TOWN = "town", _("镇（街道）级")

    name = models.CharField(_("中心名称"), max_length=120, unique=True)
    level = models.CharField(_("层级"), max_length=8, choices=Level.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="incubation_centers"
    )
    operator = models.ForeignKey(
        Organization, verbose_name=_("运营机构"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="operated_centers",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    opened_on = models.DateField(_("启用日期"))
    space_m2 = models.DecimalField(
        _("场地面积（平方米）"), max_digits=9, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0, message=_("场地面积不能为负数。"))],
    )
    services = models.TextField(_("服务内容"), blank=True)

    class Meta:
        verbose_name = _("培育发展中心")
        verbose_name_plural = _("培育发展中心")
        ordering = ["level", "area__code"]

    def __str__(self):
        return self.name

    def clean(self):
        if not (self.level and self.area_id):
            return
        if self.level == self.Level.COUNTY and self.area.level != Area.Level.COUNTY:
            raise ValidationError({"area": ValidationError(
                _("县级中心的所在区划必须是县。"), code="level")})
        if self.level == self.Level.TOWN and not self.area.is_town_level:
            raise ValidationError({"area": ValidationError(
                _("镇（街道）级中心的所在区划必须是镇或街道。"), code="level")})


def add_months(day, months):
    """`day` plus `months` calendar months, on the month's last day where the day is missing
    (2024-02-29 plus 12 months is 2025-02-28)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def planned_end(started_on):
    """The planned end of an incubation begun on `started_on`: the county's incubation term
    (settings.INCUBATION_TERM_MONTHS) later."""
    return add_months(started_on, settings.INCUBATION_TERM_MONTHS)


class Incubation(models.Model):
    """A group's stay in an incubation center; the group may not be registered or filed yet.
    Its state on a date (孵化中, 逾期未出壳, the outcome once ended) is derived from its dates:
    incubator.facts."""

    class Outcome(models.TextChoices):
        ONGOING = "ongoing", _("孵化中")
        REGISTERED = "registered", _("已登记")
        FILED = "filed", _("已备案")
        LEFT = "left", _("未成功出壳（退出）")

    ENDED_OUTCOMES = (Outcome.REGISTERED, Outcome.FILED, Outcome.LEFT)

    center = models.ForeignKey(
        IncubationCenter, verbose_name=_("培育中心"), on_delete=models.PROTECT,
        related_name="incubations",
    )
    group_name = models.CharField(_("孵化对象名称"), max_length=200, db_index=True)
    organization = models.ForeignKey(
        Organization, verbose_name=_("登记/备案后的社会组织"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="incubations",
    )
    started_on = models.DateField(_("入驻日期"))
    planned_end_on = models.DateField(
        _("计划出壳日期"), blank=True,
        help_text=_("留空将按入驻日期起孵化期满之日自动填写；过了这一天仍未出壳或退出的，为逾期未出壳。"),
    )
    ended_on = models.DateField(_("出壳/退出日期"), null=True, blank=True)
    outcome = models.CharField(
        _("孵化结果"), max_length=12, choices=Outcome.choices, default=Outcome.ONGOING
    )
    support = models.TextField(_("提供的支持"), blank=True)
    internal_note = models.TextField(_("内部备注"), blank=True)

    class Meta:
        verbose_name = _("孵化记录")
        verbose_name_plural = _("孵化记录")
        ordering = ["-started_on", "pk"]
        indexes = [
            models.Index(fields=["center", "started_on"]),
            models.Index(fields=["started_on", "ended_on"]),
        ]

    def __str__(self):
        return f"{self.group_name}({self.center})"

    def fill_planned_end(self):
        if self.planned_end_on is None and self.started_on:
            self.planned_end_on = planned_end(self.started_on)

    def save(self, *args, **kwargs):
        self.fill_planned_end()
        super().save(*args, **kwargs)

    def state_on(self, day):
        """The incubation's IncubationState on `day` (incubator.facts)."""
        from .facts import incubation_state  # facts import the models

        return incubation_state(self, day)

    def clean(self):
        self.fill_planned_end()
        errors = {}
        if self.started_on and self.planned_end_on and self.planned_end_on < self.started_on:
            errors["planned_end_on"] = ValidationError(
                _("计划出壳日期（%(planned)s）不能早于入驻日期（%(start)s）。"),
                code="planned_end_before_start",
                params={"planned": self.planned_end_on, "start": self.started_on},
            )
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = ValidationError(
                _("出壳/退出日期（%(end)s）不能早于入驻日期（%(start)s）。"), code="end_before_start",
                params={"end": self.ended_on, "start": self.started_on},
            )
        elif self.outcome == self.Outcome.ONGOING and self.ended_on:
            errors["outcome"] = ValidationError(
                _("已填写出壳/退出日期，孵化结果不能为“孵化中”。"), code="ongoing_with_end")
        elif self.outcome in self.ENDED_OUTCOMES and not self.ended_on:
            errors["ended_on"] = ValidationError(
                _("孵化结果为“%(outcome)s”时须填写出壳/退出日期。"), code="end_required",
                params={"outcome": self.get_outcome_display()},
            )
        if self.outcome in (self.Outcome.REGISTERED, self.Outcome.FILED) and not self.organization_id:
            errors["organization"] = ValidationError(
                _("孵化结果为“%(outcome)s”时须选择登记/备案后的社会组织。"), code="organization_required",
                params={"outcome": self.get_outcome_display()},
            )
        if errors:
            raise ValidationError(errors)


class IncubationPage(RoutablePageMixin, SectionPage):
    """The incubation centers, each center's groups and outcomes, and the figures."""

    class Meta:
        verbose_name = _("培育孵化")

    @path("", name="centers")
    def centers(self, request):
        from website.as_of import parse_as_of

        from .incubation_pages import index_context

        as_of, message = parse_as_of(request.GET.get("as_of"), today=timezone.localdate())
        context = index_context(as_of=as_of, base=self.get_url(request))
        context["as_of_message"] = message
        context["breadcrumbs"] = self.breadcrumbs(request)
        return self.render(request, context_overrides=context)

    @path("groups/", name="groups")
    def groups(self, request):
        from website.as_of import parse_as_of

        from .incubation_pages import groups_context

        as_of, message = parse_as_of(request.GET.get("as_of"), today=timezone.localdate())
        context = groups_context(request=request, as_of=as_of)
        context["as_of_message"] = message
        context["breadcrumbs"] = self.breadcrumbs(request, (gettext("孵化对象"), ""))
        return self.render(
            request, context_overrides=context, template="incubator/incubation_groups.html"
        )

    @path("<int:center_id>/", name="center")
    def center(self, request, center_id):
        from .incubation_pages import center_context

        context = center_context(request=request, center_id=center_id, as_of=timezone.localdate())
        context["breadcrumbs"] = self.breadcrumbs(request, (context["center"].name, ""))
        return self.render(
            request, context_overrides=context, template="incubator/incubation_center.html"
        )

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        base = urls[0]
        return urls + [
            {**base, "location": base["location"] + self.reverse_subpage("center", args=[pk])}
            for pk in IncubationCenter.objects.order_by("pk").values_list("pk", flat=True)
        ]
