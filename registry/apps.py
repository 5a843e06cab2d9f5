from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "社会组织登记"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import pinyin  # noqa: F401  registers the pinyin collation on SQLite connections
