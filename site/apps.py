from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "website"
    label = "website"
    verbose_name = "网站"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import privacy  # noqa: F401  registers the privacy system check
        from .page_cache import invalidation

        invalidation.connect()
        from .catalogs import flatten_all

        flatten_all()
