"""``danvan build_report`` builds through the same services and writes the file."""

import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document as WordDocument

from danvan.core.formats import format_number
from tests.reports import expected
from tests.reports.helpers import data_tables


def test_command_writes_the_report(movement, tmp_path):
    output = tmp_path / "bao-cao.docx"
    call_command(
        "build_report",
        "--area-code",
        movement.town.code,
        "--scheme",
        "legacy",
        "--year",
        "2024",
        "--period",
        "six_months",
        "--language",
        "vi",
        "--output",
        str(output),
        stdout=io.StringIO(),
    )
    word = WordDocument(str(output))
    key = [row.cells[1].text for row in data_tables(word)[0].rows[1:]]
    f = expected.figures(movement.town)
    assert key[1] == format_number(f["totals"]["initiatives"], "vi")


def test_command_refuses_an_unknown_unit_and_bad_dates(movement, tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "build_report",
            "--area-code",
            "NOPE",
            "--year",
            "2024",
            "--output",
            str(tmp_path / "x.docx"),
        )
    with pytest.raises(CommandError, match="cutoff"):
        call_command(
            "build_report",
            "--year",
            "2024",
            "--period",
            "custom",
            "--output",
            str(tmp_path / "x.docx"),
        )
