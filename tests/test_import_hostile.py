"""Files built to hurt the importer: workbooks that declare or unpack to far more than they
hold, sheets of absurd size, CSV cells past the csv module's limit. Each is refused before it is
read, with a message naming the limit and the file's figure, and the process stays small.

The workbooks are built here, byte by byte, a few KB each. Those that would exhaust memory
before the fix are read in a child process capped at 1.5 GB of address space, so that a
failure kills the child and not pytest."""

import binascii
import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from website.importer.readers import ImportFileError, open_table

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/status"),
                                reason="the child's peak memory is read from Linux's /proc")
ADDRESS_SPACE = 1536 * 1024 * 1024
# Python, Django's settings, the importer and calamine take about 30 MB; a refusal adds a few.
SMALL_PROCESS_KB = 100 * 1024

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
).encode()
PACKAGE_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL_NS}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
).encode()
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
    '<sheets><sheet name="社会组织" sheetId="1" r:id="rId1"/></sheets></workbook>'
).encode()
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL_NS}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
).encode()


def sheet_xml(rows_xml, *, dimension=None, root_attributes=""):
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}"{root_attributes}>'
            f"{dim}<sheetData>{rows_xml}</sheetData></worksheet>").encode()


def header_row():
    return ('<row r="1"><c r="A1" t="inlineStr"><is><t>社会组织名称</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>所属镇街</t></is></c></row>')


class Member:
    """A part of the zip: its deflated bytes and what the directory says of it."""

    def __init__(self, name, content=b"", *, deflated=None, size=None, crc=None):
        self.name = name.encode()
        if deflated is None:
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            deflated = compressor.compress(content) + compressor.flush()
            size = len(content) if size is None else size
            crc = binascii.crc32(content) if crc is None else crc
        self.deflated, self.size, self.crc = deflated, size, crc or 0


def zip_bytes(members):
    """A zip written by hand, so that the directory can say what we like."""
    out, directory = bytearray(), bytearray()
    for m in members:
        offset = len(out)
        fixed = struct.pack("<HHHHHIIIHH", 20, 0, 8, 0, 0x21, m.crc, len(m.deflated), m.size,
                            len(m.name), 0)
        out += b"PK\x03\x04" + fixed + m.name + m.deflated
        directory += (b"PK\x01\x02" + struct.pack("<H", 20) + fixed
                      + struct.pack("<HHHII", 0, 0, 0, 0, offset) + m.name)
    end = struct.pack("<HHHHIIH", 0, 0, len(members), len(members), len(directory), len(out), 0)
    return bytes(out + directory + b"PK\x05\x06" + end)


def workbook(sheet, *, sheet_member=None):
    return zip_bytes([
        Member("[Content_Types].xml", CONTENT_TYPES), Member("_rels/.rels", PACKAGE_RELS),
        Member("xl/workbook.xml", WORKBOOK), Member("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        sheet_member or Member("xl/worksheets/sheet1.xml", sheet),
    ])


def whitespace_sheet(gib):
    """A sheet part of `gib` GiB, mostly spaces between two tags, deflated to about 1 KB a MiB
    without compressing gigabytes here: a fully flushed deflate segment stands alone, so one
    MiB's segment repeated is a valid stream of that many MiB."""
    def segment(data):
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)

    head, tail = sheet_xml(header_row() + "\x00").split(b"\x00")
    mib = 1024 * 1024
    body = segment(head) + segment(b" " * mib) * (gib * 1024) + segment(tail) + b"\x03\x00"
    return body, len(head) + gib * 1024 * mib + len(tail)


def read_in_child(path, name="组织.xlsx"):
    """open_table and every row read in a child process limited to 1.5 GB of address space."""
    script = f"""
import json, os, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({ADDRESS_SPACE}, {ADDRESS_SPACE}))
from django.conf import settings
settings.configure()  # the importer's default limits; no apps needed to read a file
from website.importer.readers import ImportFileError, open_table
try:
    table = open_table(file_name=sys.argv[2], path=sys.argv[1])
    outcome = {{"rows": sum(1 for _ in table.rows)}}
except ImportFileError as e:
    outcome = {{"message": e.message}}
# The peak of this process's own memory (ru_maxrss would include pytest's, from before exec).
with open("/proc/self/status") as status:
    outcome["max_rss_kb"] = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
print(json.dumps(outcome))
"""
    child = subprocess.run([sys.executable, "-c", script, str(path), name], cwd=ROOT,
                           capture_output=True, text=True, timeout=300)
    assert child.returncode == 0, f"the reader died ({child.returncode}): {child.stderr[-2000:]}"
    outcome = json.loads(child.stdout.strip().splitlines()[-1])
    print(outcome)
    assert outcome["max_rss_kb"] < SMALL_PROCESS_KB, outcome
    return outcome


def refused_in_child(tmp_path, content):
    path = tmp_path / "crafted.xlsx"
    path.write_bytes(content)
    outcome = read_in_child(path)
    assert "message" in outcome, f"read {outcome.get('rows')} rows instead of refusing the file"
    return outcome["message"]


def refused(content, name="组织.xlsx"):
    with pytest.raises(ImportFileError) as refusal:
        table = open_table(file_name=name, data=content)
        list(table.rows)
    return refusal.value.message


# The four files of the issue, and what each is refused for.

def test_one_cell_at_the_last_column_and_row_is_refused(tmp_path):
    content = workbook(sheet_xml(header_row() + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))
    assert len(content) < 2000
    message = refused_in_child(tmp_path, content)
    assert "第16384列" in message and "上限64列" in message, message


def test_one_cell_at_column_2001_row_100000_is_refused(tmp_path):
    content = workbook(sheet_xml(header_row() + '<row r="100000"><c r="BXY100000"><v>1</v></c></row>'))
    message = refused_in_child(tmp_path, content)
    assert "第2001列" in message and "上限64列" in message, message


def test_a_sheet_that_unpacks_to_3_gib_is_refused_from_the_zip_directory(tmp_path):
    deflated, size = whitespace_sheet(3)
    content = workbook(None, sheet_member=Member("xl/worksheets/sheet1.xml", deflated=deflated,
                                                 size=size))
    assert len(content) < 4 * 1024 * 1024
    message = refused_in_child(tmp_path, content)
    assert "解压后" in message and "3072.0 MB" in message and "上限300.0 MB" in message, message


def test_a_directory_that_understates_the_unpacked_size_is_caught_while_unpacking(tmp_path):
    deflated, size = whitespace_sheet(3)
    content = workbook(None, sheet_member=Member("xl/worksheets/sheet1.xml", deflated=deflated,
                                                 size=2048))
    message = refused_in_child(tmp_path, content)
    assert "xl/worksheets/sheet1.xml" in message and "2048" in message and "不符" in message, message


def test_a_sheet_of_300000_rows_is_refused(tmp_path):
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 300_002))
    message = refused_in_child(tmp_path, workbook(sheet_xml(header_row() + rows)))
    assert "300001行" in message and "上限200000行" in message, message


def test_a_declared_dimension_past_the_limits_is_refused(tmp_path):
    content = workbook(sheet_xml(header_row(), dimension="A1:XFD1048576"))
    message = refused_in_child(tmp_path, content)
    assert "A1:XFD1048576" in message and "1048576行" in message and "16384列" in message, message


def test_a_workbook_within_the_limits_is_read(tmp_path):
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>协会{n}</t></is></c>'
                   f'<c r="B{n}" t="inlineStr"><is><t>西塘镇</t></is></c></row>' for n in range(2, 1002))
    path = tmp_path / "fine.xlsx"
    path.write_bytes(workbook(sheet_xml(header_row() + rows, dimension="A1:B1001")))
    assert read_in_child(path)["rows"] == 1000


# References written in the other ways XML allows are found all the same.

@pytest.mark.parametrize("cells", [
    "<c><v>1</v></c>" * 2001,  # no references: calamine counts the cells
    '<c t="n" r="XFD1"><v>1</v></c>',  # the reference after another attribute
    "<c r='XFD1'><v>1</v></c>",  # single quotes
    '<c r="&#88;FD1"><v>1</v></c>',  # a character reference
    '<x:c r="XFD1"><x:v>1</x:v></x:c>',  # a namespace prefix
], ids=["no-references", "attribute-order", "single-quotes", "character-reference", "prefix"])
def test_cell_references_written_unusually_are_counted(cells):
    content = workbook(sheet_xml(f'{header_row()}<row r="2">{cells}</row>',
                                 root_attributes=f' xmlns:x="{MAIN_NS}"'))
    message = refused(content)
    assert "上限64列" in message, message


def test_rows_without_references_are_counted(settings):
    settings.IMPORT_MAX_ROWS = 10
    rows = "<row><c><v>1</v></c></row>" * 20
    assert "21行" in refused(workbook(sheet_xml(header_row() + rows)))


def test_a_document_type_declaration_is_refused():
    sheet = sheet_xml(header_row()).replace(
        b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]><worksheet', 1)
    assert "不是有效的Excel工作簿" in refused(workbook(sheet))


# The limits are settings.

def test_the_row_and_column_limits_are_settings(settings):
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="C{n}"><v>1</v></c></row>'
                   for n in range(2, 13))
    content = workbook(sheet_xml(header_row() + rows))
    settings.IMPORT_MAX_ROWS = 11
    message = refused(content)
    assert "有12行" in message and "上限11行" in message, message
    settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS = 12, 2
    message = refused(content)
    assert "第3列" in message and "上限2列" in message, message
    settings.IMPORT_MAX_COLUMNS = 3
    assert len(list(open_table(file_name="组织.xlsx", data=content).rows)) == 11


def test_the_unpacked_size_limits_are_settings(settings):
    content = workbook(sheet_xml(header_row()))
    settings.IMPORT_MAX_PART_BYTES = 100
    assert "上限0.0 MB" in refused(content)
    settings.IMPORT_MAX_PART_BYTES = 10_000
    settings.IMPORT_MAX_UNPACKED_BYTES = 1000
    message = refused(content)
    assert "解压后共" in message and "上限0.0 MB" in message, message


def test_a_csv_over_the_row_limit_is_refused(settings):
    settings.IMPORT_MAX_ROWS = 10
    content = "社会组织名称，所属镇街\r\n".encode() + "协会，西塘镇\r\n".encode() * 10
    message = refused(content, "组织.csv")
    assert "有11行" in message and "上限10行" in message, message
    settings.IMPORT_MAX_ROWS = 11
    assert len(list(open_table(file_name="组织.csv", data=content).rows)) == 10


def test_a_csv_cell_over_131072_characters_is_refused_with_its_row():
    content = ("社会组织名称，业务范围\r\n协会1,开展活动\r\n协会2,"
               + "长" * 131_073 + "\r\n").encode()
    message = refused(content, "组织.csv")
    assert "第3行" in message and "131072" in message, message


def test_a_zip_directory_of_60000_parts_is_refused_before_it_is_listed():
    empty = Member("x", b"")
    parts = [Member(f"xl/p{n}.xml", deflated=empty.deflated, size=0) for n in range(60_000)]
    crowded = zip_bytes([*parts, *(Member(n, c) for n, c in [
        ("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", PACKAGE_RELS),
        ("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/worksheets/sheet1.xml", sheet_xml(header_row()))])])
    assert len(crowded) < 20 * 1024 * 1024
    assert "不是有效的Excel工作簿" in refused(crowded)


def test_a_workbook_with_an_unusual_compression_method_is_refused():
    content = bytearray(workbook(sheet_xml(header_row())))
    content[8:10] = struct.pack("<H", 12)  # bzip2 in the first local header...
    at = content.index(b"PK\x01\x02")
    content[at + 10:at + 12] = struct.pack("<H", 12)  # ...and in the directory
    assert "不是有效的Excel工作簿" in refused(bytes(content))


def test_the_child_limit_really_holds():
    """The safety net of the tests above: a child that allocates past it fails, not pytest."""
    child = subprocess.run([sys.executable, "-c", (
        "import resource; resource.setrlimit(resource.RLIMIT_AS, "
        f"({ADDRESS_SPACE}, {ADDRESS_SPACE})); b = bytearray(2 * 1024 ** 3)")],
        capture_output=True, text=True)
    assert child.returncode != 0 and "MemoryError" in child.stderr
