from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    intro = RichTextField("导语", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = "首页"


class StaffScope(models.Model):
    """The part of the register a scoped staff member maintains.

    County staff have no scope (they see everything). Every other staff account has exactly one
    of: a town, an incubation center, or a community foundation.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
        related_name="staff_scope",
    )
    town = models.ForeignKey(
        "registry.Area", verbose_name="镇街", null=True, blank=True, on_delete=models.CASCADE,
        limit_choices_to={"level__in": ("town", "subdistrict")}, related_name="+",
    )
    incubation_center = models.ForeignKey(
        "incubator.IncubationCenter", verbose_name="培育中心", null=True, blank=True,
        on_delete=models.CASCADE, related_name="+",
    )
    foundation = models.ForeignKey(
        "funds.CommunityFoundation", verbose_name="社区发展基金会", null=True, blank=True,
        on_delete=models.CASCADE, related_name="+",
    )

    class Meta:
        verbose_name = "工作人员管辖范围"
        verbose_name_plural = "工作人员管辖范围"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(town__isnull=False, incubation_center__isnull=True, foundation__isnull=True)
                    | models.Q(town__isnull=True, incubation_center__isnull=False, foundation__isnull=True)
                    | models.Q(town__isnull=True, incubation_center__isnull=True, foundation__isnull=False)
                ),
                name="staff_scope_exactly_one",
                violation_error_message="管辖范围须且只能选择镇街、培育中心、基金会中的一项。",
            )
        ]

    def __str__(self):
        return f"{self.user}: {self.town or self.incubation_center or self.foundation}"

    def clean(self):
        chosen = [x for x in (self.town_id, self.incubation_center_id, self.foundation_id) if x]
        if len(chosen) != 1:
            raise ValidationError("管辖范围须且只能选择镇街、培育中心、基金会中的一项。")
