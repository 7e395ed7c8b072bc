"""XLSX: a first sheet with the title and the narrative, then one sheet per table, numbers
stored as numbers with a number format (money in whole VND), headers in the language.

It opens clean in LibreOffice and Excel alike: sheet names are short and cut between words,
every row that wraps has the height its lines need (LibreOffice does not grow a row written
without one, so long paragraphs ran over the next ones), columns are as wide as their text up
to a limit and wrap beyond it, the header row is frozen and repeats on each printed page, and
each sheet prints on A4, as wide as one page, over exactly its cells.
"""

import datetime
import io
import re
from decimal import Decimal

import xlsxwriter

from danvan.reports.document import Document, Table, as_text, raw
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


SHEET_LIMIT = 31
# Column widths in characters (Excel's unit), and the height of one line of 11-point text.
TEXT_MAX_WIDTH = 60
NUMBER_MIN_WIDTH = 12
SUMMARY_WIDTH = 90
FONT = "Arial"
FONT_SIZE = 10
LINE_HEIGHT = 13.5
TITLE_HEIGHT = 22
# A character of proportional text is narrower than Excel's width unit on average; wrapped text
# is counted as if each took a whole unit, so a row is sometimes a little high, never too low.
PADDING = 2


def _words_within(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters between words, without a dangling comma or dash."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut[:limit].rstrip(" ,;:–-(")


def sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: at most 31 characters, cut between words, unique."""
    base = re.sub(r"\s+", " ", SHEET_FORBIDDEN.sub(" ", title)).strip().strip("'")
    base = _words_within(base, SHEET_LIMIT) or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = _words_within(base, SHEET_LIMIT - len(suffix)) + suffix, n + 1
    taken.add(name.lower())
    return name


def wrapped_lines(text: str, width: int) -> int:
    """How many lines ``text`` takes in a column ``width`` characters wide, words kept whole."""
    lines = 0
    for paragraph in str(text).split("\n"):
        line, count = 0, 1
        for word in paragraph.split(" "):
            size = len(word)
            if line and line + 1 + size > width:
                count, line = count + 1, size
            else:
                line += size + (1 if line else 0)
            while line > width:  # a word longer than the column breaks across lines
                count, line = count + 1, line - width
        lines += count
    return lines


def row_height(text: str, width: int, *, line_height: float = LINE_HEIGHT) -> float:
    return wrapped_lines(text, width) * line_height + 3


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
        book = xlsxwriter.Workbook(
            buffer,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                # Arial: every Excel has it and LibreOffice on Linux has its metric twin
                # (Liberation Sans), so column widths and wrapped lines come out the same.
                "default_format_properties": {"font_name": FONT, "font_size": FONT_SIZE},
            },
        )
        self.formats = {
            kind: book.add_format({"num_format": code}) for kind, code in NUMBER_FORMATS.items()
        }
        self.bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.title = book.add_format({"bold": True, "font_size": 14, "valign": "top"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.wrap_bold = book.add_format({"text_wrap": True, "valign": "top", "bold": True})
        taken: set[str] = set()
        if document.narrative:
            self._summary(book.add_worksheet(sheet_name(document.title, taken)), document)
        for table in document.tables:
            self._table(book.add_worksheet(sheet_name(table.title, taken)), table, document)
        book.close()
        return buffer.getvalue()

    @staticmethod
    def _page(sheet, rows: int, columns: int, *, header: bool) -> None:
        """A4, as wide as one page, printing exactly the sheet's cells (the header row on
        every page)."""
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        sheet.print_area(0, 0, max(rows - 1, 0), max(columns - 1, 0))
        if header:
            sheet.repeat_rows(0)
            if columns > 4:
                sheet.set_landscape()

    def _summary(self, sheet, document: Document) -> None:
        if document.rtl:
            sheet.right_to_left()
        sheet.set_column(0, 0, SUMMARY_WIDTH)
        sheet.write_string(0, 0, document.title, self.title)
        sheet.set_row(0, TITLE_HEIGHT)
        row = 1
        for line in document.lines:
            sheet.write_string(row, 0, line, self.wrap)
            sheet.set_row(row, row_height(line, SUMMARY_WIDTH - PADDING))
            row += 1
        row += 1
        for paragraph in document.narrative:
            sheet.write_string(row, 0, paragraph, self.wrap)
            sheet.set_row(row, row_height(paragraph, SUMMARY_WIDTH - PADDING))
            row += 1
        self._page(sheet, row, 1, header=False)

    @staticmethod
    def _widths(table: Table, rows: list[list], language: str) -> list[int]:
        """Each column as wide as its longest text (numbers as written), within limits: a
        header longer than its figures wraps instead of widening the column."""
        widths = []
        for index, column in enumerate(table.columns):
            texts = [
                as_text(row[index], table.kind_of(index, row[index]), language)
                for row in rows
                if index < len(row)
            ]
            longest = max((len(text) for text in texts), default=0)
            if column.kind == "text":
                header = max((len(word) for word in column.label.split()), default=0)
                widths.append(min(TEXT_MAX_WIDTH, max(longest, header, 8) + PADDING))
            else:
                # Numbers never wrap: the column takes the widest figure (with the number
                # format's grouping and symbol) and at least a header's longest word.
                header = max((len(word) for word in column.label.split()), default=0)
                widths.append(max(NUMBER_MIN_WIDTH, longest + 4, header + PADDING))
        return widths

    def _table(self, sheet, table: Table, document: Document) -> None:
        if document.rtl:
            sheet.right_to_left()
        rows = [*table.rows, *([table.total] if table.total else [])]
        widths = self._widths(table, rows, document.language)
        for index, column in enumerate(table.columns):
            sheet.write_string(0, index, column.label, self.bold)
            sheet.set_column(index, index, widths[index])
        sheet.set_row(
            0,
            max(
                row_height(column.label, widths[index] - PADDING)
                for index, column in enumerate(table.columns)
            ),
        )
        for r, row in enumerate(rows, start=1):
            height = LINE_HEIGHT
            for c, value in enumerate(row):
                if table.kind_of(c, value) == "text" and isinstance(raw(value), str):
                    height = max(height, row_height(raw(value), widths[c] - PADDING))
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
                    sheet.write_string(r, c, str(stored), self.wrap)
            if height > LINE_HEIGHT:
                sheet.set_row(r, height)
        sheet.freeze_panes(1, 0)
        self._page(sheet, 1 + len(rows), len(table.columns), header=True)
