"""Bulk writes for the rows an import makes by the hundred thousand: organizations and their
events (`insert_instances`, which gives them their primary keys), history entries and
many-to-many links (`insert_rows`, plain tuples).

QuerySet.bulk_create compiles every value of every row through the ORM; on 100,000 organizations
that cost more than everything else the import does. Here PostgreSQL gets COPY (its fastest way
in: no statement to parse), SQLite multi-row INSERTs, and only the values that need it (dates,
JSON...) go through the field's own conversion, once per distinct object.
"""

import io
import json
import operator

from django.db import connection, connections, models

BATCH_SIZE = 500
# Fields whose Python values the drivers take as they are (None included).
_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField,
          models.ForeignKey)


def insert_rows(model, attnames, rows):
    """Write `rows` (tuples of Python values in the order of `attnames`) to `model`'s table."""
    fields = [model._meta.get_field(name) for name in attnames]
    _write(model, fields, list(rows))


def insert_instances(model, instances, *, now):
    """Write unsaved instances and set their primary keys, as bulk_create would. Foreign keys
    must have their ids; auto_now fields get `now`."""
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if f is not pk]
    for attname in [f.attname for f in fields
                    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]:
        for instance in instances:
            if getattr(instance, attname) is None:
                setattr(instance, attname, now)
    values_of = operator.attrgetter(*(f.attname for f in fields))
    if connection.vendor == "postgresql":
        # Keys from the table's own sequence first, then one COPY with them.
        for instance, new_pk in zip(instances, _next_ids(model, len(instances))):
            instance.pk = new_pk
        _write(model, [pk, *fields], [(i.pk, *values_of(i)) for i in instances])
    elif connection.features.can_return_rows_from_bulk_insert:
        rows = [values_of(instance) for instance in instances]
        for start in range(0, len(rows), BATCH_SIZE):
            new_pks = _insert(model, fields, rows[start:start + BATCH_SIZE], returning=pk)
            for instance, new_pk in zip(instances[start:start + BATCH_SIZE], new_pks):
                instance.pk = new_pk
    else:
        return model.objects.bulk_create(instances, batch_size=BATCH_SIZE)
    for instance in instances:
        instance._state.adding = False
        instance._state.db = connection.alias
    return instances


def _next_ids(model, n):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(model._meta.db_table), model._meta.pk.column, n],
        )
        return [row[0] for row in cursor.fetchall()]


def _write(model, fields, rows):
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy(model, fields, rows)
    else:
        for start in range(0, len(rows), BATCH_SIZE):
            _insert(model, fields, rows[start:start + BATCH_SIZE])


def _converters(fields, convert):
    """Per column: None when values pass as they are, else a function of the value. Those of
    dates, times, JSON and UUIDs remember their last answer: a run's `now`, uuid and history data
    are the same object on every row."""
    converters = []
    for field in fields:
        function = convert(field)
        if function is None or isinstance(field, _PLAIN):
            converters.append(function)
            continue
        memo = [object(), None]

        def cached(value, function=function, memo=memo):
            if value is not memo[0]:
                memo[0], memo[1] = value, function(value)
            return memo[1]
        converters.append(cached)
    return converters


def _insert(model, fields, rows, *, returning=None):
    database = connections[connection.alias]  # the connection itself, not its thread-local proxy
    converters = _converters(fields, lambda f: None if isinstance(f, _PLAIN) else (
        lambda value, f=f: f.get_db_prep_save(value, database)))
    converted = [(i, c) for i, c in enumerate(converters) if c is not None]
    params = []
    for row in rows:
        if converted:
            row = list(row)
            for i, c in converted:
                if row[i] is not None:
                    row[i] = c(row[i])
        params.extend(row)
    quote = connection.ops.quote_name
    placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
    columns = ", ".join(quote(f.column) for f in fields)
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({columns})"
           f" VALUES {', '.join([placeholders] * len(rows))}")
    if returning is not None:
        sql += f" RETURNING {quote(returning.column)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()] if returning is not None else None


def _quoted(text):
    return '"' + text.replace('"', '""') + '"'


def _copy_format(field):
    """How a value is written in COPY's CSV: text always quoted (so "" stays an empty string
    while an unquoted empty field is NULL), booleans as t/f, JSON serialized, the rest str()."""
    if isinstance(field, models.JSONField):
        return lambda value: _quoted(json.dumps(value, cls=field.encoder))
    if isinstance(field, models.BooleanField):
        return lambda value: "t" if value else "f"
    if isinstance(field, (models.CharField, models.TextField)):
        return lambda value: _quoted(str(value))
    return str


def _copy(model, fields, rows):
    converters = _converters(fields, _copy_format)
    buffer = io.StringIO()
    for row in rows:
        buffer.write(",".join(["" if v is None else c(v) for v, c in zip(row, converters)]))
        buffer.write("\n")
    buffer.seek(0)
    quote = connection.ops.quote_name
    # copy_expert is psycopg2's own: its errors become Django's (IntegrityError...) by hand.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        cursor.copy_expert(
            f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
            "FROM STDIN WITH (FORMAT csv)",
            buffer,
        )
