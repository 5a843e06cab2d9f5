"""Template helpers of the public site's layout and pages."""

from django import template

from website.navigation import public_page_url, public_pages

register = template.Library()


@register.inclusion_tag("includes/navigation.html", takes_context=True)
def site_navigation(context):
    request = context.get("request")
    current = context.get("page")
    current_path = getattr(current, "path", None) or ""
    items = []
    if request is not None:
        for _cls, page, url in public_pages(request):
            if request.path == url:
                state = "page"
            elif current_path.startswith(page.path):
                state = "true"  # a record shown under this section
            else:
                state = ""
            items.append({"title": page.title, "url": url, "current": state})
    return {"items": items}


@register.filter
def organization_url(organization):
    """An organization's public page (its credit code, else its filing number)."""
    try:
        from registry.urls_public import organization_url as url_for
    except ImportError:  # the directory's helper is not there yet: same agreed URL scheme
        return f"/organizations/{organization.public_identifier}/"
    return url_for(organization)


@register.inclusion_tag("includes/directory_search.html", takes_context=True)
def directory_search(context):
    """A keyword box that searches the directory (its `q`), for pages other than the directory."""
    from registry.filters import OrganizationFilterSet
    from registry.models import DirectoryPage

    request = context.get("request")
    field = OrganizationFilterSet.base_filters["q"]
    return {
        "action": public_page_url(request, DirectoryPage) if request is not None else None,
        "label": field.label, "help_text": field.extra.get("help_text", ""),
        "max_length": field.extra.get("max_length"),
    }
