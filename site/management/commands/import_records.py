"""Import a spreadsheet from the command line: the admin's engine, for files too large to upload."""

import os
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from website.importer.engine import run_import
from website.importer.kinds import all_kinds, get_kind
from website.models import ImportRun


class ProgressBar:
    """A one-line bar on stderr, redrawn at most ten times a second."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.started = time.monotonic()
        self.drawn_at = 0.0

    def __call__(self, done, total):
        now = time.monotonic()
        if now - self.drawn_at < 0.1 and done < total:
            return
        self.drawn_at = now
        filled = int(self.WIDTH * done / total) if total else self.WIDTH
        rate = done / max(now - self.started, 1e-6)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total} 行 {rate:,.0f} 行/秒",
            ending="",
        )
        self.stream.flush()

    def close(self):
        self.stream.write("")


class Command(BaseCommand):
    help = (
        "Import a .xlsx or .csv file of one kind of record (organizations, status_events, ...). "
        "All rows are written or none; exits non-zero when bad rows stop the import."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx or .csv file")
        parser.add_argument(
            "--kind", required=True, choices=[kind.name for kind in all_kinds()],
            help="what the file holds",
        )
        parser.add_argument(
            "--dry-run", action="store_true",
            help="check the file and report what would change, without writing (the preview)",
        )
        parser.add_argument("--user", help="username the import and its history are attributed to")

    def handle(self, *args, **options):
        path = options["file"]
        if not os.path.isfile(path):
            raise CommandError(f"找不到文件：{path}")
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.get_by_natural_key(options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"没有用户“{options['user']}”。") from None
        kind = get_kind(options["kind"])
        progress = ProgressBar(self.stderr)
        result = run_import(
            kind=kind, file_name=os.path.basename(path), path=path, user=user,
            commit=not options["dry_run"], source=ImportRun.Source.COMMAND, progress=progress,
        )
        progress.close()
        if result.file_error:
            raise CommandError(result.file_error)
        for error in result.errors:
            where = f"第{error['row']}行" if error["row"] else "文件"
            column = f"【{error['column']}】" if error["column"] else ""
            self.stderr.write(f"{where}{column}{error['message']}")
        counts = (f"共{result.total_rows}行：新增{result.created}，变更{result.updated}，"
                  f"未变{result.unchanged}，有错误{result.error_rows}行")
        if result.error_rows:
            raise CommandError(f"{counts}。有错误的行，未写入任何数据（导入记录 #{result.run.pk}）。")
        if options["dry_run"]:
            self.stdout.write(f"预览（未写入）：{counts}。")
        else:
            self.stdout.write(self.style.SUCCESS(f"已导入：{counts}（导入记录 #{result.run.pk}）。"))
