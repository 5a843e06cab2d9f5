"""How much of a file the importer will read: settings, with defaults that fit the largest real
import (about 100,000 organizations of about 30 columns) with room to spare.

calamine holds a sheet as the full rectangle from its first to its last cell (about 32 bytes a
cell) and reads a part of the workbook as it unpacks; these limits keep both to a few hundred
MB, whatever a file declares."""

from django.conf import settings

DEFAULTS = {
    # Rows of a sheet or CSV file, the header included.
    "IMPORT_MAX_ROWS": 200_000,
    # Columns of a sheet: the widest kind has 17, the bureau's own sheets about 30.
    "IMPORT_MAX_COLUMNS": 64,
    # Bytes a workbook unpacks to, all its parts together; a 100,000-row sheet with its text
    # written in each cell (as openpyxl writes it) unpacks to about 110 MB at 17 columns.
    "IMPORT_MAX_UNPACKED_BYTES": 400 * 1024 * 1024,
    # Bytes any one part unpacks to (the sheet is the largest).
    "IMPORT_MAX_PART_BYTES": 300 * 1024 * 1024,
}


def limit(name):
    return int(getattr(settings, name, DEFAULTS[name]))
