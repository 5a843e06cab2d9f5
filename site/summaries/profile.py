"""The organization profile: one or two pages of an organization's public record, in the
active language (the request's)."""

from django.utils import timezone
from django.utils.translation import gettext as _, pgettext

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
        "title": _("%(name)s 公开信息") % {"name": org.name},
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
        "list_separator": pgettext("between listed names", "、"),
        "item_separator": pgettext("between clauses", "；"),
    }


def organization_profile_pdf(*, organization):
    return render_pdf(template=TEMPLATE, context=profile_context(organization=organization))
