"""Public photos lose their GPS and camera metadata."""

import io

import pytest
from PIL import Image, UnidentifiedImageError

from danvan.core.images import strip_metadata

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def _photo(fmt: str, orientation: int | None = None) -> bytes:
    image = Image.new("RGB", (40, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x013B] = "Nguyễn Văn A"  # Artist
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (18.0, 20.0, 30.0), 3: "E", 4: (105.0, 54.0, 0.0)})
    if orientation:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif)
    return out.getvalue()


@pytest.mark.parametrize(
    ("fmt", "content_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_gps_and_camera_data_are_gone(fmt, content_type):
    original = _photo(fmt)
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(GPS_IFD)  # the test photo really carries GPS
    clean, kind = strip_metadata(original)
    assert kind == content_type
    with Image.open(io.BytesIO(clean)) as after:
        assert after.format == fmt
        assert after.size == (40, 20)
        assert not after.getexif()
        assert "exif" not in after.info
    assert b"Camera maker" not in clean


def test_the_picture_is_turned_upright_before_its_orientation_tag_is_dropped():
    clean, _ = strip_metadata(_photo("JPEG", orientation=6))  # 6: rotate 90° clockwise
    with Image.open(io.BytesIO(clean)) as after:
        assert after.size == (20, 40)


def test_a_palette_png_keeps_its_colours():
    image = Image.new("P", (4, 4))
    image.putpalette([255, 0, 0] * 256)
    out = io.BytesIO()
    image.save(out, format="PNG")
    clean, _ = strip_metadata(out.getvalue())
    with Image.open(io.BytesIO(clean)) as after:
        assert after.convert("RGB").getpixel((0, 0)) == (255, 0, 0)


def test_not_an_image_is_refused():
    with pytest.raises(UnidentifiedImageError):
        strip_metadata(b"%PDF-1.4 not a photo")
