"""Template helpers of the public site's layout and pages."""

from django import template

from website.navigation import public_pages

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
