"""A transferred service's state is derived from its dates (registry.facts.services), no longer
typed: the typed `status` gives way to `terminated_on` (提前终止日期). A service typed
'terminated' is dated terminated on its recorded end, else on its start; 'in_progress' and
'completed' said nothing the dates do not, so nothing of them is kept."""

from django.db import migrations, models
from django.db.models import F


def date_the_terminations(apps, schema_editor):
    TransferredService = apps.get_model("registry", "TransferredService")
    terminated = TransferredService.objects.filter(status="terminated")
    terminated.filter(ends_on__isnull=False).update(terminated_on=F("ends_on"))
    terminated.filter(ends_on__isnull=True).update(terminated_on=F("starts_on"))


def type_the_states(apps, schema_editor):
    # Back to a typed status as it read on the day of the reversal.
    import datetime

    TransferredService = apps.get_model("registry", "TransferredService")
    today = datetime.date.today()
    services = TransferredService.objects
    services.filter(terminated_on__isnull=False).update(status="terminated")
    services.filter(terminated_on__isnull=True, ends_on__lt=today).update(status="completed")


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0005_cheaper_organization_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="transferredservice",
            name="terminated_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="提前终止日期",
                help_text="提前终止的\uff0c填写终止之日\uff08当日起不再执行\uff09\uff1b按期执行的留空。",
            ),
        ),
        migrations.RunPython(date_the_terminations, type_the_states),
        migrations.RemoveField(model_name="transferredservice", name="status"),
    ]
