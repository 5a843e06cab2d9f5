"""Deleting a record other records still depend on (a foreign key with PROTECT or RESTRICT).

Wagtail refuses such a delete from its reference index, but rows written in bulk (the importer,
the demo) never reach that index: the database's protection then raises inside the delete, a 500.
Raised before any row is deleted, and inside the action's transaction, so nothing is lost; staff
get a message saying what still refers to the record instead.
"""

from django.contrib import messages
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext

BLOCKED = (ProtectedError, RestrictedError)


def blocked_message(error, model):
    """The message for a delete of `model` rows that `error` (one of BLOCKED) stopped."""
    blockers = getattr(error, "protected_objects", None) or getattr(
        error, "restricted_objects", ())
    # The kinds of record only: the records themselves may lie outside the user's scope.
    kinds = "\u3001".join(sorted({str(obj._meta.verbose_name) for obj in blockers}))
    return gettext(
        "无法删除：仍有其他记录（%(kinds)s）引用所选的%(model)s，"
        "请先删除或修改这些记录。"
    ) % {"kinds": kinds, "model": model._meta.verbose_name}


class ProtectedDeleteMixin:
    """For a delete view: a blocked delete goes back to the confirmation page with the message."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except BLOCKED as error:
            messages.error(self.request, blocked_message(error, self.model))
            return HttpResponseRedirect(self.request.get_full_path())
