"""The admin's staff-scope banner: on every admin page, a scoped member of staff sees the scope
they work in (管辖范围：西塘镇), and one whom nobody gave a scope reads why the lists are empty and
whom to ask (website.roles)."""

from django import template

from website import roles

register = template.Library()


@register.inclusion_tag("wagtailadmin/staff_scope_banner.html", takes_context=True)
def staff_scope_banner(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if roles.lacks_scope(user):
        scoped = roles.scoped_roles(user)
        return {
            "missing": True,
            "role": "\u3001".join(str(roles.ROLE_LABELS[name]) for name in scoped),
            "scope_kind": "\u3001".join(str(roles.SCOPED_ROLES[name]) for name in scoped),
            "county_staff": roles.ROLE_LABELS[roles.COUNTY_STAFF],
        }
    scope = roles.scope_object(roles.scope_of(user))
    return {"scope": scope} if scope is not None else {}
