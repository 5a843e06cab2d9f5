"""Writers that turn a table's records into CSV, XLSX, JSON or a zip of CSVs, chunk by chunk.

CSV and JSON are generators of bytes for a StreamingHttpResponse. XLSX is written by openpyxl in
write-only mode into a temporary file, which a FileResponse then streams. The zip is written into a
sink that is drained after every chunk, so its size never sits in memory either.
"""

import csv
import datetime
import io
import json
import tempfile
import zipfile
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .text import cell_separator
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

BOM = "\ufeff"
ROWS_PER_CHUNK = 500
# Excel's sheet has 1,048,576 rows; the first holds the headers.
XLSX_MAX_ROWS = 1_048_576 - 1
XLSX_MAX_CELL_TEXT = 32_767
# A spreadsheet runs a cell beginning with one of these as a formula (or may, after trimming).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def licence():
    """The terms of use, in the active language (OPEN_DATA_LICENCE, if set, as it is written)."""
    if getattr(settings, "OPEN_DATA_LICENCE", None):
        return str(settings.OPEN_DATA_LICENCE)
    site = str(getattr(settings, "WAGTAIL_SITE_NAME", ""))
    return _("本数据可免费使用、复制、修改和再发布，请注明来源“%(site)s”及下载日期。") % {"site": site}


def neutralize(text):
    """Text a spreadsheet would run as a formula, made inert with a leading single quote."""
    if text and text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def _iso(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds") if timezone.is_aware(
            value) else value.isoformat(timespec="seconds")
    return value.isoformat()


def _text(value):
    """A non-numeric value as spreadsheet text (neutralized), or None."""
    if value is None:
        return None
    if isinstance(value, list):
        value = cell_separator().join(str(v) for v in value)
    elif isinstance(value, bool):
        value = _("是") if value else _("否")
    elif isinstance(value, (datetime.date, datetime.datetime)):
        return _iso(value)
    return neutralize(str(value))


def _is_number(value):
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def csv_cell(value):
    # Numbers stay numbers: -1 as an amount is a value, not a formula.
    if _is_number(value):
        return value
    text = _text(value)
    return "" if text is None else text


def xlsx_cell(value):
    if _is_number(value):
        return value
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value  # a real date cell; openpyxl formats it yyyy-mm-dd
    text = _text(value)
    if text is None:
        return None
    # openpyxl refuses control characters, and Excel truncates longer cells.
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:XLSX_MAX_CELL_TEXT]


def json_value(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return _iso(value)
    if isinstance(value, Decimal):
        # Amounts have 2 decimal places and at most 14 digits: the float prints back exactly.
        return float(value)
    return value


def csv_chunks(table, records, ctx):
    """UTF-8 bytes of the CSV, with a BOM so that Excel reads the Chinese, a few hundred rows a
    chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(table.headers)
    for n, record in enumerate(records, 1):
        writer.writerow([csv_cell(value) for value in table.row(record, ctx)])
        if n % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def json_chunks(table, records, ctx, *, query=None):
    """UTF-8 bytes of one JSON object: what the data is, its columns, and `results`, one object
    per record."""
    head = {
        "title": str(table.title),
        "description": str(table.description),
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "licence": licence(),
        "query": query or {},
        "columns": [{"key": c.key, "header": str(c.header)} for c in table.columns],
    }
    opening = json.dumps(head, ensure_ascii=False)[:-1] + ', "results": [\n'
    yield opening.encode("utf-8")
    parts = []
    for n, record in enumerate(records):
        data = {key: json_value(value) for key, value in table.as_dict(record, ctx).items()}
        parts.append(("" if n == 0 else ",\n") + json.dumps(data, ensure_ascii=False))
        if len(parts) == ROWS_PER_CHUNK:
            yield "".join(parts).encode("utf-8")
            parts = []
    parts.append("\n]}\n")
    yield "".join(parts).encode("utf-8")


def xlsx_file(table, records, ctx):
    """An open temporary file holding the XLSX workbook, positioned at its start. The caller
    closes it (FileResponse does), which deletes it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(table.title)[:31])
    sheet.append(table.headers)
    for record in records:
        sheet.append([xlsx_cell(value) for value in table.row(record, ctx)])
    output = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        workbook.save(output)
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output


class _Sink:
    """A write-only byte stream for zipfile: no seek(), so zipfile writes each entry's sizes
    after its data and never goes back."""

    def __init__(self):
        self._parts = []
        self._position = 0

    def write(self, data):
        self._parts.append(bytes(data))
        self._position += len(data)
        return len(data)

    def tell(self):
        return self._position

    def flush(self):
        pass

    def drain(self):
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def zip_chunks(entries):
    """Bytes of a zip archive of `entries`: (file name, iterable of the file's bytes)."""
    sink = _Sink()
    stamp = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, chunks in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, mode="w", force_zip64=True) as entry:
                for chunk in chunks:
                    entry.write(chunk)
                    if data := sink.drain():
                        yield data
            if data := sink.drain():
                yield data
    yield sink.drain()
