"""Downloadable templates: the header row of each kind, built from its column definitions, so the
templates, the docs and the import never disagree."""

import codecs
import io

from openpyxl import Workbook
from openpyxl.styles import Font

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def template_file_name(kind, extension):
    return f"导入模板-{kind.label}.{extension}"


def template_xlsx(kind):
    """The header row on the first sheet; what each column takes on a second one."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind.label
    sheet.append(kind.headers)
    for cell, column in zip(sheet[1], kind.columns):
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(12, 2.2 * len(column.header) + 2)
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "必需", "填写说明"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in kind.columns:
        notes.append([column.header, "是" if column.required else "", column.help])
    notes.append([])
    notes.append([kind.description])
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["C"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv(kind):
    """UTF-8 with a BOM, so that Excel opens the Chinese headers correctly."""
    return codecs.BOM_UTF8 + (",".join(kind.headers) + "\r\n").encode("utf-8")


def template_bytes(kind, extension):
    if extension == "xlsx":
        return template_xlsx(kind)
    if extension == "csv":
        return template_csv(kind)
    raise ValueError(extension)
