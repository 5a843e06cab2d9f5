"""Lookups by the names people write, loaded once per import or once per chunk: never one query
per row."""

from collections import defaultdict

from registry.models import Area, Department, FormerName, Organization, ServiceField

from . import normalize
from .normalize import CellError

# SQLite allows 32,766 parameters per statement; stay far below it and below what PostgreSQL
# plans well for an IN list.
IN_BATCH = 900


def in_batches(values, size=IN_BATCH):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def fetch_in(queryset, field, values):
    """queryset.filter(field__in=values), in batches."""
    found = []
    for batch in in_batches(set(values)):
        found.extend(queryset.filter(**{f"{field}__in": batch}))
    return found


class NameIndex:
    """Objects by one or more names each, compared after normalize.key; a name two objects
    share is ambiguous."""

    def __init__(self, what):
        self.what = what
        self._objects = defaultdict(list)

    def add(self, obj, *names):
        for name in {normalize.key(n) for n in names if n}:
            if obj not in self._objects[name]:
                self._objects[name].append(obj)

    def find(self, value):
        """The object a cell names, None for an empty cell; CellError when unknown or ambiguous."""
        name = normalize.key(value)
        if not name:
            return None
        found = self._objects.get(name, [])
        if len(found) == 1:
            return found[0]
        shown = normalize.text(value)
        if not found:
            raise CellError(f"找不到{self.what}“{shown}”。")
        raise CellError(f"有多个{self.what}名为“{shown}”，请填写全称。")

    def find_all(self, values):
        """Objects for a multi-value cell; one CellError listing every unknown name."""
        found, unknown = [], []
        for value in normalize.split_multi(values):
            try:
                obj = self.find(value)
            except CellError:
                unknown.append(value)
                continue
            if obj is not None and obj not in found:
                found.append(obj)
        if unknown:
            raise CellError(f"找不到{self.what}：{'、'.join(unknown)}。")
        return found


class Taxonomies:
    """Towns, service fields and departments, loaded whole (a few thousand rows even for a
    province); villages and communities town by town, as the rows name them."""

    def __init__(self):
        self.towns = NameIndex("镇街")
        for town in Area.objects.filter(level__in=Area.TOWN_LEVELS):
            # The division code tells apart towns of the same name in different counties.
            self.towns.add(town, town.name, town.short_name, town.code)
        self._villages = {}
        self.service_fields = NameIndex("服务领域")
        for service_field in ServiceField.objects.all():
            self.service_fields.add(service_field, service_field.name)
        self.departments = NameIndex("政府部门")
        for department in Department.objects.all():
            self.departments.add(department, department.name, department.short_name)

    def load_villages(self, town_ids):
        """The villages and communities of these towns, in one query for those not yet loaded."""
        missing = {pk for pk in town_ids if pk is not None and pk not in self._villages}
        if not missing:
            return
        for pk in missing:
            self._villages[pk] = NameIndex("村（社区）")
        grassroots = Area.objects.filter(level__in=Area.GRASSROOTS_LEVELS)
        for village in fetch_in(grassroots, "parent_id", missing):
            self._villages[village.parent_id].add(village, village.name)

    def village(self, town, value):
        """A village or community of `town` by name."""
        if not normalize.key(value):
            return None
        self.load_villages([town.pk])
        try:
            return self._villages[town.pk].find(value)
        except CellError as e:
            raise CellError(f"{town.name}下{e}") from None


class OrganizationRef:
    """How a row names an organization: credit code, else filing number, else name (within a town
    when one is given)."""

    __slots__ = ("credit_code", "filing_number", "name", "town", "headers", "one_cell")

    def __init__(self, *, credit_code="", filing_number="", name="", town=None, headers,
                 one_cell=False):
        self.credit_code = credit_code
        self.filing_number = filing_number
        self.name = name
        self.town = town
        self.headers = headers  # (code header, filing header, name header) to put errors on
        # One cell holding a filing number or a name: try it as the one, then as the other.
        self.one_cell = one_cell

    @property
    def empty(self):
        return not (self.credit_code or self.filing_number or self.name)


class OrganizationFinder:
    """Resolves OrganizationRefs of one chunk with a few queries."""

    def __init__(self, refs):
        refs = [r for r in refs if r is not None and not r.empty]
        self.by_code = {}
        self.by_filing = {}
        self.by_name = defaultdict(list)
        self.former_names = defaultdict(set)
        codes = {r.credit_code for r in refs if r.credit_code}
        filings = {r.filing_number for r in refs if r.filing_number}
        names = {r.name for r in refs if r.name}
        # The "<> ''" conditions let both databases use the partial unique indexes.
        queryset = Organization.objects.select_related("town").order_by()
        for org in fetch_in(queryset.exclude(credit_code=""), "credit_code", codes):
            self.by_code[org.credit_code] = org
        for org in fetch_in(queryset.exclude(filing_number=""), "filing_number", filings):
            self.by_filing[org.filing_number] = org
        for org in fetch_in(queryset, "name", names):
            self.by_name[normalize.key(org.name)].append(org)
        formers = FormerName.objects.select_related("organization__town")
        for former in fetch_in(formers, "name", names):
            self.by_name[normalize.key(former.name)].append(former.organization)
        found = {o.pk for o in (*self.by_code.values(), *self.by_filing.values())}
        for former in fetch_in(FormerName.objects.all(), "organization_id", found):
            self.former_names[former.organization_id].add(normalize.key(former.name))

    def find(self, ref, outcome):
        """The organization, or None with the error put on the row."""
        code_header, filing_header, name_header = ref.headers
        if ref.credit_code:
            org = self.by_code.get(ref.credit_code)
            if org is None:
                outcome.error(code_header, f"找不到统一社会信用代码为“{ref.credit_code}”的社会组织。")
                return None
            return self._check_name(org, ref, outcome, code_header, ref.credit_code)
        if ref.filing_number:
            org = self.by_filing.get(ref.filing_number)
            if org is not None and ref.one_cell:
                return org
            if org is None and not ref.one_cell:
                outcome.error(filing_header, f"找不到备案编号为“{ref.filing_number}”的社会组织。")
                return None
            if org is not None:
                return self._check_name(org, ref, outcome, filing_header, ref.filing_number)
        if ref.name:
            candidates = self.by_name.get(normalize.key(ref.name), [])
            if ref.town is not None:
                candidates = [o for o in candidates if o.town_id == ref.town.pk]
            candidates = list({o.pk: o for o in candidates}.values())
            where = f"{ref.town.name}" if ref.town is not None else ""
            if not candidates and ref.one_cell:
                outcome.error(name_header, f"找不到社会组织“{ref.name}”（可填统一社会信用代码、备案编号或名称）。")
                return None
            if not candidates:
                outcome.error(name_header, f"{where}找不到名为“{ref.name}”的社会组织。")
                return None
            if len(candidates) > 1:
                outcome.error(name_header, f"{where}有{len(candidates)}个名为“{ref.name}”的社会组织，"
                                           "请填写统一社会信用代码或备案编号。")
                return None
            return candidates[0]
        outcome.error(name_header, "请填写统一社会信用代码、备案编号或社会组织名称。")
        return None

    def _check_name(self, org, ref, outcome, header, identifier):
        # A mistyped but valid code could name another organization: the name must agree.
        if ref.name and normalize.key(ref.name) != normalize.key(org.name) and (
            normalize.key(ref.name) not in self.former_names[org.pk]
        ):
            outcome.error(header, f"“{identifier}”对应的社会组织是“{org.name}”，与所填名称“{ref.name}”不一致。")
            return None
        return org


def single_cell_ref(value, *, header, town=None):
    """A reference written in one cell: a credit code, a filing number or a name."""
    shown = normalize.text(value)
    if not shown:
        return None
    as_code = normalize.code(value)
    if len(as_code) == 18 and as_code.isalnum() and as_code.isascii():
        return OrganizationRef(credit_code=as_code, headers=(header, header, header))
    return OrganizationRef(
        filing_number=normalize.key(value), name=shown, town=town, headers=(header, header, header),
        one_cell=True,
    )
