"""Invented names that read like real ones, and other made-up personal details.

Names are built from templates: a place prefix (嘉善县, a town, a village), a topic or an invented
two-character brand (善行, 和美 ...) and the kind of body (…协会, …社会工作服务中心, …志愿服务队).
`NameBook` remembers what it has handed out, so every name it makes is unique; the scale generator
uses the same templates without that memory.
"""

from dataclasses import dataclass

from registry.models import LegalForm


@dataclass(frozen=True)
class Template:
    """One kind of organization: how its name is built and what it does."""

    pattern: str  # with {place} and {topic} or {brand}
    legal_form: str
    fields: tuple  # service field slugs
    department: str | None  # supervising department key; None for direct registration
    scope: str  # "county" (嘉善县…), "town" ({town}…) or "any" (either)
    scope_text: str  # business scope, with {place}


def _sg(topic, suffix, fields, department, scope_text, scope="county"):
    return Template(f"{{place}}{topic}{suffix}", LegalForm.SOCIAL_GROUP, fields, department, scope,
                    scope_text)


_INDUSTRY = "开展行业自律、信息交流、技术培训和咨询服务，反映会员诉求，维护会员合法权益。"
_HOBBY = "团结{place}爱好者，组织交流、培训、展示和比赛活动，开展公益性文体服务。"
_ACADEMIC = "开展学术交流、课题研究、培训和科普宣传，为{place}相关工作提供咨询服务。"
_SOCIAL = "联系和服务{place}会员，开展调查研究、培训交流、咨询和公益活动，承接有关部门委托事项。"

SOCIAL_GROUP_TEMPLATES = [
    *[_sg(t, s, ("industry-services", "employment"), None, _INDUSTRY) for t, s in [
        ("电子商务", "协会"), ("物流", "行业协会"), ("餐饮", "行业协会"), ("木业", "商会"),
        ("纺织服装", "行业协会"), ("五金机电", "商会"), ("光伏产业", "促进会"), ("家具", "行业协会"),
        ("建筑业", "协会"), ("汽车维修", "行业协会"), ("房地产", "协会"), ("人力资源服务", "行业协会"),
        ("物业管理", "协会"), ("美容美发", "行业协会"), ("快递", "行业协会"), ("跨境电商", "协会"),
        ("食品", "行业协会"), ("印刷包装", "行业协会"), ("模具", "行业协会"), ("新材料", "产业促进会"),
        ("软件和信息服务", "协会"), ("个体劳动者", "协会"), ("私营企业", "协会"), ("青年企业家", "协会"),
        ("女企业家", "协会"), ("建材", "商会"), ("服装辅料", "商会"), ("电子信息", "商会"),
    ]],
    *[_sg(t, s, ("rural-revitalization", "agricultural-extension"), "agriculture", _INDUSTRY)
      for t, s in [
        ("家庭农场", "协会"), ("水产养殖", "协会"), ("蔬菜产业", "协会"), ("食用菌", "协会"),
        ("甜瓜", "产业协会"), ("葡萄", "产业协会"), ("黄桃", "产业协会"), ("花卉苗木", "协会"),
        ("农机", "协会"), ("粮食产业", "协会"), ("休闲农业", "协会"), ("蜂业", "协会"),
    ]],
    *[_sg(t, s, ("tourism-services", "industry-services"), "culture", _INDUSTRY) for t, s in [
        ("旅游", "协会"), ("民宿", "协会"), ("旅游饭店", "协会"), ("文化创意", "产业协会"),
    ]],
    *[_sg(t, "协会", ("culture-sports",), "culture", _HOBBY, scope="any") for t in [
        "书法家", "美术家", "摄影家", "作家", "音乐家", "舞蹈家", "戏剧家", "民间文艺家", "收藏家",
        "诗词楹联", "田歌", "越剧", "京剧票友", "剪纸", "灯谜", "棋类", "围棋", "象棋", "桥牌",
        "篮球", "乒乓球", "羽毛球", "网球", "游泳", "门球", "太极拳", "健身气功", "钓鱼", "信鸽",
        "龙舟", "长跑", "自行车", "登山户外", "老年体育", "武术", "足球", "排舞", "瑜伽",
    ]],
    *[_sg(t, s, ("science-popularization", "education-training"), "science", _ACADEMIC)
      for t, s in [
        ("科普作家", "协会"), ("农学", "会"), ("医学", "会"), ("中医药", "学会"), ("护理", "学会"),
        ("心理学", "会"), ("地方历史", "研究会"), ("吴越文化", "研究会"), ("教育", "学会"),
        ("家庭教育", "研究会"), ("老科技工作者", "协会"), ("青年科技工作者", "协会"),
        ("农村科技", "协会"), ("计算机", "学会"), ("气象", "学会"), ("水利", "学会"),
    ]],
    *[_sg(t, s, f, d, _SOCIAL, scope="any") for t, s, f, d in [
        ("志愿者", "协会", ("volunteering", "charity"), "civil_affairs"),
        ("义工", "联合会", ("volunteering",), "civil_affairs"),
        ("社会工作", "协会", ("social-work",), "civil_affairs"),
        ("老年人", "协会", ("elderly-care",), "civil_affairs"),
        ("养老服务", "协会", ("elderly-care",), "civil_affairs"),
        ("慈善", "促进会", ("charity", "social-assistance"), "civil_affairs"),
        ("社区治理", "研究会", ("community-governance",), "civil_affairs"),
        ("人民调解", "协会", ("dispute-resolution",), "justice"),
        ("法学", "会", ("legal-services",), "justice"),
        ("见义勇为", "协会", ("public-safety",), "public_security"),
        ("禁毒", "协会", ("drug-prevention",), "public_security"),
        ("新居民", "服务协会", ("new-resident-services",), "public_security"),
        ("消费者权益保护", "促进会", ("legal-services", "livelihood"), "commerce"),
        ("退役军人", "促进会", ("veterans-services",), "veterans"),
        ("婚姻家庭", "协会", ("family-education", "women-development"), "women"),
        ("青少年发展", "促进会", ("youth-services",), "youth_league"),
        ("残疾人就业", "促进会", ("disability-support", "employment"), "disabled"),
        ("应急救援", "协会", ("emergency-rescue",), "emergency"),
        ("环境保护", "协会", ("environmental-protection",), "ecology"),
        ("心理卫生", "协会", ("mental-health",), "health"),
        ("健康促进", "会", ("health-care",), "health"),
        ("职业技能", "协会", ("employment", "education-training"), "human_resources"),
    ]],
    # Town-level social groups: {town}…
    *[_sg(t, s, f, d, _SOCIAL, scope="town") for t, s, f, d in [
        ("商会", "", ("industry-services",), None),
        ("老年人", "协会", ("elderly-care",), "civil_affairs"),
        ("体育", "协会", ("culture-sports",), "culture"),
        ("文化", "研究会", ("culture-sports",), "culture"),
        ("志愿者", "协会", ("volunteering",), "civil_affairs"),
        ("慈善", "分会", ("charity",), "civil_affairs"),
        ("乡贤", "联谊会", ("rural-revitalization", "community-governance"), None),
        ("新居民", "协会", ("new-resident-services",), "public_security"),
        ("家庭农场", "协会", ("agricultural-extension",), "agriculture"),
        ("民宿", "协会", ("tourism-services",), "culture"),
        ("人民调解", "协会", ("dispute-resolution",), "justice"),
        ("企业", "联合会", ("industry-services",), None),
        ("社会组织", "联合会", ("community-governance", "social-work"), "civil_affairs"),
    ]],
]


def _ssi(pattern, fields, department, scope_text, scope="county"):
    return Template(f"{{place}}{{brand}}{pattern}", LegalForm.SOCIAL_SERVICE_INSTITUTION, fields,
                    department, scope, scope_text)


_SERVICE = "开展{fields}等服务，提供咨询、培训和公益活动，承接政府购买服务项目。"

SOCIAL_SERVICE_TEMPLATES = [
    _ssi("社会工作服务中心", ("social-work", "social-assistance"), "civil_affairs", _SERVICE),
    _ssi("社会工作服务社", ("social-work", "community-governance"), "civil_affairs", _SERVICE),
    _ssi("社会组织服务中心", ("community-governance", "social-work"), "civil_affairs", _SERVICE),
    _ssi("公益服务中心", ("charity", "volunteering"), "civil_affairs", _SERVICE),
    _ssi("养老服务中心", ("elderly-care", "livelihood"), "civil_affairs", _SERVICE),
    _ssi("居家养老服务中心", ("elderly-care", "livelihood"), "civil_affairs", _SERVICE, "town"),
    _ssi("社区服务中心", ("community-governance", "livelihood"), "civil_affairs", _SERVICE, "town"),
    _ssi("邻里服务中心", ("community-governance", "volunteering"), "civil_affairs", _SERVICE, "town"),
    _ssi("文化服务中心", ("culture-sports",), "culture", _SERVICE, "town"),
    _ssi("护理院", ("health-care", "elderly-care"), "health", _SERVICE),
    _ssi("康复中心", ("disability-support", "health-care"), "disabled", _SERVICE),
    _ssi("助残服务中心", ("disability-support",), "disabled", _SERVICE),
    _ssi("幼儿园", ("education-training", "child-welfare"), "education", _SERVICE),
    _ssi("艺术培训学校", ("education-training", "culture-sports"), "education", _SERVICE),
    _ssi("职业技能培训学校", ("employment", "education-training"), "human_resources", _SERVICE),
    _ssi("体育培训中心", ("culture-sports", "youth-services"), "culture", _SERVICE),
    _ssi("青少年服务中心", ("youth-services", "child-welfare"), "youth_league", _SERVICE),
    _ssi("心理咨询服务中心", ("mental-health",), "health", _SERVICE),
    _ssi("矛盾纠纷调解中心", ("dispute-resolution",), "justice", _SERVICE),
    _ssi("调解服务中心", ("dispute-resolution", "legal-services"), "justice", _SERVICE),
    _ssi("法律服务中心", ("legal-services", "community-corrections"), "justice", _SERVICE),
    _ssi("应急救援服务中心", ("emergency-rescue",), "emergency", _SERVICE),
    _ssi("环保公益服务中心", ("environmental-protection", "waste-sorting"), "ecology", _SERVICE),
    _ssi("科普服务中心", ("science-popularization",), "science", _SERVICE),
    _ssi("新居民服务中心", ("new-resident-services", "employment"), "public_security", _SERVICE),
    _ssi("家庭服务中心", ("family-education", "women-development"), "women", _SERVICE),
    _ssi("禁毒社会工作服务中心", ("drug-prevention", "social-work"), "public_security", _SERVICE),
    _ssi("退役军人服务中心", ("veterans-services",), "veterans", _SERVICE),
    _ssi("乡村振兴服务中心", ("rural-revitalization", "agricultural-extension"), "agriculture",
         _SERVICE),
    _ssi("文旅服务中心", ("tourism-services", "culture-sports"), "culture", _SERVICE),
    _ssi("托育服务中心", ("childcare", "family-education"), "health", _SERVICE),
    _ssi("数字社区服务中心", ("digital-society", "community-governance"), "big_data", _SERVICE),
]

_FOUNDATION = "接受社会捐赠，资助{fields}等公益项目，开展相关公益活动。"

FOUNDATION_TEMPLATES = [
    Template("{place}{brand}教育基金会", LegalForm.FOUNDATION, ("education-training", "charity"),
             "education", "county", _FOUNDATION),
    Template("{place}{brand}公益基金会", LegalForm.FOUNDATION, ("charity", "social-assistance"),
             "civil_affairs", "county", _FOUNDATION),
    Template("{place}{brand}助老基金会", LegalForm.FOUNDATION, ("elderly-care", "charity"),
             "civil_affairs", "county", _FOUNDATION),
    Template("{place}{brand}文化发展基金会", LegalForm.FOUNDATION, ("culture-sports", "charity"),
             "culture", "county", _FOUNDATION),
]
COMMUNITY_FOUNDATION_FIELDS = ("charity", "community-governance", "rural-revitalization")

TEMPLATES_BY_FORM = {
    LegalForm.SOCIAL_GROUP: SOCIAL_GROUP_TEMPLATES,
    LegalForm.SOCIAL_SERVICE_INSTITUTION: SOCIAL_SERVICE_TEMPLATES,
    LegalForm.FOUNDATION: FOUNDATION_TEMPLATES,
}

# Filed community organizations: {town}{village}{kind}; where: "any", "village" or "community".
FILED_KINDS = [
    ("志愿服务队", ("volunteering",), "any"),
    ("巾帼志愿服务队", ("women-development", "volunteering"), "any"),
    ("青年志愿服务队", ("youth-services", "volunteering"), "any"),
    ("老年协会", ("elderly-care",), "any"),
    ("文体队", ("culture-sports",), "any"),
    ("舞蹈队", ("culture-sports",), "any"),
    ("腰鼓队", ("culture-sports",), "any"),
    ("排舞队", ("culture-sports",), "any"),
    ("广场舞队", ("culture-sports",), "any"),
    ("太极拳队", ("culture-sports", "health-care"), "any"),
    ("合唱团", ("culture-sports",), "any"),
    ("戏曲社", ("culture-sports",), "any"),
    ("书画社", ("culture-sports",), "any"),
    ("摄影社", ("culture-sports",), "any"),
    ("门球队", ("culture-sports", "elderly-care"), "any"),
    ("乐龄读书会", ("culture-sports", "elderly-care"), "any"),
    ("巧手编织社", ("women-development", "culture-sports"), "any"),
    ("邻里调解队", ("dispute-resolution",), "any"),
    ("和事佬调解工作室", ("dispute-resolution", "community-governance"), "any"),
    ("平安巡逻队", ("public-safety",), "any"),
    ("义务消防队", ("emergency-rescue", "public-safety"), "any"),
    ("应急救援队", ("emergency-rescue",), "any"),
    ("护河志愿队", ("environmental-protection",), "any"),
    ("环保志愿队", ("environmental-protection",), "any"),
    ("垃圾分类督导队", ("waste-sorting",), "any"),
    ("助残服务队", ("disability-support",), "any"),
    ("四点半课堂志愿队", ("child-welfare", "education-training"), "any"),
    ("儿童之家志愿队", ("child-welfare",), "any"),
    ("家长互助会", ("family-education",), "any"),
    ("新居民服务队", ("new-resident-services",), "any"),
    ("新居民互助会", ("new-resident-services", "livelihood"), "any"),
    ("法律服务志愿队", ("legal-services",), "any"),
    ("健康服务队", ("health-care",), "any"),
    ("心理疏导志愿队", ("mental-health",), "any"),
    ("禁毒志愿队", ("drug-prevention",), "any"),
    ("科普志愿队", ("science-popularization",), "any"),
    ("文明劝导队", ("community-governance",), "any"),
    ("宣讲团", ("community-governance",), "any"),
    ("退役军人志愿服务队", ("veterans-services",), "any"),
    ("助老服务队", ("elderly-care", "volunteering"), "any"),
    ("爱心食堂志愿队", ("elderly-care", "livelihood"), "any"),
    ("爱心帮扶队", ("social-assistance",), "any"),
    ("慈善工作站", ("charity",), "any"),
    ("便民服务队", ("livelihood",), "any"),
    ("帮帮团", ("livelihood", "volunteering"), "any"),
    ("安置帮教志愿小组", ("community-corrections",), "any"),
    ("导览志愿队", ("tourism-services", "volunteering"), "any"),
    ("红白理事会", ("community-governance",), "village"),
    ("乡贤参事会", ("community-governance", "rural-revitalization"), "village"),
    ("村民议事会", ("community-governance",), "village"),
    ("农技服务队", ("agricultural-extension", "rural-revitalization"), "village"),
    ("民宿联合会", ("tourism-services", "rural-revitalization"), "village"),
    ("田歌队", ("culture-sports",), "village"),
    ("邻里互助会", ("community-governance", "livelihood"), "village"),
    ("睦邻互助会", ("community-governance", "livelihood"), "community"),
    ("楼道长联谊会", ("community-governance",), "community"),
    ("居民议事会", ("community-governance",), "community"),
    ("亲子阅读会", ("family-education",), "community"),
    ("业余篮球队", ("culture-sports",), "community"),
]

_BRAND_FIRST = "善和乐同嘉益暖春晨启新悦汇惠馨德仁睿恒博朗怡泽景康福祥瑞蓝禾"
_BRAND_SECOND = "行美心邻阳晖苗明航享源爱家桥园信诚成光晴芽益安康宁颐欣"
BRANDS = [a + b for a in _BRAND_FIRST for b in _BRAND_SECOND if a != b]
_ROAD_KINDS = ("路", "街", "大道", "路", "弄")
SURNAMES = (
    "张王李赵陈沈顾钱周吴徐孙朱马胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任姚卢姜崔钟谭陆汪范金石廖贾夏方邹熊孟秦邱江尹薛段雷侯史陶黎贺毛郝龚邵严戴莫孔"
)
# Personal donors are private and never published; the demo still names them only as placeholders.
_DONOR_MARKS = "甲乙丙丁戊己庚辛壬癸"


def place_prefix(template, *, county_name, town):
    return county_name if template.scope == "county" else town.name


def build_name(template, *, place, brand=""):
    return template.pattern.format(place=place, brand=brand)


def scope_text(template, *, place, field_names):
    return template.scope_text.format(place=place, fields="、".join(field_names))


def filed_kinds_for(village):
    where = "village" if village.level == "village" else "community"
    return [k for k in FILED_KINDS if k[2] in ("any", where)]


def person_placeholder(rng):
    """A legal representative written the way published notices mask names: 张某某."""
    return rng.choice(SURNAMES) + ("某某" if rng.random() < 0.8 else "某")


def phone_placeholder(serial):
    """0573-8000xxxx: the county's area code with an unassigned-looking block, clearly synthetic."""
    return f"0573-8000{serial % 10000:04d}"


def donor_placeholder(serial):
    """A private personal donor, made up: 捐赠人甲, 捐赠人乙, ..., 捐赠人甲1, ..."""
    mark = _DONOR_MARKS[serial % len(_DONOR_MARKS)]
    round_ = serial // len(_DONOR_MARKS)
    return f"捐赠人{mark}{round_ if round_ else ''}"


def address(rng, *, county_name, town, village=None):
    road = rng.choice(BRANDS) + rng.choice(_ROAD_KINDS)
    place = f"{town.name}{village.name}" if village else town.name
    return f"{county_name}{place}{road}{rng.randint(1, 399)}号"


class NameBook:
    """Hands out unique invented names."""

    def __init__(self, rng):
        self.rng = rng
        self.used = set()

    def claim(self, name):
        if name in self.used:
            return False
        self.used.add(name)
        return True

    def registered(self, template, *, place):
        """A unique name of `template` at `place`: a topic template has one name per place, so the
        caller picks another template when this returns None."""
        if "{brand}" not in template.pattern:
            name = build_name(template, place=place)
            return name if self.claim(name) else None
        for _attempt in range(200):
            name = build_name(template, place=place, brand=self.rng.choice(BRANDS))
            if self.claim(name):
                return name
        return None

    def filed(self, *, town, villages):
        """A unique {town}{village}{kind} name in one of `villages`: (name, village, kind)."""
        for _attempt in range(200):
            village = self.rng.choice(villages)
            kind = self.rng.choice(filed_kinds_for(village))
            name = f"{town.name}{village.name}{kind[0]}"
            if self.claim(name):
                return name, village, kind
        # A crowded town: take the first free combination, in a fixed order.
        for village in villages:
            for kind in filed_kinds_for(village):
                name = f"{town.name}{village.name}{kind[0]}"
                if self.claim(name):
                    return name, village, kind
        raise RuntimeError(f"no free community-organization name left in {town.name}")
