"""The staff admin's spreadsheet exports (Wagtail's ?export=csv and ?export=xlsx on every
listing) neutralize text a spreadsheet would run as a formula, with the public downloads' own
cell functions (website.opendata.writers), so both kinds of file treat a cell alike."""

from website.opendata.writers import csv_cell, xlsx_cell


class FormulaSafeExportMixin:
    """For a listing view: every text cell goes through the public downloads' cell function.
    Numbers and dates keep their type (Wagtail leaves them as they are), so -1 stays a number."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if not isinstance(value, str):
            return value
        return xlsx_cell(value) if export_format == self.FORMAT_XLSX else csv_cell(value)
