from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import StatusEvent
from .services import refresh_status_periods


@receiver(post_save, sender=StatusEvent)
@receiver(post_delete, sender=StatusEvent)
def _status_events_changed(sender, instance, **kwargs):
    refresh_status_periods(organization_id=instance.organization_id)
