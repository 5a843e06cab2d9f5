"""Writes to the register that keep derived state in step."""

from django.db import connection

from .models import StatusEvent


def refresh_status_periods(*, organization_id):
    """Recompute each status event's `ends_on`: the date the organization's next status event
    takes effect. Call after any change to an organization's status events (signals do, for
    single saves; bulk loaders call it, or `refresh_all_status_periods`, themselves)."""
    events = list(
        StatusEvent.objects.filter(organization_id=organization_id)
        .exclude(resulting_status="")
        .order_by("date", "pk")
    )
    changed = []
    for event, following in zip(events, events[1:] + [None]):
        ends_on = following.date if following else None
        if event.ends_on != ends_on:
            event.ends_on = ends_on
            changed.append(event)
    if changed:
        StatusEvent.objects.bulk_update(changed, ["ends_on"])
    return len(changed)


def refresh_all_status_periods():
    """The same for every organization in one statement (after a bulk load). A window function
    does the work in the database: no rows travel to Python, at any scale."""
    table = connection.ops.quote_name(StatusEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH periods AS (
                SELECT id, LEAD(date) OVER (PARTITION BY organization_id ORDER BY date, id) AS next_date
                FROM {table} WHERE resulting_status <> ''
            )
            UPDATE {table} SET ends_on = periods.next_date
            FROM periods
            WHERE {table}.id = periods.id AND {table}.ends_on IS DISTINCT FROM periods.next_date
            """
        )
        return cursor.rowcount
