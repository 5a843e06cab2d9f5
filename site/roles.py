"""Staff roles and their scopes: who may see and change which part of the register.

Superusers and county staff (县级民政工作人员) see everything. Town staff, incubation-center
operators and foundation staff each have a StaffScope (one town, one center or one foundation)
and see only the records inside it. Anyone else who is not county staff, including a scoped role
member whose StaffScope is missing, sees none of the scoped records: the rules fail closed.

The admin (website.admin_scoping) applies these functions to every listing, export, object URL,
chooser and form; nothing else decides scope.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import LockableMixin

COUNTY_STAFF = "县级民政工作人员"
TOWN_STAFF = "镇街工作人员"
CENTER_STAFF = "培育中心工作人员"
FOUNDATION_STAFF = "基金会工作人员"
# The group names above are data (Group.name, fixed); these are how the interface names the roles.
ROLE_LABELS = {
    COUNTY_STAFF: _("县级民政工作人员"),
    TOWN_STAFF: _("镇街工作人员"),
    CENTER_STAFF: _("培育中心工作人员"),
    FOUNDATION_STAFF: _("基金会工作人员"),
}
# The roles whose members work inside one scope (a StaffScope), and what that scope is called.
SCOPED_ROLES = {
    TOWN_STAFF: _("所在镇街"),
    CENTER_STAFF: _("培育中心"),
    FOUNDATION_STAFF: _("基金会"),
}

# The three kinds of scope, named after the StaffScope field that holds each.
TOWN = "town"
CENTER = "incubation_center"
FOUNDATION = "foundation"
SCOPE_KINDS = (TOWN, CENTER, FOUNDATION)

EDIT = ("add", "change", "delete", "view")
VIEW = ("view",)

# Every model the staff admin manages, as app_label.model_name.
RECORD_MODELS = (
    "registry.area", "registry.servicefield", "registry.department",
    "registry.organization", "registry.formername", "registry.statusevent",
    "registry.annualinspection", "registry.evaluationgrade", "registry.creditlistentry",
    "registry.transferredservice",
    "incubator.incubationcenter", "incubator.incubation",
    "funds.communityfoundation", "funds.specialfund", "funds.moneymovement",
    "website.staffscope",
)

# Model permissions of each role, {model label: actions}. County staff also get lock and unlock on
# lockable models; so does a scoped role on a lockable model it edits.
ROLE_PERMISSIONS = {
    # County staff also make and publish the annual summaries.
    COUNTY_STAFF: {label: EDIT for label in RECORD_MODELS} | {"website.annualsummary": EDIT},
    TOWN_STAFF: {
        "registry.organization": EDIT, "registry.formername": EDIT, "registry.statusevent": EDIT,
    },
    CENTER_STAFF: {"incubator.incubation": EDIT, "incubator.incubationcenter": VIEW},
    FOUNDATION_STAFF: {
        "funds.specialfund": EDIT, "funds.moneymovement": EDIT,
        "funds.communityfoundation": VIEW,
    },
}


def _town_and_its_villages(town_id):
    return Q(pk=town_id) | Q(parent_id=town_id)


# Which rows of each model lie inside a scope, by scope kind: a lookup path from the model to the
# scope's object, or a function of the scope object's id returning a Q. A model absent here is
# county data; a model with no rule for a user's kind of scope is outside that user's scope.
SCOPE_RULES = {
    "registry.area": {TOWN: _town_and_its_villages},
    "registry.organization": {TOWN: "town"},
    "registry.formername": {TOWN: "organization__town"},
    "registry.statusevent": {TOWN: "organization__town"},
    "registry.annualinspection": {TOWN: "organization__town"},
    "registry.evaluationgrade": {TOWN: "organization__town"},
    "registry.creditlistentry": {TOWN: "organization__town"},
    "registry.transferredservice": {TOWN: "organization__town"},
    "incubator.incubationcenter": {CENTER: "pk"},
    "incubator.incubation": {CENTER: "center"},
    "funds.communityfoundation": {FOUNDATION: "pk"},
    "funds.specialfund": {FOUNDATION: "host"},
    "funds.moneymovement": {FOUNDATION: "foundation"},
}

_CACHE_ATTR = "_staff_role_cache"


def _label(model):
    return model._meta.label_lower


def _role_facts(user):
    """(unrestricted, scope) for a user, computed once per user object (that is, per request)."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from website.models import StaffScope

        if not user.is_authenticated or not user.is_active:
            cached = (False, None)
        elif user.is_superuser or user.groups.filter(name=COUNTY_STAFF).exists():
            cached = (True, None)
        else:
            scope = StaffScope.objects.filter(user=user).select_related(
                "town", "incubation_center", "foundation__organization").first()
            cached = (False, scope)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def is_unrestricted(user):
    """Superusers and county staff: no scope applies to them."""
    return _role_facts(user)[0]


def scope_of(user):
    """The StaffScope of a restricted user, or None (unrestricted users have none that counts)."""
    return _role_facts(user)[1]


def scope_kind_and_id(scope):
    """("town", 12) for a StaffScope holding town 12; (None, None) for no scope."""
    if scope is None:
        return None, None
    for kind in SCOPE_KINDS:
        value = getattr(scope, f"{kind}_id")
        if value:
            return kind, value
    return None, None


def scope_object(scope):
    """The town, center or foundation a StaffScope holds, or None."""
    kind, _id = scope_kind_and_id(scope)
    return getattr(scope, kind) if kind else None


def scoped_roles(user):
    """The names of the scoped roles (SCOPED_ROLES) the user is a member of, in that order."""
    if not user.is_authenticated:
        return []
    names = set(user.groups.filter(name__in=SCOPED_ROLES).values_list("name", flat=True))
    return [name for name in SCOPED_ROLES if name in names]


def lacks_scope(user):
    """A member of a scoped role, not county staff, whom nobody gave a StaffScope: the rules
    show them nothing, and the admin tells them why."""
    return (not is_unrestricted(user) and scope_object(scope_of(user)) is None
            and bool(scoped_roles(user)))


def _rule_condition(rule, scope_id):
    if callable(rule):
        return rule(scope_id)
    return Q(**{rule: scope_id})


def visible(*, user, queryset):
    """The rows of `queryset` the user may see and act on in the admin."""
    if is_unrestricted(user):
        return queryset
    kind, scope_id = scope_kind_and_id(scope_of(user))
    rule = SCOPE_RULES.get(_label(queryset.model), {}).get(kind)
    if rule is None:
        return queryset.none()
    return queryset.filter(_rule_condition(rule, scope_id))


def choosable(*, user, queryset):
    """The rows of `queryset` the user may pick in a form field or chooser.

    Inside their own kind of scope a user picks only their own rows (their town and its villages,
    their center, their foundation and its funds). Rows of other models are public reference data,
    so any may be picked: a foundation's grant may go to an organization of any town.
    """
    if is_unrestricted(user):
        return queryset
    rules = SCOPE_RULES.get(_label(queryset.model))
    if rules is None:
        return queryset
    kind, scope_id = scope_kind_and_id(scope_of(user))
    if kind is None:
        return queryset.none()
    if kind not in rules:
        return queryset
    return queryset.filter(_rule_condition(rules[kind], scope_id))


def restricts_choices(*, user, model):
    """Whether `choosable` narrows the choices of `model` for this user."""
    if is_unrestricted(user) or _label(model) not in SCOPE_RULES:
        return False
    kind, _ = scope_kind_and_id(scope_of(user))
    return kind is None or kind in SCOPE_RULES[_label(model)]


def can_access(*, user, instance):
    """Whether a saved instance lies inside what the user may see. An unsaved instance has no
    place in any scope yet, so only unrestricted users pass."""
    if is_unrestricted(user):
        return True
    if instance.pk is None:
        return False
    queryset = type(instance)._default_manager.filter(pk=instance.pk)
    return visible(user=user, queryset=queryset).exists()


def _model_permissions(model, actions):
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    if issubclass(model, LockableMixin) and "change" in actions:
        actions = (*actions, "lock", "unlock")
    permissions = []
    for action in actions:
        codename = f"{action}_{model._meta.model_name}"
        # Lock/unlock permissions are created by Wagtail after migrating; create them if missing.
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename,
            defaults={"name": f"Can {action} {model._meta.verbose_name_raw}"},
        )
        permissions.append(permission)
    return permissions


# The groups Wagtail's migrations create. The register's roles are the four above; these two are
# removed while nobody is in them (website migration 0007, and ensure_role_groups).
WAGTAIL_DEFAULT_GROUPS = ("Moderators", "Editors")


def remove_unused_wagtail_groups():
    """Delete Wagtail's default groups that hold no user; returns the names deleted."""
    unused = Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS, user__isnull=True)
    names = sorted(unused.values_list("name", flat=True))
    unused.delete()
    return names


@transaction.atomic
def ensure_role_groups():
    """Create or update the four staff groups with Wagtail admin access and exactly the model
    permissions in ROLE_PERMISSIONS, and remove Wagtail's default groups while they are empty.
    Running it again changes nothing. Returns {name: Group}."""
    from django.apps import apps

    remove_unused_wagtail_groups()

    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    groups = {}
    for name, model_actions in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [admin_access]
        for label, actions in model_actions.items():
            permissions += _model_permissions(apps.get_model(label), actions)
        group.permissions.set(permissions)
        groups[name] = group
    return groups
