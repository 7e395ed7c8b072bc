"""The ledger export writes land and labour measured to two decimals as numbers: 350.5 m² is
350.5 in a spreadsheet cell and in the CSV, shown as 350.5 (not rounded to 351), and a whole
amount stays whole."""

import csv
import datetime
import io

import openpyxl
import pytest

from danvan.initiatives.catalogues import ContributionKind, ContributorType
from danvan.initiatives.services import contribution_add, contribution_correct
from tests.reports.helpers import built

pytestmark = pytest.mark.django_db


@pytest.fixture
def measured(movement):
    """Land given to a tenth and half a day of labour on the railings, in May 2024."""
    entries = {}
    for kind, amount in ((ContributionKind.LAND, "350.5"), (ContributionKind.LABOUR, "0.5")):
        entries[kind] = contribution_add(
            actor=movement.world.root,
            initiative=movement.railings,
            date=datetime.date(2024, 5, 22),
            kind=kind,
            amount=amount,
            contributor_type=ContributorType.HOUSEHOLDS,
        )
    contribution_correct(
        actor=movement.world.root,
        entry=entries[ContributionKind.LAND],
        amount="350.25",
        reason="Đo lại",
        date=datetime.date(2024, 5, 23),
    )
    return movement


def ledger(movement, file_format: str):
    return built(
        movement.world.quan,
        kind="contributions",
        format=file_format,
        language="en",
        area=movement.town,
        period_start=datetime.date(2024, 5, 22),
        cutoff=datetime.date(2024, 5, 23),
    )


def test_decimal_amounts_are_numbers_in_the_spreadsheet(measured):
    book = openpyxl.load_workbook(io.BytesIO(ledger(measured, "xlsx").file.read()))
    [sheet] = book.worksheets
    cells = [row[5] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == [350.5, 0.5, -0.25]
    # Shown with its decimals: a whole-number format would show 351, 1 and -0.
    assert all(cell.number_format == "#,##0.####" for cell in cells), cells[0].number_format


def test_decimal_amounts_are_plain_numbers_in_the_csv(measured):
    content = ledger(measured, "csv").file.read().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert [row[5] for row in rows[1:]] == ["350.5", "0.5", "-0.25"]
