"""Open-data URLs: included by website.urls before Wagtail's catch-all."""

from django.urls import path

from . import views
from .api import api

urlpatterns = [
    *(
        path(f"open-data/organizations.{extension}", views.organizations_download,
             {"extension": extension}, name=f"opendata_organizations_{extension}")
        for extension in ("csv", "xlsx", "json")
    ),
    path("open-data/register.zip", views.register_download, name="opendata_register"),
    path("open-data/register/<str:name>.csv", views.register_table_download,
         name="opendata_register_table"),
    # The API's documentation is the open-data page; ninja's Swagger UI is off.
    path("api/v1/", views.api_docs, name="opendata_api_root"),
    path("api/v1/docs", views.api_docs, name="opendata_api_docs"),
    path("api/v1/", api.urls),
]
