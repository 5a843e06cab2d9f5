"""The shared taxonomies through the bulk import: areas by division code, service fields by code,
departments by name, each with its English name (towns and villages in pinyin), as staff set up
a county or give its taxonomies their English names for the English pages."""

import pytest
from django.utils import translation

from registry.factories import DepartmentFactory, ServiceFieldFactory
from registry.models import Area, Department, ServiceField
from website.importer import access
from website.importer.kinds import get_kind
from website.models import ImportRun

from tests.import_support import csv_bytes, import_file, make_county, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def county():
    return make_county()


def run(kind, rows, **kwargs):
    headers = list(dict.fromkeys(h for row in rows for h in row))
    content = xlsx_bytes([headers] + [[row.get(h, "") for h in headers] for row in rows])
    return import_file(content, kind=kind, **kwargs)


def errors(result):
    return [(e["row"], e["column"], e["message"]) for e in result.errors]


def test_english_names_of_towns_and_villages_by_division_code(county):
    rows = [{"区划代码": county.xitang.code, "英文名称": "Xitang Town"},
            {"区划代码": county.village.code, "英文名称": "Xitang Community"},
            {"区划代码": county.weitang.code, "英文名称": "Weitang Subdistrict"}]
    result = run("areas", rows)
    assert (result.committed, result.created, result.updated) == (True, 0, 3), result.errors
    xitang = Area.objects.get(code=county.xitang.code)
    assert (xitang.name, xitang.name_en, xitang.level, xitang.parent) == (
        "西塘镇", "Xitang Town", Area.Level.TOWN, county.county)
    assert Area.objects.get(code=county.village.code).name_en == "Xitang Community"
    with translation.override("en"):
        assert xitang.display_name == "Xitang Town"
    with translation.override("zh-hans"):
        assert xitang.display_name == "西塘镇"
    again = run("areas", rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_the_preview_lists_the_english_names_it_would_set(county):
    result = run("areas", [{"区划代码": county.xitang.code, "英文名称": "Xitang Town"}], commit=False)
    assert not result.committed and Area.objects.get(code=county.xitang.code).name_en == ""
    assert ImportRun.objects.get(pk=result.run.pk).changes == [{
        "row": 2, "action": "changed", "record": "西塘镇", "identifier": county.xitang.code,
        "fields": [{"field": "英文名称", "old": "", "new": "Xitang Town"}],
    }]


def test_a_new_town_and_its_villages_in_one_file(county):
    rows = [
        {"区划代码": "330421105", "名称": "陶庄镇", "英文名称": "Taozhuang Town", "层级": "镇"},
        # The parent follows from the code (its first nine digits): the town two rows up.
        {"区划代码": "330421105201", "名称": "汾湖村", "英文名称": "Fenhu Village", "层级": "村"},
        {"区划代码": "330421105001", "名称": "陶庄社区", "层级": "社区", "上级区划代码": "330421105"},
    ]
    result = run("areas", rows)
    assert (result.committed, result.created) == (True, 3), result.errors
    town = Area.objects.get(code="330421105")
    assert (town.parent, town.level, town.name_en) == (
        county.county, Area.Level.TOWN, "Taozhuang Town")
    assert sorted(town.children.values_list("name", "level")) == [
        ("汾湖村", Area.Level.VILLAGE), ("陶庄社区", Area.Level.COMMUNITY)]
    # The new town is one the other imports now find, by name or by its short form.
    from website.importer.lookups import Taxonomies
    assert Taxonomies().towns.find("陶庄") == town


def test_bad_area_rows_are_reported_and_nothing_is_written(county):
    rows = [
        {"区划代码": "330421106", "名称": "新镇", "层级": "镇"},  # valid
        {"区划代码": "330421199201", "名称": "无主村", "层级": "村"},
        {"区划代码": "3304211", "名称": "七位"},
        {"区划代码": county.xitang.code, "英文名称": "西塘 Town"},
        {"区划代码": county.village.code, "层级": "镇"},
        {"区划代码": "330421107", "名称": "又一镇", "层级": "镇", "上级区划代码": county.xitang.code},
        {"区划代码": "330421108", "名称": "无层级镇"},
    ]
    before = sorted(Area.objects.values_list())
    result = run("areas", rows)
    assert not result.committed and sorted(Area.objects.values_list()) == before
    found = errors(result)
    assert [(row, column) for row, column, _message in found] == [
        (3, "上级区划代码"), (4, "区划代码"), (5, "英文名称"), (6, "层级"), (7, "上级区划代码"),
        (8, "层级")]
    messages = dict(((row, column), message) for row, column, message in found)
    assert messages[(3, "上级区划代码")].startswith("找不到上级区划“330421199”（按区划代码）。")
    assert "应为6位（县）、9位（镇街）或12位（村社区）数字" in messages[(4, "区划代码")]
    assert messages[(5, "英文名称")] == "英文名称“西塘 Town”含有汉字，请填写英文或汉语拼音。"
    assert "不能从“社区”改为“镇”" in messages[(6, "层级")]
    assert messages[(7, "上级区划代码")] == "上级区划“西塘镇”是镇，镇的上级区划应为县（市、区）。"


def test_an_area_keeps_its_parent_and_an_empty_cell_keeps_its_name(county):
    result = run("areas", [{"区划代码": county.village.code, "名称": "", "上级区划代码": county.weitang.code}])
    assert errors(result) == [(2, "上级区划代码", "已有区划的上级区划不能通过导入修改，请在管理后台修改。")]
    result = run("areas", [{"区划代码": county.village.code, "名称": "", "层级": "", "英文名称": "Xitang"}])
    assert result.committed and result.updated == 1
    village = Area.objects.get(code=county.village.code)
    assert (village.name, village.level, village.parent, village.name_en) == (
        "西塘社区", Area.Level.COMMUNITY, county.xitang, "Xitang")


def test_service_fields_by_code_with_english_names(county):
    rows = [{"代码": "Livelihood", "英文名称": "Livelihood services"},
            {"代码": "elderly-care", "名称": "养老服务", "英文名称": "Elderly care", "类别": "民生保障",
             "排序": "5"}]
    result = run("service_fields", rows)
    assert (result.committed, result.created, result.updated) == (True, 1, 1), result.errors
    livelihood = ServiceField.objects.get(code="livelihood")
    assert (livelihood.name, livelihood.name_en) == ("民生服务", "Livelihood services")
    elderly = ServiceField.objects.get(code="elderly-care")
    assert (elderly.name, elderly.name_en, elderly.category, elderly.sort_order) == (
        "养老服务", "Elderly care", "民生保障", 5)


def test_a_service_field_cannot_take_the_name_of_another(county):
    rows = [{"代码": "governance", "名称": "民生服务"}, {"代码": "new-one", "名称": "新领域"},
            {"代码": "new-two", "名称": "新领域"}]
    result = run("service_fields", rows)
    assert errors(result) == [(2, "名称", "“民生服务”已是服务领域“livelihood”的名称。"),
                              (4, "名称", "与第3行的名称重复。")]
    assert not ServiceField.objects.filter(code__startswith="new").exists()


def test_departments_by_name_with_english_names_and_their_area(county):
    rows = [{"名称": "嘉善县教育局", "简称": "教育局", "英文名称": "Jiashan County Education Bureau",
             "所属区划": "嘉善县"},
            {"名称": "西塘镇人民政府", "简称": "西塘镇政府", "英文名称": "Xitang Town Government",
             "所属区划": "西塘"}]
    result = run("departments", rows)
    assert (result.committed, result.created, result.updated) == (True, 1, 1), result.errors
    education = Department.objects.get(name="嘉善县教育局")
    assert (education.short_name, education.name_en, education.area) == (
        "教育局", "Jiashan County Education Bureau", county.county)
    assert Department.objects.get(name="西塘镇人民政府").area == county.xitang
    bad = run("departments", [{"名称": "嘉善县教育局", "所属区划": "凤凰镇"}])
    assert errors(bad) == [(2, "所属区划", "找不到县或镇街“凤凰镇”。")]


def test_a_gb18030_csv_of_english_names(county):
    field = ServiceFieldFactory(code="dispute", name="矛盾化解\uFF08调解\uFF09")
    department = DepartmentFactory(name="嘉善县司法局")
    content = csv_bytes([["代码", "名称", "英文名称"], [field.code, "", "Dispute resolution"]],
                        encoding="gb18030")
    assert import_file(content, kind="service_fields", name="服务领域.csv").updated == 1
    content = csv_bytes([["名称", "英文名称"], [department.name, "Jiashan County Justice Bureau"]],
                        encoding="gb18030")
    assert import_file(content, kind="departments", name="部门.csv").updated == 1
    field.refresh_from_db()
    department.refresh_from_db()
    assert (field.name, field.name_en) == ("矛盾化解\uFF08调解\uFF09", "Dispute resolution")
    assert department.name_en == "Jiashan County Justice Bureau"


def test_only_county_staff_import_taxonomies(county, django_user_model):
    from django.contrib.auth.models import Group

    from website import roles
    from website.models import StaffScope

    roles.ensure_role_groups()
    county_staff = django_user_model.objects.create_user("county", password="x", is_staff=True)
    county_staff.groups.add(Group.objects.get(name=roles.COUNTY_STAFF))
    town_staff = django_user_model.objects.create_user("town", password="x", is_staff=True)
    town_staff.groups.add(Group.objects.get(name=roles.TOWN_STAFF))
    StaffScope.objects.create(user=town_staff, town=county.xitang)
    taxonomies = {"areas", "service_fields", "departments"}
    county_staff = django_user_model.objects.get(pk=county_staff.pk)
    town_staff = django_user_model.objects.get(pk=town_staff.pk)
    assert taxonomies <= {kind.name for kind in access.importable_kinds(county_staff)}
    assert not taxonomies & {kind.name for kind in access.importable_kinds(town_staff)}
    assert not access.may_import(town_staff, get_kind("areas"))
