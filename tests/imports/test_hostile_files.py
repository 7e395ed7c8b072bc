"""Broken and hostile files: each is refused with its own clear message and writes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from danvan.imports.models import BatchStatus
from danvan.imports.reading import FileRefused, open_table, sniff
from danvan.imports.services import batch_upload
from tests.imports.conftest import counts, headers, issues_of
from tests.imports.files.corpus import corpus, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, scope="module")
def _english():
    """The messages are checked in English, whatever language an earlier test left active
    (Vietnamese, the default, has its own catalogue)."""
    with translation.override("en"):
        yield


KEYS = ["code", "title", "field", "organisation", "year", "area"]

REFUSED = {
    "zip_bomb.xlsx": "unpacks to far more than its size",
    "damaged.xlsx": "damaged",
    "formulas.xlsx": "F2 hold formulas",
    "formulas.ods": "B2 hold formulas",
    "merged.xlsx": "B2:B3 are merged",
    "missing_header.xlsx": "is missing",
    "unknown_column.xlsx": "“Cột lạ” is not a column of this import",
    "data_without_header.xlsx": "G2 hold data under no header",
    "no_header.xlsx": "no header row",
    "cp1258.csv": "not in UTF-8 (it looks like Windows-1258)",
    "mojibake.csv": "garbled",
    "formula.csv": "F2 hold formulas",
}
ACCEPTED = ["bom.csv", "semicolons.csv", "empty_rows.xlsx", "libreoffice.ods"]


@pytest.fixture
def files(world):
    row = ["", "Mô hình từ tệp", "Kinh tế", world.wu_yen_giang.code, 2024, "Khu 1"]
    return corpus(headers("initiatives", "vi", KEYS), row)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_broken_file_is_refused_with_its_reason(world, files, upload, name):
    """Refused at upload when the type already shows it, else by the check; nothing written."""
    before = counts()
    try:
        batch = upload(world.lan, "initiatives", files[name], name)
    except ValidationError as refused:
        messages = refused.messages
    else:
        assert batch.status == BatchStatus.FAILED
        assert (batch.creates, batch.updates) == (0, 0)
        messages = [message for row, _c, _s, message in issues_of(batch) if row is None]
    assert any(REFUSED[name] in message for message in messages), messages
    assert counts() == before


@pytest.mark.parametrize("name", ACCEPTED)
def test_awkward_but_valid_files_are_read(world, files, upload, apply, name):
    before = counts()
    batch = upload(world.lan, "initiatives", files[name], name)
    assert batch.status == BatchStatus.VALIDATED, issues_of(batch)
    assert batch.creates == 1
    assert counts() == before
    assert apply(world.lan, batch).status == BatchStatus.APPLIED
    assert counts()[0] == before[0] + 1


def test_a_picture_named_xlsx_is_refused_at_upload(world, files, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = counts()
    with pytest.raises(ValidationError) as refused:
        batch_upload(
            actor=world.lan,
            kind="initiatives",
            upload=SimpleUploadedFile("ảnh.xlsx", files["picture.xlsx"]),
        )
    assert "not a spreadsheet" in str(refused.value)
    assert counts() == before


def test_a_sheet_over_the_row_cap_is_refused_before_reading(world, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 5
    header = headers("initiatives", "vi", KEYS)
    path = tmp_path / "big.xlsx"
    path.write_bytes(xlsx([header] + [["", f"Mô hình {n}"] for n in range(20)]))
    with pytest.raises(FileRefused, match="at most 5"):
        open_table(path, [])


def test_a_file_over_the_size_cap_is_refused(world, tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 100
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b\n" * 100)
    with pytest.raises(FileRefused, match="larger than"):
        open_table(path, [])


def test_a_package_unpacking_over_the_cap_is_refused(world, tmp_path, settings, files):
    """IMPORT_MAX_UNPACKED_BYTES is read when the file is checked, not when the app starts."""
    path = tmp_path / "ok.xlsx"
    path.write_bytes(files["empty_rows.xlsx"])
    assert sniff(path) == "xlsx"  # accepted under the default cap
    settings.IMPORT_MAX_UNPACKED_BYTES = 1000
    with pytest.raises(FileRefused, match="unpacks to far more than its size"):
        sniff(path)


def test_rows_are_streamed(world, tmp_path):
    from danvan.imports.kinds import IMPORTERS

    columns = IMPORTERS["initiatives"].columns
    path = tmp_path / "rows.xlsx"
    header = headers("initiatives", "vi", KEYS)
    path.write_bytes(xlsx([header] + [["", f"Mô hình {n}"] for n in range(50)]))
    table = open_table(path, columns)
    first = next(table.rows)
    assert (first.number, first.values["title"]) == (2, "Mô hình 0")
    assert table.estimated_rows == 50
    assert sum(1 for _ in table.rows) == 49
