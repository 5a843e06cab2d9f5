"""What the open-data page shows: the downloads, their columns, the limits and the API's
endpoints, read from the same tables and OpenAPI document that serve them."""

import functools

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy as _, ngettext

from .ratelimit import SCOPES, parse_rate
from .tables import ORGANIZATIONS, REGISTER
from .text import joined, when_shown
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


def _endpoint_text(summary, description):
    if not description:
        return str(summary)
    return gettext("%(summary)s。%(description)s") % {"summary": summary, "description": description}


def _parameter_text(description, *, in_path, required):
    """What a parameter is and where it goes, as one phrase."""
    values = {"description": description}
    if in_path:
        return gettext("%(description)s（路径参数，必填）") % values
    if required:
        return gettext("%(description)s（查询参数，必填）") % values
    return gettext("%(description)s（查询参数）") % values


def api_endpoints():
    """[{method, path, summary, description, text, parameters: [{name, in_path, description,
    required, text}]}] from the API's own OpenAPI document; the texts are written when shown, in
    the page's language. Read once per language: the paths carry its prefix (/en/api/v1/…)."""
    return _api_endpoints(translation.get_language())


@functools.cache
def _api_endpoints(language):
    from .api import api

    schema = api.get_openapi_schema()
    endpoints = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            summary, description = operation.get("summary", ""), operation.get("description", "")
            parameters = []
            for p in operation.get("parameters", []):
                about = p.get("description") or p.get("schema", {}).get("description", "")
                in_path, required = p["in"] == "path", p.get("required", False)
                parameters.append({
                    "name": p["name"], "in_path": in_path, "description": about,
                    "required": required,
                    "text": when_shown(functools.partial(
                        _parameter_text, about, in_path=in_path, required=required)),
                })
            endpoints.append({
                "method": method.upper(),
                "path": path,
                "summary": summary,
                "description": description,
                "text": when_shown(functools.partial(_endpoint_text, summary, description)),
                "parameters": parameters,
            })
    return endpoints


def _table_text(table):
    return gettext("%(title)s：%(description)s") % {
        "title": table.title, "description": table.description}


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
                "text": _table_text(table),
                "headers": joined(column.header for column in table.columns),
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
