"""Small versions of evidence photos, drawn once with Pillow and kept under MEDIA_ROOT.

A gallery of phone photos (several MB each) would be slow on a phone; the thumbnail is a few
kilobytes. It is named after the evidence and its file, so a replaced file gets a new one.
"""

import hashlib
import os
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageOps

from danvan.initiatives.models import Evidence

THUMBNAIL_SIZE = (480, 480)
THUMBNAIL_FOLDER = "thumbnails"


def thumbnail_path(evidence: Evidence) -> Path:
    digest = hashlib.sha256(f"{evidence.file.name}:{evidence.size}".encode()).hexdigest()[:16]
    return Path(settings.MEDIA_ROOT) / THUMBNAIL_FOLDER / f"{evidence.pk}-{digest}.jpg"


def ensure_thumbnail(evidence: Evidence) -> Path | None:
    """Return the thumbnail of a photo, drawing it on first use; None for a document or a file
    that is gone or cannot be read."""
    if not evidence.content_type.startswith("image/"):
        return None
    path = thumbnail_path(evidence)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")
    try:
        with evidence.file.open("rb") as handle, Image.open(handle) as image:
            small = ImageOps.exif_transpose(image)
            small.thumbnail(THUMBNAIL_SIZE)
            small.convert("RGB").save(partial, format="JPEG", quality=82, optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError):
        partial.unlink(missing_ok=True)
        return None
    os.replace(partial, path)  # atomic: a reader never sees half a file
    return path
