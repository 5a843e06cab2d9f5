"""Record ids as they arrive in admin URLs and query strings: text, which may be anything.

Wagtail's choosers and bulk actions hand such text straight to `filter(pk=...)`, where "abc" is a
ValueError and 99999999999999999999 an OverflowError on SQLite: both a 500. Here what cannot be an
id of the model in this database is simply no id, so the caller answers "not found".
"""

from django.core.exceptions import ValidationError
from django.db import connection


def record_pk(model, value):
    """`value` as a primary key of `model`, or None when no row could have it."""
    field = model._meta.pk
    try:
        pk = field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return None
    if isinstance(pk, int):
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        if (low is not None and pk < low) or (high is not None and pk > high):
            return None
    return pk


def record_pks(model, values):
    """The values that can be primary keys of `model`, converted; the others left out."""
    pks = (record_pk(model, value) for value in values)
    return [pk for pk in pks if pk is not None]


def chosen_ids_only(viewset):
    """Give one of Wagtail's own chooser viewsets (images, documents) chosen views that take only
    ids, so URL text that is no id answers "not found" as our record choosers do, not a 500."""
    from django.core.exceptions import ObjectDoesNotExist

    class ChosenView(viewset.chosen_view_class):
        def get_object(self, pk):
            pk = record_pk(self.model_class, pk)
            if pk is None:
                raise ObjectDoesNotExist
            return super().get_object(pk)

    class ChosenMultipleView(viewset.chosen_multiple_view_class):
        def get_objects(self, pks):
            return super().get_objects(record_pks(self.model_class, pks))

    viewset.chosen_view_class = ChosenView
    viewset.chosen_multiple_view_class = ChosenMultipleView
