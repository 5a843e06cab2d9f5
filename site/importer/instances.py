"""Unsaved model instances made by the hundred thousand, without the constructor's per-field work.

Model.__init__ asks each of a model's fields for its default and sets it through the field's
descriptor; for an organization (a ClusterableModel with some 25 fields) that was an eighth of
a 100,000-row import. `Blank(model)` makes one instance with the constructor and then copies its
attributes into each new one: the same values, as long as no default is made per instance (a
callable default such as `dict` or `timezone.now`) and nothing listens to the model's init
signals, both of which it checks and then leaves to the constructor.
"""

from django.db.models import signals
from django.db.models.base import ModelState


class Blank:
    def __init__(self, model):
        self.model = model
        self._values = {k: v for k, v in model().__dict__.items() if k != "_state"}
        self._constructor_only = (
            signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model)
            or any(f.has_default() and callable(f.default) for f in model._meta.concrete_fields)
        )

    def __call__(self, **values):
        """A new instance with `values` (attnames: "town_id", not "town") set on it."""
        if self._constructor_only:
            return self.model(**values)
        instance = self.model.__new__(self.model)
        attributes = instance.__dict__
        attributes.update(self._values)
        attributes.update(values)
        attributes["_state"] = ModelState()
        return instance


def set_related(instance, name, obj):
    """`instance.<name> = obj` for a foreign key, `obj` saved and from the same database: what
    the descriptor does, less its checks of the object's model and database (a router query per
    assignment)."""
    field = instance._meta.get_field(name)
    instance.__dict__[field.attname] = None if obj is None else obj.pk
    instance._state.fields_cache[field.name] = obj
