"""Make sure the local demo has an admin login, and print it. Refuses to run in production."""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"


class Command(BaseCommand):
    help = "Create (or reset) the local demo administrator and print the login."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="where the site runs")

    def handle(self, *args, base_url, **options):
        if not settings.DEBUG and not os.environ.get("ALLOW_DEMO_ADMIN"):
            raise CommandError("ensure_demo_admin only runs with DEBUG on (the local demo).")
        password = os.environ.get("DEMO_ADMIN_PASSWORD", "jiashan-demo")
        User = get_user_model()
        user, _ = User.objects.get_or_create(username=USERNAME)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(self.style.SUCCESS(
            f"Admin: {base_url.rstrip('/')}/admin/  user “{USERNAME}”  password “{password}”"
        ))
