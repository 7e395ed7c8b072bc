"""Export a list, edit it in a spreadsheet, import it: the database equals the edited file."""

import datetime
import io
import shutil
import subprocess

import openpyxl
import pytest

from danvan.imports.models import BatchStatus
from danvan.imports.workbooks import workbook
from danvan.initiatives.catalogues import Field
from danvan.initiatives.models import Initiative
from tests.imports.conftest import issues_of

pytestmark = pytest.mark.django_db

EDITABLE = [
    "code",
    "title",
    "field",
    "organisation",
    "year",
    "area_code",
    "area",
    "start_date",
    "end_date",
    "summary",
    "people_in_charge",
    "status",
    "registration_kind",
    "continues",
    "exemplary",
    "replicated_from",
]


def _edit(content: bytes, world) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert len(header) == len(EDITABLE)
    col = {key: position + 1 for position, key in enumerate(EDITABLE)}
    rows = {sheet.cell(row, col["code"]).value: row for row in range(2, sheet.max_row + 1)}
    edited = rows[world.cultural_houses.code]
    sheet.cell(edited, col["title"]).value = "Nhà văn hóa khu dân cư (đã sửa)"
    sheet.cell(edited, col["summary"]).value = "Điều hòa, loa, sân"
    sheet.cell(edited, col["end_date"]).value = datetime.datetime(2024, 12, 31)
    sheet.cell(edited, col["people_in_charge"]).value = "Nguyễn Thị Lan"
    new_row = sheet.max_row + 1
    for key, value in {
        "title": "Mô hình mới từ bảng tính",
        "field": "Quốc phòng – an ninh",
        "organisation": world.wu_yen_giang.code,
        "year": 2024,
        "area": "Khu 1",
        "start_date": "01/02/2024",
    }.items():
        sheet.cell(new_row, col[key]).value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _resave_with_libreoffice(content: bytes, tmp_path) -> bytes:
    source = tmp_path / "edited.xlsx"
    source.write_bytes(content)
    out = tmp_path / "resaved"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return (out / "edited.xlsx").read_bytes()


def _mine(world):
    return Initiative.objects.filter(organisation=world.wu_yen_giang).order_by("code")


@pytest.mark.parametrize("libreoffice", [False, True])
def test_exported_list_edited_and_imported_equals_the_file(
    world, upload, apply, tmp_path, libreoffice
):
    if libreoffice and shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    exported = workbook("initiatives", language="vi", initiatives=_mine(world))
    edited = _edit(exported, world)
    if libreoffice:
        edited = _resave_with_libreoffice(edited, tmp_path)
    batch = apply(world.lan, upload(world.lan, "initiatives", edited, "edited.xlsx"))
    assert batch.status == BatchStatus.APPLIED, issues_of(batch)
    assert (batch.creates, batch.updates) == (1, 1)

    # Read the file back and compare every row with the database.
    book = openpyxl.load_workbook(io.BytesIO(edited))
    sheet = book.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]
    in_db = {i.code: i for i in _mine(world)}
    assert len(rows) == len(in_db)
    for row in rows:
        values = dict(zip(EDITABLE, row, strict=False))
        initiative = (
            in_db[values["code"]]
            if values["code"]
            else in_db[max(code for code in in_db if code.startswith("DVK-2024-"))]
        )
        assert initiative.title == values["title"]
        assert initiative.summary == (values["summary"] or "")
        assert initiative.people_in_charge == (values["people_in_charge"] or "")
        if values["end_date"]:
            assert initiative.end_date == values["end_date"].date()
    new = Initiative.objects.get(title="Mô hình mới từ bảng tính")
    assert (new.field, new.area, new.start_date) == (
        Field.DEFENCE_SECURITY,
        world.zone_1,
        datetime.date(2024, 2, 1),
    )
    # A fresh export of the result imports back without changing anything.
    exported = workbook("initiatives", language="en", initiatives=_mine(world))
    again = apply(world.lan, upload(world.lan, "initiatives", exported, "again.xlsx"))
    assert (again.status, again.creates, again.updates) == (BatchStatus.APPLIED, 0, 0)
    assert again.unchanged == len(in_db)
