"""Columns of the public tables, derived from `website.privacy`.

A column turns a record into one typed value: text, a number, a date, or a list of names. Choice
fields give their label in the language of the request (and, in the machine formats, the stored
code); related records give their name (and, for areas, service fields and departments, their
English name as `<key>_en`). Headers are translatable: a download from the Chinese site has
Chinese headers and labels, one from the English site (/en/) English ones; the keys and codes are
the same in both. Only fields `website.privacy.public_fields` lists ever become columns, so a
field marked private there cannot reach a download or the API.
"""

import datetime
from dataclasses import dataclass
from typing import Any, Callable, Optional

from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from registry.models import Area, Department, Organization, ServiceField
from website.privacy import public_fields


@dataclass(frozen=True)
class Context:
    """What a column may need beyond the record: the day "current" means, and the site's address
    for absolute links."""

    today: datetime.date
    base_url: str = ""
    request: Any = None  # lets URL helpers look a page up once per request, not once per row

    @classmethod
    def for_request(cls, request, *, as_of=None):
        """`as_of`: the day the query asked for (its `as_of`), else today."""
        return cls(
            today=as_of or timezone.localdate(),
            base_url=request.build_absolute_uri("/").rstrip("/"), request=request,
        )


@dataclass(frozen=True)
class Column:
    key: str  # the JSON / API key
    header: Any  # the CSV / XLSX header: a translatable string, shown in the request's language
    get: Callable[[Any, Context], Any]
    type: type = str  # str, int, float, bool, datetime.date, datetime.datetime or list (of names)
    # The stored code behind a label (choices, area codes): machine formats add it as `<key>_code`.
    code: Optional[Callable[[Any, Context], Any]] = None
    code_type: type = str
    # The English name behind a taxonomy name: machine formats add it as `<key>_en` (a list of
    # names for a many-to-many, else one name, empty where none is kept).
    english: Optional[Callable[[Any, Context], Any]] = None


def identifier(organization):
    """An organization's public key: its credit code, else its filing number."""
    return organization.public_identifier if organization is not None else None


def _value_type(field):
    if isinstance(field, models.DateTimeField):
        return datetime.datetime
    if isinstance(field, models.DateField):
        return datetime.date
    if isinstance(field, models.DecimalField):
        return float  # the value stays a Decimal; JSON carries it as a number
    if isinstance(field, (models.IntegerField, models.AutoField)):
        return int
    if isinstance(field, models.BooleanField):
        return bool
    return str


def _plain(name):
    return lambda obj, ctx: getattr(obj, name)


def _label(name):
    return lambda obj, ctx: getattr(obj, f"get_{name}_display")() if getattr(obj, name) not in (
        None, "") else None


def _related_name(name):
    def get(obj, ctx):
        related = getattr(obj, name)
        return str(related) if related is not None else None
    return get


def prefetched(name):
    """The attribute a table prefetches a many-to-many into (a plain list: reading it per row
    builds no queryset, which at a million rows is most of the cost)."""
    return f"prefetched_{name}"


def related_list(obj, name):
    found = getattr(obj, prefetched(name), None)
    return found if found is not None else list(getattr(obj, name).all())


def _related_names(name):
    return lambda obj, ctx: [str(related) for related in related_list(obj, name)]


# Records whose names the English pages show in English (registry.models.taxonomy).
ENGLISH_NAMED = (Area, ServiceField, Department)


def _english_name(name):
    def english(obj, ctx):
        related = getattr(obj, name)
        return related.name_en if related is not None else None
    return english


def _english_names(name):
    return lambda obj, ctx: [related.name_en for related in related_list(obj, name)]


def _area_code(name):
    def code(obj, ctx):
        area = getattr(obj, name)
        return area.code if area is not None else None
    return code


def field_columns(model):
    """{name: Column} for each public field of `model` except its id, in field order."""
    columns = {}
    for name in public_fields(model):
        if name == "id":
            continue
        field = model._meta.get_field(name)
        header = field.verbose_name
        english = field.is_relation and field.related_model in ENGLISH_NAMED
        if field.many_to_many:
            columns[name] = Column(name, header, _related_names(name), list,
                                   english=_english_names(name) if english else None)
        elif field.is_relation:
            area = field.related_model is Area
            columns[name] = Column(
                name, header, _related_name(name), str, code=_area_code(name) if area else None,
                english=_english_name(name) if english else None,
            )
            if field.related_model is Organization:
                # Names are not unique: the identifier says which organization.
                key = f"{name}_identifier"
                columns[key] = Column(
                    key, format_lazy(_("{field}统一社会信用代码/备案编号"), field=header),
                    lambda obj, ctx, name=name: identifier(getattr(obj, name)),
                )
        elif field.choices:
            code_type = int if isinstance(field, models.IntegerField) else str
            columns[name] = Column(
                name, header, _label(name), str,
                code=lambda obj, ctx, name=name: getattr(obj, name), code_type=code_type,
            )
        else:
            columns[name] = Column(name, header, _plain(name), _value_type(field))
    return columns


def arrange(columns, *, first=(), extra=()):
    """The columns in order: `first` keys, then the rest in field order, with `extra` columns
    inserted after the key each names (`(after_key, column)`; `None` appends). A public field
    nobody placed still appears, so adding a public field needs no change here."""
    extra_after = {}
    for after, column in extra:
        extra_after.setdefault(after, []).append(column)
    ordered = [columns[key] for key in first] + [
        column for key, column in columns.items() if key not in first
    ]
    result = []

    def place(column):
        result.append(column)
        for following in extra_after.pop(column.key, []):
            place(following)

    for column in ordered:
        place(column)
    for column in extra_after.pop(None, []):
        place(column)
    if extra_after:
        raise ValueError(f"No column to place extras after: {sorted(extra_after)}")
    return tuple(result)
