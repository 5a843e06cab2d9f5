"""What a preview lists besides its counts: each record it would add, and each change as
field: old -> new. Kept on the run (ImportRun.changes), the first STORED_CHANGES of them.

The kinds say which fields change and their values as the model holds them (ImportKind.describe
and field_changes); this module turns them into text for the page, with one query per related
model and chunk for the names behind foreign keys, and none at all past the cap.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import models

from .kinds import CHANGED, NEW

# Past this many records the page says the list is cut; the counts above it are complete.
STORED_CHANGES = 2_000
# A long text (业务范围, 说明) is shown to this many characters.
VALUE_CHARS = 200
ELLIPSIS = "\u2026"


def describe(kind, outcomes, *, room):
    """The entries for the valid NEW and CHANGED outcomes of a chunk, at most `room` of them:
    {"row", "action" ("new" or "changed"), "record", "identifier", "fields": [{"field", "old",
    "new"}]}."""
    if room <= 0:
        return []
    wanted = [o for o in outcomes if o.ok and o.status in (NEW, CHANGED)][:room]
    if not wanted:
        return []
    drafts = []
    for outcome in wanted:
        record, identifier = kind.describe(outcome)
        fields = kind.field_changes(outcome) if outcome.status == CHANGED else []
        drafts.append((outcome, record, identifier, fields))
    names = _related_names(field_and_value for *_, fields in drafts
                           for _header, field, old, new in fields
                           for field_and_value in ((field, old), (field, new)))
    return [{
        "row": outcome.row,
        "action": outcome.status,
        "record": _short(record),
        "identifier": identifier or "",
        "fields": [{"field": header, "old": _shown(field, old, names),
                    "new": _shown(field, new, names)}
                   for header, field, old, new in fields],
    } for outcome, record, identifier, fields in drafts]


def _is_relation(field):
    return field is not None and field.is_relation and field.related_model is not None


def _ids(value):
    """The ids a relation's value names (an object, an id, or a list of either)."""
    values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
    return [v for v in values if v is not None and not isinstance(v, models.Model)]


def _related_names(fields_and_values):
    """{(model, id): name} for every id the values name, one query per related model."""
    wanted = defaultdict(set)
    for field, value in fields_and_values:
        if _is_relation(field):
            wanted[field.related_model].update(_ids(value))
    names = {}
    for model, ids in wanted.items():
        for obj in model._base_manager.filter(pk__in=ids):
            names[(model, obj.pk)] = str(obj)
    return names


def _shown(field, value, names):
    """A value as the page shows it: "" for nothing, labels for choices, names for relations."""
    if _is_relation(field):
        values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
        model = field.related_model
        shown = [str(v) if isinstance(v, models.Model) else names.get((model, v), str(v))
                 for v in values if v is not None]
        return _short("\u3001".join(shown))
    if field is not None and field.choices and value not in (None, ""):
        return _short(str(dict(field.flatchoices).get(value, value)))
    return _short(_text(value))


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        text = format(value, "f")  # 120000.00 saved, 120000 typed: both read 120000
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def _short(text):
    text = str(text)
    return text if len(text) <= VALUE_CHARS else text[:VALUE_CHARS] + ELLIPSIS
