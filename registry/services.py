"""Writes to the register that keep derived state in step.

Status events have one write path: `save_status_events` and `delete_status_events`. Each writes
the events and refreshes the status periods (`resulting_status`, `ends_on`) of exactly the
organizations the events belong to, in the same transaction. The admin, the bulk import, the
demo loaders, the scale generator and the test factories all write events through them (or, for
rows they insert themselves, call `refresh_status_periods` for the organizations they wrote).
"""

from django.db import connection, transaction
from django.utils import timezone

from .models import Organization, StatusEvent

BATCH_SIZE = 500  # rows per bulk statement
# Organizations per refresh statement (an import's chunk): a 100,000-row import never builds
# one giant statement. Fewer, larger statements cost the import's writer thread less waiting.
REFRESH_BATCH_SIZE = 2000


def save_status_events(*, events, fields=None, store=None, now=None):
    """Save `events` (StatusEvent instances, new or changed, of any organizations) and refresh
    the status periods of their organizations, in one transaction.

    `fields`: the fields changed on the saved events, as for bulk_update (None: all of them).
    An event that may have moved to another organization (`fields` None or naming
    "organization") also refreshes the organization it left.

    `store`: the bulk import's store (website.importer.bulk) to write through instead of the
    ORM; the import then owns the transaction, the refresh is queued after the writes, and the
    instances' `ends_on` are not read back. `now` is the store's value for auto_now fields.

    Callers validate first (the admin's form and the import check the sequence); this only
    writes. Returns the events."""
    events = list(events)
    if not events:
        return events
    for event in events:  # bulk writes skip StatusEvent.save(), which sets it
        event.resulting_status = StatusEvent.RESULTING_STATUS.get(event.kind, "")
    new = [e for e in events if e._state.adding or e.pk is None]
    changed = [e for e in events if not (e._state.adding or e.pk is None)]
    write_fields = _update_fields(fields)
    moved = changed if fields is None or "organization" in fields else []
    if store is not None:
        organization_ids = _organizations_of(events, moved=moved)
        if new:
            store.insert_instances(StatusEvent, new, now=now or timezone.now())
        if changed:
            store.run(StatusEvent.objects.bulk_update, changed, write_fields,
                      batch_size=BATCH_SIZE)
        store.run(refresh_status_periods, organization_ids=organization_ids)
        return events
    with transaction.atomic():
        organization_ids = _organizations_of(events, moved=moved)
        # One event (the admin, a factory) goes through save() and its signals; many in bulk.
        if len(changed) == 1:
            changed[0].save(update_fields=None if fields is None else write_fields)
        elif changed:
            StatusEvent.objects.bulk_update(changed, write_fields, batch_size=BATCH_SIZE)
        if len(new) == 1:
            new[0].save()
        elif new:
            StatusEvent.objects.bulk_create(new, batch_size=BATCH_SIZE)
        refresh_status_periods(organization_ids=organization_ids)
        _read_back_periods(events)
    return events


def delete_status_events(*, events):
    """Delete `events` and refresh the status periods of their organizations (the previous
    period of each reopens), in one transaction. Returns the number of events deleted."""
    events = [e for e in events if e.pk is not None]
    if not events:
        return 0
    with transaction.atomic():
        organization_ids = _organizations_of(events, moved=events)
        if len(events) == 1:
            deleted = events[0].delete()[1].get(StatusEvent._meta.label, 0)
        else:
            deleted = 0
            for batch in _batches([e.pk for e in events], BATCH_SIZE):
                deleted += StatusEvent.objects.filter(pk__in=batch).delete()[1].get(
                    StatusEvent._meta.label, 0)
        refresh_status_periods(organization_ids=organization_ids)
    return deleted


def refresh_status_periods(*, organization_ids):
    """Recompute `resulting_status` and `ends_on` (the date the organization's next status event
    takes effect) of every status event of the given organizations, in the database: a window
    function over those organizations only, in batches. Works on SQLite and PostgreSQL. Returns
    the number of events updated.

    Writers that insert events themselves (the scale generator) call it for the organizations
    they wrote; everything else goes through save_status_events / delete_status_events."""
    ids = sorted({i for i in organization_ids if i is not None})
    size = REFRESH_BATCH_SIZE
    limit = connection.features.max_query_params  # SQLite's: the ids, the range and the kinds
    if limit:
        size = min(size, limit - 2 * len(StatusEvent.RESULTING_STATUS) - 2)
    _stale_pages(ids)
    updated = 0
    with connection.cursor() as cursor:
        for batch in _batches(ids, size):
            sql, params = _refresh_statement(len(batch))
            cursor.execute(sql, [*params, batch[0], batch[-1], *batch])
            updated += cursor.rowcount
    return updated


# Above this many organizations a bulk write makes every stored public page stale at once.
PAGE_CACHE_SINGLE_BUMPS = 100


def _stale_pages(organization_ids):
    """Status writes go through here in bulk, without model signals: the public copies of these
    organizations' pages, of their towns' lists and of the figures are stale."""
    from website.page_cache import bump, bump_everything
    from website.page_cache.invalidation import organization_tags

    if len(organization_ids) > PAGE_CACHE_SINGLE_BUMPS:
        bump_everything()
        return
    rows = Organization.objects.filter(pk__in=organization_ids).values_list("pk", "town__code")
    bump(*{tag for pk, town in rows for tag in organization_tags(pk, town)})  # one cache write


def _refresh_statement(n):
    """The UPDATE for `n` organization ids (the lowest, the highest, then all of them: its
    parameters come last). The periods are those of the events with a resulting status, in
    status_on's order (date, then as entered); the other events (changes) get no status and
    no end.

    The range besides the list is for PostgreSQL's planner: with no statistics yet on the ids
    (in the middle of a large import) it takes a long IN list to match most rows and scans the
    whole table, each chunk, while a range of sorted ids keeps it on the index."""
    quote = connection.ops.quote_name
    table = quote(StatusEvent._meta.db_table)
    cases = " ".join(["WHEN %s THEN %s"] * len(StatusEvent.RESULTING_STATUS))
    case_params = [str(v) for pair in StatusEvent.RESULTING_STATUS.items() for v in pair]
    # SQLite before 3.39 knows no IS DISTINCT FROM; its IS NOT means the same.
    distinct = "IS NOT" if connection.vendor == "sqlite" else "IS DISTINCT FROM"
    # Subqueries, not a WITH clause: Python's sqlite3 (before 3.12) gives no rowcount for a
    # statement that does not start with UPDATE.
    sql = f"""
        UPDATE {table} SET resulting_status = periods.status, ends_on = periods.next_date
        FROM (
            SELECT id, status, CASE WHEN status <> '' THEN LEAD(date) OVER (
                PARTITION BY organization_id, status = '' ORDER BY date, id
            ) END AS next_date
            FROM (
                SELECT id, organization_id, date, CASE kind {cases} ELSE '' END AS status
                FROM {table}
                WHERE organization_id BETWEEN %s AND %s
                AND organization_id IN ({", ".join(["%s"] * n)})
            ) AS events
        ) AS periods
        WHERE {table}.id = periods.id AND (
            {table}.resulting_status <> periods.status
            OR {table}.ends_on {distinct} periods.next_date
        )
    """
    return sql, case_params


def _update_fields(fields):
    """The fields an update of saved events writes: `fields`, or all but the key, and always
    resulting_status (set from the kind here, and by the refresh)."""
    if fields is None:
        fields = [f.name for f in StatusEvent._meta.concrete_fields
                  if not f.primary_key and f.name != "ends_on"]
    return sorted({*fields, "resulting_status"})


def _organizations_of(events, *, moved):
    """The organizations whose periods writing `events` changes: the events' own, and those
    the `moved` ones (saved events whose organization may have been changed in memory) belong
    to in the database, read before the write."""
    found = {e.organization_id for e in events}
    for batch in _batches([e.pk for e in moved], BATCH_SIZE):
        found.update(StatusEvent.objects.filter(pk__in=batch)
                     .values_list("organization_id", flat=True))
    return found


def _read_back_periods(events):
    """Put the refreshed periods on the instances, as a save() would leave them."""
    by_pk = {e.pk: e for e in events}
    for batch in _batches(list(by_pk), BATCH_SIZE):
        for pk, status, ends_on in StatusEvent.objects.filter(pk__in=batch).values_list(
                "pk", "resulting_status", "ends_on"):
            by_pk[pk].resulting_status, by_pk[pk].ends_on = status, ends_on


def _batches(values, size):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]
