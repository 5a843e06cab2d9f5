from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = "社区基金"
    default_auto_field = "django.db.models.BigAutoField"
