"""The organization profile: one or two pages of an organization's public record."""

from django.utils import timezone

from registry.models import Organization
from registry.selectors import status_as_of
from website import privacy
from website.privacy import Public

from .render import render_pdf

TEMPLATE = "summaries/organization_profile.html"
SKIPPED = ("id", "name", "updated_at", "resulting_status", "ends_on")


def _public(records):
    return [Public(record) for record in records]


def profile_context(*, organization):
    """The profile's context: every record as a website.privacy.Public view, every table of
    fields from website.privacy, so that nothing private can reach the PDF."""
    org = (
        Organization.objects.select_related("town", "village", "supervising_unit")
        .prefetch_related("service_fields", "former_names")
        .get(pk=organization.pk)
    )
    public = Public(org)
    today = timezone.localdate()
    status = status_as_of(organization=org, as_of=today)
    return {
        "organization": public,
        "title": f"{public.name} 公开信息",
        "status": status.label if status else "尚未登记或备案",
        "as_of": today,
        "generated_at": timezone.localtime(),
        "fields": privacy.public_display_rows(org, exclude=SKIPPED),
        "former_names": [name.name for name in _public(org.former_names.all())],
        "events": [privacy.public_display_rows(e, exclude=SKIPPED + ("organization",))
                   for e in org.status_events.order_by("date", "pk")],
        "inspections": _public(org.annual_inspections.order_by("-year")[:10]),
        "grades": _public(org.evaluation_grades.order_by("-awarded_on")[:5]),
        "credit_entries": _public(org.credit_list_entries.order_by("-listed_on")),
        "services": _public(
            org.transferred_services.select_related("department").order_by("-starts_on")[:15]),
        "incubations": _public(org.incubations.select_related("center").order_by("-started_on")),
        "grants": _public(
            org.grants_received.select_related("special_fund", "foundation__organization")
            .order_by("-date")[:15]),
    }


def organization_profile_pdf(*, organization):
    return render_pdf(template=TEMPLATE, context=profile_context(organization=organization))
