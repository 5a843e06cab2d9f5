"""History entries for imported records, written in bulk.

wagtail.log_actions.log writes one entry with one INSERT; an import of 100,000 rows makes the
same entries (same log model, actions, content types and labels) and writes them in bulk.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from wagtail.log_actions import registry as log_action_registry


CREATE = "wagtail.create"
EDIT = "wagtail.edit"
_COLUMNS = ("content_type", "label", "action", "data", "timestamp", "uuid", "user",
            "content_changed", "deleted", "object_id")


def log_imported(*, created, changed, user, uuid, timestamp, data, store):
    """One history entry per created or changed instance, attributed to `user`, all sharing the
    import's uuid (Wagtail groups the entries of one user action by it)."""
    rows = defaultdict(list)
    log_models = {}
    user_id = user.pk if user is not None else None
    for action, instances in ((CREATE, created), (EDIT, changed)):
        for instance in instances:
            model = type(instance)
            if model not in log_models:
                log_model = log_action_registry.get_log_model_for_model(model)
                content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
                log_models[model] = (log_model, content_type.pk)
            log_model, content_type_id = log_models[model]
            if log_model is None:
                continue
            rows[log_model].append((
                content_type_id, log_model.objects.get_instance_title(instance), action, data,
                timestamp, uuid, user_id, True, False, str(instance.pk),
            ))
    for log_model, batch in rows.items():
        attnames = [log_model._meta.get_field(name).attname for name in _COLUMNS]
        store.insert_rows(log_model, attnames, batch)
