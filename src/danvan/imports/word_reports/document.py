"""Open an uploaded report safely, whatever its name says.

The type is read from the content. A .docx is a zip package: it is checked against zip bombs
(the same limits as the spreadsheet imports and the evidence uploads), macros (a "macro-enabled"
document or a VBA project), images too large to be photos of a report, and for being a Word
document at all. A password-protected .docx is not a zip but an encrypted OLE container; it is
recognised and refused with what to do. A .doc (OLE) or .odt is converted to .docx with
LibreOffice when it is installed; without it the person is told to save the report as .docx.
"""

import shutil
import struct
import subprocess
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from danvan.imports.scanning import FileRefused, check_size
from danvan.initiatives.files import sniff_office

DOCX, DOC, ODT = "docx", "doc", "odt"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODT_MIME = b"application/vnd.oasis.opendocument.text"
# An image part larger than this, or a picture of more pixels, is not a photo in a report.
MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_IMAGE_PIXELS = 60_000_000
CONVERT_SECONDS = 60
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")


def _refuse_not_a_report() -> FileRefused:
    return FileRefused(
        _(
            "This file is not a Word report. Upload a .docx file (or a .doc or .odt file "
            "where the server can convert it)."
        )
    )


def office_converter() -> str | None:
    """The LibreOffice program on this server, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def sniff_report(path: Path) -> str:
    """Return ``DOCX``, ``DOC`` or ``ODT`` for the file at ``path``; raise ``FileRefused``."""
    check_size(path)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(OLE):
        data = path.read_bytes()
        if _ENCRYPTED in data:
            raise FileRefused(
                _(
                    "The report is protected by a password, so it cannot be read. Open it, "
                    "remove the password (File → Info → Protect document) and upload it again."
                )
            )
        return DOC
    if not head.startswith(b"PK\x03\x04"):
        raise _refuse_not_a_report()
    return _sniff_package(path)


def _sniff_package(path: Path) -> str:
    with path.open("rb") as handle:
        try:
            sniff_office(handle)  # too many entries, too high a ratio
        except Exception as error:  # ValidationError: the zip-bomb refusal, in its words
            raise FileRefused(list(getattr(error, "messages", [str(error)]))) from None
        try:
            archive = zipfile.ZipFile(handle)
        except zipfile.BadZipFile:
            raise FileRefused(_("The file is damaged: it cannot be unpacked.")) from None
        with archive:
            entries = archive.infolist()
            if sum(entry.file_size for entry in entries) > settings.IMPORT_MAX_UNPACKED_BYTES:
                raise FileRefused(_("The file unpacks to far more than its size; refused."))
            names = {entry.filename for entry in entries}
            if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIME:
                return ODT
            if "word/document.xml" not in names:
                raise _refuse_not_a_report()
            _check_docx(archive, entries, names)
    return DOCX


def _check_docx(archive: zipfile.ZipFile, entries: list, names: set[str]) -> None:
    types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    if any(name.lower().endswith("vbaproject.bin") for name in names) or b"macroEnabled" in types:
        raise FileRefused(
            _(
                "The report contains macros, which are never opened here. Save it as a "
                "“Word Document (.docx)” without macros and upload it again."
            )
        )
    for entry in entries:
        if not entry.filename.startswith("word/media/"):
            continue
        too_big = entry.file_size > MAX_IMAGE_BYTES
        if not too_big:
            with archive.open(entry) as image:
                too_big = _pixels(image.read(32)) > MAX_IMAGE_PIXELS
        if too_big:
            raise FileRefused(
                _(
                    "The report holds an image too large for a report (%(name)s). Make the "
                    "pictures smaller (Compress Pictures) and upload it again."
                )
                % {"name": entry.filename.rsplit("/", 1)[-1]}
            )


def _pixels(head: bytes) -> int:
    """Width × height read from a PNG or GIF header, without decoding the picture."""
    if head.startswith(b"\x89PNG\r\n\x1a\n") and len(head) >= 24:
        width, height = struct.unpack(">II", head[16:24])
        return width * height
    if head[:6] in (b"GIF87a", b"GIF89a") and len(head) >= 10:
        width, height = struct.unpack("<HH", head[6:10])
        return width * height
    return 0


def as_docx(path: Path, kind: str, workdir: Path) -> Path:
    """The report as a .docx: itself, or converted by LibreOffice into ``workdir``."""
    if kind == DOCX:
        return path
    program = office_converter()
    if program is None:
        raise FileRefused(
            _(
                "This server cannot read .doc or .odt files (LibreOffice is not installed). "
                "Open the report in Word or LibreOffice, save it as .docx and upload that."
            )
        )
    source = workdir / f"report.{kind}"
    shutil.copyfile(path, source)
    with tempfile.TemporaryDirectory() as profile:
        try:
            subprocess.run(
                [
                    program,
                    f"-env:UserInstallation=file://{profile}",
                    "--headless",
                    "--convert-to",
                    "docx",
                    "--outdir",
                    str(workdir),
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=CONVERT_SECONDS,
            )
        except (subprocess.SubprocessError, OSError):
            raise FileRefused(
                _("The report could not be converted to .docx. Save it as .docx and upload that.")
            ) from None
    converted = workdir / "report.docx"
    if not converted.exists():
        raise FileRefused(
            _("The report could not be converted to .docx. Save it as .docx and upload that.")
        )
    _sniff_package(converted)
    return converted
