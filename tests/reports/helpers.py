"""Ask for a report as a person and build it as the worker would."""

import re
import unicodedata

from danvan.reports.build import run_report
from danvan.reports.models import Report
from danvan.reports.services import report_request

# Bidirectional marks Babel puts around Arabic figures, and the spaces it uses in them.
MARKS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def built(actor, **request) -> Report:
    request.setdefault("kind", "periodic")
    report = report_request(actor=actor, enqueue=False, **request)
    run_report(report.pk)
    report.refresh_from_db()
    assert report.status == "done", report.message
    return report


def plain(text: str) -> str:
    """Text as it can be compared: no bidi marks, one kind of space, Unicode NFKC."""
    text = MARKS.sub("", text or "")
    text = text.replace("\xa0", " ").replace("\u202f", " ")
    return unicodedata.normalize("NFKC", text)


def compare_rows(actual: list[list[str]], expected: list[list], skip_columns=()) -> None:
    """Compare table rows cell by cell; a None expected cell (a label) is not compared."""
    assert len(actual) == len(expected), (actual, expected)
    for got, want in zip(actual, expected, strict=True):
        got = [plain(cell) for index, cell in enumerate(got) if index not in skip_columns]
        for cell, wanted in zip(got, want, strict=True):
            if wanted is not None:
                assert cell == plain(wanted), (got, want)


def data_tables(word) -> list:
    """The tables of figures in a Word report (ruled, "Table Grid"): not the official form's
    header and signature blocks, nor the charts' rows."""
    return [
        table
        for table in word.tables
        if table.style is not None and table.style.name == "Table Grid"
    ]
