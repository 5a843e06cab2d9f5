"""An incubation's planned end (计划出壳日期), from which its state on a date is derived
(incubator.facts): past it and not yet out, a group is overdue (逾期未出壳). Existing incubations
get what a blank one gets on save, their start plus settings.INCUBATION_TERM_MONTHS months. One
UPDATE per batch of start dates, not per row, so the back-fill stays short at national scale. The
column becomes NOT NULL in 0005, in a transaction of its own (PostgreSQL refuses to alter a table
with trigger events of the back-fill pending)."""

import calendar
import datetime

from django.conf import settings
from django.db import migrations, models
from django.db.models import Case, Value, When

DATES_PER_UPDATE = 200


def _add_months(day, months):
    # As incubator.models.add_months, copied so the migration does not move with that code.
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def fill_planned_ends(apps, schema_editor):
    Incubation = apps.get_model("incubator", "Incubation")
    months = getattr(settings, "INCUBATION_TERM_MONTHS", 12)
    blank = Incubation.objects.filter(planned_end_on__isnull=True)
    days = sorted(blank.order_by().values_list("started_on", flat=True).distinct())
    for start in range(0, len(days), DATES_PER_UPDATE):
        batch = days[start:start + DATES_PER_UPDATE]
        blank.filter(started_on__in=batch).update(planned_end_on=Case(
            *[When(started_on=day, then=Value(_add_months(day, months))) for day in batch],
            output_field=models.DateField(),
        ))


class Migration(migrations.Migration):

    dependencies = [
        ("incubator", "0003_incubationpage"),
    ]

    operations = [
        migrations.AddField(
            model_name="incubation",
            name="planned_end_on",
            field=models.DateField(null=True, blank=True, verbose_name="计划出壳日期"),
        ),
        migrations.RunPython(fill_planned_ends, migrations.RunPython.noop),
    ]
