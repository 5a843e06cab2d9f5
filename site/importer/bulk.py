"""Bulk writes for the rows an import makes by the hundred thousand: organizations and their
events (`insert_instances`, which gives them their primary keys), history entries and
many-to-many links (`insert_rows`, plain tuples), through a store.

QuerySet.bulk_create compiles every value of every row through the ORM; on 100,000 organizations
that cost more than everything else the import does. Here PostgreSQL gets COPY (its fastest way
in: no statement to parse), SQLite multi-row INSERTs, and only the values that need it (dates,
JSON...) go through the field's own conversion, once per distinct object.

`DirectStore` writes at once; `DeferredStore` (PostgreSQL) does the Python part at once (keys
from the sequences, the COPY text) and keeps the statements for another thread to run
(writer.py).
"""

import csv
import io
import json
import operator
from functools import partial

from django.db import connection, connections, models

BATCH_SIZE = 500
# Fields whose Python values the drivers take as they are (None included).
_PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField,
          models.ForeignKey)


class DirectStore:
    """Writes at once, on the calling thread's connection."""

    def insert_rows(self, model, attnames, rows):
        """Write `rows` (tuples of Python values in the order of `attnames`)."""
        if connection.vendor == "postgresql":
            _at_once(lambda store: store.insert_rows(model, attnames, rows))
            return
        fields = [model._meta.get_field(name) for name in attnames]
        rows = list(rows)
        for start in range(0, len(rows), BATCH_SIZE):
            _insert(model, fields, rows[start:start + BATCH_SIZE])

    def insert_instances(self, model, instances, *, now):
        """Write unsaved instances and set their primary keys, as bulk_create would. Foreign
        keys must have their ids; auto_now fields get `now`."""
        if connection.vendor == "postgresql":
            _at_once(lambda store: store.insert_instances(model, instances, now=now))
            return
        if not connection.features.can_return_rows_from_bulk_insert:
            model.objects.bulk_create(instances, batch_size=BATCH_SIZE)
            return
        fields, values_of = _instance_columns(model, instances, now)
        rows = [values_of(instance) for instance in instances]
        for start in range(0, len(rows), BATCH_SIZE):
            new_pks = _insert(model, fields, rows[start:start + BATCH_SIZE],
                              returning=model._meta.pk)
            for instance, new_pk in zip(instances[start:start + BATCH_SIZE], new_pks):
                instance.pk = new_pk
        _mark_saved(instances)

    def run(self, function, *args, **kwargs):
        """A statement of the ORM's (bulk_update, delete...)."""
        function(*args, **kwargs)


class DeferredStore:
    """PostgreSQL: keys and COPY text now, on this thread's connection (a sequence gives its
    values outside any transaction); the statements when `execute` runs them, in order, on the
    connection of the thread that calls it."""

    def __init__(self):
        self._steps = []

    def insert_rows(self, model, attnames, rows):
        fields = [model._meta.get_field(name) for name in attnames]
        rows = list(rows)
        if rows:
            self._steps.append(partial(_run_copy, *_copy_text(model, fields, rows)))

    def insert_instances(self, model, instances, *, now):
        if not instances:
            return
        fields, values_of = _instance_columns(model, instances, now)
        for instance, new_pk in zip(instances, _next_ids(model, len(instances))):
            instance.pk = new_pk
        rows = [(i.pk, *values_of(i)) for i in instances]
        self._steps.append(
            partial(_run_copy, *_copy_text(model, [model._meta.pk, *fields], rows)))
        _mark_saved(instances)

    def run(self, function, *args, **kwargs):
        self._steps.append(partial(function, *args, **kwargs))

    def execute(self):
        for step in self._steps:
            step()


def _at_once(prepare):
    """PostgreSQL's writes of a DirectStore: prepared as for the writer thread, run now."""
    store = DeferredStore()
    prepare(store)
    store.execute()


def _instance_columns(model, instances, now):
    """The columns an insert writes (all but the key) and a getter of their values; fills the
    auto_now fields with `now`."""
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if f is not pk]
    for attname in [f.attname for f in fields
                    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]:
        for instance in instances:
            if getattr(instance, attname) is None:
                setattr(instance, attname, now)
    return fields, operator.attrgetter(*(f.attname for f in fields))


def _mark_saved(instances):
    for instance in instances:
        instance._state.adding = False
        instance._state.db = connection.alias


def _next_ids(model, n):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(model._meta.db_table), model._meta.pk.column, n],
        )
        return [row[0] for row in cursor.fetchall()]


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


def _copy_converter(field):
    """What a value needs before the csv module writes it, None when str() is right: dates,
    times, numbers, UUIDs and booleans (True/False) are read back by PostgreSQL as they are."""
    if isinstance(field, models.JSONField):
        return lambda value: json.dumps(value, cls=field.encoder)
    return None


def _copy_text(model, fields, rows):
    """The COPY statement and its CSV, written by the csv module (in C). It writes None and ""
    alike, as an empty field: COPY reads that as NULL, except in the columns named
    FORCE_NOT_NULL, the text columns, where it is "". So a text column that allows NULL cannot
    be written here."""
    text = [f for f in fields if isinstance(f, (models.CharField, models.TextField))]
    nullable = [f.column for f in text if f.null]
    if nullable:
        raise ValueError(f"COPY cannot tell NULL from '' in {model.__name__}.{nullable[0]}")
    converted = [(i, c) for i, c in enumerate(_converters(fields, _copy_converter))
                 if c is not None]
    if converted:
        rows = [_convert(row, converted) for row in rows]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    quote = connection.ops.quote_name
    options = "FORMAT csv"
    if text:
        options += f", FORCE_NOT_NULL ({', '.join(quote(f.column) for f in text)})"
    sql = (f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"FROM STDIN WITH ({options})")
    return sql, buffer.getvalue()


def _run_copy(sql, text):
    # copy_expert is psycopg2's own: its errors become Django's (IntegrityError...) by hand.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        # In one read: psycopg2 takes the GIL for each, and in a thread beside a busy one each
        # take waits out the interpreter's switch interval (8 KB reads cost seconds).
        cursor.copy_expert(sql, io.StringIO(text), max(len(text), 8192))


def _convert(row, converted):
    row = list(row)
    for i, convert in converted:
        if row[i] is not None:
            row[i] = convert(row[i])
    return row
