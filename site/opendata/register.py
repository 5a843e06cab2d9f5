"""The whole register as one download: a zip of one CSV per table and a README that says what
each file and column holds."""

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .tables import REGISTER
from .text import cell_separator
from .writers import csv_chunks, licence, zip_chunks


def readme(ctx):
    """What the zip holds, in the active language (the files' headers and labels are in it too)."""
    lines = [
        _("公开数据：社会组织与社区基金登记信息（全量）"),
        "",
        _("生成时间：%(time)s") % {"time": timezone.localtime().isoformat(timespec="seconds")},
        _("许可：%(licence)s") % {"licence": licence()},
        "",
        _("说明："),
        _("- 每个CSV文件为UTF-8编码（带BOM，Excel可直接打开），第一行为列名。"),
        _("- 日期为ISO格式（YYYY-MM-DD）；金额单位为元。"),
        _("- 关联记录以名称表示；社会组织另附统一社会信用代码或备案编号。多个名称以“%(separator)s”分隔。")
        % {"separator": cell_separator()},
        _("- 选项类字段以中文名称表示。“当前状态”“当前评估等级”按生成日期计算。"),
        _("- 以 = + - @ 开头的文本前加了单引号（'），以免电子表格将其当作公式执行。"),
        _("- 仅含公开字段：联系电话、内部备注、个人捐赠者姓名、票据号等不公开信息不在其中。"),
        "",
        _("文件："),
    ]
    for table in REGISTER:
        lines.append("")
        lines.append(_("%(file)s  %(title)s：%(description)s") % {
            "file": f"{table.name}.csv", "title": table.title, "description": table.description})
        for column in table.columns:
            lines.append(f"    {column.header}  ({column.key})")
    lines.append("")
    return "\r\n".join(lines)


def register_zip_chunks(ctx):
    """Bytes of the register zip, read from one consistent snapshot where the database offers
    one cheaply (PostgreSQL: a read-only repeatable-read transaction)."""
    entries = [("README.txt", [readme(ctx).encode("utf-8")])]
    entries += [
        (f"{table.name}.csv", csv_chunks(table, table.records(), ctx)) for table in REGISTER
    ]
    chunks = zip_chunks(entries)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield from chunks
    else:
        yield from chunks
