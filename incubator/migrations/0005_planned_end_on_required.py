"""Every incubation has a planned end from now on (blank ones are filled on save and by clean)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("incubator", "0004_incubation_planned_end_on"),
    ]

    operations = [
        migrations.AlterField(
            model_name="incubation",
            name="planned_end_on",
            field=models.DateField(
                blank=True, verbose_name="计划出壳日期",
                help_text="留空将按入驻日期起孵化期满之日自动填写\uff1b过了这一天仍未出壳或退出的\uff0c为逾期未出壳。",
            ),
        ),
    ]
