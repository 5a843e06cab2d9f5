"""Bulk import in the admin: the 批量导入 menu item and its pages (website.importer.views)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from website.importer import access, views

app_name = "importer"
urlpatterns = [
    path("", views.ImportIndexView.as_view(), name="index"),
    path("<int:pk>/", views.ImportPreviewView.as_view(), name="preview"),
    path("<int:pk>/confirm/", views.ImportConfirmView.as_view(), name="confirm"),
    path("templates/<str:kind_name>.<str:extension>", views.TemplateDownloadView.as_view(),
         name="template"),
]


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("import/", include((urlpatterns, app_name), namespace=app_name))]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(access.importable_kinds(request.user))


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(_("批量导入"), reverse("importer:index"), icon_name="upload", order=550)
