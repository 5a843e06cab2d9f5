"""The demo's taxonomy in English: every town, subdistrict, village and community in pinyin, every
service field and department in English, as load_demo stores them (website.demo.taxonomy, which
load_demo and generate_scale_data share)."""

import random
import re

import pytest

from registry.models import Area, Department, ServiceField
from website.demo.english import pinyin, place_name_en, town_place_names
from website.demo.scale import ensure_towns
from website.demo.taxonomy import (
    COUNTY_CODE, DEPARTMENTS, SERVICE_FIELDS, TOWNS, ensure_taxonomy, fill_english_names,
)

pytestmark = pytest.mark.django_db

# A place name in pinyin: capitalised syllables written together (an apostrophe before a, o, e;
# tone marks only where two places of a town would read alike), then the kind of place.
PLACE = re.compile(r"^[A-Z\u00c0-\u01dc][a-z'\u00e0-\u01dc]+ (County|Town|Subdistrict|Village|Community)$")
KIND = {Area.Level.COUNTY: "County", Area.Level.TOWN: "Town",
        Area.Level.SUBDISTRICT: "Subdistrict", Area.Level.VILLAGE: "Village",
        Area.Level.COMMUNITY: "Community"}


def test_every_demo_place_has_its_pinyin_name():
    ensure_taxonomy()
    areas = list(Area.objects.filter(code__startswith=COUNTY_CODE))
    assert len(areas) == 1 + len(TOWNS) + sum(c + v for _n, _l, c, v, _w in TOWNS)
    for area in areas:
        assert PLACE.match(area.name_en), (area.name, area.name_en)
        assert area.name_en.endswith(KIND[area.level]), (area.name, area.name_en)
    names = {area.name: area.name_en for area in areas}
    assert names["嘉善县"] == "Jiashan County"
    assert names["西塘镇"] == "Xitang Town"
    assert names["罗星街道"] == "Luoxing Subdistrict"
    assert names["干窑镇"] == "Ganyao Town"
    by_town = {}
    for area in areas:
        by_town.setdefault(area.parent_id, []).append(area.name_en)
    # A town's village list never offers one name twice: homophones keep their tones.
    assert all(len(set(names)) == len(names) for names in by_town.values())
    tones = [area.name_en for area in areas if not area.name_en.isascii()]
    assert 0 < len(tones) < 5, tones


def test_every_demo_service_field_and_department_has_an_english_name():
    ensure_taxonomy()
    fields = {f.code: f.name_en for f in ServiceField.objects.all()}
    assert set(fields) == {slug for slug, *_rest in SERVICE_FIELDS}
    assert all(name and name.isascii() for name in fields.values()), fields
    assert fields["elderly-care"] == "Elderly care"
    departments = {d.name: d.name_en for d in Department.objects.all()}
    assert set(departments) == {name for _key, name, _short in DEPARTMENTS}
    assert all(name and name.isascii() for name in departments.values()), departments
    assert departments["嘉善县民政局"] == "Jiashan County Civil Affairs Bureau"


def test_rows_stored_without_an_english_name_are_given_one_and_written_ones_kept():
    ensure_taxonomy()
    Area.objects.filter(name="西塘镇").update(name_en="")
    Area.objects.filter(name="罗星街道").update(name_en="Luoxing")
    ServiceField.objects.filter(code="charity").update(name_en="")

    assert fill_english_names() == 2
    assert Area.objects.get(name="西塘镇").name_en == "Xitang Town"
    assert Area.objects.get(name="罗星街道").name_en == "Luoxing"
    assert ServiceField.objects.get(code="charity").name_en == "Charity"
    assert fill_english_names() == 0


def test_generated_towns_and_villages_get_pinyin_names_too():
    ensure_taxonomy()
    ensure_towns(random.Random(7), count=len(TOWNS) + 3)
    generated = Area.objects.filter(code__startswith=COUNTY_CODE, code__gte=f"{COUNTY_CODE}200")
    assert generated.count() == 3 + 3 * 12
    assert all(PLACE.match(area.name_en) for area in generated)


@pytest.mark.parametrize("chinese, english", [
    ("新丰", "Xinfeng"), ("善安", "Shan'an"), ("长兴", "Changxing"), ("和圩", "Hewei"),
])
def test_pinyin_as_place_names_write_it(chinese, english):
    assert pinyin(chinese) == english


def test_two_villages_of_a_town_that_read_alike_keep_their_tones():
    names = town_place_names([(1, "凤浜村", Area.Level.VILLAGE), (2, "丰浜村", Area.Level.VILLAGE),
                              (3, "新丰村", Area.Level.VILLAGE)])
    assert names == {1: "Fèngbāng Village", 2: "Fēngbāng Village", 3: "Xinfeng Village"}


def test_a_place_is_named_with_its_kind():
    assert place_name_en("桃浜村", Area.Level.VILLAGE) == "Taobang Village"
    assert place_name_en("秀城社区", Area.Level.COMMUNITY) == "Xiucheng Community"
    assert place_name_en("魏塘街道", Area.Level.SUBDISTRICT) == "Weitang Subdistrict"
