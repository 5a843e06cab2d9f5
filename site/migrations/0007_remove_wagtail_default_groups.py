"""Wagtail's own migrations create two groups, "Moderators" and "Editors", with rights on pages,
images and documents. The register's staff roles are the four groups of website.roles; the two
English ones beside them only confuse whoever assigns roles. They are removed here while nobody
is in them (a group somebody was put in is left alone). website.roles.ensure_role_groups
(setup_roles, setup_site) removes them too, for a database restored from elsewhere.

It depends on the last migration of each Wagtail app that creates these groups or gives them
permissions, so that on a fresh database it runs after all of them.
"""

from django.conf import settings
from django.db import migrations

WAGTAIL_DEFAULT_GROUPS = ("Moderators", "Editors")


def remove_empty_wagtail_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    # `user` is the reverse of the user model's `groups` (PermissionsMixin's related query name).
    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0006_summary_withdrawal_and_language"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [
        migrations.RunPython(remove_empty_wagtail_groups, migrations.RunPython.noop),
    ]
