"""Bulk delete of snippets, kept inside the user's scope (website.roles).

Wagtail's own action loads every id in the URL, for any member of staff, and names the records the
user may not delete on its confirmation page: any record's name, by id, in or out of scope. Here
ids outside the scope are as absent as ids of no record (404 when none is left), a kind of record
the user has no rights on is refused outright, and a record other records still depend on is
refused with a Chinese message rather than a database error.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_list_or_404, redirect
from wagtail import hooks
from wagtail.admin import messages
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction

from website import roles
from website.admin_ids import record_pks
from website.admin_protected import BLOCKED, blocked_message

ANY_RIGHT = ["add", "change", "delete", "view"]


class ScopedDeleteBulkAction(DeleteBulkAction):
    def dispatch(self, request, *args, **kwargs):
        if not self.permission_policy.user_has_any_permission(request.user, ANY_RIGHT):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _visible(self, queryset):
        return roles.visible(user=self.request.user, queryset=queryset)

    # Wagtail calls this on the instance (a classmethod there), so it can read the user.
    def get_queryset(self, model, object_ids):
        pks = record_pks(model, object_ids)
        return get_list_or_404(self._visible(model._default_manager.filter(pk__in=pks)))

    def get_all_objects_in_listing_query(self, parent_id):
        return self._visible(self.model._default_manager.all()).values_list("pk", flat=True)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except BLOCKED as error:
            messages.error(self.request, blocked_message(error, self.model))
            return redirect(self.next_url)


# After Wagtail's own delete action (order 0), which this one replaces for every snippet model.
hooks.register("register_bulk_action", ScopedDeleteBulkAction, order=100)
