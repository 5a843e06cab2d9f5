"""A workbook looked over before calamine reads it, so that a file of a few KB cannot make the
process take gigabytes or abort.

calamine unpacks a part of the workbook as it reads it and holds a sheet as the full rectangle
from its first to its last cell. So, from the zip alone and in bounded memory:

- the directory's sizes: no part, and not all of them together, may unpack past the limits;
- every part is then unpacked here, a chunk at a time, and refused the moment it passes what the
  directory declared (a directory can lie; the bytes cannot);
- each sheet's declared `<dimension ref>` and, scanning its XML as it unpacks, the highest row
  and column any cell or row refers to, and the number of rows.

The scan has a fast path for sheets written the plain way (every cell `<c r="A1"`, every row
`<row r="1"`, no namespace prefixes: what Excel, WPS and openpyxl write), counted with regular
expressions over each chunk; a sheet written any other way is parsed again with expat, which
follows references as calamine does (a cell without one follows the cell before it).
"""

import io
import posixpath
import re
import struct
import zipfile
import zlib
from xml.parsers import expat

from .errors import ImportFileError, megabytes
from .limits import limit

CHUNK = 1 << 20  # unpacked bytes handled at a time
_INPUT = 1 << 16
_SMALL_PART = 4 * 1024 * 1024  # the workbook part and its relationships, parsed whole
_LONGEST_TAG = 8 * 1024 * 1024  # past this a tag leaves the fast path

_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_DIMENSION = re.compile(rb"<" + _PREFIX + rb"dimension\s[^>]*?\bref\s*=\s*([\"'])(.*?)\1")
# A cell or row tag not written the plain way (one search each, no match in a plain sheet).
_ODD_CELL = re.compile(rb'<c(?=[\s/>])(?! r="[A-Z]{1,3}[0-9]{1,7}")')
_ODD_ROW = re.compile(rb'<row(?=[\s/>])(?! r="[0-9]{1,7}")')
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")
_REFERENCE = re.compile(r"\$?([A-Za-z]+)\$?([0-9]+)")


def not_xlsx_message(file_name):
    return (
        f"文件“{file_name}”不是有效的Excel工作簿（.xlsx），可能已损坏，或只是改了扩展名。"
        "请在Excel中打开后“另存为”Excel工作簿（.xlsx）再上传。"
    )


def check_workbook(data, file_name):
    """Raise ImportFileError when reading the workbook `data` would pass a limit."""
    _check_directory_length(data, file_name)
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ImportFileError(not_xlsx_message(file_name)) from None
    _check_directory(members, file_name)
    workbook = _Workbook(data, file_name)
    sheets = workbook.sheet_parts(members)
    rows, columns = limit("IMPORT_MAX_ROWS"), limit("IMPORT_MAX_COLUMNS")
    for info in members:
        sheet = sheets.get(info.filename) or _worksheet_by_folder(info.filename)
        if sheet is None:
            for _chunk in workbook.unpacked(info):
                pass
            continue
        figures = _Figures(rows, columns)
        try:
            if not _fast_scan(workbook.unpacked(info), figures):
                figures = _Figures(rows, columns)
                _exact_scan(workbook.unpacked(info), figures, file_name)
        except _TooLarge:
            pass
        figures.refuse_if_too_large(file_name, sheet)


# A workbook has a few dozen parts; a directory of hundreds of thousands would cost far more
# memory to list (here and in calamine) than the file's size suggests.
_LONGEST_DIRECTORY = 2 * 1024 * 1024


def _check_directory_length(data, file_name):
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end != -1 and len(data) >= end + 16:
        (length,) = struct.unpack("<I", data[end + 12:end + 16])
        if length > _LONGEST_DIRECTORY:
            raise ImportFileError(not_xlsx_message(file_name))


def _check_directory(members, file_name):
    part_limit, total_limit = limit("IMPORT_MAX_PART_BYTES"), limit("IMPORT_MAX_UNPACKED_BYTES")
    total = 0
    for info in members:
        # Excel writes deflate only; an encrypted part or another method is no workbook of ours.
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 1:
            raise ImportFileError(not_xlsx_message(file_name))
        if info.file_size > part_limit:
            raise ImportFileError(
                f"文件“{file_name}”中的部件“{info.filename}”解压后为{megabytes(info.file_size)}，"
                f"超过了上限{megabytes(part_limit)}。请在Excel中打开后另存，或把文件拆分成几个较小的文件分别导入。"
            )
        total += info.file_size
    if total > total_limit:
        raise ImportFileError(
            f"文件“{file_name}”解压后共{megabytes(total)}，超过了上限{megabytes(total_limit)}。"
            "请把文件拆分成几个较小的文件分别导入。"
        )


class _Workbook:
    def __init__(self, data, file_name):
        self.data, self.file_name = data, file_name

    def unpacked(self, info):
        """The part's bytes as they unpack, a chunk at a time; refused once they pass the size
        the directory declared, which _check_directory held to the limits."""
        header = self.data[info.header_offset:info.header_offset + 30]
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise ImportFileError(not_xlsx_message(self.file_name))
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        start = info.header_offset + 30 + name_length + extra_length
        raw = memoryview(self.data)[start:start + info.compress_size]
        size = 0
        if info.compress_type == zipfile.ZIP_STORED:
            pieces = (bytes(raw[at:at + CHUNK]) for at in range(0, len(raw), CHUNK))
        else:
            pieces = self._inflated(raw)
        for piece in pieces:
            size += len(piece)
            if size > info.file_size:
                raise ImportFileError(
                    f"文件“{self.file_name}”中的部件“{info.filename}”解压后超过了文件目录中记载的大小"
                    f"（{info.file_size}字节），与目录不符：文件已损坏或被改动过，不能导入。"
                )
            yield piece

    def _inflated(self, raw):
        inflater = zlib.decompressobj(-15)
        try:
            for at in range(0, len(raw), _INPUT):
                piece = inflater.decompress(raw[at:at + _INPUT], CHUNK)
                while True:
                    if piece:
                        yield piece
                    if not inflater.unconsumed_tail:
                        break
                    piece = inflater.decompress(inflater.unconsumed_tail, CHUNK)
                if inflater.eof:
                    return
        except zlib.error:
            raise ImportFileError(not_xlsx_message(self.file_name)) from None

    def read_small(self, info):
        if info.file_size > _SMALL_PART:
            raise ImportFileError(not_xlsx_message(self.file_name))
        return b"".join(self.unpacked(info))

    def sheet_parts(self, members):
        """{part name: sheet name} for the sheets xl/workbook.xml lists, as calamine finds them."""
        by_name = {info.filename: info for info in members}
        book, rels = by_name.get("xl/workbook.xml"), by_name.get("xl/_rels/workbook.xml.rels")
        if book is None or rels is None:
            return {}
        sheets = _elements(self.read_small(book), "sheet", self.file_name)
        targets = {
            attrs.get("Id"): attrs.get("Target", "")
            for attrs in _elements(self.read_small(rels), "Relationship", self.file_name)
        }
        parts = {}
        for attrs in sheets:
            rel_id = next((v for k, v in attrs.items() if k.endswith(" id") or k == "id"), None)
            target = targets.get(rel_id)
            if target:
                parts[_part_name(target)] = attrs.get("name", "")
        return parts


def _part_name(target):
    target = target.replace("\\", "/")
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join("xl", target))


def _worksheet_by_folder(name):
    """Any part in the worksheets folder is scanned, listed or not (a sheet name for the
    message: the part's file name)."""
    lowered = name.replace("\\", "/").lower()
    if lowered.startswith("xl/worksheets/") and lowered.endswith(".xml") and "/_rels/" not in lowered:
        return posixpath.basename(name)
    return None


def _parser(file_name):
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(*_args):  # OOXML has no document types; an entity could expand without end
        raise ImportFileError(not_xlsx_message(file_name))
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    return parser


def _elements(xml, local_name, file_name):
    """The attributes of every element called `local_name`, in document order."""
    found = []
    parser = _parser(file_name)

    def start(name, attrs):
        if name.rpartition(" ")[2] == local_name:
            found.append(attrs)
    parser.StartElementHandler = start
    try:
        parser.Parse(xml, True)
    except expat.ExpatError:
        raise ImportFileError(not_xlsx_message(file_name)) from None
    return found


def column_number(letters):
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number):
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _TooLarge(Exception):
    """The declared dimension passed a limit: the scan stops there."""


class _Figures:
    """What a sheet declares and refers to, against the limits."""

    def __init__(self, max_rows, max_columns):
        self.max_rows, self.max_columns = max_rows, max_columns
        self.rows = 0  # row elements
        self.last_row = 0  # the highest row number referred to
        self.last_column = 0
        self.dimension = None  # (ref, rows, columns) as declared

    def declare(self, ref):
        last = ref.rpartition(":")[2]
        match = _REFERENCE.fullmatch(last.strip())
        if match:
            self.dimension = (ref, int(match[2]), column_number(match[1]))
            self.check_dimension()

    def check_dimension(self):
        """A declared dimension past the limits is decisive: the scan stops there."""
        if self.too_large_dimension():
            raise _TooLarge

    def too_large_dimension(self):
        return self.dimension is not None and (
            self.dimension[1] > self.max_rows or self.dimension[2] > self.max_columns)

    def refuse_if_too_large(self, file_name, sheet):
        where = f"文件“{file_name}”的工作表“{sheet}”"
        if self.too_large_dimension():
            ref, rows, columns = self.dimension
            raise ImportFileError(
                f"{where}声明的数据范围是{ref}（{rows}行、{columns}列），超过了上限"
                f"{self.max_rows}行、{self.max_columns}列。请在Excel中删除多余的空行和空列后另存，再上传。"
            )
        rows = max(self.rows, self.last_row)
        over = []
        if rows > self.max_rows:
            over.append(f"有{rows}行，超过了上限{self.max_rows}行")
        if self.last_column > self.max_columns:
            over.append(f"用到了第{self.last_column}列（{column_letters(self.last_column)}列），"
                        f"超过了上限{self.max_columns}列")
        if over:
            raise ImportFileError(
                f"{where}{'；'.join(over)}。请在Excel中删除多余的行和列后另存，"
                "或把文件拆分成几个较小的文件分别导入。"
            )


def _fast_scan(chunks, figures):
    """Scan a sheet written the plain way; False as soon as it is not (then _exact_scan)."""
    # Only the references that could pass a limit are looked at in Python: columns with as
    # many letters as the limit's, rows with as many digits.
    wide = re.compile(rb'<c r="([A-Z]{%d,3})[0-9]' % len(column_letters(figures.max_columns)))
    deep = len(str(figures.max_rows))
    deep_cell = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{%d,7})"' % deep)
    deep_row = re.compile(rb'<row r="([0-9]{%d,7})"' % deep)
    carry = b""
    for chunk in chunks:
        buffer = carry + chunk if carry else chunk
        cut = buffer.rfind(b"<")
        if cut == -1 or buffer.find(b">", cut) != -1:
            piece, carry = buffer, b""  # what follows the last tag is text
        else:
            piece, carry = buffer[:cut], buffer[cut:]  # the last tag goes on in the next chunk
            if len(carry) > _LONGEST_TAG:
                return False
        if not _fast_dimension(piece, figures):
            return False
        if not _fast_piece(piece, figures, wide, deep_cell, deep_row):
            return False
    if not _fast_dimension(carry, figures):
        return False
    return _fast_piece(carry, figures, wide, deep_cell, deep_row)


def _fast_dimension(piece, figures):
    match = _DIMENSION.search(piece) if b"dimension" in piece else None
    if match is None:
        return True
    if b"&" in match[2]:
        return False
    figures.declare(match[2].decode("ascii", "replace"))
    return True


def _fast_piece(piece, figures, wide, deep_cell, deep_row):
    if (_ODD_CELL.search(piece) or _ODD_ROW.search(piece) or _PREFIXED.search(piece)
            or b"<!" in piece):  # a comment, CDATA or a document type: parsed properly
        return False
    figures.rows += piece.count(b'<row r="')
    for letters in set(wide.findall(piece)):
        figures.last_column = max(figures.last_column, column_number(letters.decode()))
    for digits in set(deep_cell.findall(piece)) | set(deep_row.findall(piece)):
        figures.last_row = max(figures.last_row, int(digits))
    return True


def _exact_scan(chunks, figures, file_name):
    """Parse the sheet and follow every row and cell as calamine does: a row without a number
    is the one after the last, a cell without a reference the one after the last in its row."""
    parser = _parser(file_name)
    position = [0, 0]  # row, column

    def start(name, attrs):
        local = name.rpartition(" ")[2]
        if local == "c":
            match = _REFERENCE.fullmatch(attrs.get("r", "").strip())
            if match:
                position[0], position[1] = int(match[2]), column_number(match[1])
            else:
                position[1] += 1
            figures.last_row = max(figures.last_row, position[0])
            figures.last_column = max(figures.last_column, position[1])
        elif local == "row":
            number = attrs.get("r", "").strip()
            position[0] = int(number) if number.isdigit() else position[0] + 1
            position[1] = 0
            figures.rows += 1
            figures.last_row = max(figures.last_row, position[0])
        elif local == "dimension" and "ref" in attrs:
            figures.declare(attrs["ref"])
    parser.StartElementHandler = start
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise ImportFileError(not_xlsx_message(file_name)) from None
