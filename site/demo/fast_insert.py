"""Fast inserts of plain row tuples, for the scale generator.

PostgreSQL gets COPY ... FROM STDIN (psycopg2's copy_expert), other databases executemany. Rows
carry only the columns the generator fills; every other column of the model gets its default, so a
field added to a model later does not break the generator (a required one without a default does,
loudly).
"""

import csv
import io

from django.db import connection

NULL = "\\N"


class Table:
    def __init__(self, model, columns):
        self.model = model
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
        extra = [
            f for f in model._meta.concrete_fields
            if f.attname not in columns and not f.primary_key and not getattr(f, "generated", False)
        ]
        self.columns = [fields[c].column for c in columns] + [f.column for f in extra]
        self.defaults = tuple(f.get_default() for f in extra)
        self.name = model._meta.db_table

    def full(self, rows):
        defaults = self.defaults
        return [row + defaults for row in rows] if defaults else rows


def write(table, rows):
    """Insert `rows` (tuples in `table`'s given column order) into `table`."""
    if not rows:
        return
    rows = table.full(rows)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in table.columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerows([NULL if v is None else v for v in row] for row in rows)
            buffer.seek(0)
            cursor.copy_expert(
                f"COPY {quote(table.name)} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')",
                buffer,
            )
        else:
            placeholders = ", ".join(["%s"] * len(table.columns))
            cursor.executemany(
                f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({placeholders})", rows
            )


class IdAllocator:
    """Primary keys handed out before the rows are written, so children can point at parents.
    PostgreSQL takes them from the table's own sequence; elsewhere they continue after the
    largest id (SQLite's AUTOINCREMENT then moves past them by itself)."""

    def __init__(self, model):
        self.table = model._meta.db_table
        self.column = model._meta.pk.column
        self.next = None
        if connection.vendor != "postgresql":
            largest = model.objects.order_by("-pk").values_list("pk", flat=True).first()
            self.next = (largest or 0) + 1

    def take(self, n):
        if self.next is not None:
            ids = range(self.next, self.next + n)
            self.next += n
            return ids
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(self.table), self.column, n],
            )
            return [row[0] for row in cursor.fetchall()]
