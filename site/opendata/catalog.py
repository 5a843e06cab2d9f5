"""What the open-data page shows: the downloads, their columns, the limits and the API's
endpoints, read from the same tables and OpenAPI document that serve them."""

import functools

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _, ngettext

from .ratelimit import SCOPES, parse_rate
from .tables import ORGANIZATIONS, REGISTER
from .writers import XLSX_MAX_ROWS, licence

# Example directory queries, in the agreed parameters.
EXAMPLE_QUERIES = [
    (_("正常登记的社会组织"), "kind=registered&status=active"),
    (_("正常备案的社区社会组织"), "kind=filed&status=active"),
    (_("承接过政府转移职能的组织"), "services=yes"),
]


def rate_text(count, seconds):
    """A rate limit as the open-data page says it: 每分钟120次, 120 requests per minute."""
    values = {"count": count, "seconds": seconds}
    if seconds == 1:
        return ngettext("每秒%(count)s次", "每秒%(count)s次", count) % values
    if seconds == 60:
        return ngettext("每分钟%(count)s次", "每分钟%(count)s次", count) % values
    if seconds == 3600:
        return ngettext("每小时%(count)s次", "每小时%(count)s次", count) % values
    if seconds == 86400:
        return ngettext("每天%(count)s次", "每天%(count)s次", count) % values
    return ngettext("每%(seconds)s秒%(count)s次", "每%(seconds)s秒%(count)s次", count) % values


def _rate_text(scope):
    setting, default = SCOPES[scope]
    return rate_text(*parse_rate(getattr(settings, setting, default)))


@functools.cache
def api_endpoints():
    """[{method, path, summary, description, parameters: [{name, where, description}]}] from
    the API's own OpenAPI document."""
    from .api import api

    schema = api.get_openapi_schema()
    endpoints = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            endpoints.append({
                "method": method.upper(),
                "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": [
                    {
                        "name": p["name"],
                        "in_path": p["in"] == "path",
                        "description": p.get("description") or p.get("schema", {}).get(
                            "description", ""),
                        "required": p.get("required", False),
                    }
                    for p in operation.get("parameters", [])
                ],
            })
    return endpoints


def open_data_catalog():
    organizations_csv = reverse("opendata_organizations_csv")
    return {
        "organization_downloads": [
            (fmt.upper(), reverse(f"opendata_organizations_{fmt}"))
            for fmt in ("csv", "xlsx", "json")
        ],
        "examples": [
            (label, f"{organizations_csv}?{query}") for label, query in EXAMPLE_QUERIES
        ],
        "organization_columns": ORGANIZATIONS.columns,
        "register_url": reverse("opendata_register"),
        "tables": [
            {
                "table": table,
                "url": reverse("opendata_register_table", args=[table.name]),
            }
            for table in REGISTER
        ],
        "xlsx_max_rows": f"{XLSX_MAX_ROWS:,}",
        "query_rate": _rate_text("query"),
        "register_rate": _rate_text("register"),
        "licence": licence(),
        "openapi_url": reverse("opendata-api:openapi-json"),
        "api_root": reverse("opendata_api_root"),
        "endpoints": api_endpoints(),
    }
