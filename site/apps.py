from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "website"
    label = "website"
    verbose_name = "网站"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import admin_names, privacy  # noqa: F401  privacy registers its system check

        admin_names.install()  # 张三, family name first, wherever a user is named
        from .page_cache import invalidation

        invalidation.connect()
        from .catalogs import flatten_all

        flatten_all()
