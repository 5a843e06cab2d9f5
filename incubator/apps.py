from django.apps import AppConfig


class IncubatorConfig(AppConfig):
    name = "incubator"
    verbose_name = "培育孵化"
    default_auto_field = "django.db.models.BigAutoField"
