"""Bulk inserts in explicit batches, for the demo (ORM) and the through tables of M2M fields."""

BATCH_SIZE = 500


def insert(model, objects, *, batch_size=BATCH_SIZE):
    """bulk_create in batches; returns the objects with their primary keys set (SQLite 3.35+ and
    PostgreSQL return them)."""
    objects = list(objects)
    for start in range(0, len(objects), batch_size):
        model.objects.bulk_create(objects[start:start + batch_size])
    return objects


def link(model, field_name, pairs, *, batch_size=BATCH_SIZE):
    """Insert rows of `model.field_name`'s through table from (owner pk, target pk) pairs."""
    field = model._meta.get_field(field_name)
    through = field.remote_field.through
    owner_column = field.m2m_field_name() + "_id"
    target_column = field.m2m_reverse_field_name() + "_id"
    rows = [through(**{owner_column: a, target_column: b}) for a, b in dict.fromkeys(pairs)]
    return insert(through, rows, batch_size=batch_size)
