"""The one place that decides which fields of a record are public.

Pages, exports, the API and the PDFs read records through `public_fields` / `public_values`,
the `Public` view of a record and the `only_public` field lists; nothing else decides. Every
concrete field of a published model must be listed as public or private here: a system check
(`website.E001`) fails when a new field is not, so a field is never published by accident.
"""

from django.apps import apps
from django.core import checks
from django.db import models
from django.db.models import Manager, Model
from django.utils.translation import pgettext

# model label -> (public fields, private fields)
CLASSIFICATION = {
    "registry.area": ({"id", "code", "name", "name_en", "level", "parent"}, set()),
    "registry.servicefield": ({"id", "code", "name", "name_en", "category", "sort_order"}, set()),
    "registry.department": ({"id", "name", "name_en", "short_name", "area"}, set()),
    "registry.organization": (
        {
            "id", "name", "legal_form", "credit_code", "filing_number", "registration_authority",
            "supervising_unit", "town", "village", "address", "founded_on", "legal_representative",
            "business_scope", "service_fields", "initial_funds", "website", "description",
            "updated_at",
        },
        {
            "contact_phone", "internal_note", "created_at",
            # Wagtail's editing machinery
            "locked", "locked_at", "locked_by", "latest_revision",
        },
    ),
    "registry.formername": ({"id", "organization", "name", "used_until"}, set()),
    "registry.statusevent": (
        {"id", "organization", "kind", "date", "document_number", "description",
         "resulting_status", "ends_on"},
        {"internal_note"},
    ),
    "registry.annualinspection": (
        {"id", "organization", "year", "result", "concluded_on", "note"}, set()
    ),
    "registry.evaluationgrade": (
        {"id", "organization", "grade", "awarded_on", "valid_until", "assessed_by",
         "certificate_number"},
        set(),
    ),
    "registry.creditlistentry": (
        {"id", "organization", "list_kind", "reason", "listed_on", "listed_by",
         "decision_number", "removed_on", "removal_reason"},
        set(),
    ),
    "registry.transferredservice": (
        {"id", "title", "department", "organization", "service_fields", "mode", "contract_number",
         "amount", "starts_on", "ends_on", "terminated_on", "towns", "evaluation",
         "evaluation_note"},
        {"locked", "locked_at", "locked_by"},
    ),
    "incubator.incubationcenter": (
        {"id", "name", "level", "area", "operator", "address", "opened_on", "space_m2",
         "services"},
        {"locked", "locked_at", "locked_by"},
    ),
    "incubator.incubation": (
        {"id", "center", "group_name", "organization", "started_on", "planned_end_on",
         "ended_on", "outcome", "support"},
        {"internal_note"},
    ),
    "funds.communityfoundation": (
        {"id", "organization", "role", "area"}, {"locked", "locked_at", "locked_by"}
    ),
    "funds.specialfund": (
        {"id", "host", "name", "theme", "established_on", "closed_on", "initiator", "purpose",
         "target_amount"},
        {"locked", "locked_at", "locked_by"},
    ),
    "funds.moneymovement": (
        {"id", "foundation", "special_fund", "kind", "date", "amount", "counterparty_kind",
         "counterparty", "grantee", "project"},
        # A personal donor's name is private; so is the receipt number, which can identify one.
        {"personal_donor_name", "receipt_number", "internal_note"},
    ),
}


# Properties computed from fields only: public when every field they read is public.
DERIVED = {
    "registry.organization": {
        "public_identifier": {"credit_code", "filing_number"},
        "is_registered_form": {"legal_form"},
    },
    "registry.area": {
        "short_name": {"name"}, "is_town_level": {"level"}, "is_grassroots_level": {"level"},
        "display_name": {"name", "name_en"}, "display_short_name": {"name", "name_en"},
    },
    "registry.servicefield": {"display_name": {"name", "name_en"}},
    "registry.department": {"display_name": {"name", "name_en"}},
}


def _classification(model):
    try:
        return CLASSIFICATION[model._meta.label_lower]
    except KeyError:
        raise LookupError(f"{model._meta.label} is not published; add it to website.privacy") from None


def public_fields(model):
    """Names of the model's public fields, in the model's field order."""
    public, _private = _classification(model)
    return [f.name for f in _model_fields(model) if f.name in public]


def private_fields(model):
    return set(_classification(model)[1])


def is_public(model, field_name):
    return field_name in _classification(model)[0]


def public_values(instance):
    """A dict of the instance's public, non-relational field values (foreign keys as ids)."""
    values = {}
    for field in _model_fields(type(instance)):
        if field.name not in _classification(type(instance))[0] or field.many_to_many:
            continue
        values[field.attname] = getattr(instance, field.attname)
    return values


def _model_fields(model):
    return [f for f in model._meta.get_fields() if f.concrete]


def _readable(model, name):
    """Whether a Public view of a `model` record may give `name`: a public field, its id, its
    choice label, the primary key, or a property derived from public fields only."""
    if name == "pk":
        name = model._meta.pk.name
    elif name.startswith("get_") and name.endswith("_display"):
        name = name[len("get_"):-len("_display")]
    elif name.endswith("_id") and not is_public(model, name):
        name = name[: -len("_id")]
    if is_public(model, name):
        return True
    sources = DERIVED.get(model._meta.label_lower, {}).get(name)
    return sources is not None and all(is_public(model, source) for source in sources)


class Public:
    """A read-only view of a record showing only what this module calls public.

    A template asking for a private field gets nothing (Django templates render an
    AttributeError as empty), related records come wrapped the same way, and a many-to-many
    field or reverse relation reads as a list of wrapped records (from the prefetch cache when
    there is one). `extra` names attributes a selector computed for the public (annotations
    such as yearly totals), which are given as they are.
    """

    __slots__ = ("_instance", "_extra")

    def __init__(self, instance, *, extra=()):
        self._instance = instance
        self._extra = frozenset(extra)

    def __str__(self):
        return str(self._instance)

    def __repr__(self):
        return f"Public({self._instance!r})"

    def __getattr__(self, name):
        # Never called for the slots; anything private-looking (_meta, _state, ...) stays hidden.
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._extra:
            return getattr(self._instance, name)
        model = type(self._instance)
        if not _readable(model, name):
            raise AttributeError(f"{model.__name__}.{name} is not public")
        value = getattr(self._instance, name)
        if isinstance(value, Model):
            return Public(value)
        if isinstance(value, Manager):
            return [Public(item) for item in value.all()]
        return value


def public_columns(model):
    """Names of the model's public fields stored in its own table (no many-to-many)."""
    public = _classification(model)[0]
    return [f.name for f in _model_fields(model) if f.name in public and not f.many_to_many]


def only_public(model, *, related=None):
    """The field names for `QuerySet.only()` that load the model's public fields and nothing
    private, and, for each relation path in `related` ({"grantee": Organization,
    "foundation__organization": Organization}, joined with select_related), the public fields
    of the related model under that prefix. Every step of a path must be a public relation."""
    names = public_columns(model)
    for path, related_model in (related or {}).items():
        current = model
        for step in path.split("__"):
            if not is_public(current, step):
                raise ValueError(f"{current.__name__}.{step} is not public")
            current = current._meta.get_field(step).related_model
            if current is None:
                raise ValueError(f"{path} is not a relation of {model.__name__}")
        if current is not related_model:
            raise ValueError(f"{model.__name__}.{path} leads to {current.__name__}, "
                             f"not {related_model.__name__}")
        names += [f"{path}__{name}" for name in public_columns(related_model)]
    return names


@checks.register()
def check_every_field_is_classified(app_configs=None, **kwargs):
    errors = []
    for label, (public, private) in CLASSIFICATION.items():
        model = apps.get_model(label)
        names = {f.name for f in _model_fields(model)}
        for name in sorted(names - public - private):
            errors.append(checks.Error(
                f"{model._meta.label}.{name} is neither public nor private.",
                hint="Classify it in site/privacy.py.", id="website.E001",
            ))
        for name in sorted(public & private):
            errors.append(checks.Error(
                f"{model._meta.label}.{name} is both public and private.", id="website.E002"))
        for name in sorted((public | private) - names):
            errors.append(checks.Error(
                f"{model._meta.label}.{name} is classified but does not exist.", id="website.E003"))
        for prop, sources in DERIVED.get(label, {}).items():
            if not hasattr(model, prop) or not sources <= names:
                errors.append(checks.Error(
                    f"{model._meta.label}.{prop} is derived from fields that do not exist.",
                    id="website.E004"))
    return errors


def _shown_name(obj):
    """A related record as a reader sees it: a taxonomy record in the page's language."""
    return getattr(obj, "display_name", None) or str(obj)


def public_display_rows(instance, *, exclude=("id",)):
    """[(label, text)] of the instance's public fields, as a person reads them in the active
    language: choice labels, related records by name, many-to-many joined by 、 (a comma in
    English). Empty values are left out."""
    separator = pgettext("between listed names", "、")
    rows = []
    for name in public_fields(type(instance)):
        if name in exclude:
            continue
        field = type(instance)._meta.get_field(name)
        if field.many_to_many:
            text = separator.join(_shown_name(obj) for obj in getattr(instance, name).all())
        elif field.choices:
            text = getattr(instance, f"get_{name}_display")()
        elif field.is_relation:
            related = getattr(instance, name)
            text = "" if related is None else _shown_name(related)
        else:
            value = getattr(instance, name)
            if value is None:
                text = ""
            elif isinstance(field, models.DecimalField):
                # Grouped as every table writes amounts (80,000.00), to the field's own places.
                text = f"{value:,.{field.decimal_places}f}"
            else:
                text = str(value)
        if text:
            rows.append((str(field.verbose_name), text))
    return rows
