"""The shared taxonomies for bulk import, with their English names (towns, subdistricts, villages
and communities in pinyin): areas matched by division code, service fields by code, departments
by name. Registered from registry/import_kinds.py.

An import adds taxonomy entries and updates their names; it never moves an area under another
parent or to another kind of level (a town's organizations would find themselves in a village):
that is done in the admin, one record at a time.
"""

import re

from registry.models import Area, Department, ServiceField
from website.importer import normalize
from website.importer.instances import set_related
from website.importer.kinds import NEW, Column, register
from website.importer.lookups import NameIndex, fetch_in
from website.importer.normalize import CellError, Choices
from website.importer.records import RecordKind

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
_SHOWN_IN_CHINESE = "留空则英文页面显示中文名称"


def english_name(value):
    """An English name: one line, half-width letters; a Chinese character is a slip."""
    name = normalize.text(value)
    if _HAN.search(name):
        raise CellError(f"英文名称“{name}”含有汉字，请填写英文或汉语拼音。")
    return name


class _TaxonomyKind(RecordKind):
    organization_field = ""
    # Fields an empty cell leaves as they are on a saved record (a new one must have them).
    kept_when_empty = ()

    def organization_ref(self, row, outcome, ctx):
        return None

    def parse_cells(self, row, outcome, cells):
        """cells: [(header, field name, parser)]; present columns only."""
        for header, name, parser in cells:
            if row.has(header):
                value = self.parse(row, outcome, header, parser)
                if value in (None, "") and name in self.kept_when_empty:
                    continue
                outcome.values[name] = value

    def build(self, outcome, saved, ctx):
        if outcome.ok:  # `existing` may have found a row's reference missing
            super().build(outcome, saved, ctx)

    def describe(self, outcome):
        record = outcome.record
        return record.name, getattr(record, "code", "")

    def check_unique_name(self, instance, outcome, ctx, *, header, what):
        """A name (unique in the table) that no other record has, saved or earlier in the file."""
        owner = ctx.state["by_name"].get(instance.name)
        if owner is not None and owner.pk != instance.pk:
            outcome.error(header, f"“{instance.name}”已是{what}“{owner.code}”的名称。")
            return
        earlier = ctx.state["names"].setdefault(instance.name, outcome.row)
        if earlier != outcome.row:
            outcome.error(header, f"与第{earlier}行的{header}重复。")


# == Areas ==

LEVEL_CHOICES = Choices(Area.Level.choices, what="层级", aliases={
    "县": Area.Level.COUNTY, "区": Area.Level.COUNTY, "县级市": Area.Level.COUNTY,
    "村委会": Area.Level.VILLAGE, "村民委员会": Area.Level.VILLAGE,
    "居委会": Area.Level.COMMUNITY, "居民委员会": Area.Level.COMMUNITY,
    "社区居委会": Area.Level.COMMUNITY,
})
# Kinds of level: an import may turn a town into a subdistrict, not into a village.
_TIER = {Area.Level.COUNTY: 0, Area.Level.TOWN: 1, Area.Level.SUBDISTRICT: 1,
         Area.Level.VILLAGE: 2, Area.Level.COMMUNITY: 2}


def division_code(value):
    """A division code: 6 digits (county), 9 (town or subdistrict) or 12 (village or community)."""
    code = normalize.code(value)
    if not code:
        return None
    if not (code.isascii() and code.isdigit() and len(code) in (6, 9, 12)):
        raise CellError(f"区划代码“{code}”应为6位（县）、9位（镇街）或12位（村社区）数字。")
    return code


def nesting_code(code):
    """The code a division code nests in: a town's county (6 digits), a village's town (9)."""
    return {9: code[:6], 12: code[:9]}.get(len(code or ""))


@register
class AreaKind(_TaxonomyKind):
    name = "areas"
    label = "行政区划"
    model = Area
    columns = [
        Column("区划代码", "code", "6位（县）、9位（镇街）或12位（村社区）数字", required=True),
        Column("名称", "name", "如 西塘镇、西塘社区；新增的必填，留空不改已有的名称"),
        Column("英文名称", "name_en", "镇（街道）、村（社区）用汉语拼音，如 Xitang Town、"
                                   f"Xitang Community；{_SHOWN_IN_CHINESE}"),
        Column("层级", "level", normalize.listed_labels(Area.Level) + "；新增的必填"),
        Column("上级区划代码", "parent",
               "可留空：新增的镇街按区划代码前6位、村社区按前9位确定；已有区划的上级区划不能通过导入修改"),
    ]
    key_fields = ("code",)
    kept_when_empty = ("name", "level", "parent")
    description = (
        "县、镇（街道）、村（社区）及其英文名称，按区划代码匹配：已有的更新名称、英文名称和层级，"
        "没有的新增（其上级区划须已存在，或在文件中前面的行）。"
    )

    def prepare(self, ctx):
        ctx.state["new_areas"] = {}  # code: the new area of an earlier row (unsaved in a preview)

    def parse_row(self, row, outcome, ctx):
        self.parse_cells(row, outcome, [
            ("区划代码", "code", division_code),
            ("名称", "name", normalize.text),
            ("英文名称", "name_en", english_name),
            ("层级", "level", LEVEL_CHOICES),
            ("上级区划代码", "parent", division_code),  # a code, until `existing` finds its area
        ])

    def existing(self, outcomes, ctx):
        """The saved areas the rows name, and each row's parent: saved or an earlier row's."""
        codes = {o.values["code"] for o in outcomes if o.values.get("code")}
        wanted = codes | {o.values["parent"] for o in outcomes if o.values.get("parent")}
        wanted |= {nesting_code(code) for code in codes} - {None}
        by_code = {area.code: area for area in fetch_in(Area.objects.all(), "code", wanted)}
        ctx.state["saved_areas"] = by_code
        return [by_code[code] for code in codes if code in by_code]

    def build(self, outcome, saved, ctx):
        # Row by row, so that a row's parent may be the new area of the row above.
        self._find_parent(outcome, ctx.state["saved_areas"], ctx.state["new_areas"])
        super().build(outcome, saved, ctx)

    def _find_parent(self, outcome, by_code, new_areas):
        v = outcome.values
        given = v.pop("parent", None)
        # A saved area keeps its parent unless one is given; a new one nests by its code.
        parent_code = given or (nesting_code(v.get("code")) if v.get("code") not in by_code
                                else None)
        if parent_code is None:
            return
        parent = by_code.get(parent_code) or new_areas.get(parent_code)
        if parent is None:
            source = "" if given else "（按区划代码）"
            outcome.error("上级区划代码", f"找不到上级区划“{parent_code}”{source}。"
                                    "请先导入上级区划，或把它放在文件中前面的行。")
        else:
            v["parent"] = parent

    def check_record(self, instance, outcome, match, ctx):
        if match is not None:
            old = outcome.extra["old_values"]
            if instance.parent_id != old["parent_id"]:
                outcome.error("上级区划代码", "已有区划的上级区划不能通过导入修改，请在管理后台修改。")
            elif _TIER[instance.level] != _TIER[old["level"]]:
                outcome.error("层级", f"已有区划的层级不能从“{Area.Level(old['level']).label}”"
                                    f"改为“{instance.get_level_display()}”，请在管理后台修改。")
            return  # its parent is as it was
        parent = outcome.values.get("parent")
        tier = _TIER.get(instance.level)
        if tier is None or tier == 0:
            pass  # a county: its parent, if any, lies outside the tree
        elif parent is None:
            outcome.error("上级区划代码", f"{instance.get_level_display()}须有上级区划。")
        elif _TIER[parent.level] != tier - 1:
            expected = "县（市、区）" if tier == 1 else "镇或街道"
            outcome.error("上级区划代码", f"上级区划“{parent.name}”是{parent.get_level_display()}，"
                                    f"{instance.get_level_display()}的上级区划应为{expected}。")
        if outcome.ok:
            ctx.state["new_areas"][instance.code] = instance

    def write(self, outcomes, ctx, store):
        # Tier by tier: a village's town may be new in the same chunk, and gets its key here.
        created = [o.record for o in outcomes if o.status == NEW]
        for tier in (0, 1, 2):
            areas = [area for area in created if _TIER[area.level] == tier]
            for area in areas:
                set_related(area, "parent", area.parent)  # the parent's key, now that it has one
            store.insert_instances(Area, areas, now=ctx.now)
        _none, changed = super().write([o for o in outcomes if o.status != NEW], ctx, store)
        return created, changed


# == Service fields ==

@register
class ServiceFieldKind(_TaxonomyKind):
    name = "service_fields"
    label = "服务领域"
    model = ServiceField
    columns = [
        Column("代码", "code", "英文小写字母、数字和连字符，如 elderly-care", required=True),
        Column("名称", "name", "如 养老服务；新增的必填，留空不改已有的名称；不能与另一个服务领域同名"),
        Column("英文名称", "name_en", f"如 Elderly care；{_SHOWN_IN_CHINESE}"),
        Column("类别", "category", "如 民生保障"),
        Column("排序", "sort_order", "整数，小的排在前面；留空为0"),
    ]
    key_fields = ("code",)
    kept_when_empty = ("name",)
    description = "服务领域及其英文名称，按代码匹配：已有的更新名称、英文名称、类别和排序，没有的新增。"

    def prepare(self, ctx):
        ctx.state["names"] = {}

    def parse_row(self, row, outcome, ctx):
        self.parse_cells(row, outcome, [
            ("代码", "code", lambda value: normalize.key(value).lower() or None),
            ("名称", "name", normalize.text),
            ("英文名称", "name_en", english_name),
            ("类别", "category", normalize.text),
            ("排序", "sort_order", lambda value: normalize.integer(value, what="排序")),
        ])

    def existing(self, outcomes, ctx):
        codes = {o.values["code"] for o in outcomes if o.values.get("code")}
        names = {o.values["name"] for o in outcomes if o.values.get("name")}
        saved = fetch_in(ServiceField.objects.all(), "name", names)
        ctx.state["by_name"] = {service_field.name: service_field for service_field in saved}
        return fetch_in(ServiceField.objects.all(), "code", codes)

    def check_record(self, instance, outcome, match, ctx):
        self.check_unique_name(instance, outcome, ctx, header="名称", what="服务领域")


# == Departments ==

@register
class DepartmentKind(_TaxonomyKind):
    name = "departments"
    label = "政府部门"
    model = Department
    columns = [
        Column("名称", "name", "政府部门的全称，如 嘉善县民政局", required=True),
        Column("简称", "short_name", "如 县民政局"),
        Column("英文名称", "name_en", f"如 Jiashan County Civil Affairs Bureau；{_SHOWN_IN_CHINESE}"),
        Column("所属区划", "area", "县或镇街的名称或区划代码"),
    ]
    key_fields = ("name",)
    description = "业务主管单位和转移职能的政府部门及其英文名称，按名称匹配：已有的更新简称、英文名称和所属区划，没有的新增。"

    def prepare(self, ctx):
        areas = NameIndex("县或镇街")
        for area in Area.objects.filter(level__in=(Area.Level.COUNTY, *Area.TOWN_LEVELS)):
            areas.add(area, area.name, area.short_name, area.code)
        ctx.state["areas"] = areas

    def parse_row(self, row, outcome, ctx):
        self.parse_cells(row, outcome, [
            ("名称", "name", normalize.text),
            ("简称", "short_name", normalize.text),
            ("英文名称", "name_en", english_name),
            ("所属区划", "area", ctx.state["areas"].find),
        ])

    def existing(self, outcomes, ctx):
        names = {o.values["name"] for o in outcomes if o.values.get("name")}
        return fetch_in(Department.objects.all(), "name", names)
