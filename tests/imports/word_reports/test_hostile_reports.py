"""Hostile and broken reports: each refused with a clear message, nothing left behind."""

import io
import shutil
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError

from danvan.imports.models import ImportBatch
from danvan.imports.word_reports.document import office_converter
from danvan.imports.word_reports.services import report_upload
from tests.imports.conftest import counts
from tests.imports.word_reports.conftest import upload_of

pytestmark = pytest.mark.django_db


def _repack(docx: bytes, extra: dict[str, bytes], content_types: bytes | None = None) -> bytes:
    """The report with parts added (or its content types replaced)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "[Content_Types].xml" and content_types is not None:
                data = content_types
            target.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
        for name, data in extra.items():
            target.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


def _ole(streams: list[str]) -> bytes:
    """An OLE container's first sector and a directory naming ``streams`` (UTF-16)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = b"".join(name.encode("utf-16-le").ljust(128, b"\x00") for name in streams)
    return header + directory


def hostile(docx: bytes) -> dict[str, tuple[bytes, str]]:
    """Each hostile file, and the words its refusal must say."""
    types = zipfile.ZipFile(io.BytesIO(docx)).read("[Content_Types].xml")
    macro_types = types.replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
    )
    return {
        "macros.docx": (
            _repack(docx, {"word/vbaProject.bin": b"VBA" * 100}),
            "contains macros",
        ),
        "macro-enabled.docm": (_repack(docx, {}, content_types=macro_types), "contains macros"),
        "zip-bomb.docx": (
            _repack(docx, {"word/media/zeros.bin": b"\x00" * (30 * 1024 * 1024)}),
            "unpacks to far more than its size",
        ),
        "huge-image.docx": (
            _repack(docx, {"word/media/image1.png": _png_header(40_000, 40_000) + b"\x00" * 64}),
            "image too large for a report",
        ),
        "password.docx": (
            _ole(["Root Entry", "EncryptionInfo", "EncryptedPackage"]),
            "protected by a password",
        ),
        "spreadsheet.docx": (_xlsx(), "not a Word report"),
        "random.docx": (b"MZ\x90\x00" + bytes(range(256)) * 8, "not a Word report"),
        "truncated.docx": (docx[: len(docx) // 2], "damaged"),
        "empty.docx": (b"", "empty"),
    }


def _xlsx() -> bytes:
    import openpyxl

    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


NAMES = [
    "macros.docx",
    "macro-enabled.docm",
    "zip-bomb.docx",
    "huge-image.docx",
    "password.docx",
    "spreadsheet.docx",
    "random.docx",
    "truncated.docx",
    "empty.docx",
]


@pytest.mark.parametrize("name", NAMES)
def test_a_hostile_file_is_refused_and_changes_nothing(world, media_root, report_file, name):
    content, words = hostile(report_file())[name]
    before = counts(), ImportBatch.objects.count()
    with pytest.raises(ValidationError) as refused:
        report_upload(actor=world.lan, upload=upload_of(content, name))
    assert words in " ".join(refused.value.messages)
    assert (counts(), ImportBatch.objects.count()) == before
    stored = list((media_root / "imports").rglob("*")) if (media_root / "imports").exists() else []
    assert [path for path in stored if path.is_file()] == []  # the file is not kept


def test_a_doc_file_without_libreoffice_is_refused_clearly(world, media_root, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ValidationError, match="LibreOffice is not installed"):
        report_upload(actor=world.lan, upload=upload_of(_ole(["Root Entry", "WordDocument"])))
    odt = io.BytesIO()
    with zipfile.ZipFile(odt, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(ValidationError, match=r"save it as \.docx"):
        report_upload(actor=world.lan, upload=upload_of(odt.getvalue(), "report.odt"))
    assert ImportBatch.objects.count() == 0


@pytest.mark.skipif(
    office_converter() is None, reason="LibreOffice (soffice) is not installed on this machine"
)
def test_an_odt_report_is_converted_and_read(world, media_root, report_file, tmp_path):
    import subprocess

    source = tmp_path / "report.docx"
    source.write_bytes(report_file())
    subprocess.run(
        [
            office_converter(),
            "--headless",
            "--convert-to",
            "odt",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    batch = report_upload(
        actor=world.lan, upload=upload_of((tmp_path / "report.odt").read_bytes(), "report.odt")
    )
    assert batch.file_type == "odt"
    assert batch.items.filter(values__title="Thắp sáng đường quê khu 1").exists()


def test_a_report_without_models_or_figures_says_so(world, media_root, report_file):
    from tests.imports.word_reports.conftest import yen_giang_report

    report = yen_giang_report(blocks=[("p", "Năm 2024 đơn vị tiếp tục thực hiện phong trào.")])
    batch = report_upload(actor=world.lan, upload=upload_of(report_file(report)))
    assert batch.status == "failed"
    assert "No table of models" in batch.issues.get().message
