"""Supervision records: annual inspections, evaluation grades and credit-list entries."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

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
        PASSED = "passed", "合格"
        BASICALLY_PASSED = "basically_passed", "基本合格"
        FAILED = "failed", "不合格"
        NOT_INSPECTED = "not_inspected", "未参检"

    organization = models.ForeignKey(
        Organization, verbose_name="社会组织", on_delete=models.CASCADE,
        related_name="annual_inspections",
    )
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(1990, "年度应在1990年之后。"),
                          MaxValueValidator(2100, "年度不正确。")],
    )
    result = models.CharField("年检结论", max_length=20, choices=Result.choices)
    concluded_on = models.DateField("结论日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "年度检查"
        verbose_name_plural = "年度检查"
        ordering = ["-year", "organization"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="inspection_one_per_year",
                violation_error_message="该组织该年度的年检结论已录入。",
            )
        ]
        indexes = [models.Index(fields=["year", "result"])]

    def __str__(self):
        return f"{self.organization} {self.year}年度 {self.get_result_display()}"

    def clean(self):
        if self.year and self.concluded_on and self.concluded_on.year <= self.year:
            raise ValidationError({"concluded_on": ValidationError(
                "%(year)s年度的年检结论日期应在%(next)s年或之后。", code="too_early",
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
        Organization, verbose_name="社会组织", on_delete=models.CASCADE,
        related_name="evaluation_grades",
    )
    grade = models.PositiveSmallIntegerField("评估等级", choices=Grade.choices)
    awarded_on = models.DateField("评定日期")
    valid_until = models.DateField(
        "有效期至", blank=True, help_text="留空将按评定日期起5年自动填写。"
    )
    assessed_by = models.CharField("评估机关", max_length=80, blank=True)
    certificate_number = models.CharField("证书编号", max_length=60, blank=True)

    class Meta:
        verbose_name = "评估等级"
        verbose_name_plural = "评估等级"
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
                "评估等级有效期为5年：评定日期%(awarded)s，有效期应至%(expected)s，而不是%(given)s。",
                code="validity",
                params={"awarded": self.awarded_on, "expected": expected, "given": self.valid_until},
            )})

    def save(self, *args, **kwargs):
        if self.valid_until is None and self.awarded_on:
            self.valid_until = grade_valid_until(self.awarded_on)
        super().save(*args, **kwargs)


class CreditListEntry(models.Model):
    class ListKind(models.TextChoices):
        ABNORMAL_ACTIVITY = "abnormal_activity", "活动异常名录"
        SERIOUS_VIOLATION = "serious_violation", "严重违法失信名单"

    organization = models.ForeignKey(
        Organization, verbose_name="社会组织", on_delete=models.CASCADE,
        related_name="credit_list_entries",
    )
    list_kind = models.CharField("名录类别", max_length=24, choices=ListKind.choices)
    reason = models.TextField("列入事由")
    listed_on = models.DateField("列入日期")
    listed_by = models.CharField("作出决定机关", max_length=80, blank=True)
    decision_number = models.CharField("决定文号", max_length=80, blank=True)
    removed_on = models.DateField("移出日期", null=True, blank=True)
    removal_reason = models.TextField("移出事由", blank=True)

    class Meta:
        verbose_name = "信用名录记录"
        verbose_name_plural = "信用名录记录"
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
                "移出日期（%(removed)s）不能早于列入日期（%(listed)s）。", code="removed_before_listed",
                params={"removed": self.removed_on, "listed": self.listed_on},
            )})
