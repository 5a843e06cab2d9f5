from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.documents import urls as wagtaildocs_urls

from registry.urls_public import ODD_IDENTIFIER_PATH, identifier_page
from website import health, language, sitemaps
from website.admin_scoping import unrestricted_only

from website.summaries import public_views as summaries

# Scoped staff must not read other scopes' records in the site-wide history report.
_site_history = LogEntriesView.as_view()
_site_history_results = LogEntriesView.as_view(results_only=True)

urlpatterns = [
    path("admin/reports/site-history/", unrestricted_only(_site_history)),
    path("admin/reports/site-history/results/", unrestricted_only(_site_history_results)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", language.switch_language, name="set_language"),
    path("healthz", health.healthz, name="healthz"),
    path("sitemap.xml", sitemaps.index, name="sitemap_index"),
    path("sitemap-<str:section>-<int:page>.xml", sitemaps.section, name="sitemap_section"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Every public address in each language: Chinese at the root, English under /en/ (language.py).
urlpatterns += i18n_patterns(
    path("summaries/", summaries.summary_list, name="summary_list"),
    path("summaries/<int:pk>/download/", summaries.summary_download, name="summary_download"),
    path("organizations/<str:identifier>/profile.pdf", summaries.organization_profile,
         name="organization_profile_pdf"),
    path("", include("website.opendata.urls")),  # downloads and /api/v1/
    # An organization identifier with spaces or brackets, which Wagtail's own pattern does not take.
    re_path(ODD_IDENTIFIER_PATH, identifier_page),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
