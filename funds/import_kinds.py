"""Special funds and money movements of the community foundations, for bulk import."""

from collections import defaultdict

from funds.models import CommunityFoundation, MoneyMovement, SpecialFund
from website.importer import normalize
from website.importer.kinds import Column, register
from website.importer.lookups import NameIndex, in_batches, single_cell_ref
from website.importer.normalize import CellError, Choices
from website.importer.records import RecordKind


def _foundations():
    index = NameIndex("社区发展基金会")
    for foundation in CommunityFoundation.objects.select_related("organization", "area"):
        organization = foundation.organization
        index.add(foundation, organization.name, organization.credit_code)
    return index


@register
class SpecialFundKind(RecordKind):
    name = "special_funds"
    label = "专项基金"
    model = SpecialFund
    columns = [
        Column("所属基金会", "host", "社区发展基金会的名称或统一社会信用代码", required=True),
        Column("专项基金名称", "name", required=True),
        Column("主题", "theme", normalize.listed_labels(SpecialFund.Theme), required=True),
        Column("设立日期", "established_on", "日期", required=True),
        Column("终止日期", "closed_on", "日期；仍在运行的留空"),
        Column("发起方", "initiator"),
        Column("宗旨用途", "purpose"),
        Column("筹款目标（元）", "target_amount", "数字，单位元",
               aliases=("筹款目标", "筹款目标\uFF08单位\uFF1A元\uFF09")),
    ]
    key_fields = ("host_id", "name")
    organization_field = ""
    description = "社区发展基金会设立的专项基金，按所属基金会和专项基金名称匹配。"

    def prepare(self, ctx):
        ctx.state["foundations"] = _foundations()

    def organization_ref(self, row, outcome, ctx):
        return None

    def parse_row(self, row, outcome, ctx):
        for header, name, parser in [
            ("所属基金会", "host", ctx.state["foundations"].find),
            ("专项基金名称", "name", normalize.text),
            ("主题", "theme", Choices(SpecialFund.Theme.choices, what="主题")),
            ("设立日期", "established_on", normalize.date),
            ("终止日期", "closed_on", normalize.date),
            ("发起方", "initiator", normalize.text),
            ("宗旨用途", "purpose", normalize.multiline_text),
            ("筹款目标（元）", "target_amount", normalize.decimal),
        ]:
            if row.has(header):
                outcome.values[name] = self.parse(row, outcome, header, parser)

    def existing(self, outcomes, ctx):
        return SpecialFund.objects.filter(
            host_id__in={o.values["host"].pk for o in outcomes if o.values.get("host")})


@register
class MoneyMovementKind(RecordKind):
    name = "money_movements"
    label = "资金收支"
    model = MoneyMovement
    columns = [
        Column("基金会", "foundation", "社区发展基金会的名称或统一社会信用代码", required=True),
        Column("专项基金", "special_fund", "该基金会的专项基金名称；不经专项基金的留空"),
        Column("类别", "kind", normalize.listed_labels(MoneyMovement.Kind), required=True),
        Column("日期", "date", "日期", required=True),
        Column("金额（元）", "amount", "大于0的数字，单位元", required=True,
               aliases=("金额", "金额\uFF08单位\uFF1A元\uFF09")),
        Column("对方类型", "counterparty_kind",
               normalize.listed_labels(MoneyMovement.CounterpartyKind) + "；留空为社会组织"),
        Column("对方单位", "counterparty", "对方为个人时留空"),
        Column("个人捐赠者姓名", "personal_donor_name", "仅对方类型为个人时填写；不公开"),
        Column("受资助社会组织", "grantee", "资助支出的受资助组织：统一社会信用代码、备案编号或名称"),
        Column("项目", "project"),
        Column("票据号", "receipt_number", "不公开；填写后按基金会和票据号匹配"),
        Column("内部备注", "internal_note", "不公开"),
    ]
    organization_field = "grantee"
    description = (
        "社区发展基金会的捐赠收入、资助支出和其他支出。有票据号的按基金会和票据号匹配；"
        "没有票据号的，所有列都相同才视为同一笔，否则新增。"
    )

    def prepare(self, ctx):
        ctx.state["foundations"] = _foundations()
        funds = defaultdict(lambda: NameIndex("专项基金"))
        for fund in SpecialFund.objects.all():
            funds[fund.host_id].add(fund, fund.name)
        ctx.state["funds"] = funds

    def organization_ref(self, row, outcome, ctx):
        if not row.has("受资助社会组织"):
            return None
        return single_cell_ref(row.get("受资助社会组织"), header="受资助社会组织")

    def parse_row(self, row, outcome, ctx):
        v = outcome.values
        for header, name, parser in [
            ("基金会", "foundation", ctx.state["foundations"].find),
            ("类别", "kind", Choices(MoneyMovement.Kind.choices, what="类别")),
            ("日期", "date", normalize.date),
            ("金额（元）", "amount", normalize.decimal),
            ("对方类型", "counterparty_kind",
             Choices(MoneyMovement.CounterpartyKind.choices, what="对方类型")),
            ("对方单位", "counterparty", normalize.text),
            ("个人捐赠者姓名", "personal_donor_name", normalize.text),
            ("项目", "project", normalize.text),
            ("票据号", "receipt_number", normalize.key),
            ("内部备注", "internal_note", normalize.multiline_text),
        ]:
            if row.has(header):
                v[name] = self.parse(row, outcome, header, parser)
        if row.has("受资助社会组织") and outcome.extra["organization_ref"] is None:
            v["grantee"] = None
        if row.has("专项基金"):
            v["special_fund"] = None
            if v.get("foundation") is not None and normalize.text(row.get("专项基金")):
                try:
                    v["special_fund"] = ctx.state["funds"][v["foundation"].pk].find(row.get("专项基金"))
                except CellError as e:
                    outcome.error("专项基金", f"{v['foundation']}{e}")

    def key_of(self, instance):
        if instance.receipt_number:
            return (instance.foundation_id, "receipt", instance.receipt_number)
        return (instance.foundation_id, instance.special_fund_id, instance.kind, instance.date,
                instance.amount, instance.counterparty_kind, instance.counterparty,
                instance.personal_donor_name, instance.grantee_id, instance.project)

    def row_key(self, instance):
        if None in (instance.foundation_id, instance.kind, instance.date, instance.amount):
            return None
        return self.key_of(instance)

    def existing(self, outcomes, ctx):
        foundations = {o.values["foundation"].pk for o in outcomes if o.values.get("foundation")}
        dates = {o.values["date"] for o in outcomes if o.values.get("date")}
        receipts = {o.values["receipt_number"] for o in outcomes if o.values.get("receipt_number")}
        saved = {}
        queryset = MoneyMovement.objects.filter(foundation_id__in=foundations)
        for field, values in (("date", dates), ("receipt_number", receipts)):
            for batch in in_batches(values):
                saved.update((m.pk, m) for m in queryset.filter(**{f"{field}__in": batch}))
        return saved.values()
