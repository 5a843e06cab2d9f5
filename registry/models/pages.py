"""Public pages of the register. Records stay records: these routable pages list and show them
(a million organizations never become a million Wagtail pages)."""

from django.http import HttpResponsePermanentRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from website import page_cache
from website.as_of import parse_as_of
from website.section_page import SectionPage


class DirectoryPage(RoutablePageMixin, SectionPage):
    """The searchable directory of organizations and each organization's page."""

    class Meta:
        verbose_name = _("社会组织名录")

    page_cache_tags = ()  # each route declares what it shows

    @path("", name="directory")
    def directory(self, request):
        from registry.directory import directory_context

        # A list of one town changes only with that town's organizations (a town is a code).
        town = request.GET.get("town", "").strip()
        page_cache.depends_on(request, page_cache.tags.town(town) if town.isdigit() and len(
            town) <= 12 else page_cache.tags.REGISTER)
        context, status = directory_context(request)
        context["breadcrumbs"] = self.breadcrumbs(request)
        response = self.render(request, context_overrides=context)
        response.status_code = status
        return response

    @path("<str:identifier>/", name="organization")
    def organization(self, request, identifier):
        from registry.lookup import organization_by_identifier
        from registry.record import json_ld, organization_record
        from registry.urls_public import organization_url

        organization = organization_by_identifier(identifier=identifier)
        if organization is None:
            return self._not_found(request, identifier)
        # Its own records, grants, foundation and funds; the incubation centers it names.
        page_cache.depends_on(
            request, page_cache.tags.organization(organization.pk), page_cache.tags.CENTERS)
        if identifier != organization.public_identifier:
            # One address per organization: a lower-case credit code lands on the canonical one.
            query = request.GET.urlencode()
            return HttpResponsePermanentRedirect(
                organization_url(organization, request=request) + (f"?{query}" if query else ""))
        today = timezone.localdate()
        as_of, as_of_message = parse_as_of(request.GET.get("as_of"), today=today)
        record = organization_record(organization=organization, as_of=as_of)
        url = request.build_absolute_uri(organization_url(organization, request=request))
        record["json_ld"] = json_ld(
            organization=organization, status=record["status"], start_event=record["start_event"],
            ending_event=record["ending_event"], url=url,
        )
        record["canonical_url"] = url
        record["breadcrumbs"] = self.breadcrumbs(request, (organization.name, ""))
        record["as_of"] = as_of
        record["as_of_message"] = as_of_message
        record["past_view"] = as_of < today
        record["today"] = today
        return self.render(
            request, context_overrides=record, template="registry/organization_page.html"
        )

    def _not_found(self, request, identifier):
        context = self.get_context(request)
        context.update(
            identifier=identifier[:60], breadcrumbs=self.breadcrumbs(request, (gettext("未找到"), ""))
        )
        return TemplateResponse(
            request, "registry/organization_not_found.html", context, status=404
        )


class ServicesPage(RoutablePageMixin, SectionPage):
    """The catalog of transferred services and the coverage of service fields by town."""

    class Meta:
        verbose_name = _("承接政府转移职能")

    @path("", name="catalog")
    def catalog(self, request):
        from registry.services_pages import catalog_context

        context = catalog_context(request=request)
        context["breadcrumbs"] = self.breadcrumbs(request)
        return self.render(request, context_overrides=context)

    @path("coverage/", name="coverage")
    def coverage(self, request):
        from registry.services_pages import coverage_context

        context = coverage_context(
            request=request, catalog_url=self.get_url(request), today=timezone.localdate()
        )
        context["breadcrumbs"] = self.breadcrumbs(request, (gettext("服务领域覆盖"), ""))
        return self.render(
            request, context_overrides=context, template="registry/services_coverage.html"
        )

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        return urls + [{**urls[0], "location": urls[0]["location"] + self.reverse_subpage("coverage")}]
