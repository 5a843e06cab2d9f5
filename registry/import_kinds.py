"""The register's spreadsheets for bulk import: organizations, and the records that hang off
them (status events, annual inspections, grades, credit lists, transferred services)."""

import datetime
from collections import defaultdict
from types import SimpleNamespace

from django.core.exceptions import ValidationError

from registry.columns import ORGANIZATION_HEADERS
from registry.models import (
    ACTIVE_STATUSES, ENDED_STATUSES, REGISTERED_LEGAL_FORMS, AnnualInspection, CreditListEntry,
    EvaluationGrade, LegalForm, Organization, Status, StatusEvent, TransferredService,
)
from registry.models.status import event_order, status_on
from registry.services import save_status_events
from website.importer import normalize
from website.importer.instances import Blank, set_related
from website.importer.kinds import (
    CHANGED, NEW, UNCHANGED, Column, ImportKind, Outcome, register,
)
from website.importer.lookups import Taxonomies, fetch_in, in_batches
from website.importer.normalize import MULTI_VALUE_HELP as SEPARATED
from website.importer.normalize import Choices
from website.importer.records import RecordKind, organization_columns

# == Organizations ==

REGISTERED, FILED = "registered", "filed"
REGISTRATION_LABELS = {REGISTERED: "登记", FILED: "备案"}
REGISTRATION_CHOICES = Choices(REGISTRATION_LABELS.items(), what="登记/备案")
LEGAL_FORM_CHOICES = Choices(LegalForm.choices, what="组织类型", aliases={
    "社会服务机构": LegalForm.SOCIAL_SERVICE_INSTITUTION,
    "民办非企业单位": LegalForm.SOCIAL_SERVICE_INSTITUTION,
    "民非": LegalForm.SOCIAL_SERVICE_INSTITUTION,
    # The former name first, as older registers write it (brackets of either width match).
    "民办非企业单位\uFF08社会服务机构\uFF09": LegalForm.SOCIAL_SERVICE_INSTITUTION,
    "社区社会组织": LegalForm.COMMUNITY_ORGANIZATION,
})
ACTIVE, NO_STATUS = "active", "none"
STATUS_CHOICES = Choices(Status.choices, what="登记状态", aliases={
    "正常": ACTIVE, "未登记（备案）": NO_STATUS, "注销": Status.DEREGISTERED,
    "撤销登记": Status.REVOKED, "撤销备案": Status.FILING_CANCELLED,
})

_ORGANIZATION_COLUMNS = [
    Column("社会组织名称", "name", "全称", required=True),
    Column("统一社会信用代码", "credit_code",
           "18位；登记的社会组织（社会团体、社会服务机构、基金会）必填；留空不会清除已有代码"),
    Column("备案编号", "filing_number", "备案的社区社会组织必填；留空不会清除已有编号"),
    Column("登记/备案", help="“登记”或“备案”，须与组织类型一致；未填组织类型时，“备案”即社区社会组织"),
    Column("组织类型", "legal_form",
           "社会团体、社会服务机构（也可写民办非企业单位）、基金会、社区社会组织"),
    Column("登记管理机关", "registration_authority", "如：嘉善县民政局"),
    Column("业务主管单位", "supervising_unit", "政府部门的名称或简称，须已在“政府部门”中"),
    Column("法定代表人", "legal_representative", "法定代表人或负责人",
           aliases=("法定代表人（负责人）", "负责人")),
    Column("成立日期", "founded_on", "日期"),
    Column("登记日期", help="成立登记或备案的日期；新增的组织必填，导入时据此建立成立登记（备案）事项"),
    Column("所属镇街", "town", "镇或街道，可省略“镇”“街道”，也可填区划代码", required=True),
    Column("村社区", "village", "所属镇街下的村或社区", aliases=("村（社区）",)),
    Column("住所", "address"),
    Column("业务范围", "business_scope"),
    Column("服务领域", "service_fields", f"一个或多个，{SEPARATED}，须已在“服务领域”中"),
    Column("联系电话", "contact_phone", "不公开"),
    Column("登记状态", help="可留空；填写时须与登记备案事项得出的当前状态一致（正常（登记）、正常（备案）、"
                        "已注销、已撤销登记、已撤销备案）；注销、撤销请导入“登记备案事项”"),
]
assert [c.header for c in _ORGANIZATION_COLUMNS] == ORGANIZATION_HEADERS, (
    "import columns drifted from registry.columns"
)

_TEXT_CELLS = [
    ("社会组织名称", "name", normalize.text),
    ("登记管理机关", "registration_authority", normalize.text),
    ("法定代表人", "legal_representative", normalize.text),
    ("住所", "address", normalize.text),
    ("业务范围", "business_scope", normalize.multiline_text),
    ("联系电话", "contact_phone", normalize.compatible_text),
]
# What a row can change, by attname; only these are compared and written.
_COMPARED = [
    "name", "credit_code", "filing_number", "legal_form", "registration_authority",
    "supervising_unit_id", "legal_representative", "founded_on", "town_id", "village_id",
    "address", "business_scope", "contact_phone",
]
_ATTNAME_TO_FIELD = {"supervising_unit_id": "supervising_unit", "town_id": "town",
                     "village_id": "village"}


def check_transition(event, *, others):
    """StatusEvent.clean()'s checks, against `others` (the organization's other events, saved
    or earlier in the file) rather than a query per row. Raises ValidationError."""
    event.check_sequence(others=sorted(others, key=event_order))


class _CreatedInRun:
    """The new organizations of the rows so far: by identifier and by (name, town id)."""

    def __init__(self):
        self.codes, self.filings, self.names = set(), set(), {}

    def add(self, organization, row):
        if organization.credit_code:
            self.codes.add(organization.credit_code)
        if organization.filing_number:
            self.filings.add(organization.filing_number)
        self.names.setdefault((organization.name, organization.town_id), (
            row, organization.credit_code, organization.filing_number))


@register
class OrganizationKind(ImportKind):
    name = "organizations"
    label = "社会组织"
    model = Organization
    also_writes = (StatusEvent, Organization.service_fields.through)
    columns = _ORGANIZATION_COLUMNS
    description = (
        "新增或更新社会组织。按统一社会信用代码、否则按备案编号、否则按所属镇街内的名称匹配已有组织；"
        "新增的组织按“登记日期”建立成立登记（备案）事项。格式与“社会组织”列表导出的表格相同，"
        "导出的表格原样导入不会产生任何变更。"
    )
    # Fields the model checks that a row does not touch are left out of clean_fields.
    _not_checked = frozenset({
        f.name for f in Organization._meta.concrete_fields
        if f.name not in {"name", "credit_code", "filing_number", "legal_form",
                          "registration_authority", "legal_representative", "founded_on",
                          "address", "business_scope", "contact_phone"}
    })

    _blank_organization = Blank(Organization)
    _blank_event = Blank(StatusEvent)

    def start(self, ctx):
        ctx.state.update(
            taxonomies=Taxonomies(), codes={}, filings={}, matched={},
            today=datetime.date.today(), created=_CreatedInRun(),
        )

    def process(self, rows, ctx):
        plan = self._cell_plan(rows[0], ctx)  # every row of a file has the same columns
        outcomes = [self._parse(row, plan) for row in rows]
        valid = [o for o in outcomes if o.ok]
        self._match(valid, ctx.state["created"])
        ctx.state["taxonomies"].load_villages(
            {o.values["town"].pk for o in valid if o.values["town"] is not None}
            | {o.extra["match"].town_id for o in valid if o.extra["match"] is not None})
        matched_ids = [o.extra["match"].pk for o in valid if o.extra["match"] is not None]
        field_ids = defaultdict(set)
        links = Organization.service_fields.through.objects.values_list(
            "organization_id", "servicefield_id")
        for batch in in_batches(matched_ids):
            for organization_id, field_id in links.filter(organization_id__in=batch):
                field_ids[organization_id].add(field_id)
        events = defaultdict(list)
        for batch in in_batches(matched_ids):
            for event in StatusEvent.objects.filter(organization_id__in=batch).values_list(
                    "pk", "organization_id", "kind", "date", named=True):
                events[event.organization_id].append(event)
        for outcome in valid:
            if outcome.ok:
                match = outcome.extra["match"]
                pk = match.pk if match is not None else None
                self._build(outcome, match, field_ids[pk], events[pk], ctx)
        return outcomes

    def scope_targets(self, outcome):
        return [outcome.record, outcome.extra.get("before")]

    def describe(self, outcome):
        organization = outcome.record
        return organization.name, organization.credit_code or organization.filing_number

    def field_changes(self, outcome):
        organization, extra = outcome.record, outcome.extra
        changes = []
        for attname in outcome.changed_fields:
            field = Organization._meta.get_field(_ATTNAME_TO_FIELD.get(attname, attname))
            new = getattr(organization, field.name) if field.is_relation and field.is_cached(
                organization) else getattr(organization, attname)
            changes.append((self.header_for_field(field.name), field,
                            extra["old_values"][attname], new))
        if extra["fields_changed"]:
            changes.append(("服务领域", Organization._meta.get_field("service_fields"),
                            sorted(extra["old_field_ids"]), list(outcome.values["service_fields"])))
        if extra["start_event"] is not None:  # a saved organization without one gets it
            changes.append(("登记日期", None, None, extra["start_event"].date))
        return changes

    # -- step 1: the cells --

    def _cell_plan(self, row, ctx):
        """For each column the file has: (header, into extra?, name, parser, value if empty).
        Made once per file; the parsers of repeating values remember their answers."""
        if "plan" in ctx.state:
            return ctx.state["plan"]
        taxonomies = ctx.state["taxonomies"]
        memoized = normalize.memoized
        plan = [(header, False, name, parser, "") for header, name, parser in _TEXT_CELLS] + [
            ("统一社会信用代码", False, "credit_code", normalize.credit_code, ""),
            ("备案编号", False, "filing_number", normalize.key, ""),
            ("登记/备案", True, "registration", memoized(REGISTRATION_CHOICES), None),
            ("组织类型", False, "legal_form", memoized(LEGAL_FORM_CHOICES), None),
            ("业务主管单位", False, "supervising_unit", memoized(taxonomies.departments.find), None),
            ("成立日期", False, "founded_on", memoized(normalize.date), None),
            ("登记日期", True, "registered_on", memoized(normalize.date), None),
            ("所属镇街", False, "town", memoized(taxonomies.towns.find), None),
            ("服务领域", False, "service_fields",
             memoized(taxonomies.service_fields.find_all), None),
            ("登记状态", True, "status", memoized(STATUS_CHOICES), None),
            ("村社区", True, "village", lambda value: value, None),  # read once the town is known
        ]
        ctx.state["plan"] = [step for step in plan if row.has(step[0])]
        return ctx.state["plan"]

    def _parse(self, row, plan):
        outcome = Outcome(row.number)
        v, extra = outcome.values, outcome.extra
        v.update(credit_code="", filing_number="", legal_form=None, town=None)
        extra.update(registration=None, registered_on=None, status=None,
                     has_village=row.has("村社区"))
        cells = row.cells
        for header, into_extra, name, parser, empty in plan:
            try:
                value = parser(cells[header])
            except normalize.CellError as e:
                outcome.error(header, e)
                value = None
            (extra if into_extra else v)[name] = empty if value is None else value
        return outcome

    # -- step 2: which saved organization each row is --

    def _match(self, outcomes, created):
        """Credit code, else filing number, else exact name within the town: three queries.

        An identifier or name that an earlier row of the file gave to a new organization is that
        row's organization, written or not yet (writer.py): the row repeats it."""
        codes = {o.values["credit_code"] for o in outcomes} - created.codes - {""}
        filings = {o.values["filing_number"] for o in outcomes} - created.filings - {""}
        # The "<> ''" conditions let both databases use the partial unique indexes.
        queryset = Organization.objects.order_by()
        by_code = {org.credit_code: org for org in fetch_in(
            queryset.exclude(credit_code=""), "credit_code", codes)}
        by_filing = {org.filing_number: org for org in fetch_in(
            queryset.exclude(filing_number=""), "filing_number", filings)}
        by_name_wanted = []
        for outcome in outcomes:
            v = outcome.values
            code_owner = by_code.get(v["credit_code"])
            filing_owner = by_filing.get(v["filing_number"])
            match = code_owner or filing_owner
            if code_owner and filing_owner and code_owner.pk != filing_owner.pk:
                outcome.error("备案编号", f"该备案编号已被另一个社会组织“{filing_owner.name}”使用。")
            outcome.extra["match"] = match
            if match is not None or not v.get("name") or v["town"] is None:
                continue
            if v["credit_code"] in created.codes or v["filing_number"] in created.filings:
                continue  # _check_unique names the earlier row
            earlier = created.names.get((v["name"], v["town"].pk))
            if earlier is not None:
                self._repeats_new(outcome, earlier)
            else:
                by_name_wanted.append(outcome)
        by_name = defaultdict(list)
        for org in fetch_in(queryset, "name", {o.values["name"] for o in by_name_wanted}):
            by_name[(org.name, org.town_id)].append(org)
        for outcome in by_name_wanted:
            v = outcome.values
            found = by_name.get((v["name"], v["town"].pk), [])
            if len(found) > 1:
                outcome.error("社会组织名称", f"{v['town'].name}有{len(found)}个名为“{v['name']}”的"
                                        "社会组织，请填写统一社会信用代码或备案编号以区分。")
            elif found:
                self._match_by_name(outcome, found[0])

    def _match_by_name(self, outcome, org):
        # The same name in the same town with another identifier is another organization.
        v = outcome.values
        if v["credit_code"] and org.credit_code and v["credit_code"] != org.credit_code:
            outcome.error("统一社会信用代码", f"{v['town'].name}已有同名社会组织，"
                                          f"其统一社会信用代码为{org.credit_code}，与本行不一致。")
        elif v["filing_number"] and org.filing_number and v["filing_number"] != org.filing_number:
            outcome.error("备案编号", f"{v['town'].name}已有同名社会组织，其备案编号为"
                                  f"{org.filing_number}，与本行不一致。")
        else:
            outcome.extra["match"] = org

    def _repeats_new(self, outcome, earlier):
        """The row names, in its town, an organization that an earlier row of the file adds."""
        v = outcome.values
        row, code, filing = earlier
        if v["credit_code"] and code and v["credit_code"] != code:
            outcome.error("统一社会信用代码", f"第{row}行新增了{v['town'].name}的同名社会组织，"
                                          f"其统一社会信用代码为{code}，与本行不一致。")
        elif v["filing_number"] and filing and v["filing_number"] != filing:
            outcome.error("备案编号", f"第{row}行新增了{v['town'].name}的同名社会组织，"
                                  f"其备案编号为{filing}，与本行不一致。")
        else:
            outcome.error("社会组织名称", f"与第{row}行是同一个社会组织，请合并为一行。")

    # -- step 3: the record, its checks and what changes --

    def _build(self, outcome, match, old_field_ids, events, ctx):
        v, extra = outcome.values, outcome.extra
        instance = match if match is not None else self._blank_organization()
        before = {name: getattr(match, name) for name in _COMPARED} if match is not None else None
        extra["before"] = SimpleNamespace(town_id=match.town_id) if match is not None else None
        self._apply(instance, outcome, match, ctx)
        outcome.record = instance
        self.validate_model(instance, outcome, exclude=self._not_checked)
        self._check_registration(instance, outcome)
        self._check_unique(instance, outcome, match, ctx)
        start_event = self._start_event(instance, outcome, match, events)
        self._check_status(instance, outcome, events, start_event, ctx)
        if not outcome.ok:
            return
        extra["start_event"] = start_event
        if match is None:
            outcome.status = NEW
            ctx.state["created"].add(instance, outcome.row)
            return
        outcome.changed_fields = [
            name for name in _COMPARED if getattr(instance, name) != before[name]]
        extra["old_values"], extra["old_field_ids"] = before, old_field_ids
        extra["fields_changed"] = "service_fields" in v and (
            {f.pk for f in v["service_fields"]} != old_field_ids
        )
        changed = outcome.changed_fields or extra["fields_changed"] or start_event
        outcome.status = CHANGED if changed else UNCHANGED

    def _apply(self, instance, outcome, match, ctx):
        v, extra = outcome.values, outcome.extra
        for _header, name, _parser in _TEXT_CELLS:
            if name not in v:
                continue
            if match is not None and normalize.same_text(getattr(match, name), v[name]):
                continue  # the saved form of the same text is kept
            setattr(instance, name, v[name])
        if "founded_on" in v:
            instance.founded_on = v["founded_on"]
        if "supervising_unit" in v:
            set_related(instance, "supervising_unit", v["supervising_unit"])
        # An empty cell never clears an identifier, a legal form or a town of a saved record.
        for name in ("credit_code", "filing_number"):
            if v[name] or match is None:
                setattr(instance, name, v[name])
        if v["legal_form"] is not None:
            instance.legal_form = v["legal_form"]
        elif match is None:
            instance.legal_form = (
                LegalForm.COMMUNITY_ORGANIZATION if extra["registration"] == FILED else ""
            )
        if v["town"] is not None:
            set_related(instance, "town", v["town"])
        if extra["has_village"] and instance.town_id is not None:
            try:
                village = ctx.state["taxonomies"].village(instance.town, extra["village"])
            except normalize.CellError as e:
                outcome.error("村社区", e)
            else:
                set_related(instance, "village", village)

    def _check_registration(self, instance, outcome):
        registration = outcome.extra["registration"]
        if registration and instance.legal_form:
            expected = REGISTERED if instance.legal_form in REGISTERED_LEGAL_FORMS else FILED
            if registration != expected:
                outcome.error("登记/备案", f"组织类型为“{instance.get_legal_form_display()}”的社会组织"
                                        f"应填“{REGISTRATION_LABELS[expected]}”。")

    def _check_unique(self, instance, outcome, match, ctx):
        """Identifiers used twice in the file (the saved ones were checked in _match)."""
        state = ctx.state
        for header, value, seen in (("统一社会信用代码", instance.credit_code, state["codes"]),
                                    ("备案编号", instance.filing_number, state["filings"])):
            if not value:
                continue
            if value in seen and seen[value] != outcome.row:
                outcome.error(header, f"与第{seen[value]}行的{header}重复。")
            else:
                seen[value] = outcome.row
        if match is not None:
            first = state["matched"].setdefault(match.pk, outcome.row)
            if first != outcome.row:
                outcome.error("社会组织名称", f"与第{first}行是同一个社会组织，请合并为一行。")

    def _start_event(self, instance, outcome, match, events):
        """The registration or filing event to create, if the organization has none yet.
        `events` are the saved ones, as (pk, organization_id, kind, date) rows."""
        registered_on = outcome.extra["registered_on"]
        starts = sorted((e for e in events if e.kind in StatusEvent.START_KINDS),
                        key=lambda e: (e.date, e.pk))
        if starts:
            start = starts[0]
            if registered_on and registered_on != start.date:
                outcome.error("登记日期", f"登记日期{registered_on}与已录入的“"
                                      f"{StatusEvent.Kind(start.kind).label}”事项日期{start.date}"
                                      "不一致；如需更正，请在登记备案事项中修改。")
            return None
        if registered_on is None:
            if match is None:
                outcome.error("登记日期", "新增的社会组织须填写登记日期（成立登记或备案的日期）。")
            return None
        if not instance.legal_form:
            return None
        kind = (StatusEvent.Kind.REGISTERED if instance.legal_form in REGISTERED_LEGAL_FORMS
                else StatusEvent.Kind.FILED)
        event = self._blank_event(kind=kind, date=registered_on,
                                  resulting_status=StatusEvent.RESULTING_STATUS[kind])
        set_related(event, "organization", instance)
        if events:  # an organization with other events but no start: the model's checks
            others = [StatusEvent(pk=e.pk, organization=instance, kind=e.kind, date=e.date)
                      for e in events]
            try:
                check_transition(event, others=others)
            except ValidationError as e:
                for message in e.messages:
                    outcome.error("登记日期", message)
                return None
        return event

    def _check_status(self, instance, outcome, events, start_event, ctx):
        given = outcome.extra["status"]
        if not given:
            return
        timeline = [*events, start_event] if start_event is not None else events
        current = status_on(timeline, ctx.state["today"])
        if given == current or (given == ACTIVE and current in ACTIVE_STATUSES) or (
                given == NO_STATUS and current is None):
            return
        shown = Status(current).label if current else "未登记（备案）"
        if given in ENDED_STATUSES or (given in ACTIVE_STATUSES and current):
            advice = ("状态由登记备案事项决定，不能在此修改：注销、撤销、备案转登记等，"
                      "请在“登记备案事项”中录入或导入相应事项。")
        else:
            advice = "请核对登记日期和组织类型。"
        outcome.error("登记状态", f"登记状态与该组织的登记备案事项不符（按事项，当前为“{shown}”）。{advice}")

    # -- writing --

    def write(self, outcomes, ctx, store):
        new = [o for o in outcomes if o.status == NEW]
        changed = [o for o in outcomes if o.status == CHANGED]
        store.insert_instances(Organization, [o.record for o in new], now=ctx.now)
        fields = sorted({
            _ATTNAME_TO_FIELD.get(name, name) for o in changed for name in o.changed_fields})
        for outcome in changed:
            outcome.record.updated_at = ctx.now
        if changed:
            store.run(Organization.objects.bulk_update,
                      [o.record for o in changed], [*fields, "updated_at"], batch_size=500)
        self._write_service_fields(new, [o for o in changed if o.extra["fields_changed"]], store)
        events = [o.extra["start_event"] for o in (*new, *changed) if o.extra["start_event"]]
        for event in events:
            set_related(event, "organization", event.organization)  # now that it has a pk
        # Through the store, with the periods of exactly these organizations refreshed after.
        save_status_events(events=events, store=store, now=ctx.now)
        return [o.record for o in new] + events, [o.record for o in changed]

    def _write_service_fields(self, new, changed, store):
        through = Organization.service_fields.through
        if changed:
            ids = [o.record.pk for o in changed]
            for batch in (ids[i:i + 900] for i in range(0, len(ids), 900)):
                store.run(through.objects.filter(organization_id__in=batch).delete)
        store.insert_rows(through, ["organization_id", "servicefield_id"], [
            (o.record.pk, service_field.pk)
            for o in (*new, *changed) for service_field in o.values.get("service_fields") or ()
        ])


# == Records of an organization ==

class _OrganizationRecordKind(RecordKind):
    """Rows naming an organization by code, filing number or name (within a town)."""

    def existing(self, outcomes, ctx):
        ids = {o.values["organization"].pk for o in outcomes}
        return fetch_in(self.model.objects.all(), "organization_id", ids)

    def parse_cells(self, row, outcome, cells):
        """cells: [(header, field name, parser)]; present columns only."""
        for header, name, parser in cells:
            if row.has(header):
                outcome.values[name] = self.parse(row, outcome, header, parser)


STATUS_EVENT_KIND_CHOICES = Choices(StatusEvent.Kind.choices, what="事项", aliases={
    "登记": StatusEvent.Kind.REGISTERED, "成立": StatusEvent.Kind.REGISTERED,
    "变更": StatusEvent.Kind.CHANGED, "变更登记": StatusEvent.Kind.CHANGED,
    "变更备案": StatusEvent.Kind.CHANGED, "注销": StatusEvent.Kind.DEREGISTERED,
})


@register
class StatusEventKind(_OrganizationRecordKind):
    name = "status_events"
    label = "登记备案事项"
    model = StatusEvent
    columns = organization_columns() + [
        Column("事项", "kind", normalize.listed_labels(StatusEvent.Kind), required=True),
        Column("生效日期", "date", "日期", required=True),
        Column("文号", "document_number"),
        Column("说明", "description"),
        Column("内部备注", "internal_note", "不公开"),
    ]
    key_fields = ("organization_id", "kind", "date")
    model_clean = False  # its clean() queries the events; check_record checks the same
    description = (
        "成立登记、备案、变更、备案转登记、注销登记、撤销登记、撤销备案等事项，按组织、事项和生效日期匹配。"
        "同一组织的事项请按日期先后排列；每行都按已有事项和文件中前面的行检查先后是否合理。"
    )
    _cells = [
        ("事项", "kind", STATUS_EVENT_KIND_CHOICES),
        ("生效日期", "date", normalize.date),
        ("文号", "document_number", normalize.text),
        ("说明", "description", normalize.multiline_text),
        ("内部备注", "internal_note", normalize.multiline_text),
    ]

    def prepare(self, ctx):
        ctx.state["file_events"] = defaultdict(list)

    def parse_row(self, row, outcome, ctx):
        self.parse_cells(row, outcome, self._cells)

    def existing(self, outcomes, ctx):
        saved = super().existing(outcomes, ctx)
        by_org = defaultdict(list)
        for event in saved:
            by_org[event.organization_id].append(event)
        ctx.state["saved_events"] = by_org
        return saved

    def check_record(self, instance, outcome, match, ctx):
        instance.resulting_status = StatusEvent.RESULTING_STATUS.get(instance.kind, "")
        if match is not None:
            return  # kind and date are the key: a saved event is not moved
        org_id = instance.organization_id
        saved = ctx.state["saved_events"][org_id]
        # New events of earlier rows; once written, an inline import reads them back as saved.
        saved_keys = {(e.kind, e.date) for e in saved}
        earlier_in_file = [e for e in ctx.state["file_events"][org_id]
                           if (e.kind, e.date) not in saved_keys]
        try:
            check_transition(instance, others=saved + earlier_in_file)
        except ValidationError as e:
            self.report_validation_error(e, outcome)
            return
        # A copy: the instance itself goes to the writer, which gives it its key.
        ctx.state["file_events"][org_id].append(StatusEvent(kind=instance.kind, date=instance.date))

    def write(self, outcomes, ctx, store):
        # Organization, kind and date are the key: a changed row changes only the texts.
        created = [o.record for o in outcomes if o.status == NEW]
        changed = [o for o in outcomes if o.status == CHANGED]
        names = {f.attname: f.name for f in StatusEvent._meta.concrete_fields}
        fields = sorted({names[attname] for o in changed for attname in o.changed_fields})
        save_status_events(
            events=created + [o.record for o in changed if o.changed_fields], fields=fields,
            store=store, now=ctx.now)
        return created, [o.record for o in changed]


@register
class AnnualInspectionKind(_OrganizationRecordKind):
    name = "annual_inspections"
    label = "年度检查"
    model = AnnualInspection
    columns = organization_columns() + [
        Column("年度", "year", "如 2022", required=True),
        Column("年检结论", "result", normalize.listed_labels(AnnualInspection.Result), required=True),
        Column("结论日期", "concluded_on", "日期，须在年度之后"),
        Column("说明", "note"),
    ]
    key_fields = ("organization_id", "year")
    description = "每个组织每年度一条年检结论，按组织和年度匹配。"
    _cells = [
        ("年度", "year", lambda value: normalize.integer(value, what="年度", suffixes=("年度", "年"))),
        ("年检结论", "result", Choices(AnnualInspection.Result.choices, what="年检结论")),
        ("结论日期", "concluded_on", normalize.date),
        ("说明", "note", normalize.multiline_text),
    ]

    def parse_row(self, row, outcome, ctx):
        self.parse_cells(row, outcome, self._cells)


GRADE_CHOICES = Choices(EvaluationGrade.Grade.choices, what="评估等级", aliases={
    alias: grade
    for grade in range(1, 6) for alias in ("A" * grade, f"{grade}A级", f"{'A' * grade}级")
})


@register
class EvaluationGradeKind(_OrganizationRecordKind):
    name = "grades"
    label = "评估等级"
    model = EvaluationGrade
    columns = organization_columns() + [
        Column("评估等级", "grade", "1A 至 5A", required=True),
        Column("评定日期", "awarded_on", "日期", required=True),
        Column("有效期至", "valid_until", "可留空，按评定日期起5年自动填写"),
        Column("评估机关", "assessed_by"),
        Column("证书编号", "certificate_number"),
    ]
    key_fields = ("organization_id", "awarded_on")
    description = "社会组织评估等级，按组织和评定日期匹配；有效期5年。"
    _cells = [
        ("评估等级", "grade", GRADE_CHOICES),
        ("评定日期", "awarded_on", normalize.date),
        ("有效期至", "valid_until", normalize.date),
        ("评估机关", "assessed_by", normalize.text),
        ("证书编号", "certificate_number", normalize.text),
    ]

    def parse_row(self, row, outcome, ctx):
        self.parse_cells(row, outcome, self._cells)


@register
class CreditListEntryKind(_OrganizationRecordKind):
    name = "credit_list"
    label = "信用名录"
    model = CreditListEntry
    columns = organization_columns() + [
        Column("名录类别", "list_kind", normalize.listed_labels(CreditListEntry.ListKind), required=True),
        Column("列入事由", "reason"),
        Column("列入日期", "listed_on", "日期", required=True),
        Column("作出决定机关", "listed_by"),
        Column("决定文号", "decision_number"),
        Column("移出日期", "removed_on", "日期，尚未移出的留空"),
        Column("移出事由", "removal_reason"),
    ]
    key_fields = ("organization_id", "list_kind", "listed_on")
    description = "活动异常名录和严重违法失信名单的列入与移出，按组织、名录类别和列入日期匹配。"
    _cells = [
        ("名录类别", "list_kind", Choices(CreditListEntry.ListKind.choices, what="名录类别", aliases={
            "活动异常": CreditListEntry.ListKind.ABNORMAL_ACTIVITY,
            "异常名录": CreditListEntry.ListKind.ABNORMAL_ACTIVITY,
            "严重违法失信": CreditListEntry.ListKind.SERIOUS_VIOLATION,
            "失信名单": CreditListEntry.ListKind.SERIOUS_VIOLATION,
        })),
        ("列入事由", "reason", normalize.multiline_text),
        ("列入日期", "listed_on", normalize.date),
        ("作出决定机关", "listed_by", normalize.text),
        ("决定文号", "decision_number", normalize.text),
        ("移出日期", "removed_on", normalize.date),
        ("移出事由", "removal_reason", normalize.multiline_text),
    ]

    def parse_row(self, row, outcome, ctx):
        self.parse_cells(row, outcome, self._cells)


@register
class TransferredServiceKind(_OrganizationRecordKind):
    name = "transferred_services"
    label = "承接转移职能"
    model = TransferredService
    columns = [
        Column("服务项目名称", "title", required=True),
        Column("转移部门", "department", "政府部门的名称或简称，须已在“政府部门”中", required=True),
        *organization_columns("承接组织"),
        Column("服务领域", "service_fields", f"一个或多个，{SEPARATED}"),
        Column("转移方式", "mode", normalize.listed_labels(TransferredService.Mode)),
        Column("合同编号", "contract_number"),
        Column("金额（元）", "amount", "数字，单位元",
               aliases=("金额", "金额\uFF08单位\uFF1A元\uFF09")),
        Column("开始日期", "starts_on", "日期", required=True),
        Column("结束日期", "ends_on", "日期"),
        Column("覆盖镇街", "towns", f"一个或多个镇街，{SEPARATED}"),
        Column("提前终止日期", "terminated_on",
               "日期\uff1b提前终止的填写终止之日\uff0c按期执行的留空\uff08执行状态由日期得出\uff09"),
        Column("绩效评价", "evaluation", normalize.listed_labels(TransferredService.Evaluation) + "；留空为未评估"),
        Column("评价说明", "evaluation_note"),
    ]
    key_fields = ("organization_id", "department_id", "title", "starts_on")
    m2m_fields = ("service_fields", "towns")
    description = "政府部门转移给社会组织的职能和购买的服务，按承接组织、转移部门、项目名称和开始日期匹配。"

    def parse_row(self, row, outcome, ctx):
        taxonomies = ctx.state["taxonomies"]
        self.parse_cells(row, outcome, [
            ("服务项目名称", "title", normalize.text),
            ("转移部门", "department", taxonomies.departments.find),
            ("服务领域", "service_fields", taxonomies.service_fields.find_all),
            ("转移方式", "mode", Choices(TransferredService.Mode.choices, what="转移方式")),
            ("合同编号", "contract_number", normalize.text),
            ("金额（元）", "amount", normalize.decimal),
            ("开始日期", "starts_on", normalize.date),
            ("结束日期", "ends_on", normalize.date),
            ("覆盖镇街", "towns", taxonomies.towns.find_all),
            ("提前终止日期", "terminated_on", normalize.date),
            ("绩效评价", "evaluation", Choices(TransferredService.Evaluation.choices, what="绩效评价")),
            ("评价说明", "evaluation_note", normalize.multiline_text),
        ])

    def existing(self, outcomes, ctx):
        ids = {o.values["organization"].pk for o in outcomes}
        queryset = TransferredService.objects.prefetch_related("service_fields", "towns")
        return fetch_in(queryset, "organization_id", ids)

    def check_record(self, instance, outcome, match, ctx):
        service_fields = outcome.values.get("service_fields")
        if match is None and not service_fields or match is not None and service_fields == []:
            outcome.error("服务领域", "请至少填写一个服务领域。")


# == The shared taxonomies (areas, service fields, departments), after the register's kinds ==

from registry import import_taxonomy  # noqa: E402,F401
