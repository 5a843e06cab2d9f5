"""What a kind of import is, and the register of kinds.

Each app declares its kinds in its own `import_kinds.py` (registry, incubator, funds) with
`register`; they are found the way Wagtail finds `wagtail_hooks` modules.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core import validators
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils import translation
from django.utils.module_loading import autodiscover_modules

from . import normalize
from .readers import ImportFileError

NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"
_SEMICOLON = "\uFF1B"  # between the problems of a header row, in one Chinese sentence


@dataclass(frozen=True)
class Column:
    header: str
    field: str = ""  # the model field it fills, so that the model's own errors name this column
    help: str = ""  # what to write, for docs/import.md and the template's second sheet
    required: bool = False  # the file must have this column
    aliases: tuple = ()  # other headers people write for it


class Row:
    """One data row: the raw cells by header, for the columns present in the file."""

    __slots__ = ("number", "cells")

    def __init__(self, number, cells):
        self.number = number
        self.cells = cells

    def has(self, header):
        return header in self.cells

    def get(self, header):
        return self.cells.get(header)


@dataclass
class Outcome:
    """What one row does: a new record, a change, nothing, or errors."""

    row: int
    status: str = UNCHANGED
    errors: list = field(default_factory=list)  # [(header, message)]
    values: dict = field(default_factory=dict)  # parsed cells, by model field or reference name
    record: object = None  # the instance to create or update
    changed_fields: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # what a kind needs between its steps

    def error(self, header, message):
        self.errors.append((header, str(message)))
        self.status = ERROR

    @property
    def ok(self):
        return not self.errors


class ImportKind:
    """A kind of spreadsheet. Subclasses say what its columns hold and how rows become records;
    the engine reads, counts, checks permissions, writes in one transaction and logs history."""

    name = ""  # for URLs and `import_records --kind`
    label = ""  # Chinese, as in the menu
    model = None
    columns = []
    chunk_size = 2000
    description = ""  # one paragraph for the upload page and docs
    also_writes = ()  # models written besides `model` (start events, links)

    def written_models(self):
        return (self.model, *self.also_writes)

    # -- headers --

    @property
    def headers(self):
        return [column.header for column in self.columns]

    def header_for_field(self, field_name):
        for column in self.columns:
            if column.field == field_name:
                return column.header
        return ""

    @cached_property
    def labels(self):
        """{header: the column's names, longest first}: a cell may repeat one before a colon."""
        return {column.header: tuple(sorted({column.header, *column.aliases}, key=len,
                                            reverse=True))
                for column in self.columns}

    def match_headers(self, headers):
        """{header: index} of the file's columns, or ImportFileError naming what is wrong."""
        by_key = {}
        for column in self.columns:
            for name in (column.header, *column.aliases):
                by_key[normalize.key(name)] = column.header
        positions, unknown, repeated = {}, [], []
        for index, written in enumerate(headers):
            if not written:
                continue
            header = by_key.get(normalize.key(written))
            if header is None:
                unknown.append(written)
            elif header in positions:
                repeated.append(written)
            else:
                positions[header] = index
        missing = [c.header for c in self.columns if c.required and c.header not in positions]
        problems = []
        if unknown:
            problems.append(f"无法识别的列：{'、'.join(unknown)}")
        if repeated:
            problems.append(f"重复的列：{'、'.join(repeated)}")
        if missing:
            problems.append(f"缺少必需的列：{'、'.join(missing)}")
        if not positions and not problems:
            problems.append("表头为空")
        if problems:
            raise ImportFileError(
                f"表头与“{self.label}”导入模板不符（{_SEMICOLON.join(problems)}）。"
                f"第一行应为以下列名（可下载导入模板）：{'、'.join(self.headers)}。"
            )
        return positions

    # -- the steps the engine calls --

    def start(self, ctx):
        """Before the first chunk: load what every row looks up (areas, taxonomies)."""

    def process(self, rows, ctx):
        """A list of Outcome, one per Row, with errors, status and the records to write."""
        raise NotImplementedError

    def write(self, outcomes, ctx, store):
        """Write the NEW and CHANGED outcomes (all valid) through `store` (bulk.py: its inserts
        give new instances their keys; other statements go through store.run). Returns
        (created, changed): the instances to log in the history."""
        raise NotImplementedError

    def finish(self, ctx):
        """After the last chunk is written (commit only): derived state."""

    def scope_targets(self, outcome):
        """The instances whose place in the staff scope decides whether a row is allowed: the
        record before and after the change."""
        return [outcome.record]

    # -- what the preview lists (website.importer.changes) --

    def describe(self, outcome):
        """(name, identifier) of a NEW or CHANGED row's record, as the preview lists it."""
        return str(outcome.record), ""

    def field_changes(self, outcome):
        """What a CHANGED row changes: [(header, model field or None, old, new)]. A foreign key's
        value may be the object or its id, a many-to-many field's a list of objects or ids."""
        return []

    # -- helpers for subclasses --

    def parse(self, row, outcome, header, parser, **kwargs):
        """The parsed cell, None when empty or absent, or None with the error recorded."""
        if not row.has(header):
            return None
        try:
            return parser(row.get(header), **kwargs)
        except normalize.CellError as e:
            outcome.error(header, e)
            return None

    def validate_model(self, instance, outcome, *, run_clean=True, exclude=frozenset()):
        """The model's own field checks and clean() (unless run_clean is False), their messages
        put on the columns. Foreign keys are only checked for presence: the kinds resolve them
        from prefetched rows, and ForeignKey.validate would query the database once per row."""
        key = (type(instance), exclude if isinstance(exclude, frozenset) else frozenset(exclude))
        checks = self._field_checks.get(key)
        if checks is None:
            checks = self._field_checks[key] = FieldChecks(*key)
        for model_field in checks.required_relations:
            if getattr(instance, model_field.attname) is None:
                header = self.header_for_field(model_field.name)
                outcome.error(header, f"请填写{header or model_field.verbose_name}。")
        try:
            checks.clean_fields(instance)
            if run_clean:
                instance.clean()
        except ValidationError as e:
            self.report_validation_error(e, outcome)
        return outcome.ok

    @cached_property
    def _field_checks(self):
        return {}

    def report_validation_error(self, error, outcome):
        if hasattr(error, "error_dict"):
            for field_name, errors in error.error_dict.items():
                header = "" if field_name == NON_FIELD_ERRORS else self.header_for_field(field_name)
                for message in ValidationError(errors).messages:
                    outcome.error(header, message)
        else:
            for message in error.messages:
                outcome.error("", message)


class FieldChecks:
    """Model.clean_fields for the fields an import checks (all but the relations and `exclude`),
    with a quick test before each field's own clean(): a text within its length (or a choice, a
    date) is one that clean() would return unchanged, and the quick test is a tenth of the cost.
    A value the quick test does not pass goes through clean(), which gives the model's message."""

    def __init__(self, model, exclude):
        self.required_relations = [
            f for f in model._meta.concrete_fields if f.is_relation and not f.null]
        self.checks = [(f, _quick_test(f)) for f in model._meta.fields
                       if not (f.is_relation or f.generated or f.name in exclude)]

    def clean_fields(self, instance):
        errors = {}
        for model_field, quick in self.checks:
            raw_value = getattr(instance, model_field.attname)
            if quick is not None and quick(raw_value):
                continue
            if model_field.blank and raw_value in model_field.empty_values:
                continue
            try:
                setattr(instance, model_field.attname, model_field.clean(raw_value, instance))
            except ValidationError as e:
                errors[model_field.name] = e.error_list
        if errors:
            raise ValidationError(errors)


def _quick_test(field):
    """A test that passes only values field.clean() passes unchanged, or None."""
    if isinstance(field, (models.CharField, models.TextField)) and not isinstance(
            field, (models.EmailField, models.URLField, models.SlugField)):
        if any(type(v) is not validators.MaxLengthValidator for v in field.validators):
            return None
        max_length = field.max_length or float("inf")
        if field.choices:
            allowed = frozenset(key for key, _label in field.flatchoices
                                if isinstance(key, str) and key and len(key) <= max_length)
            return lambda value: type(value) is str and value in allowed
        blank = field.blank
        return lambda value: type(value) is str and (blank or value != "") and (
            len(value) <= max_length)
    if type(field) is models.DateField and not field.validators:
        return lambda value: type(value) is datetime.date
    return None


_KINDS = {}
_discovered = False


def register(kind_class):
    """Class decorator: make a kind available to the admin and the command."""
    kind = kind_class()
    _KINDS[kind.name] = kind
    return kind_class


def _discover():
    global _discovered
    if not _discovered:
        # The kinds' modules read choice labels (lazy translations) into their columns and
        # lookups as they are imported: in the register's language, whatever the request's.
        with translation.override(settings.LANGUAGE_CODE):
            autodiscover_modules("import_kinds")
        _discovered = True


def all_kinds():
    _discover()
    return list(_KINDS.values())


def get_kind(name):
    _discover()
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(
            f"没有“{name}”这种导入类别。可用：{'、'.join(_KINDS)}"
        ) from None
