"""The demo taxonomy's names in English, for the English pages: towns, villages and communities in
pinyin (西塘镇 → Xitang Town, 罗星街道 → Luoxing Subdistrict, 新丰村 → Xinfeng Village), service
fields and departments in English.

Place names follow the rules of Chinese place names in roman letters (GB/T 16159): the syllables of
the proper name written together, capitalised once, an apostrophe before a syllable that begins
with a, o or e (善安 → Shan'an), and the kind of place (镇, 街道, 村, 社区) as an English word. Two
places of one town that would read alike keep their tone marks (凤浜村 Fèngbāng Village beside
丰浜村 Fēngbāng Village), so a list of a town's villages never offers the same name twice.
"""

import unicodedata
from collections import Counter

from pypinyin import Style, lazy_pinyin

from registry.models import Area

# The demo's county, towns and subdistricts as they are officially romanised.
PLACE_NAMES_EN = {
    "嘉善县": "Jiashan County",
    "罗星街道": "Luoxing Subdistrict",
    "魏塘街道": "Weitang Subdistrict",
    "惠民街道": "Huimin Subdistrict",
    "大云镇": "Dayun Town",
    "西塘镇": "Xitang Town",
    "干窑镇": "Ganyao Town",
    "陶庄镇": "Taozhuang Town",
    "姚庄镇": "Yaozhuang Town",
    "天凝镇": "Tianning Town",
}

# By ServiceField.code.
SERVICE_FIELD_NAMES_EN = {
    "livelihood": "Livelihood services",
    "dispute-resolution": "Dispute resolution",
    "community-governance": "Community governance",
    "elderly-care": "Elderly care",
    "disability-support": "Disability support",
    "child-welfare": "Child welfare",
    "youth-services": "Youth services",
    "women-development": "Women's development",
    "family-education": "Family education",
    "social-assistance": "Social assistance",
    "charity": "Charity",
    "volunteering": "Volunteering",
    "community-corrections": "Community corrections",
    "drug-prevention": "Drug prevention",
    "mental-health": "Mental health",
    "health-care": "Health care",
    "culture-sports": "Culture and sports",
    "education-training": "Education and training",
    "employment": "Employment and entrepreneurship",
    "legal-services": "Legal services",
    "public-safety": "Public safety",
    "emergency-rescue": "Emergency rescue",
    "environmental-protection": "Environmental protection",
    "waste-sorting": "Waste sorting",
    "rural-revitalization": "Rural revitalization",
    "agricultural-extension": "Agricultural extension",
    "science-popularization": "Science popularization",
    "industry-services": "Industry services",
    "new-resident-services": "Services for new residents",
    "veterans-services": "Veterans' services",
    "social-work": "Social work",
    "tourism-services": "Tourism services",
    "childcare": "Childcare",
    "digital-society": "Digital society",
}

# By the department's key in website.demo.taxonomy.DEPARTMENTS.
DEPARTMENT_NAMES_EN = {
    "civil_affairs": "Jiashan County Civil Affairs Bureau",
    "education": "Jiashan County Education Bureau",
    "health": "Jiashan County Health Bureau",
    "human_resources": "Jiashan County Human Resources and Social Security Bureau",
    "justice": "Jiashan County Justice Bureau",
    "public_security": "Jiashan County Public Security Bureau",
    "culture": "Jiashan County Bureau of Culture, Radio, Television, Tourism and Sports",
    "agriculture": "Jiashan County Agriculture and Rural Affairs Bureau",
    "housing": "Jiashan County Housing and Urban-Rural Development Bureau",
    "ecology": "Jiaxing Ecology and Environment Bureau, Jiashan Branch",
    "emergency": "Jiashan County Emergency Management Bureau",
    "science": "Jiashan County Science and Technology Bureau",
    "commerce": "Jiashan County Commerce Bureau",
    "veterans": "Jiashan County Veterans Affairs Bureau",
    "big_data": "Jiashan County Data Resources Bureau",
    "women": "Jiashan County Women's Federation",
    "youth_league": "Communist Youth League Jiashan County Committee",
    "disabled": "Jiashan County Disabled Persons' Federation",
}

# (Chinese suffix, English word) of each level, longest suffix first.
_LEVEL_WORDS = {
    Area.Level.COUNTY: ("县", "County"),
    Area.Level.TOWN: ("镇", "Town"),
    Area.Level.SUBDISTRICT: ("街道", "Subdistrict"),
    Area.Level.VILLAGE: ("村", "Village"),
    Area.Level.COMMUNITY: ("社区", "Community"),
}
# Where a place name reads a character otherwise than its commonest reading (长兴 is Changxing):
# (without tone marks, with them).
_PLACE_READINGS = {"长": ("chang", "cháng")}


def _reading(character, tones):
    if character in _PLACE_READINGS:
        return _PLACE_READINGS[character][tones]
    return lazy_pinyin(character, style=Style.TONE if tones else Style.NORMAL)[0]


def _begins_with_vowel(syllable):
    return unicodedata.normalize("NFD", syllable)[:1] in ("a", "o", "e")


def pinyin(chinese, *, tones=False):
    """A proper name in pinyin as a place name writes it: 新丰 → Xinfeng, 善安 → Shan'an (with
    `tones`, Xīnfēng). Characters without a reading (letters, digits) are kept."""
    syllables = [_reading(character, tones) for character in chinese]
    text = "".join(
        ("'" + syllable if n and _begins_with_vowel(syllable) and syllables[n - 1].isalpha()
         else syllable)
        for n, syllable in enumerate(syllables)
    )
    return text[:1].upper() + text[1:]


def place_name_en(name, level, *, tones=False):
    """The English name of a place of `level` named `name`: the demo's county and towns as they
    are romanised, any other in pinyin with its kind (桃浜村 → Taobang Village)."""
    if name in PLACE_NAMES_EN:
        return PLACE_NAMES_EN[name]
    suffix, word = _LEVEL_WORDS[level]
    base = name[: -len(suffix)] if name.endswith(suffix) and len(name) > len(suffix) else name
    return f"{pinyin(base, tones=tones)} {word}"


def town_place_names(places):
    """{key: English name} of one town's villages and communities, given as (key, name, level):
    each in pinyin, with tone marks where two of them would otherwise read alike."""
    plain = {key: place_name_en(name, level) for key, name, level in places}
    alike = Counter(plain.values())
    return {key: place_name_en(name, level, tones=True) if alike[plain[key]] > 1 else plain[key]
            for key, name, level in places}
