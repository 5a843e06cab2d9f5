"""Replace Wagtail's welcome page with our HomePage as the site root."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("website.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="website")
    locale = Locale.objects.order_by("pk").first()
    root = Page.objects.get(depth=1)
    home = HomePage.objects.create(
        title="社会组织与社区基金公示平台", draft_title="社会组织与社区基金公示平台",
        slug="home", content_type=content_type, path=f"{root.path}0001", depth=2,
        numchild=0, url_path="/home/", locale=locale, live=True,
    )
    root.numchild = Page.objects.filter(depth=2, path__startswith=root.path).count()
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "port": 80}
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("website.HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
