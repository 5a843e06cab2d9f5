import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


def _upload_to(summary, filename):
    scope = summary.town.code if summary.town_id else "county"
    return f"summaries/{summary.year}/{scope}/v{summary.version}-{filename}"


class AnnualSummary(models.Model):
    """One version of a PDF annual summary (county, or one town) for a year.

    Staff generate a draft, review it and publish it. A published file is frozen: it is never
    rendered again or overwritten, and the public download is checked against its checksum.
    Generating again makes a new version; every version is kept.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DRAFT = "draft", "草稿（待审核）"
        PUBLISHED = "published", "已发布"
        FAILED = "failed", "生成失败"
        WITHDRAWN = "withdrawn", "已撤回"

    year = models.PositiveSmallIntegerField("年度")
    town = models.ForeignKey(
        "registry.Area", verbose_name="镇街（留空为全县）", null=True, blank=True,
        on_delete=models.PROTECT, related_name="annual_summaries",
        limit_choices_to={"level__in": ("town", "subdistrict")},
    )
    version = models.PositiveSmallIntegerField("版本", default=1)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    message = models.TextField("说明", blank=True)
    file = models.FileField("PDF文件", upload_to=_upload_to, blank=True)
    file_size = models.PositiveIntegerField("文件大小（字节）", null=True, blank=True)
    sha256 = models.CharField("SHA-256校验值", max_length=64, blank=True)
    page_count = models.PositiveSmallIntegerField("页数", null=True, blank=True)
    generated_at = models.DateTimeField("生成时间", null=True, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="生成人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # Languages are generated separately; each language has its own versions.
    language = models.CharField("语言", max_length=10, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    # A published version taken back stays listed publicly as withdrawn, with its file and why.
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="撤回人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    withdrawal_reason = models.TextField("撤回原因", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
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
        return f"{self.title}（第{self.version}版）"

    @property
    def title(self):
        place = self.town.name if self.town_id else "全县"
        return f"{self.year}年度{place}社会组织与社区基金年度报告"

    @property
    def download_name(self):
        scope = self.town.name if self.town_id else "全县"
        return f"{self.year}年度{scope}社会组织年度报告-第{self.version}版.pdf"

    def file_checksum(self):
        digest = hashlib.sha256()
        with self.file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 16), b""):
                digest.update(chunk)
        return digest.hexdigest()

    def save(self, *args, **kwargs):
        if self.pk:
            stored = AnnualSummary.objects.filter(pk=self.pk).values("state", "file", "sha256").first()
            if stored and stored["state"] == self.State.PUBLISHED and (
                self.state != self.State.PUBLISHED or self.file.name != stored["file"]
                or self.sha256 != stored["sha256"]
            ):
                raise ValidationError("已发布的年度报告不可修改；如需更新，请生成新版本。")
        super().save(*args, **kwargs)
