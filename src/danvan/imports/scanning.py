"""Check an uploaded spreadsheet before any row is read: its real type, zip bombs, formulas,
merged cells and text encoding, each refusal with a message saying what to fix.

``danvan.imports.reading`` calls these checks and then streams the rows.
"""

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import iterparse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from danvan.initiatives.files import sniff_office

# The size, unpacked size and row caps are settings (IMPORT_MAX_BYTES,
# IMPORT_MAX_UNPACKED_BYTES, IMPORT_MAX_ROWS), read when a file is checked.

MAX_REPORTED_CELLS = 10

XLSX, ODS, XLS, CSV = "xlsx", "ods", "xls", "csv"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_NS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
# Text that was UTF-8, read as Windows-1252/1258 and saved again: "Ä‘" for "đ", "Ã¢" for "â".
_MOJIBAKE = re.compile("[ÃÄÆáºá»Å][\u0080-\u00bf\u2018-\u203a\u0152-\u0178]")


class FileRefused(Exception):
    """The whole file is refused; ``messages`` say why, each on its own."""

    def __init__(self, messages: list[str] | str):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__(" ".join(self.messages))


def column_letter(index: int) -> str:
    """``0`` → ``A``, ``27`` → ``AB``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_name(row: int, column: int) -> str:
    """Zero-based row and column to ``B7``."""
    return f"{column_letter(column)}{row + 1}"


def cells_message(template: str, cells: list[str], total: int) -> str:
    shown = ", ".join(cells[:MAX_REPORTED_CELLS])
    if total > MAX_REPORTED_CELLS:
        shown += " " + _("and %(count)s more") % {"count": total - MAX_REPORTED_CELLS}
    return template % {"cells": shown}


# --- Type ------------------------------------------------------------------------------------


def check_size(path: Path) -> None:
    """Refuse an empty file, or one over the import size cap (spreadsheets and reports)."""
    size = path.stat().st_size
    if size == 0:
        raise FileRefused(_("The file is empty."))
    if size > settings.IMPORT_MAX_BYTES:
        raise FileRefused(
            _("The file is larger than %(limit)s MB; split it into several files.")
            % {"limit": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )


def sniff(path: Path) -> str:
    """Return the spreadsheet type of the file at ``path``, or raise ``FileRefused``."""
    check_size(path)
    with path.open("rb") as handle:
        head = handle.read(8192)
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return XLS
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRefused(_not_a_spreadsheet())
    return CSV


def _not_a_spreadsheet() -> str:
    return _(
        "This file is not a spreadsheet. Upload an Excel (.xlsx, .xls), "
        "LibreOffice (.ods) or CSV (UTF-8) file."
    )


def _sniff_zip(path: Path) -> str:
    with path.open("rb") as handle:
        try:
            sniff_office(handle)  # the evidence check: too many entries, too high a ratio
        except ValidationError as error:
            raise FileRefused(error.messages) from None
        try:
            archive = zipfile.ZipFile(handle)
        except zipfile.BadZipFile:
            raise FileRefused(_("The file is damaged: it cannot be unpacked.")) from None
        with archive:
            entries = archive.infolist()
            if sum(entry.file_size for entry in entries) > settings.IMPORT_MAX_UNPACKED_BYTES:
                raise FileRefused(_("The file unpacks to far more than its size; refused."))
            names = {entry.filename for entry in entries}
            if "xl/workbook.xml" in names:
                return XLSX
            if "mimetype" in names and archive.read("mimetype").strip() == _ODS_MIME:
                return ODS
    raise FileRefused(_not_a_spreadsheet())


# --- What calamine does not tell: formulas and merged cells -----------------------------------


def _xlsx_sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    targets = {}
    with archive.open("xl/_rels/workbook.xml.rels") as rels:
        for _event, elem in iterparse(rels):
            if elem.tag == f"{_NS_PKG_REL}Relationship":
                targets[elem.get("Id")] = elem.get("Target", "")
    with archive.open("xl/workbook.xml") as workbook:
        for _event, elem in iterparse(workbook):
            if elem.tag == f"{_NS_MAIN}sheet" and elem.get("name") == sheet_name:
                target = targets.get(elem.get(f"{_NS_REL}id"), "")
                return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


# Byte strings that open a formula (``<f>``, ``<x:f …``) or merged-range tag. In the sheet's XML
# a "<" always opens a tag (text is escaped), so a sheet holding none of them has neither, and
# the cell-by-cell parse below is needed only when one is found (a false alarm, such as ":f "
# in a text, only costs that parse).
_SUSPECT_TAGS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/", b"mergeCell")
_SCAN_BYTES = 1 << 20


def may_have_problems(stream) -> bool:
    """Scan the raw XML for a formula or merged-cell tag, a megabyte at a time."""
    tail = b""
    while block := stream.read(_SCAN_BYTES):
        window = tail + block
        if any(tag in window for tag in _SUSPECT_TAGS):
            return True
        tail = block[-16:]
    return False


def xlsx_problems(path: Path, sheet_name: str) -> list[str]:
    formulas: list[str] = []
    merged: list[str] = []
    with zipfile.ZipFile(path) as archive:
        part = _xlsx_sheet_part(archive, sheet_name)
        if part is None or part not in archive.namelist():
            return []
        with archive.open(part) as sheet:
            if not may_have_problems(sheet):
                return []
        with archive.open(part) as sheet:
            count = 0
            for _event, elem in iterparse(sheet):
                tag = elem.tag
                if tag == f"{_NS_MAIN}c":
                    if elem.find(f"{_NS_MAIN}f") is not None:
                        count += 1
                        if len(formulas) < MAX_REPORTED_CELLS + 1:
                            formulas.append(elem.get("r", "?"))
                    elem.clear()
                elif tag == f"{_NS_MAIN}row":
                    elem.clear()
                elif tag == f"{_NS_MAIN}mergeCell":
                    merged.append(elem.get("ref", "?"))
    return problem_messages(formulas, count, merged)


def ods_problems(path: Path, sheet_name: str) -> list[str]:
    formulas: list[str] = []
    merged: list[str] = []
    count = 0
    row = column = 0
    inside = False
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
        for event, elem in iterparse(content, events=("start", "end")):
            tag = elem.tag
            if tag == f"{_NS_TABLE}table":
                inside = event == "start" and elem.get(f"{_NS_TABLE}name") == sheet_name
                if event == "end" and merged + formulas:
                    break
                row = 0
            if not inside:
                continue
            if tag == f"{_NS_TABLE}table-row":
                if event == "start":
                    column = 0
                else:
                    row += int(elem.get(f"{_NS_TABLE}number-rows-repeated", "1"))
                    elem.clear()
            elif tag in (f"{_NS_TABLE}table-cell", f"{_NS_TABLE}covered-table-cell"):
                if event == "end":
                    continue
                if elem.get(f"{_NS_TABLE}formula"):
                    count += 1
                    if len(formulas) < MAX_REPORTED_CELLS + 1:
                        formulas.append(cell_name(row, column))
                spanned = (
                    int(elem.get(f"{_NS_TABLE}number-columns-spanned", "1")) > 1
                    or int(elem.get(f"{_NS_TABLE}number-rows-spanned", "1")) > 1
                )
                if spanned:
                    merged.append(cell_name(row, column))
                column += int(elem.get(f"{_NS_TABLE}number-columns-repeated", "1"))
    return problem_messages(formulas, count, merged)


def problem_messages(formulas: list[str], count: int, merged: list[str]) -> list[str]:
    messages = []
    if count:
        messages.append(
            cells_message(
                _(
                    "Cells %(cells)s hold formulas. Replace them by their values "
                    "(copy, then paste as values) and upload again."
                ),
                formulas,
                count,
            )
        )
    if merged:
        messages.append(
            cells_message(
                _("Cells %(cells)s are merged. Unmerge them and fill every cell."),
                merged,
                len(merged),
            )
        )
    return messages


# --- Text files ------------------------------------------------------------------------------


def check_utf8(path: Path) -> None:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        position = 0
        while chunk := handle.read(1 << 16):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as error:
                raise FileRefused(_encoding_message(path, position + error.start)) from None
            if position == 0 and _MOJIBAKE.search(text):
                raise FileRefused(
                    _(
                        "The text of this file is garbled (for example “Ä‘” instead of “đ”): "
                        "it was saved in another encoding and converted twice. Open the "
                        "original, save it as “CSV UTF-8” and upload again."
                    )
                )
            position += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise FileRefused(_encoding_message(path, position)) from None


def _encoding_message(path: Path, offset: int) -> str:
    with path.open("rb") as handle:
        sample = handle.read(65536)
    guess = ""
    for encoding, name in (("cp1258", "Windows-1258"), ("cp1252", "Windows-1252 / Latin-1")):
        try:
            sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        guess = name
        break
    if guess:
        return _(
            "The file is not in UTF-8 (it looks like %(encoding)s). In Excel choose "
            "“Save as” → “CSV UTF-8”, in LibreOffice choose the character set “Unicode "
            "(UTF-8)”, and upload again."
        ) % {"encoding": guess}
    return _(
        "The file is not in UTF-8 (byte %(offset)s cannot be read). Save it as “CSV UTF-8” "
        "and upload again."
    ) % {"offset": offset}


def csv_lines(path: Path) -> Iterator[list[str]]:
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        sample = handle.read(16384)
        handle.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(handle, dialect)
        try:
            yield from reader
        except csv.Error as error:
            raise FileRefused(
                _("Line %(line)s of the CSV file cannot be read: %(error)s")
                % {"line": reader.line_num, "error": error}
            ) from None


def csv_formulas(path: Path) -> list[str]:
    cells, count = [], 0
    for row, values in enumerate(csv_lines(path)):
        for column, value in enumerate(values):
            if value.startswith("="):
                count += 1
                if len(cells) <= MAX_REPORTED_CELLS:
                    cells.append(cell_name(row, column))
    return problem_messages(cells, count, [])


# --- Headers ---------------------------------------------------------------------------------
