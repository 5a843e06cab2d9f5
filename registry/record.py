"""What an organization's public page shows: its record and history, read through
website.privacy (only public fields reach the template), and its schema.org JSON-LD."""

import json

from django.db.models import Count, Manager, Model, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from funds.models import CommunityFoundation, MoneyMovement
from website import privacy

from . import credit_code
from .models import ENDED_STATUSES, Organization
from .selectors import status_as_of

GRANTS_SHOWN = 50
# Fields the page shows above the table of public fields (and the identifier: the credit code,
# else the filing number), or not at all.
NOT_IN_FIELD_TABLE = ("id", "name", "updated_at", "legal_form", "credit_code")
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


class Public:
    """A read-only view of a record showing only what website.privacy calls public.

    A template asking for a private field gets nothing (Django templates render an
    AttributeError as empty), related records come wrapped the same way, and a many-to-many
    field reads as a list of wrapped records (from the prefetch cache when there is one).
    """

    def __init__(self, instance):
        self._instance = instance

    def __str__(self):
        return str(self._instance)

    def __getattr__(self, name):
        field = name
        if name.startswith("get_") and name.endswith("_display"):
            field = name[len("get_"):-len("_display")]
        elif name.endswith("_id"):
            field = name[: -len("_id")]
        if not privacy.is_public(type(self._instance), field):
            raise AttributeError(f"{type(self._instance).__name__}.{field} is not public")
        value = getattr(self._instance, name)
        if isinstance(value, Model):
            return Public(value)
        if isinstance(value, Manager):
            return [Public(item) for item in value.all()]
        return value


def organization_by_identifier(*, identifier):
    """The organization whose credit code (any case or width) or filing number is `identifier`,
    or None. Both are unique, so at most one matches."""
    identifier = (identifier or "").strip()
    if not identifier or len(identifier) > 40 or "\x00" in identifier:
        return None
    code = credit_code.normalize(identifier)
    match = Q(filing_number=identifier) | (Q(credit_code=code) if code else Q(pk__in=[]))
    return (
        Organization.objects.filter(match)
        .select_related("town", "village", "supervising_unit")
        .prefetch_related("service_fields", "former_names")
        .first()
    )


def _grade_rows(grades, *, as_of):
    current = next((g for g in grades if g.awarded_on <= as_of <= g.valid_until), None)
    return [
        {"grade": Public(g), "valid": g.awarded_on <= as_of <= g.valid_until, "current": g is current}
        for g in grades
    ]


def _credit_rows(entries, *, as_of):
    def listed(entry):
        return entry.listed_on <= as_of and (entry.removed_on is None or entry.removed_on > as_of)

    return (
        [Public(e) for e in entries if listed(e)],
        [Public(e) for e in entries if not listed(e)],
    )


def _foundation_part(organization):
    foundation = (
        CommunityFoundation.objects.filter(organization=organization).select_related("area")
        .prefetch_related("special_funds").first()
    )
    if foundation is None:
        return None
    return {
        "foundation": Public(foundation),
        "special_funds": sorted(
            (Public(f) for f in foundation.special_funds.all()), key=lambda f: f.established_on
        ),
    }


def _grants_part(organization):
    grants = organization.grants_received.filter(kind=MoneyMovement.Kind.GRANT_OUT)
    totals = grants.aggregate(count=Count("pk"), amount=Sum("amount"))
    shown = grants.select_related("foundation__organization", "special_fund").order_by("-date", "-pk")
    return {
        "grants": [Public(g) for g in shown[:GRANTS_SHOWN]],
        "grants_count": totals["count"],
        "grants_amount": totals["amount"] or 0,
    }


def organization_record(*, organization, as_of):
    """Everything the organization's page shows, public fields only; a fixed number of queries
    whatever the size of its history."""
    org = organization
    status = status_as_of(organization=org, as_of=as_of)
    events = list(org.status_events.order_by("date", "pk"))
    ending = next(
        (e for e in reversed(events) if status in ENDED_STATUSES and e.resulting_status == status),
        None,
    )
    start = next((e for e in events if e.kind in e.START_KINDS), None)
    shown_elsewhere = NOT_IN_FIELD_TABLE + (() if org.credit_code else ("filing_number",))
    current_credit, past_credit = _credit_rows(
        list(org.credit_list_entries.order_by("-listed_on", "-pk")), as_of=as_of
    )
    record = {
        "organization": Public(org),
        "identifier": org.public_identifier,
        "status": status,
        "status_label": status.label if status else _("尚未登记或备案"),
        "is_active": status is not None and status not in ENDED_STATUSES,
        "ending_event": Public(ending) if ending else None,
        "start_event": Public(start) if start else None,
        "fields": privacy.public_display_rows(org, exclude=shown_elsewhere),
        "former_names": [Public(name) for name in org.former_names.all()],
        "events": [Public(e) for e in events],
        "inspections": [Public(i) for i in org.annual_inspections.order_by("-year")],
        "grades": _grade_rows(list(org.evaluation_grades.order_by("-awarded_on", "-pk")), as_of=as_of),
        "current_credit": current_credit,
        "past_credit": past_credit,
        "services": [
            Public(s) for s in org.transferred_services.select_related("department")
            .prefetch_related("service_fields", "towns").order_by("-starts_on", "-pk")
        ],
        "incubations": [
            Public(i) for i in org.incubations.select_related("center").order_by("-started_on", "-pk")
        ],
        "operated_centers": [Public(c) for c in org.operated_centers.order_by("pk")],
        "hosting": _foundation_part(org),
        "profile_pdf_url": reverse("organization_profile_pdf", args=[org.public_identifier])
        if org.public_identifier else None,
    }
    record.update(_grants_part(org))
    return record


def json_ld(*, organization, status, start_event, ending_event, url):
    """schema.org Organization as a <script type="application/ld+json"> body, safe to embed.
    Reads only public fields of the organization (name, identifiers, dates, address, website)."""
    org = organization
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": org.name,
        "legalName": org.name,
        "identifier": org.public_identifier,
        "url": url,
    }
    founding = org.founded_on or (start_event.date if start_event else None)
    if founding:
        data["foundingDate"] = founding.isoformat()
    if ending_event is not None and status in ENDED_STATUSES:
        data["dissolutionDate"] = ending_event.date.isoformat()
    former = [f.name for f in org.former_names.all()]
    if former:
        data["alternateName"] = former
    address = {"@type": "PostalAddress", "addressCountry": "CN"}
    if org.address:
        address["streetAddress"] = org.address
    if org.town_id:
        address["addressLocality"] = org.town.name
    data["address"] = address
    if org.website:
        data["sameAs"] = org.website
    return json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)

