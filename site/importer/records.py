"""The shape most kinds share: each row creates or updates one record found by a natural key
(an organization's inspection for a year, a fund by its name within its foundation...)."""

from django.db import models
from django.utils.functional import cached_property

from . import normalize
from .kinds import CHANGED, NEW, UNCHANGED, Column, ImportKind, Outcome
from .lookups import OrganizationFinder, OrganizationRef, Taxonomies

NAME, CODE, FILING, TOWN = "社会组织名称", "统一社会信用代码", "备案编号", "所属镇街"


def organization_columns(role="社会组织"):
    """The columns by which a row names its organization."""
    return [
        Column(NAME, help=f"{role}的名称；未填代码和编号时按名称查找（可同时填所属镇街）"),
        Column(CODE, help=f"{role}的统一社会信用代码（登记的社会组织）"),
        Column(FILING, help=f"{role}的备案编号（备案的社区社会组织）"),
        Column(TOWN, help="按名称查找时，组织所属的镇或街道（可省略“镇”“街道”）"),
    ]


class RecordKind(ImportKind):
    """Subclasses set `columns` (with `field` for the cells that fill model fields), `key_fields`,
    and parse their cells in `parse_row`."""

    key_fields = ()  # model attnames that identify a record, e.g. ("organization_id", "year")
    m2m_fields = ()  # many-to-many fields filled from cells, as lists of objects
    organization_field = "organization"  # the field an OrganizationRef of the row fills
    model_clean = True  # False when the model's clean() queries; check_record then does its work

    def start(self, ctx):
        ctx.state["taxonomies"] = Taxonomies()
        ctx.state["seen"] = {}
        self.prepare(ctx)

    def prepare(self, ctx):
        """Lookups of the kind's own (centers, foundations...) for the whole file."""

    def parse_row(self, row, outcome, ctx):
        """Fill outcome.values {field name: value} from the cells present in the file."""
        raise NotImplementedError

    def existing(self, outcomes, ctx):
        """The saved records the chunk's rows may match (one or a few queries)."""
        raise NotImplementedError

    def check_record(self, instance, outcome, match, ctx):
        """Checks beyond the model's own, after them (none by default)."""

    # -- the common steps --

    def process(self, rows, ctx):
        outcomes = []
        for row in rows:
            outcome = Outcome(row.number)
            outcome.extra["organization_ref"] = self.organization_ref(row, outcome, ctx)
            self.parse_row(row, outcome, ctx)
            outcomes.append(outcome)
        self.resolve_organizations(
            [o for o in outcomes if o.ok and o.extra["organization_ref"] is not None])
        valid = [o for o in outcomes if o.ok]
        saved = {self.key_of(instance): instance for instance in self.existing(valid, ctx)}
        for outcome in valid:
            self.build(outcome, saved, ctx)
        return outcomes

    def organization_ref(self, row, outcome, ctx):
        """How the row names its organization (the standard columns by default); None when the
        row names none."""
        town = self.parse(row, outcome, TOWN, ctx.state["taxonomies"].towns.find)
        return OrganizationRef(
            credit_code=self.parse(row, outcome, CODE, normalize.code) or "",
            filing_number=self.parse(row, outcome, FILING, normalize.key) or "",
            name=self.parse(row, outcome, NAME, normalize.text) or "",
            town=town, headers=(CODE, FILING, NAME),
        )

    def resolve_organizations(self, outcomes):
        finder = OrganizationFinder([o.extra["organization_ref"] for o in outcomes])
        for outcome in outcomes:
            organization = finder.find(outcome.extra["organization_ref"], outcome)
            if organization is not None:
                outcome.values[self.organization_field] = organization

    def key_of(self, instance):
        return tuple(getattr(instance, name) for name in self.key_fields)

    def row_key(self, instance):
        """The key of a row's record, None when a part is missing (validation will say so)."""
        key = self.key_of(instance)
        return None if any(part is None or part == "" for part in key) else key

    def build(self, outcome, saved, ctx):
        values = outcome.values
        scalars = {
            name: _empty_for(self.model, name) if value is None else value
            for name, value in values.items() if name not in self.m2m_fields
        }
        probe = self.model(**scalars)
        key = self.row_key(probe)
        match = saved.get(key) if key is not None else None
        instance = match if match is not None else probe
        before = self._snapshot(match)
        outcome.extra["old_values"] = before  # for check_record and the preview's list
        if match is not None:
            for name, value in scalars.items():
                if isinstance(value, str) and normalize.same_text(getattr(match, name), value):
                    continue  # the saved form of the same text is kept
                setattr(instance, name, value)
        outcome.record = instance
        if not self.validate_model(instance, outcome, run_clean=self.model_clean):
            return
        # The key again: clean() may have filled a key field (a grade's validity, say). A row
        # repeating an earlier one is reported as such before any other check, whether or not
        # the earlier row's record is already written (see writer.py).
        key = self.row_key(instance)
        if key is not None:
            seen = ctx.state["seen"]
            if key in seen:
                outcome.error("", f"与第{seen[key]}行是同一条记录，请删除重复的行。")
                return
        self.check_record(instance, outcome, match, ctx)
        if not outcome.ok:
            return
        if key is not None:
            seen[key] = outcome.row
        if match is None:
            outcome.status = NEW
            return
        outcome.changed_fields = [
            name for name, old in before.items() if getattr(instance, name) != old
        ]
        for name in self.m2m_fields:
            if name in values:
                old_ids = [obj.pk for obj in getattr(match, name).all()]
                if set(old_ids) != {obj.pk for obj in values[name]}:
                    outcome.extra.setdefault("m2m_changed", []).append(name)
                    outcome.extra.setdefault("old_m2m", {})[name] = old_ids
        changed = outcome.changed_fields or outcome.extra.get("m2m_changed")
        outcome.status = CHANGED if changed else UNCHANGED

    def _snapshot(self, instance):
        if instance is None:
            return {}
        return {f.attname: getattr(instance, f.attname) for f in self._written_fields}

    @cached_property
    def _written_fields(self):
        return self.written_fields()

    def written_fields(self):
        """The concrete fields a row can set (from the columns' `field`)."""
        names = {column.field for column in self.columns if column.field}
        names.add(self.organization_field)
        return [f for f in self.model._meta.concrete_fields if f.name in names]

    def write(self, outcomes, ctx, store):
        created = [o.record for o in outcomes if o.status == NEW]
        store.insert_instances(self.model, created, now=ctx.now)
        changed = [o for o in outcomes if o.status == CHANGED]
        names = {f.attname: f.name for f in self.model._meta.concrete_fields}
        fields = sorted({names[attname] for o in changed for attname in o.changed_fields})
        if fields:
            store.run(self.model.objects.bulk_update,
                      [o.record for o in changed if o.changed_fields], fields, batch_size=500)
        for name in self.m2m_fields:
            self._write_m2m(name, [o for o in outcomes if o.status == NEW and name in o.values],
                            [o for o in changed if name in o.extra.get("m2m_changed", ())], store)
        return created, [o.record for o in changed]

    def _write_m2m(self, name, new, changed, store):
        manager_field = self.model._meta.get_field(name)
        through = manager_field.remote_field.through
        source = manager_field.m2m_field_name()
        target = manager_field.m2m_reverse_field_name()
        if changed:
            store.run(through.objects.filter(
                **{f"{source}__in": [o.record.pk for o in changed]}).delete)
        store.insert_rows(through, [f"{source}_id", f"{target}_id"], [
            (o.record.pk, obj.pk) for o in (*new, *changed) for obj in o.values[name]
        ])

    def scope_targets(self, outcome):
        return [outcome.record]

    def describe(self, outcome):
        organization = (outcome.values.get(self.organization_field)
                        if self.organization_field else None)
        identifier = organization.credit_code or organization.filing_number if organization else ""
        return str(outcome.record), identifier

    def field_changes(self, outcome):
        record, old_values = outcome.record, outcome.extra.get("old_values", {})
        by_attname = {f.attname: f for f in self._written_fields}
        changes = []
        for attname in outcome.changed_fields:
            field = by_attname[attname]
            cached = field.is_relation and field.is_cached(record)
            new = getattr(record, field.name if cached else attname)
            changes.append((self._header(field), field, old_values.get(attname), new))
        for name in outcome.extra.get("m2m_changed", ()):
            field = self.model._meta.get_field(name)
            changes.append((self._header(field), field, outcome.extra["old_m2m"][name],
                            list(outcome.values[name])))
        return changes

    def _header(self, field):
        return self.header_for_field(field.name) or str(field.verbose_name)


def _empty_for(model, name):
    """What an empty cell stores: the field's default, else "" in a text field, else None."""
    field = model._meta.get_field(name)
    if field.has_default():
        return field.get_default()
    if isinstance(field, (models.CharField, models.TextField)) and not field.null:
        return ""
    return None
