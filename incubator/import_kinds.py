"""Incubations (孵化记录) for bulk import."""

from incubator.models import Incubation, IncubationCenter
from website.importer import normalize
from website.importer.kinds import Column, register
from website.importer.lookups import NameIndex, OrganizationRef, fetch_in
from website.importer.normalize import Choices
from website.importer.records import CODE, FILING, RecordKind

OUTCOME_CHOICES = Choices(Incubation.Outcome.choices, what="孵化结果", aliases={
    "出壳登记": Incubation.Outcome.REGISTERED, "出壳备案": Incubation.Outcome.FILED,
    "退出": Incubation.Outcome.LEFT, "未出壳": Incubation.Outcome.LEFT,
})


@register
class IncubationKind(RecordKind):
    name = "incubations"
    label = "孵化记录"
    model = Incubation
    columns = [
        Column("培育中心", "center", "培育发展中心的名称，须已在“培育发展中心”中", required=True),
        Column("孵化对象名称", "group_name", required=True),
        Column("入驻日期", "started_on", "日期", required=True),
        Column("计划出壳日期", "planned_end_on",
               "日期\uff1b留空按入驻日期起孵化期\uff08默认12个月\uff09计\uff0c过期未出壳的为逾期未出壳"),
        Column("出壳/退出日期", "ended_on", "日期；孵化中的留空"),
        Column("孵化结果", "outcome", normalize.listed_labels(Incubation.Outcome) + "；留空为孵化中"),
        Column(CODE, help="出壳登记后的统一社会信用代码（孵化结果为已登记时填写）"),
        Column(FILING, help="出壳备案后的备案编号（孵化结果为已备案时填写）"),
        Column("提供的支持", "support"),
        Column("内部备注", "internal_note", "不公开"),
    ]
    key_fields = ("center_id", "group_name", "started_on")
    description = "培育发展中心孵化的团队及其结果，按培育中心、孵化对象名称和入驻日期匹配。"

    def prepare(self, ctx):
        centers = NameIndex("培育中心")
        for center in IncubationCenter.objects.all():
            centers.add(center, center.name)
        ctx.state["centers"] = centers

    def organization_ref(self, row, outcome, ctx):
        code = self.parse(row, outcome, CODE, normalize.code) or ""
        filing = self.parse(row, outcome, FILING, normalize.key) or ""
        if not (code or filing):
            return None
        return OrganizationRef(credit_code=code, filing_number=filing, headers=(CODE, FILING, CODE))

    def parse_row(self, row, outcome, ctx):
        for header, name, parser in [
            ("培育中心", "center", ctx.state["centers"].find),
            ("孵化对象名称", "group_name", normalize.text),
            ("入驻日期", "started_on", normalize.date),
            ("计划出壳日期", "planned_end_on", normalize.date),
            ("出壳/退出日期", "ended_on", normalize.date),
            ("孵化结果", "outcome", OUTCOME_CHOICES),
            ("提供的支持", "support", normalize.multiline_text),
            ("内部备注", "internal_note", normalize.multiline_text),
        ]:
            if row.has(header):
                outcome.values[name] = self.parse(row, outcome, header, parser)
        if (row.has(CODE) or row.has(FILING)) and outcome.extra["organization_ref"] is None:
            outcome.values["organization"] = None  # both cells empty: no organization (yet)

    def existing(self, outcomes, ctx):
        ids = {o.values["center"].pk for o in outcomes if o.values.get("center")}
        return fetch_in(Incubation.objects.all(), "center_id", ids)
