"""The organization profile: one or two pages of an organization's public record."""

from django.utils import timezone

from registry.models import Organization
from registry.record import organization_record
from website import privacy

from .render import render_pdf

TEMPLATE = "summaries/organization_profile.html"
SKIPPED = ("id", "name", "updated_at", "resulting_status", "ends_on")


def profile_context(*, organization):
    """The profile's context: the organization's page record (registry.record, as of today: the
    same status, grade states, credit lists and service and incubation states, every record a
    website.privacy.Public view), cut to what fits a page or two."""
    org = (
        Organization.objects.select_related("town", "village", "supervising_unit")
        .prefetch_related("service_fields", "former_names")
        .get(pk=organization.pk)
    )
    today = timezone.localdate()
    record = organization_record(organization=org, as_of=today)
    return {
        "organization": record["organization"],
        "title": f"{org.name} 公开信息",
        "status": record["status_label"],
        "as_of": today,
        "generated_at": timezone.localtime(),
        "fields": privacy.public_display_rows(org, exclude=SKIPPED),
        "former_names": [name.name for name in record["former_names"]],
        "events": [privacy.public_display_rows(e, exclude=SKIPPED + ("organization",))
                   for e in org.status_events.order_by("date", "pk")],
        "inspections": record["inspections"][:10],
        "grades": record["grades"][:5],
        "current_credit": record["current_credit"],
        "past_credit": record["past_credit"],
        "services": record["services"][:15],
        "incubations": record["incubations"],
        "grants": record["grants"][:15],
    }


def organization_profile_pdf(*, organization):
    return render_pdf(template=TEMPLATE, context=profile_context(organization=organization))
