"""What an organization's public page shows: its record and history, read through
website.privacy (only public fields reach the template), and its schema.org JSON-LD."""

import datetime
import json
from decimal import Decimal

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from funds.models import CommunityFoundation, MoneyMovement
from website import privacy
from website.privacy import Public

from . import facts
from .models import ENDED_STATUSES, StatusEvent

GRANTS_SHOWN = 50
# Fields the page shows above the table of public fields (and the identifier: the credit code,
# else the filing number), or not at all.
NOT_IN_FIELD_TABLE = ("id", "name", "updated_at", "legal_form", "credit_code")
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
# Whole phrases for what the page says of the start and the end, one per kind of event (an
# event's name glued to "date" reads "成立登记Date" in English).
START_DATE_LABELS = {
    StatusEvent.Kind.REGISTERED: gettext_lazy("成立登记日期"),
    StatusEvent.Kind.FILED: gettext_lazy("备案日期"),
}
ENDING_MESSAGES = {
    StatusEvent.Kind.DEREGISTERED: gettext_lazy(
        "该组织已于 %(date)s 注销登记，现状态为“%(status)s”。以下为其历史登记信息。"),
    StatusEvent.Kind.REVOKED: gettext_lazy(
        "该组织已于 %(date)s 被撤销登记，现状态为“%(status)s”。以下为其历史登记信息。"),
    StatusEvent.Kind.FILING_CANCELLED: gettext_lazy(
        "该组织已于 %(date)s 被撤销备案，现状态为“%(status)s”。以下为其历史备案信息。"),
}


def _grade_rows(grades, *, as_of, status, ending):
    """The grades awarded by `as_of`, newest first, each with its state that day
    (registry.facts.GradeState) and, for a grade ended with the organization, the ending event."""
    rows = []
    for grade in grades:
        state = facts.grade_state(grade, grades=grades, day=as_of, status=status,
                                  ended_on=ending.date if ending else None)
        if state is facts.GradeState.FUTURE:
            continue
        rows.append({"grade": Public(grade), "state": state.value,
                     "ended_by": Public(ending) if state is facts.GradeState.ENDED else None})
    return rows


def _credit_rows(entries, *, as_of):
    """(entries holding on `as_of`, entries removed by then); later entries are not shown."""
    known = [e for e in entries if e.listed_on <= as_of]
    current = facts.credit_entries_on(known, as_of)
    return [Public(e) for e in current], [Public(e) for e in known if e not in current]


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


def _grants_part(organization, *, until):
    grants = organization.grants_received.filter(kind=MoneyMovement.Kind.GRANT_OUT, date__lte=until)
    shown = list(grants.select_related("foundation__organization", "special_fund")
                 .order_by("-date", "-pk")[:GRANTS_SHOWN + 1])
    if len(shown) <= GRANTS_SHOWN:  # all of them: count and add them here, no second query
        count, amount = len(shown), sum((g.amount for g in shown), Decimal(0))
    else:
        totals = grants.aggregate(count=Count("pk"), amount=Sum("amount"))
        count, amount = totals["count"], totals["amount"] or 0
    return {
        "grants": [Public(g) for g in shown[:GRANTS_SHOWN]],
        "grants_count": count,
        "grants_amount": amount,
    }


def organization_record(*, organization, as_of):
    """Everything the organization's page shows as the record stood on `as_of` (today, or a past
    day), public fields only; a fixed number of queries whatever the size of its history. Status,
    grade and credit lists are read through registry.facts; what happened after `as_of` is left
    out."""
    org = organization
    # A past view leaves out what began later; today's view also shows what is planned (a
    # service that starts next month reads 未开始).
    later = as_of + datetime.timedelta(days=1) if as_of < timezone.localdate() else None
    events = [e for e in org.status_events.order_by("date", "pk") if e.date <= as_of]
    status = facts.status_on(events, as_of)
    ending = facts.ending_event(events, as_of)
    start = facts.start_event(events)
    shown_elsewhere = NOT_IN_FIELD_TABLE + (() if org.credit_code else ("filing_number",))
    current_credit, past_credit = _credit_rows(
        list(org.credit_list_entries.order_by("-listed_on", "-pk")), as_of=as_of
    )
    status_label = status.label if status else _("尚未登记或备案")
    record = {
        "organization": Public(org),
        "identifier": org.public_identifier,
        "status": status,
        "status_label": status_label,
        "is_active": status is not None and status not in ENDED_STATUSES,
        "ending_event": Public(ending) if ending else None,
        "ending_message": ENDING_MESSAGES[ending.kind] % {
            "date": ending.date.isoformat(), "status": status_label} if ending else "",
        "start_event": Public(start) if start else None,
        "start_label": START_DATE_LABELS[start.kind] if start else "",
        "fields": privacy.public_display_rows(org, exclude=shown_elsewhere),
        "former_names": [Public(name) for name in org.former_names.all()],
        "events": [Public(e) for e in events],
        "inspections": [Public(i) for i in org.annual_inspections.filter(year__lt=as_of.year)
                        .order_by("-year")],
        "grades": _grade_rows(list(org.evaluation_grades.order_by("-awarded_on", "-pk")),
                              as_of=as_of, status=status, ending=ending),
        "current_credit": current_credit,
        "past_credit": past_credit,
        "services": [  # each with its state on `as_of`, from its dates (registry.facts)
            {"service": Public(s), "state": s.state_on(as_of)}
            for s in org.transferred_services.select_related("department")
            .prefetch_related("service_fields", "towns").order_by("-starts_on", "-pk")
            if later is None or s.starts_on < later
        ],
        "incubations": [  # each with its state on `as_of`, from its dates (incubator.facts)
            {"incubation": Public(i), "state": i.state_on(as_of)}
            for i in org.incubations.select_related("center").order_by("-started_on", "-pk")
            if later is None or i.started_on < later
        ],
        "operated_centers": [Public(c) for c in org.operated_centers.order_by("pk")],
        "hosting": _foundation_part(org),
        "profile_pdf_url": reverse("organization_profile_pdf", args=[org.public_identifier])
        if org.public_identifier else None,
    }
    record.update(_grants_part(org, until=as_of))
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

