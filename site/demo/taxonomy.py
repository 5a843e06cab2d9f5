"""The Jiashan taxonomies: the area tree, service fields and government departments.

Shared by `load_demo` and `generate_scale_data`; `ensure_taxonomy` creates what is missing and
leaves existing rows alone (but for an English name not yet given), so either command may run
first and both may run twice. English names come from `english`.
"""

import random
from dataclasses import dataclass, field

from registry.models import Area, Department, ServiceField

from .english import (
    DEPARTMENT_NAMES_EN, SERVICE_FIELD_NAMES_EN, place_name_en, town_place_names,
)

COUNTY_CODE = "330421"
COUNTY_NAME = "嘉善县"

# (name, level, communities, villages, weight of organizations): subdistricts first, then towns,
# in the order of their codes (330421001.. for subdistricts, 330421100.. for towns).
TOWNS = [
    ("罗星街道", Area.Level.SUBDISTRICT, 10, 3, 15),
    ("魏塘街道", Area.Level.SUBDISTRICT, 11, 4, 16),
    ("惠民街道", Area.Level.SUBDISTRICT, 7, 6, 11),
    ("大云镇", Area.Level.TOWN, 2, 7, 7),
    ("西塘镇", Area.Level.TOWN, 5, 12, 12),
    ("干窑镇", Area.Level.TOWN, 2, 9, 8),
    ("陶庄镇", Area.Level.TOWN, 3, 8, 8),
    ("姚庄镇", Area.Level.TOWN, 4, 10, 12),
    ("天凝镇", Area.Level.TOWN, 2, 11, 11),
]
# Most county organizations (嘉善县…) have their seat in the urban subdistricts.
COUNTY_SEAT_TOWNS = ("罗星街道", "魏塘街道", "惠民街道")

# Village and community names are invented from these characters (seeded, so always the same).
_PLACE_FIRST = "新丰永安长兴东西南北荷桃柳桑梅竹松凤金银玉翠星湖塘港泾桥溪湾清平宏明华景秀锦瑞祥云和乐福泰善嘉"
_VILLAGE_SECOND = "丰庄桥浜港泾塘湾圩埭荡田园墩浦"
_COMMUNITY_SECOND = "苑园湾坊庭景城里湖苑府汇"
_TAXONOMY_SEED = 330421

# (slug, name, category, department key, project phrase). The last two are the fields that
# services first took up in 2023 (the demo's figures are 32 fields covered by 2022, 34 by 2023).
SERVICE_FIELDS = [
    ("livelihood", "民生服务", "民生保障", "civil_affairs", "民生实事代办"),
    ("dispute-resolution", "矛盾化解", "基层治理", "justice", "矛盾纠纷多元化解"),
    ("community-governance", "社区治理", "基层治理", "civil_affairs", "社区治理能力提升"),
    ("elderly-care", "养老服务", "民生保障", "civil_affairs", "居家养老上门服务"),
    ("disability-support", "助残服务", "民生保障", "disabled", "残疾人康复托养"),
    ("child-welfare", "儿童关爱", "民生保障", "civil_affairs", "困境儿童关爱"),
    ("youth-services", "青少年服务", "公共服务", "youth_league", "青少年成长护航"),
    ("women-development", "妇女发展", "公共服务", "women", "巾帼创业就业"),
    ("family-education", "家庭教育", "公共服务", "women", "家庭教育指导"),
    ("social-assistance", "社会救助", "民生保障", "civil_affairs", "困难群众救助帮扶"),
    ("charity", "慈善公益", "民生保障", "civil_affairs", "慈善项目运营"),
    ("volunteering", "志愿服务", "基层治理", "civil_affairs", "志愿服务站点运营"),
    ("community-corrections", "社区矫正", "平安法治", "justice", "社区矫正社会工作"),
    ("drug-prevention", "禁毒宣传", "平安法治", "public_security", "禁毒社会工作"),
    ("mental-health", "心理健康", "公共服务", "health", "心理健康服务"),
    ("health-care", "医疗卫生", "公共服务", "health", "健康促进"),
    ("culture-sports", "文化体育", "公共服务", "culture", "文体活动配送"),
    ("education-training", "教育培训", "公共服务", "education", "社区教育"),
    ("employment", "就业创业", "经济发展", "human_resources", "就业创业指导"),
    ("legal-services", "法律服务", "平安法治", "justice", "公共法律服务"),
    ("public-safety", "平安建设", "平安法治", "public_security", "平安巡防"),
    ("emergency-rescue", "应急救援", "平安法治", "emergency", "应急救援演练"),
    ("environmental-protection", "环境保护", "生态环境", "ecology", "河道保洁监督"),
    ("waste-sorting", "垃圾分类", "生态环境", "housing", "垃圾分类督导"),
    ("rural-revitalization", "乡村振兴", "经济发展", "agriculture", "乡村振兴助力"),
    ("agricultural-extension", "农业技术", "经济发展", "agriculture", "农技推广"),
    ("science-popularization", "科学普及", "公共服务", "science", "科普进社区"),
    ("industry-services", "行业服务", "经济发展", "commerce", "行业标准与培训"),
    ("new-resident-services", "新居民服务", "基层治理", "public_security", "新居民融入"),
    ("veterans-services", "退役军人服务", "民生保障", "veterans", "退役军人关爱"),
    ("social-work", "社会工作", "民生保障", "civil_affairs", "社会工作站运营"),
    ("tourism-services", "旅游服务", "经济发展", "culture", "文旅志愿讲解"),
    ("childcare", "托育服务", "民生保障", "health", "普惠托育"),
    ("digital-society", "数字社会", "基层治理", "big_data", "数字社区应用推广"),
]
LATE_SERVICE_FIELDS = ("childcare", "digital-society")

# (key, name, short name): the departments that supervise organizations and hand over services.
DEPARTMENTS = [
    ("civil_affairs", "嘉善县民政局", "县民政局"),
    ("education", "嘉善县教育局", "县教育局"),
    ("health", "嘉善县卫生健康局", "县卫健局"),
    ("human_resources", "嘉善县人力资源和社会保障局", "县人社局"),
    ("justice", "嘉善县司法局", "县司法局"),
    ("public_security", "嘉善县公安局", "县公安局"),
    ("culture", "嘉善县文化和广电旅游体育局", "县文广旅体局"),
    ("agriculture", "嘉善县农业农村局", "县农业农村局"),
    ("housing", "嘉善县住房和城乡建设局", "县住建局"),
    ("ecology", "嘉兴市生态环境局嘉善分局", "生态环境分局"),
    ("emergency", "嘉善县应急管理局", "县应急管理局"),
    ("science", "嘉善县科学技术局", "县科技局"),
    ("commerce", "嘉善县商务局", "县商务局"),
    ("veterans", "嘉善县退役军人事务局", "县退役军人事务局"),
    ("big_data", "嘉善县数据资源管理局", "县数据局"),
    ("women", "嘉善县妇女联合会", "县妇联"),
    ("youth_league", "共青团嘉善县委员会", "团县委"),
    ("disabled", "嘉善县残疾人联合会", "县残联"),
]


@dataclass
class Taxonomy:
    county: Area
    towns: list  # town-level Areas, in code order
    villages: dict = field(default_factory=dict)  # town pk -> [village or community Area]
    town_weights: dict = field(default_factory=dict)  # town pk -> weight
    fields: dict = field(default_factory=dict)  # slug -> ServiceField
    departments: dict = field(default_factory=dict)  # key -> Department

    def town_named(self, name):
        return next(t for t in self.towns if t.name == name)


def town_code(index):
    """330421001.. for the subdistricts, then 330421100.. for the towns, in TOWNS order."""
    subdistricts = sum(1 for t in TOWNS if t[1] == Area.Level.SUBDISTRICT)
    if index < subdistricts:
        return f"{COUNTY_CODE}{index + 1:03d}"
    return f"{COUNTY_CODE}{100 + index - subdistricts:03d}"


def village_plan():
    """[(town code, [(code, name, level)])]: the invented villages and communities, always the same.
    Communities get codes 001.., villages 200.. (as residents' and villagers' committees do)."""
    rng = random.Random(_TAXONOMY_SEED)
    used = set()
    plan = []
    for index, (_name, _level, communities, villages, _weight) in enumerate(TOWNS):
        code = town_code(index)
        places = []
        for n in range(communities):
            name = _place_name(rng, used, _COMMUNITY_SECOND, "社区")
            places.append((f"{code}{n + 1:03d}", name, Area.Level.COMMUNITY))
        for n in range(villages):
            name = _place_name(rng, used, _VILLAGE_SECOND, "村")
            places.append((f"{code}{200 + n:03d}", name, Area.Level.VILLAGE))
        plan.append((code, places))
    return plan


def _place_name(rng, used, seconds, suffix):
    while True:
        first, second = rng.choice(_PLACE_FIRST), rng.choice(seconds)
        if first != second and first + second not in used:
            used.add(first + second)
            return first + second + suffix


def ensure_taxonomy():
    """Create the county, its towns, villages, service fields and departments where missing."""
    county, _ = Area.objects.get_or_create(
        code=COUNTY_CODE, defaults={"name": COUNTY_NAME, "level": Area.Level.COUNTY,
                                    "name_en": place_name_en(COUNTY_NAME, Area.Level.COUNTY)}
    )
    existing = {a.code: a for a in Area.objects.filter(code__startswith=COUNTY_CODE)}
    missing_towns = [
        Area(code=town_code(i), name=name, level=level, parent=county,
             name_en=place_name_en(name, level))
        for i, (name, level, *_rest) in enumerate(TOWNS) if town_code(i) not in existing
    ]
    Area.objects.bulk_create(missing_towns)
    existing.update({a.code: a for a in missing_towns})
    missing_places = []
    for town, places in village_plan():
        names_en = town_place_names(places)
        missing_places += [
            Area(code=code, name=name, level=level, parent=existing[town], name_en=names_en[code])
            for code, name, level in places if code not in existing
        ]
    Area.objects.bulk_create(missing_places)

    present_fields = set(ServiceField.objects.values_list("code", flat=True))
    ServiceField.objects.bulk_create([
        ServiceField(code=slug, name=name, category=category, sort_order=n,
                     name_en=SERVICE_FIELD_NAMES_EN.get(slug, ""))
        for n, (slug, name, category, _dept, _project) in enumerate(SERVICE_FIELDS, start=1)
        if slug not in present_fields
    ])
    present_departments = set(Department.objects.values_list("name", flat=True))
    Department.objects.bulk_create([
        Department(name=name, short_name=short, area=county,
                   name_en=DEPARTMENT_NAMES_EN.get(key, ""))
        for key, name, short in DEPARTMENTS if name not in present_departments
    ])
    fill_english_names()


def fill_english_names():
    """Give the demo's areas, service fields and departments stored without an English name
    (before there was one) the name the demo gives them; a name staff have written is kept.
    Returns the number of rows given one."""
    names = {}
    unnamed = list(Area.objects.filter(code__startswith=COUNTY_CODE, name_en=""))
    parents = {area.parent_id for area in unnamed if area.level in Area.GRASSROOTS_LEVELS}
    siblings = {}  # a village's English name depends on its town's other villages
    for place in Area.objects.filter(parent__in=parents, level__in=Area.GRASSROOTS_LEVELS):
        siblings.setdefault(place.parent_id, []).append((place.pk, place.name, place.level))
    in_town = {}
    for places in siblings.values():
        in_town.update(town_place_names(places))
    for area in unnamed:
        names.setdefault(Area, []).append(
            (area, in_town.get(area.pk) or place_name_en(area.name, area.level)))
    for service_field in ServiceField.objects.filter(name_en="", code__in=SERVICE_FIELD_NAMES_EN):
        names.setdefault(ServiceField, []).append(
            (service_field, SERVICE_FIELD_NAMES_EN[service_field.code]))
    keys = {name: key for key, name, _short in DEPARTMENTS}
    for department in Department.objects.filter(name_en="", name__in=keys):
        names.setdefault(Department, []).append(
            (department, DEPARTMENT_NAMES_EN.get(keys[department.name], "")))
    given = 0
    for model, rows in names.items():
        for row, name_en in rows:
            row.name_en = name_en
        model.objects.bulk_update([row for row, _name in rows], ["name_en"], batch_size=500)
        given += len(rows)
    return given


def load_taxonomy(*, demo_towns_only=False):
    """The stored taxonomy; `demo_towns_only` leaves out towns the scale generator added."""
    county = Area.objects.get(code=COUNTY_CODE)
    towns = Area.objects.filter(parent=county, level__in=Area.TOWN_LEVELS).order_by("code")
    if demo_towns_only:
        towns = towns.filter(code__in=[town_code(i) for i in range(len(TOWNS))])
    towns = list(towns)
    taxonomy = Taxonomy(county=county, towns=towns)
    weights = {name: weight for name, _level, _c, _v, weight in TOWNS}
    for town in towns:
        taxonomy.villages[town.pk] = []
        taxonomy.town_weights[town.pk] = weights.get(town.name, 8)
    places = Area.objects.filter(parent__in=towns, level__in=Area.GRASSROOTS_LEVELS)
    for place in places.order_by("code"):
        taxonomy.villages[place.parent_id].append(place)
    by_code = {f.code: f for f in ServiceField.objects.all()}
    taxonomy.fields = {slug: by_code[slug] for slug, *_rest in SERVICE_FIELDS if slug in by_code}
    by_name = {d.name: d for d in Department.objects.all()}
    taxonomy.departments = {key: by_name[name] for key, name, _s in DEPARTMENTS if name in by_name}
    return taxonomy
