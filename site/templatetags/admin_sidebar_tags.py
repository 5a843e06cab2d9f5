"""The admin sidebar's props, as Wagtail 8.0's `sidebar_props` tag builds them, except that the
account menu shows the user's whole name, family name first (website.admin_names): Wagtail's
shows first_name alone, which for 张三 is 三. Compare with
wagtail.admin.templatetags.wagtailadmin_tags.sidebar_props when upgrading Wagtail."""

from django import template
from django.utils.html import json_script
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.menu import admin_menu
from wagtail.admin.search import admin_search_areas
from wagtail.admin.ui import sidebar
from wagtail.admin.telepath import JSContext

from website.admin_names import SidebarUser

register = template.Library()


@register.simple_tag(takes_context=True)
def sidebar_props_with_names(context):
    request = context["request"]
    search_areas = admin_search_areas.search_items_for_request(request)
    search_area = search_areas[0] if search_areas else None
    account_menu = [
        sidebar.LinkMenuItem(
            "account", _("Account"), reverse("wagtailadmin_account"), icon_name="user"
        ),
        sidebar.ActionMenuItem(
            "logout", _("Log out"), reverse("wagtailadmin_logout"), icon_name="logout"
        ),
    ]
    modules = [
        sidebar.WagtailBrandingModule(),
        sidebar.SearchModule(search_area) if search_area else None,
        sidebar.MainMenuModule(
            admin_menu.render_component(request), account_menu, SidebarUser(request.user)
        ),
    ]
    modules = [module for module in modules if module is not None]
    return json_script({"modules": JSContext().pack(modules)}, element_id="wagtail-sidebar-props")
