"""List exports: the initiative list with the API list's filters and scope, the ledger."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from danvan.initiatives.models import Contribution
from danvan.initiatives.selectors import initiative_list
from danvan.reports.services import report_request
from tests.reports.helpers import built


def rows_of_csv(report) -> list[list[str]]:
    content = report.file.read()
    assert content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_initiative_list_is_the_scoped_filtered_list(movement):
    world = movement.world
    report = built(
        world.minh,
        kind="initiatives",
        format="csv",
        language="vi",
        filters={"year": 2024, "ordering": "code"},
    )
    rows = rows_of_csv(report)
    want = initiative_list(actor=world.minh, year=2024, ordering="code")
    assert [row[0] for row in rows[1:]] == [i.code for i in want]
    assert rows[0][0] == "Mã" or rows[0][0] == "Code"
    everyone = built(world.root, kind="initiatives", format="csv", language="vi")
    assert len(rows_of_csv(everyone)) - 1 > len(rows) - 1  # minh sees only his ward's


def test_a_formula_in_a_title_is_not_a_formula(movement):
    movement.houses.title = '=HYPERLINK("http://evil")'
    movement.houses.save()
    report = built(
        movement.world.root,
        kind="initiatives",
        format="csv",
        language="en",
        filters={"q": movement.houses.code},
    )
    [_header, row] = rows_of_csv(report)
    assert not row[1].startswith("=")


def test_contribution_ledger_in_a_period_as_xlsx(movement):
    report = built(
        movement.world.quan,
        kind="contributions",
        format="xlsx",
        language="en",
        area=movement.town,
        period_start=datetime.date(2024, 1, 1),
        cutoff=datetime.date(2024, 6, 30),
    )
    book = openpyxl.load_workbook(io.BytesIO(report.file.read()))
    [sheet] = book.worksheets
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    entries = Contribution.objects.filter(
        initiative__in=initiative_list(actor=movement.world.quan, area=movement.town),
        date__range=(datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)),
    )
    assert sorted(r[0] for r in rows) == sorted(str(e.pk) for e in entries)
    amounts = {r[0]: r[5] for r in rows}
    assert all(isinstance(v, int) for v in amounts.values())
    assert {str(e.pk): e.amount for e in entries} == amounts
    assert 350_000_000 not in amounts.values()  # August is after the cut-off


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"colour": "red"}, "filters.colour"),
        ({"year": "two thousand"}, "filters.year"),
        ({"status": "lost"}, "filters.status"),
        ({"organisation": 10**12}, "filters.organisation"),
        ({"exemplary": "maybe"}, "filters.exemplary"),
        ("field=economy", "filters"),
    ],
)
def test_bad_export_filters_are_refused(movement, filters, field):
    with pytest.raises(ValidationError) as caught:
        report_request(
            actor=movement.world.quan,
            kind="initiatives",
            format="csv",
            language="vi",
            filters=filters,
        )
    assert field in caught.value.message_dict


def test_an_export_is_never_a_word_file(movement):
    with pytest.raises(ValidationError) as caught:
        report_request(
            actor=movement.world.quan, kind="contributions", format="docx", language="vi"
        )
    assert "format" in caught.value.message_dict
