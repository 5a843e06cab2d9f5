from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from .page_cache.memo import memo
from .section_page import SectionPage

NEWS_ON_HOME = 5


class HomePage(Page):
    intro = RichTextField("导语", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count = 1

    class Meta:
        verbose_name = "首页"

    def route(self, request, path_components):
        """As Wagtail routes, but the child page a path's first segment names (a section, an
        article) is looked up once per process while the site is unchanged (publishing, moving
        or deleting a page bumps it: website.page_cache)."""
        if not path_components:
            return super().route(request, path_components)
        slug, remaining = path_components[0], path_components[1:]

        def child():
            found = self.get_children().filter(slug=slug).first()
            return found.specific if found is not None else None

        subpage = memo("home_child", child, key=(self.pk, slug))
        if subpage is None:
            raise Http404
        subpage._cached_parent_obj = self
        return subpage.route(request, remaining)

    def get_context(self, request, *args, **kwargs):
        from .public_figures import headline_cards

        context = super().get_context(request, *args, **kwargs)
        context["as_of"] = timezone.localdate()
        context["headline_cards"] = headline_cards(request=request, as_of=context["as_of"])
        context["articles"] = (
            ArticlePage.objects.live().public().child_of(self).order_by("-date", "-pk")[:NEWS_ON_HOME]
        )
        return context


class ArticlePage(Page):
    """Notices and news that editors publish under the home page."""

    page_cache_tags = ()  # the page alone (and the site around it)

    date = models.DateField("日期")
    body = RichTextField("正文")

    content_panels = Page.content_panels + [FieldPanel("date"), FieldPanel("body")]
    parent_page_types = ["website.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = "通知与新闻"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["breadcrumbs"] = [(_("首页"), "/"), (self.title, self.get_url(request))]
        return context


class StatisticsPage(SectionPage):
    """Every headline figure as of a date the reader picks, with breakdowns, trends and the
    published annual summaries."""

    class Meta:
        verbose_name = "统计数据"

    def get_context(self, request, *args, **kwargs):
        from registry.models import DirectoryPage, ServicesPage

        from .as_of import parse_as_of
        from .navigation import public_page_url
        from .statistics import statistics_context

        context = super().get_context(request, *args, **kwargs)
        as_of, message = parse_as_of(request.GET.get("as_of"), today=timezone.localdate())
        directory_url = public_page_url(request, DirectoryPage) or ""
        context.update(statistics_context(as_of=as_of, directory_url=directory_url))
        context["as_of_message"] = message
        context["services_url"] = public_page_url(request, ServicesPage) or "/services/"
        context["breadcrumbs"] = [(_("首页"), "/"), (_(self.title), self.get_url(request))]
        return context


class OpenDataPage(SectionPage):
    """Downloads of the register and the API's documentation."""

    class Meta:
        verbose_name = "开放数据"


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
        return _("%(user)s：%(scope)s") % {
            "user": self.user, "scope": self.town or self.incubation_center or self.foundation}

    def clean(self):
        chosen = [x for x in (self.town_id, self.incubation_center_id, self.foundation_id) if x]
        if len(chosen) != 1:
            raise ValidationError("管辖范围须且只能选择镇街、培育中心、基金会中的一项。")


@register_setting(icon="site")
class PublicSiteSettings(BaseSiteSetting):
    shows_demo_data = models.BooleanField(
        "本站展示的是演示数据", default=False,
        help_text="勾选后，每个公开页面顶部都会明确提示：所示组织、人名和数字均为虚构的演示数据。",
    )

    class Meta:
        verbose_name = "公开站点设置"


class ImportRun(models.Model):
    """One bulk import: who, when, which file, and what it did (or would do, for a preview)."""

    class Source(models.TextChoices):
        ADMIN = "admin", "管理后台上传"
        COMMAND = "command", "命令行"

    class State(models.TextChoices):
        PREVIEW_QUEUED = "preview_queued", "等待预览"
        PREVIEWING = "previewing", "正在预览"
        IMPORT_QUEUED = "import_queued", "等待导入"
        IMPORTING = "importing", "正在导入"
        FINISHED = "finished", "已完成"

    kind = models.CharField("导入类别", max_length=40)
    file_name = models.CharField("文件名", max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="import_runs",
    )
    source = models.CharField("方式", max_length=10, choices=Source.choices, default=Source.ADMIN)
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    committed = models.BooleanField("已写入", default=False)
    total_rows = models.PositiveIntegerField("总行数", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("变更", default=0)
    unchanged = models.PositiveIntegerField("未变", default=0)
    error_count = models.PositiveIntegerField("错误行数", default=0)
    errors = models.JSONField("错误明细（前若干条）", default=list, blank=True)
    # What the preview found it would add and change (old → new), so staff see it before confirming.
    changes = models.JSONField("新增和变更明细（前若干条）", default=list, blank=True)
    # The admin's preview and import run in the task worker; the page shows this until done.
    state = models.CharField("进度状态", max_length=16, choices=State.choices,
                             default=State.FINISHED)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    # The upload waiting between preview and confirm: the name the storage gave it and its
    # SHA-256, so that the confirm imports exactly the file previewed.
    stored_file = models.CharField("上传文件（存储位置）", max_length=255, blank=True)
    sha256 = models.CharField("上传文件SHA-256校验值", max_length=64, blank=True)

    class Meta:
        verbose_name = "批量导入记录"
        verbose_name_plural = "批量导入记录"
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.file_name}({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def in_progress(self):
        return self.state != self.State.FINISHED


from .summaries.models import AnnualSummary  # noqa: E402,F401  (the summaries' model lives with them)
