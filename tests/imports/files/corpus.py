"""Broken and awkward spreadsheets, built byte by byte so the tests need no binary fixtures.

``python -m tests.imports.files.corpus DIR`` writes them to ``DIR`` to try them by hand. Each
entry names the file and the rows of a valid initiatives sheet it starts from.
"""

import codecs
import io
import sys
import unicodedata
import zipfile
from pathlib import Path

import openpyxl

from danvan.initiatives.files import image_bytes_for_tests

CONTENT_XML = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="Data">
{rows}
</table:table></office:spreadsheet></office:body></office:document-content>"""
MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
 manifest:version="1.2">
<manifest:file-entry manifest:full-path="/"
 manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def xlsx(rows: list[list], *, merge: str = "") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods(rows: list[list], *, formula_at: tuple[int, int] | None = None) -> bytes:
    """A minimal OpenDocument spreadsheet, as LibreOffice writes it."""
    xml_rows = []
    for r, row in enumerate(rows):
        cells = []
        for c, value in enumerate(row):
            formula = ' table:formula="of:=1+1"' if formula_at == (r, c) else ""
            cells.append(
                f'<table:table-cell office:value-type="string"{formula}>'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        xml_rows.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "mimetype",
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("META-INF/manifest.xml", MANIFEST)
        archive.writestr("content.xml", CONTENT_XML.format(rows="".join(xml_rows)))
    return buffer.getvalue()


def csv_text(rows: list[list]) -> str:
    return "".join(",".join(str(value) for value in row) + "\r\n" for row in rows)


def zip_bomb() -> bytes:
    """An XLSX-looking package whose sheet unpacks to 200 MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"0" * (1 << 20)
            for _ in range(200):
                member.write(chunk)
    return buffer.getvalue()


def corpus(header: list[str], row: list) -> dict[str, bytes]:
    """Every file of the corpus, from a header and one valid row."""
    good = [header, row]
    text = csv_text(good)
    return {
        "picture.xlsx": image_bytes_for_tests(),
        "zip_bomb.xlsx": zip_bomb(),
        "damaged.xlsx": xlsx(good)[:400],
        "formulas.xlsx": xlsx([header, [*row[:-1], "=1+1"]]),
        "formulas.ods": ods(good, formula_at=(1, 1)),
        "merged.xlsx": xlsx([header, row, row], merge="B2:B3"),
        "missing_header.xlsx": xlsx([[header[0], *header[2:]], [row[0], *row[2:]]]),
        "unknown_column.xlsx": xlsx([[*header, "Cột lạ"], [*row, "x"]]),
        "data_without_header.xlsx": xlsx([header, [*row, "lạc"]]),
        "no_header.xlsx": xlsx([]),
        "cp1258.csv": unicodedata.normalize("NFD", text).encode("cp1258", errors="replace"),
        "mojibake.csv": text.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8"),
        "formula.csv": csv_text([header, [*row[:-1], '=HYPERLINK("x")']]).encode(),
        "bom.csv": codecs.BOM_UTF8 + text.encode("utf-8"),
        "semicolons.csv": text.replace(",", ";").encode("utf-8"),
        "empty_rows.xlsx": xlsx([[], header, [], row, [None] * len(row), []]),
        "libreoffice.ods": ods(good),
    }


if __name__ == "__main__":  # pragma: no cover
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    header = ["Mã mô hình", "Tên", "Lĩnh vực", "Đơn vị đăng ký", "Năm đăng ký", "Địa bàn"]
    for name, content in corpus(header, ["", "Mô hình", "economy", "ORG-1", 2024, "X"]).items():
        (target / name).write_bytes(content)
