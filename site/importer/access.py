"""Who may import what, and which past imports they see."""

from website import roles
from website.models import ImportRun

from .kinds import all_kinds


NOT_IN_SCOPE = object()


def scope_rule(user, kind):
    """None for an unrestricted user (or the command without --user); for a user restricted to a
    town, center or foundation, (lookup path from the kind's model to the scope, scope id) from
    website.roles.SCOPE_RULES; NOT_IN_SCOPE when their scope does not cover the kind."""
    if user is None or roles.is_unrestricted(user):
        return None
    scope_kind, scope_id = roles.scope_kind_and_id(roles.scope_of(user))
    rule = roles.SCOPE_RULES.get(kind.model._meta.label_lower, {}).get(scope_kind)
    if rule is None or callable(rule):
        return NOT_IN_SCOPE
    return rule, scope_id


def may_import(user, kind):
    """Staff with the add permission on the kind's model whose scope (if any) covers it."""
    opts = kind.model._meta
    return (user.is_active and user.has_perm(f"{opts.app_label}.add_{opts.model_name}")
            and scope_rule(user, kind) is not NOT_IN_SCOPE)


def importable_kinds(user):
    return [kind for kind in all_kinds() if may_import(user, kind)]


def visible_runs(user):
    """County staff see every import; scoped staff their own."""
    runs = ImportRun.objects.select_related("user")
    return runs if roles.is_unrestricted(user) else runs.filter(user=user)
