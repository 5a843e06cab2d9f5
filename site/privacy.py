"""The one place that decides which fields of a record are public.

Pages, exports, the API and the PDFs read records through `public_fields` / `public_values`;
nothing else decides. Every concrete field of a published model must be listed as public or
private here: a system check (`website.E001`) fails when a new field is not, so a field is never
published by accident.
"""

from django.apps import apps
from django.core import checks

# model label -> (public fields, private fields)
CLASSIFICATION = {
    "registry.area": ({"id", "code", "name", "level", "parent"}, set()),
    "registry.servicefield": ({"id", "code", "name", "category", "sort_order"}, set()),
    "registry.department": ({"id", "name", "short_name", "area"}, set()),
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
         "amount", "starts_on", "ends_on", "towns", "status", "evaluation", "evaluation_note"},
        {"locked", "locked_at", "locked_by"},
    ),
    "incubator.incubationcenter": (
        {"id", "name", "level", "area", "operator", "address", "opened_on", "space_m2",
         "services"},
        {"locked", "locked_at", "locked_by"},
    ),
    "incubator.incubation": (
        {"id", "center", "group_name", "organization", "started_on", "ended_on", "outcome",
         "support"},
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
    return errors


def public_display_rows(instance, *, exclude=("id",)):
    """[(label, text)] of the instance's public fields, as a person reads them: choice labels,
    related records by name, many-to-many joined by 、. Empty values are left out."""
    rows = []
    for name in public_fields(type(instance)):
        if name in exclude:
            continue
        field = type(instance)._meta.get_field(name)
        if field.many_to_many:
            text = "、".join(str(obj) for obj in getattr(instance, name).all())
        elif field.choices:
            text = getattr(instance, f"get_{name}_display")()
        else:
            value = getattr(instance, name)
            text = "" if value is None else str(value)
        if text:
            rows.append((str(field.verbose_name), text))
    return rows
