"""For tests whose writes are committed (the browser tests' demo, the threaded imports): put the
database back as the migrations left it, for the tests that run after them. pytest-django
empties the database after a transactional test, pages and content types included."""

import json
from contextlib import contextmanager

from django.core.management import call_command


@contextmanager
def migrated_state_kept(connection):
    """Run the block, then empty the database and load what it held before the block."""
    state = connection.creation.serialize_db_to_string()
    try:
        yield
    finally:
        empty_and_restore(connection, state)


def empty_and_restore(connection, serialized):
    # Sequences keep counting, as in Django's serialized_rollback, so the restored rows' ids
    # are never handed out again.
    call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True,
                 reset_sequences=False)
    restore(connection, serialized)


def restore(connection, serialized):
    """Load rows saved by serialize_db_to_string() into the emptied database. Content types go
    first: saving other rows may look one up, and a lookup that misses creates it anew."""
    from django.contrib.contenttypes.models import ContentType

    rows = json.loads(serialized)
    rows.sort(key=lambda row: row["model"] != "contenttypes.contenttype")  # stable
    ContentType.objects.clear_cache()
    connection.creation.deserialize_db_from_string(json.dumps(rows))


def no_sequential_scans(connection):
    """Sequential scans and sorts priced out for the block: on tiny tables a plan that still
    avoids them shows that an index can serve the query."""
    @contextmanager
    def block():
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("SET enable_sort = off")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET enable_seqscan")
                cursor.execute("RESET enable_sort")
    return block()

