"""Annual summaries in the admin."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from website.summaries import admin_views

app_name = "summaries_admin"
urlpatterns = [
    path("", admin_views.SummaryListView.as_view(), name="index"),
    path("<int:pk>/publish/", admin_views.SummaryPublishView.as_view(), name="publish"),
    path("<int:pk>/withdraw/", admin_views.SummaryWithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/pdf/", admin_views.SummaryFileView.as_view(), name="file"),
]


@hooks.register("register_admin_urls")
def register_summary_urls():
    return [path("summaries/", include((urlpatterns, app_name), namespace=app_name))]


class SummaryMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("website.view_annualsummary")


@hooks.register("register_admin_menu_item")
def register_summary_menu_item():
    return SummaryMenuItem(_("年度报告"), reverse("summaries_admin:index"), icon_name="doc-full", order=900)
