"""manage.py build_summary --year 2022 [--town 西塘镇] [--language en] --output FILE"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _, gettext_lazy

from website.summaries.fonts import MissingFontError
from website.summaries.services import SummaryRequestError, build_pdf, find_town


class Command(BaseCommand):
    help = gettext_lazy("生成全县或某镇（街道）的年度报告PDF，写入指定文件（不发布）。")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help=_("年度，如 2022"))
        parser.add_argument("--town", help=_("镇（街道）名称，如 西塘镇 或 西塘；不填为全县"))
        parser.add_argument("--language", default=settings.LANGUAGE_CODE,
                            help=_("报告语言：%(choices)s；默认 %(default)s") % {
                                "choices": "\u3001".join(dict(settings.LANGUAGES)),
                                "default": settings.LANGUAGE_CODE})
        parser.add_argument("--output", required=True, help=_("输出的PDF文件路径"))

    def handle(self, *args, year, town, language, output, **options):
        try:
            area = find_town(town) if town else None
            pdf, pages = build_pdf(year=year, town=area, language=language)
        except (SummaryRequestError, MissingFontError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from None
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
        self.stdout.write(self.style.SUCCESS(
            _("已生成 %(path)s：%(pages)s页，%(size)s字节") % {"path": path, "pages": pages, "size": f"{len(pdf):,}"}
        ))
