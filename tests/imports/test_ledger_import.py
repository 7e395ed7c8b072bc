"""Contributions and results from a spreadsheet: appended once, never twice."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db.models import Sum

from danvan.imports.models import BatchStatus
from danvan.imports.services import batch_rollback
from danvan.imports.workbooks import workbook
from danvan.initiatives.catalogues import Aggregation, Unit
from danvan.initiatives.models import Contribution, Result
from tests.factories import IndicatorFactory
from tests.imports.conftest import headers, issues_of, xlsx_bytes

pytestmark = pytest.mark.django_db


def contributions(*rows, language="vi"):
    return xlsx_bytes([headers("contributions", language), *rows])


def test_contributions_import_once_even_when_the_file_comes_twice(world, upload, apply):
    code = world.cultural_houses.code
    content = contributions(
        [code, "15/03/2024", "Tiền", "180.000.000 ₫", "Hộ gia đình", 120, ""],
        [code, "15/03/2024", "money", "180.000.000", "households", 120, ""],
        [code, "2024-04-01", "land", "1.200", "households", "", ""],
        [code, "01/05/2024", "in_kind", "16.000.000", "businesses", 2, "16 máy điều hòa"],
    )
    batch = apply(world.lan, upload(world.lan, "contributions", content))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    assert batch.creates == 4
    ledger = Contribution.objects.filter(initiative=world.cultural_houses)
    assert ledger.filter(kind="money").aggregate(s=Sum("amount"))["s"] == 360_000_000
    assert ledger.get(kind="land").amount == 1200

    again = apply(world.lan, upload(world.lan, "contributions", content))
    assert (again.status, again.creates, again.unchanged) == (BatchStatus.APPLIED, 0, 4)
    assert ledger.count() == 4

    # One more identical money row than the ledger holds: exactly one entry is added.
    more = contributions(*[[code, "15/03/2024", "money", "180.000.000", "households", 120, ""]] * 3)
    third = apply(world.lan, upload(world.lan, "contributions", more))
    assert (third.creates, third.unchanged) == (1, 2)


def test_bad_contribution_rows_name_their_cells(world, upload):
    code = world.cultural_houses.code
    content = contributions(
        [code, "15/03/2024", "money", "1.234,5", "households", "", ""],
        [code, "15/03/2024", "in_kind", "10.000", "households", "", ""],
        ["DVK-0000-000000", "31/13/2024", "gold", "x", "aliens", "-1", ""],
        [world.railings.code, "15/03/2024", "money", "1", "households", "", ""],
    )
    batch = upload(world.lan, "contributions", content)
    found = {(row, column) for row, column, _s, _m in issues_of(batch)}
    assert (2, "amount") in found
    assert (3, "description") in found
    assert {(4, "date"), (4, "kind"), (4, "contributor_type")} <= found
    assert (5, "initiative") in found  # outside Lan's scope: "no such code"
    assert batch.status == BatchStatus.FAILED


def test_land_and_labour_cells_take_two_decimals(world, upload, apply):
    code = world.cultural_houses.code
    content = contributions(
        [code, "15/03/2024", "land", "350,5", "households", 3, ""],
        [code, "16/03/2024", "land", 1200.75, "households", "", ""],
        [code, "17/03/2024", "labour", "0,5", "individuals", 1, ""],
        [code, "18/03/2024", "labour", "1.234,25", "individuals", "", ""],
        [code, "19/03/2024", "money", 38_000_000.0, "households", "", ""],
    )
    batch = apply(world.lan, upload(world.lan, "contributions", content))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    ledger = Contribution.objects.filter(initiative=world.cultural_houses).order_by("date")
    assert [entry.amount for entry in ledger] == [
        Decimal("350.5"),
        Decimal("1200.75"),
        Decimal("0.5"),
        Decimal("1234.25"),
        Decimal("38000000"),
    ]
    # The same file again: its decimal rows are found in the ledger, nothing is added twice.
    again = apply(world.lan, upload(world.lan, "contributions", content))
    assert (again.creates, again.unchanged) == (0, 5)


def test_an_english_file_writes_the_decimal_with_a_point(world, upload, apply):
    code = world.cultural_houses.code
    content = contributions(
        [code, "15/03/2024", "land", "350.5", "households", "", ""],
        [code, "15/03/2024", "labour", "1,234.5", "households", "", ""],
        language="en",
    )
    batch = apply(world.lan, upload(world.lan, "contributions", content, language="en"))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    amounts = sorted(entry.amount for entry in Contribution.objects.all())
    assert amounts == [Decimal("350.5"), Decimal("1234.5")]


def test_decimals_a_kind_does_not_have_are_refused_on_the_amount(world, upload):
    code = world.cultural_houses.code
    content = contributions(
        [code, "15/03/2024", "land", "350,555", "households", "", ""],
        [code, "15/03/2024", "labour", 0.125, "households", "", ""],
        [code, "15/03/2024", "money", 1500.5, "households", "", ""],
        [code, "15/03/2024", "in_kind", "16.000.000,5", "businesses", "", "máy điều hòa"],
        [code, "15/03/2024", "land", "350,5", "households", "", ""],
    )
    batch = upload(world.lan, "contributions", content)
    messages = {row: message for row, column, _s, message in issues_of(batch) if column == "amount"}
    assert messages == {
        2: "Enter at most two decimals.",
        3: "Enter at most two decimals.",
        4: "“1500.5” has a fraction of a đồng; amounts are whole đồng.",
        5: "“16.000.000,5” has a fraction of a đồng; amounts are whole đồng.",
    }
    assert batch.status == BatchStatus.FAILED
    assert not Contribution.objects.exists()


def test_the_template_says_land_and_labour_take_two_decimals(world):
    guide = openpyxl.load_workbook(io.BytesIO(workbook("contributions", language="en")))
    texts = [cell.value for sheet in guide for row in sheet.iter_rows() for cell in row]
    assert any("up to two decimals (350.5 m², half a day 0.5)" in str(text) for text in texts)


def test_contribution_rollback_cancels_entries_in_the_ledger(world, upload, apply):
    code = world.cultural_houses.code
    content = contributions([code, "15/03/2024", "money", "75.000.000", "households", 10, ""])
    batch = apply(world.lan, upload(world.lan, "contributions", content))
    batch_rollback(actor=world.tuan, batch=batch)
    ledger = Contribution.objects.filter(initiative=world.cultural_houses)
    assert ledger.count() == 2  # the entry and its cancelling correction
    assert ledger.aggregate(s=Sum("amount"))["s"] == 0


def test_results_import_once_and_roll_back(world, upload, apply):
    IndicatorFactory(
        code="canal_new_km", name_vi="Kênh mới", unit=Unit.KM, aggregation=Aggregation.SUM
    )
    IndicatorFactory(
        code="sim_4g", name_vi="Chuyển SIM 4G", unit=Unit.PERCENT, aggregation=Aggregation.AVERAGE
    )
    code = world.cultural_houses.code
    content = xlsx_bytes(
        [
            headers("results"),
            [code, "kenh moi", "7,1", "", "01/01/2023", "30/09/2023", ""],
            [code, "sim_4g", "96%", "100", "", "31/12/2024", ""],
            [code, "sim_4g", "101", "", "", "31/12/2024", ""],
        ]
    )
    batch = upload(world.lan, "results", content)
    assert [(row, column) for row, column, _s, _m in issues_of(batch)] == [(4, "value")]
    content = xlsx_bytes(
        [
            headers("results"),
            *[
                [code, "kenh moi", "7,1", "", "01/01/2023", "30/09/2023", ""],
                [code, "sim_4g", "96%", "100", "", "31/12/2024", ""],
            ],
        ]
    )
    batch = apply(world.lan, upload(world.lan, "results", content))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    results = Result.objects.filter(initiative=world.cultural_houses)
    assert results.get(indicator__code="canal_new_km").value == Decimal("7.1")
    assert results.get(indicator__code="sim_4g").period_end == datetime.date(2024, 12, 31)
    again = apply(world.lan, upload(world.lan, "results", content))
    assert (again.creates, again.unchanged) == (0, 2)
    batch_rollback(actor=world.tuan, batch=batch)
    assert not results.exists()
