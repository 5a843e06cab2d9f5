"""Remove import uploads nobody confirmed: run it hourly (the deploy example's systemd timer)."""

from django.core.management.base import BaseCommand

from website.importer.runs import purge_abandoned_uploads, upload_max_age


class Command(BaseCommand):
    help = (
        "Delete uploaded import files that waited longer than IMPORT_UPLOAD_MAX_AGE_HOURS "
        "(default 24) for a confirm, and files under MEDIA_ROOT/imports/ that no import run "
        "refers to once they are as old."
    )

    def handle(self, *args, **options):
        removed = purge_abandoned_uploads()
        hours = upload_max_age().total_seconds() / 3600
        self.stdout.write(f"已删除{removed}个超过{hours:g}小时未确认的导入文件。")
