import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy as _


def _upload_to(summary, filename):
    scope = summary.town.code if summary.town_id else "county"
    return f"summaries/{summary.year}/{scope}/{summary.language}-v{summary.version}-{filename}"


class AnnualSummary(models.Model):
    """One version of a PDF annual summary (county, or one town) for a year, in one language.

    Staff generate a draft, review it and publish it. A published file is frozen: it is never
    rendered again or overwritten, and the public download is checked against its checksum.
    Generating again makes a new version; every version is kept. A published version can be
    withdrawn, with a reason: it stays listed, and downloadable, as withdrawn.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DRAFT = "draft", _("草稿（待审核）")
        PUBLISHED = "published", _("已发布")
        FAILED = "failed", _("生成失败")
        WITHDRAWN = "withdrawn", _("已撤回")

    # Once published, only this may change, once: published → withdrawn with the reason.
    WITHDRAWAL_FIELDS = ("state", "withdrawn_at", "withdrawn_by_id", "withdrawal_reason")

    year = models.PositiveSmallIntegerField(_("年度"))
    town = models.ForeignKey(
        "registry.Area", verbose_name=_("镇街（留空为全县）"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="annual_summaries",
        limit_choices_to={"level__in": ("town", "subdistrict")},
    )
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    # A message id (translated when shown) or, for a failure, the error as it was raised.
    message = models.TextField(_("说明"), blank=True)
    file = models.FileField(_("PDF文件"), upload_to=_upload_to, blank=True)
    file_size = models.PositiveIntegerField(_("文件大小（字节）"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256校验值"), max_length=64, blank=True)
    page_count = models.PositiveSmallIntegerField(_("页数"), null=True, blank=True)
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # Languages are generated separately; each language has its own versions.
    language = models.CharField(_("语言"), max_length=10, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    # A published version taken back stays listed publicly as withdrawn, with its file and why.
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("撤回人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    withdrawal_reason = models.TextField(_("撤回原因"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        ordering = ["-year", "town__code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "language", "version"], condition=models.Q(town__isnull=True),
                name="county_summary_unique_version",
            ),
            models.UniqueConstraint(
                fields=["year", "town", "language", "version"], condition=models.Q(town__isnull=False),
                name="town_summary_unique_version",
            ),
        ]
        indexes = [models.Index(fields=["state", "year"])]

    def __str__(self):
        return gettext("%(title)s（第%(version)s版）") % {"title": self.title, "version": self.version}

    @property
    def title(self):
        """The title in the summary's own language, wherever it is listed."""
        with translation.override(self.language):
            place = self.town.display_name if self.town_id else gettext("全县")
            return gettext("%(year)s年度%(place)s社会组织与社区基金年度报告") % {
                "year": self.year, "place": place}

    @property
    def download_name(self):
        with translation.override(self.language):
            scope = self.town.display_name if self.town_id else gettext("全县")
            return gettext("%(year)s年度%(scope)s社会组织年度报告-第%(version)s版.pdf") % {
                "year": self.year, "scope": scope, "version": self.version}

    def file_checksum(self):
        digest = hashlib.sha256()
        with self.file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 16), b""):
                digest.update(chunk)
        return digest.hexdigest()

    def _frozen_changes(self, stored):
        """The fields that differ from the stored row, beyond what a withdrawal may change."""
        changed = []
        for field in self._meta.concrete_fields:
            name = field.attname
            if name in self.WITHDRAWAL_FIELDS:
                continue
            mine = getattr(self, name)
            mine = mine.name if name == "file" else mine
            if mine != stored[name]:
                changed.append(name)
        return changed

    def save(self, *args, **kwargs):
        if self.pk:
            names = [f.attname for f in self._meta.concrete_fields]
            stored = AnnualSummary.objects.filter(pk=self.pk).values(*names).first()
            if stored and stored["state"] in (self.State.PUBLISHED, self.State.WITHDRAWN):
                self._check_frozen(stored)
        super().save(*args, **kwargs)

    def _check_frozen(self, stored):
        refused = ValidationError(gettext("已发布的年度报告不可修改；如需更新，请生成新版本。"))
        if self._frozen_changes(stored):
            raise refused
        if stored["state"] == self.State.WITHDRAWN:
            # Withdrawn is final: its date, who and why are the public record of it.
            if any(getattr(self, name) != stored[name] for name in self.WITHDRAWAL_FIELDS):
                raise ValidationError(gettext("已撤回的年度报告不可修改。"))
            return
        if self.state == self.State.PUBLISHED:
            if any(getattr(self, name) != stored[name] for name in self.WITHDRAWAL_FIELDS):
                raise refused
            return
        if self.state != self.State.WITHDRAWN:
            raise refused
        if not (self.withdrawal_reason or "").strip() or self.withdrawn_at is None:
            raise ValidationError(gettext("撤回已发布的年度报告须注明撤回时间和原因。"))
