"""The shared taxonomies: the area tree, service fields and government departments.

They are data, not code: Jiashan is the demo, another county loads its own.
"""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class EnglishName(models.Model):
    """A taxonomy record's name in English (towns and villages in pinyin), shown on the English
    pages; the Chinese name stands in where none is kept."""

    name_en = models.CharField(_("英文名称"), max_length=120, blank=True,
                               help_text=_("英文页面显示的名称；镇（街道）、村（社区）用汉语拼音。"))

    class Meta:
        abstract = True

    @property
    def display_name(self):
        """The name in the language being shown."""
        if self.name_en and translation.get_language() == "en":
            return self.name_en
        return self.name


class Area(EnglishName):
    class Level(models.TextChoices):
        COUNTY = "county", _("县（市、区）")
        TOWN = "town", _("镇")
        SUBDISTRICT = "subdistrict", _("街道")
        VILLAGE = "village", _("村")
        COMMUNITY = "community", _("社区")

    TOWN_LEVELS = (Level.TOWN, Level.SUBDISTRICT)
    GRASSROOTS_LEVELS = (Level.VILLAGE, Level.COMMUNITY)

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self):
        return self.name

    @property
    def is_town_level(self):
        return self.level in self.TOWN_LEVELS

    @property
    def is_grassroots_level(self):
        return self.level in self.GRASSROOTS_LEVELS

    @property
    def short_name(self):
        """The name without its 镇 / 街道 suffix, as people often write it (西塘镇 → 西塘)."""
        for suffix in ("街道", "镇"):
            if self.name.endswith(suffix) and len(self.name) > len(suffix):
                return self.name[: -len(suffix)]
        return self.name

    # The English words of a town-level name's kind, taken off as the Chinese suffix is.
    ENGLISH_TOWN_SUFFIXES = (" Subdistrict", " Town", " Township")

    @property
    def display_short_name(self):
        """The short name in the language being shown (Xitang Town → Xitang)."""
        if self.name_en and translation.get_language() == "en":
            for suffix in self.ENGLISH_TOWN_SUFFIXES:
                if self.name_en.endswith(suffix) and len(self.name_en) > len(suffix):
                    return self.name_en[: -len(suffix)]
            return self.name_en
        return self.short_name


class ServiceField(EnglishName):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40, unique=True)
    category = models.CharField(_("类别"), max_length=40, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("服务领域")
        verbose_name_plural = _("服务领域")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class Department(EnglishName):
    name = models.CharField(_("名称"), max_length=80, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    area = models.ForeignKey(
        Area, verbose_name=_("所属区划"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="departments",
    )

    class Meta:
        verbose_name = _("政府部门")
        verbose_name_plural = _("政府部门")
        ordering = ["name"]

    def __str__(self):
        return self.name
