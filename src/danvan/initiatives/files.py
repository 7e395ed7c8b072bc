"""Check uploaded evidence by its content, not by the name the browser sent."""

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image

# A photo larger than this many pixels is refused as a possible decompression bomb.
Image.MAX_IMAGE_PIXELS = 60_000_000

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
OFFICE_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_ZIP_RATIO = 100
MAX_ZIP_ENTRIES = 2000


@dataclass(frozen=True)
class SniffedFile:
    content_type: str
    is_image: bool


def _sniff_image(head: bytes, upload: UploadedFile) -> SniffedFile | None:
    if not (
        head.startswith(b"\xff\xd8\xff")
        or head.startswith(b"\x89PNG\r\n\x1a\n")
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
    ):
        return None
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            # Pillow only warns between the limit and twice the limit; refuse from the limit.
            if image.width * image.height > Image.MAX_IMAGE_PIXELS:
                raise Image.DecompressionBombError(image.size)
            image.verify()
            kind = image.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            {"file": _("The image is too large in pixels to be accepted.")}
        ) from None
    except Exception:
        raise ValidationError({"file": _("The image is damaged and cannot be read.")}) from None
    if kind not in IMAGE_TYPES:
        return None
    return SniffedFile(IMAGE_TYPES[kind], True)


def sniff_office(upload: UploadedFile) -> SniffedFile | None:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        return None
    packed = sum(entry.compress_size for entry in entries) or 1
    unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ZIP_ENTRIES or unpacked / packed > MAX_ZIP_RATIO:
        raise ValidationError({"file": _("The file unpacks to far more than its size; refused.")})
    names = [entry.filename for entry in entries]
    for prefix, content_type in OFFICE_TYPES.items():
        if any(name.startswith(prefix) for name in names):
            return SniffedFile(content_type, False)
    return None


def sniff_evidence(upload: UploadedFile) -> SniffedFile:
    """Return the real type of an evidence file, or raise ``ValidationError`` naming ``file``.

    Accepted: JPEG, PNG and WebP photos, PDF, and Word or Excel files. The size cap is
    ``EVIDENCE_MAX_BYTES``.
    """
    if upload is None or not upload.size:
        raise ValidationError({"file": _("The file is empty.")})
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        limit = settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
        raise ValidationError(
            {"file": _("The file is larger than %(limit)s MB.") % {"limit": limit}}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    sniffed = _sniff_image(head, upload)
    if sniffed is None and head.startswith(b"%PDF-"):
        sniffed = SniffedFile("application/pdf", False)
    if sniffed is None and head.startswith(b"PK\x03\x04"):
        sniffed = sniff_office(upload)
    upload.seek(0)
    if sniffed is None:
        raise ValidationError(
            {"file": _("Only photos (JPEG, PNG, WebP), PDF, Word and Excel files are accepted.")}
        )
    return sniffed


def image_bytes_for_tests(fmt: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
    """Return a tiny valid image; used by the demo and the tests."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()
