"""Photos for the public: re-encoded without their metadata.

A phone photo carries EXIF: GPS coordinates (often a resident's home), the camera owner's
name, the time. The public showcase must serve the picture only. Re-encoding with Pillow drops
every metadata block (EXIF, XMP, IPTC, comments) after turning the pixels upright.
"""

import io

from PIL import Image, ImageOps

# Formats kept as they are; anything else the evidence check accepts becomes JPEG.
KEPT_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def strip_metadata(data: bytes) -> tuple[bytes, str]:
    """Return the image re-encoded without metadata, and its content type.

    Raises ``PIL.UnidentifiedImageError``/``OSError`` for data that is not a readable image.
    Call it on every photo served without signing in (``danvan.web.views.showcase_photo``);
    the thumbnails of ``danvan.initiatives.views.thumbnails`` are already saved without EXIF.
    """
    with Image.open(io.BytesIO(data)) as image:
        kind = image.format if image.format in KEPT_FORMATS else "JPEG"
        upright = ImageOps.exif_transpose(image)
        if upright.mode not in {"RGB", "RGBA", "L", "LA"}:
            upright = upright.convert("RGBA" if "transparency" in upright.info else "RGB")
        # A fresh image holds the pixels only: no info dict, no EXIF, no XMP, no ICC.
        clean = Image.new(upright.mode, upright.size)
        clean.paste(upright)
        if kind == "JPEG" and clean.mode not in {"RGB", "L"}:
            clean = clean.convert("RGB")
        out = io.BytesIO()
        options = {"quality": 90} if kind in {"JPEG", "WEBP"} else {}
        clean.save(out, format=kind, **options)
    return out.getvalue(), KEPT_FORMATS[kind]
