import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import LockableMixin, RevisionMixin

from registry import credit_code

from .taxonomy import Area, Department, ServiceField


class LegalForm(models.TextChoices):
    SOCIAL_GROUP = "social_group", _("社会团体")
    SOCIAL_SERVICE_INSTITUTION = "social_service_institution", _("社会服务机构（民办非企业单位）")
    FOUNDATION = "foundation", _("基金会")
    COMMUNITY_ORGANIZATION = "community_organization", _("社区社会组织（备案）")


REGISTERED_LEGAL_FORMS = (
    LegalForm.SOCIAL_GROUP, LegalForm.SOCIAL_SERVICE_INSTITUTION, LegalForm.FOUNDATION,
)
# The 2nd character of a civil-affairs credit code, by legal form (GB 32100-2015, 民政 codes).
LEGAL_FORM_CODE_CHARACTER = {
    LegalForm.SOCIAL_GROUP: "1",
    LegalForm.SOCIAL_SERVICE_INSTITUTION: "2",
    LegalForm.FOUNDATION: "3",
}


class Organization(LockableMixin, RevisionMixin, ClusterableModel):
    """A social organization, registered (登记) or filed (备案).

    Its status is not stored here: it is derived from its dated StatusEvents, so that any past
    status, and any figure as of a past date, can be computed.
    """

    # Indexed by Meta.indexes (a plain btree): db_index would add a varchar_pattern_ops index too,
    # which nothing uses (substring search has its own index, registry.search).
    name = models.CharField(_("社会组织名称"), max_length=200)
    legal_form = models.CharField(_("组织类型"), max_length=32, choices=LegalForm.choices)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True,
        help_text=_("登记的社会组织必填；18位，第1位为5，第2位与组织类型一致。"),
    )
    filing_number = models.CharField(
        _("备案编号"), max_length=40, blank=True, help_text=_("备案的社区社会组织必填。")
    )
    registration_authority = models.CharField(_("登记管理机关"), max_length=80, blank=True)
    supervising_unit = models.ForeignKey(
        Department, verbose_name=_("业务主管单位"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="supervised_organizations",
    )
    town = models.ForeignKey(
        Area, verbose_name=_("所属镇街"), on_delete=models.PROTECT, related_name="organizations",
        limit_choices_to={"level__in": Area.TOWN_LEVELS},
        db_index=False,  # (town, legal_form) and the town pinyin index (0004) lead with it
    )
    village = models.ForeignKey(
        Area, verbose_name=_("村（社区）"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="grassroots_organizations",
        limit_choices_to={"level__in": Area.GRASSROOTS_LEVELS},
    )
    address = models.CharField(_("住所"), max_length=200, blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    legal_representative = models.CharField(_("法定代表人（负责人）"), max_length=60, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    business_scope = models.TextField(_("业务范围"), blank=True)
    service_fields = ParentalManyToManyField(
        ServiceField, verbose_name=_("服务领域"), blank=True, related_name="organizations"
    )
    initial_funds = models.DecimalField(
        _("开办资金（元）"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0, message=_("开办资金不能为负数。"))],
    )
    website = models.URLField(_("网站"), blank=True)
    description = models.TextField(_("简介"), blank=True)
    internal_note = models.TextField(_("内部备注"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("社会组织")
        verbose_name_plural = _("社会组织")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~models.Q(credit_code=""),
                name="organization_unique_credit_code", violation_error_code="duplicate_credit_code",
                violation_error_message=_("该统一社会信用代码已被另一个社会组织使用。"),
            ),
            models.UniqueConstraint(
                fields=["filing_number"], condition=~models.Q(filing_number=""),
                name="organization_unique_filing_number",
                violation_error_code="duplicate_filing_number",
                violation_error_message=_("该备案编号已被另一个社会组织使用。"),
            ),
        ]
        indexes = [
            models.Index(fields=["name"], name="organization_name"),
            models.Index(fields=["town", "legal_form"]),
            models.Index(fields=["legal_form"]),
        ]

    def __str__(self):
        return self.name

    @property
    def is_registered_form(self):
        return self.legal_form in REGISTERED_LEGAL_FORMS

    @property
    def public_identifier(self):
        """The stable public key: the credit code, else the filing number."""
        return self.credit_code or self.filing_number

    def clean_fields(self, exclude=None):
        # Normalize before the length checks: staff paste codes in full width or lower case.
        self.credit_code = credit_code.normalize(self.credit_code) if self.credit_code else ""
        # A filing number is kept as the importer keys it: NFKC, no whitespace anywhere.
        self.filing_number = re.sub(
            r"\s+", "", unicodedata.normalize("NFKC", self.filing_number or ""))
        self.name = (self.name or "").strip()
        super().clean_fields(exclude=exclude)

    def validate_constraints(self, exclude=None):
        # A conditional unique constraint reports under __all__; put the message on its field.
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as e:
            errors = {}
            for field, field_errors in e.error_dict.items():
                for error in field_errors:
                    target = self.CONSTRAINT_ERROR_FIELDS.get(error.code, field)
                    errors.setdefault(target, []).append(error)
            raise ValidationError(errors) from None

    CONSTRAINT_ERROR_FIELDS = {
        "duplicate_credit_code": "credit_code",
        "duplicate_filing_number": "filing_number",
    }

    def clean(self):
        errors = {}
        if self.credit_code:
            try:
                credit_code.validate(
                    self.credit_code,
                    legal_form_code=LEGAL_FORM_CODE_CHARACTER.get(self.legal_form),
                )
            except ValidationError as e:
                errors["credit_code"] = e
        elif self.is_registered_form:
            errors["credit_code"] = ValidationError(
                _("登记的社会组织（社会团体、社会服务机构、基金会）必须填写统一社会信用代码。"),
                code="required",
            )
        if self.legal_form == LegalForm.COMMUNITY_ORGANIZATION and not self.filing_number:
            errors["filing_number"] = ValidationError(
                _("备案的社区社会组织必须填写备案编号。"), code="required"
            )
        if self.town_id and not self.town.is_town_level:
            errors["town"] = ValidationError(_("所属镇街必须是镇或街道。"), code="invalid")
        if self.village_id and self.town_id and self.village.parent_id != self.town_id:
            errors["village"] = ValidationError(
                _("村（社区）“%(village)s”不属于%(town)s。"), code="invalid",
                params={"village": self.village.name, "town": self.town.name},
            )
        if errors:
            raise ValidationError(errors) from None


class FormerName(models.Model):
    organization = ParentalKey(Organization, related_name="former_names", on_delete=models.CASCADE)
    name = models.CharField(_("曾用名"), max_length=200, db_index=True)
    used_until = models.DateField(_("使用至"), null=True, blank=True)

    class Meta:
        verbose_name = _("曾用名")
        verbose_name_plural = _("曾用名")
        ordering = ["used_until", "pk"]

    def __str__(self):
        return self.name
