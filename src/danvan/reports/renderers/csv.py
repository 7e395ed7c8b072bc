"""CSV of a list: UTF-8 with a byte-order mark, so Excel opens Vietnamese text correctly, and
written with defusedcsv, so a cell starting with ``=`` cannot run as a formula."""

import datetime
import io
from decimal import Decimal

from defusedcsv import csv as defused

from danvan.reports.document import Document, raw
from danvan.reports.renderers import Renderer, register


def _plain(value) -> str:
    """A machine-readable value: digits without grouping, ISO dates, yes/no as 1/0."""
    value = raw(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@register
class CsvRenderer(Renderer):
    format = "csv"
    content_type = "text/csv; charset=utf-8"
    extension = "csv"

    def render(self, document: Document) -> bytes:
        [table] = document.tables  # a CSV holds one list
        buffer = io.StringIO()
        writer = defused.writer(buffer)
        writer.writerow([column.label for column in table.columns])
        for row in table.rows:
            writer.writerow([_plain(value) for value in row])
        return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
