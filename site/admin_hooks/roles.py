"""Staff scopes (roles) in the admin: the 工作人员 menu, where county staff assign each town,
center or foundation account its scope. The scoping itself is website.admin_scoping."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSetGroup

from website import roles
from website.admin_names import display_name
from website.admin_scoping import RecordModelViewSet, ScopedAdminModelForm
from website.models import StaffScope


def account_label(user):
    """张三（xitang）: the person, and the account a scope is given to."""
    name = display_name(user)
    return name if name == user.get_username() else f"{name}\uff08{user.get_username()}\uff09"


class StaffScopeForm(ScopedAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].label_from_instance = account_label


class StaffScopeViewSet(RecordModelViewSet):
    model = StaffScope
    icon = "key"
    base_form_class = StaffScopeForm
    list_display = [Column("user", label=_("用户"), accessor=lambda scope: account_label(scope.user),
                           sort_key="user"),
                    "town", "incubation_center", "foundation"]
    list_select_related = ("user", "town", "incubation_center", "foundation__organization")
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    list_export = ["user", "town", "incubation_center", "foundation"]
    export_filename = "staff-scopes"
    copy_view_enabled = False
    panels = [
        FieldPanel("user"),
        FieldPanel("town"),
        FieldPanel("incubation_center", widget=forms.Select),
        FieldPanel("foundation", widget=forms.Select),
    ]


class StaffGroup(ModelViewSetGroup):
    menu_label = _("工作人员")
    menu_name = "staff"
    menu_icon = "user"
    menu_order = 600
    items = (StaffScopeViewSet,)


@hooks.register("register_admin_viewset")
def register_staff_admin():
    return StaffGroup()


# Wagtail's site-history report lists actions on every record type a user may touch, whatever the
# record's scope; it is for county staff only. Its URL is guarded in website.urls.
@hooks.register("construct_reports_menu")
def hide_site_history_from_scoped_staff(request, menu_items):
    if not roles.is_unrestricted(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "site-history"]
