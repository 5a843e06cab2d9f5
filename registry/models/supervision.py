"""Supervision records: annual inspections, evaluation grades and credit-list entries."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organization import Organization

GRADE_VALIDITY_YEARS = 5


def grade_valid_until(awarded_on):
    """A grade is valid for 5 years: awarded 2020-06-01, valid until 2025-05-31."""
    try:
        anniversary = awarded_on.replace(year=awarded_on.year + GRADE_VALIDITY_YEARS)
    except ValueError:  # awarded on 29 February
        anniversary = datetime.date(awarded_on.year + GRADE_VALIDITY_YEARS, 3, 1)
    return anniversary - datetime.timedelta(days=1)


class AnnualInspection(models.Model):
    class Result(models.TextChoices):
        PASSED = "passed", _("合格")
        BASICALLY_PASSED = "basically_passed", _("基本合格")
        FAILED = "failed", _("不合格")
        NOT_INSPECTED = "not_inspected", _("未参检")

    organization = models.ForeignKey(
        Organization, verbose_name=_("社会组织"), on_delete=models.CASCADE,
        related_name="annual_inspections",
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(1990, _("年度应在1990年之后。")),
                          MaxValueValidator(2100, _("年度不正确。"))],
    )
    result = models.CharField(_("年检结论"), max_length=20, choices=Result.choices)
    concluded_on = models.DateField(_("结论日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("年度检查")
        verbose_name_plural = _("年度检查")
        ordering = ["-year", "organization"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="inspection_one_per_year",
                violation_error_message=_("该组织该年度的年检结论已录入。"),
            )
        ]
        indexes = [models.Index(fields=["year", "result"])]

    def __str__(self):
        return _("%(organization)s %(year)s年度 %(result)s") % {
            "organization": self.organization, "year": self.year, "result": self.get_result_display()}

    def clean(self):
        if self.year and self.concluded_on and self.concluded_on.year <= self.year:
            raise ValidationError({"concluded_on": ValidationError(
                _("%(year)s年度的年检结论日期应在%(next)s年或之后。"), code="too_early",
                params={"year": self.year, "next": self.year + 1},
            )})


class EvaluationGrade(models.Model):
    class Grade(models.IntegerChoices):
        A1 = 1, "1A"
        A2 = 2, "2A"
        A3 = 3, "3A"
        A4 = 4, "4A"
        A5 = 5, "5A"

    organization = models.ForeignKey(
        Organization, verbose_name=_("社会组织"), on_delete=models.CASCADE,
        related_name="evaluation_grades",
    )
    grade = models.PositiveSmallIntegerField(_("评估等级"), choices=Grade.choices)
    awarded_on = models.DateField(_("评定日期"))
    valid_until = models.DateField(
        _("有效期至"), blank=True, help_text=_("留空将按评定日期起5年自动填写。")
    )
    assessed_by = models.CharField(_("评估机关"), max_length=80, blank=True)
    certificate_number = models.CharField(_("证书编号"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("评估等级")
        verbose_name_plural = _("评估等级")
        ordering = ["-awarded_on", "organization"]
        indexes = [
            models.Index(fields=["organization", "awarded_on"]),
            models.Index(fields=["awarded_on", "valid_until"]),
        ]

    def __str__(self):
        return f"{self.organization} {self.get_grade_display()}"

    def clean(self):
        if not self.awarded_on:
            return
        expected = grade_valid_until(self.awarded_on)
        if self.valid_until is None:
            self.valid_until = expected
        elif self.valid_until != expected:
            raise ValidationError({"valid_until": ValidationError(
                _("评估等级有效期为5年：评定日期%(awarded)s，有效期应至%(expected)s，而不是%(given)s。"),
                code="validity",
                params={"awarded": self.awarded_on, "expected": expected, "given": self.valid_until},
            )})

    def save(self, *args, **kwargs):
        if self.valid_until is None and self.awarded_on:
            self.valid_until = grade_valid_until(self.awarded_on)
        super().save(*args, **kwargs)


class CreditListEntry(models.Model):
    class ListKind(models.TextChoices):
        ABNORMAL_ACTIVITY = "abnormal_activity", _("活动异常名录")
        SERIOUS_VIOLATION = "serious_violation", _("严重违法失信名单")

    organization = models.ForeignKey(
        Organization, verbose_name=_("社会组织"), on_delete=models.CASCADE,
        related_name="credit_list_entries",
    )
    list_kind = models.CharField(_("名录类别"), max_length=24, choices=ListKind.choices)
    reason = models.TextField(_("列入事由"))
    listed_on = models.DateField(_("列入日期"))
    listed_by = models.CharField(_("作出决定机关"), max_length=80, blank=True)
    decision_number = models.CharField(_("决定文号"), max_length=80, blank=True)
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removal_reason = models.TextField(_("移出事由"), blank=True)

    class Meta:
        verbose_name = _("信用名录记录")
        verbose_name_plural = _("信用名录记录")
        ordering = ["-listed_on", "organization"]
        indexes = [
            models.Index(fields=["organization", "listed_on"]),
            models.Index(fields=["list_kind", "listed_on", "removed_on"]),
        ]

    def __str__(self):
        return f"{self.organization} {self.get_list_kind_display()}"

    def clean(self):
        if self.listed_on and self.removed_on and self.removed_on < self.listed_on:
            raise ValidationError({"removed_on": ValidationError(
                _("移出日期（%(removed)s）不能早于列入日期（%(listed)s）。"), code="removed_before_listed",
                params={"removed": self.removed_on, "listed": self.listed_on},
            )})
