"""XLSX: a first sheet with the title and the narrative, then one sheet per table, numbers
stored as numbers with a number format (money in whole VND), headers in the language."""

import datetime
import io
import re
from decimal import Decimal

import xlsxwriter

from danvan.reports.document import Document, Table, raw
from danvan.reports.renderers import Renderer, register

# Excel refuses these characters in sheet names and cuts names at 31 characters.
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
NUMBER_FORMATS = {
    "count": "#,##0",
    "money": '#,##0 "₫"',
    "quantity": "#,##0",
    "decimal": "#,##0.####",
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
}


def sheet_name(title: str, taken: set[str]) -> str:
    base = SHEET_FORBIDDEN.sub(" ", title).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def cell_value(value, kind: str):
    """Return what the cell stores: a number for figures (a percentage as a fraction)."""
    value = raw(value)
    if value is None:
        return None
    if kind == "percent":
        return float(Decimal(str(value)) / 100)
    if isinstance(value, Decimal):
        return float(value)
    return value


@register
class XlsxRenderer(Renderer):
    format = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    extension = "xlsx"

    def render(self, document: Document) -> bytes:
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
        self.formats = {
            kind: book.add_format({"num_format": code}) for kind, code in NUMBER_FORMATS.items()
        }
        self.bold = book.add_format({"bold": True})
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        taken: set[str] = set()
        if document.narrative:
            self._summary(book.add_worksheet(sheet_name(document.title, taken)), document)
        for table in document.tables:
            self._table(book.add_worksheet(sheet_name(table.title, taken)), table, document)
        book.close()
        return buffer.getvalue()

    def _summary(self, sheet, document: Document) -> None:
        if document.rtl:
            sheet.right_to_left()
        sheet.set_column(0, 0, 120)
        sheet.write_string(0, 0, document.title, self.title)
        row = 1
        for line in document.lines:
            sheet.write_string(row, 0, line)
            row += 1
        row += 1
        for paragraph in document.narrative:
            sheet.write_string(row, 0, paragraph, self.wrap)
            row += 1

    def _table(self, sheet, table: Table, document: Document) -> None:
        if document.rtl:
            sheet.right_to_left()
        for index, column in enumerate(table.columns):
            sheet.write_string(0, index, column.label, self.bold)
            sheet.set_column(index, index, 40 if column.kind == "text" else 18)
        rows = [*table.rows, *([table.total] if table.total else [])]
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                kind = table.kind_of(c, value)
                stored = cell_value(value, kind)
                if stored is None:
                    continue
                if isinstance(stored, bool):
                    sheet.write_boolean(r, c, stored)
                elif isinstance(stored, int | float):
                    sheet.write_number(r, c, stored, self.formats.get(kind))
                elif isinstance(stored, datetime.date):
                    sheet.write_datetime(r, c, stored, self.formats["date"])
                else:
                    sheet.write_string(r, c, str(stored))
        sheet.freeze_panes(1, 0)
