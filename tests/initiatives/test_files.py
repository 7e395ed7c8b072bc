"""Evidence is judged by its content, not by the name or type the browser sent."""

import io
import warnings
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from danvan.initiatives import files
from danvan.initiatives.files import image_bytes_for_tests, sniff_evidence


def upload(content: bytes, name: str = "tep", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def refused(content: bytes, name: str = "tep") -> str:
    with pytest.raises(ValidationError) as caught:
        sniff_evidence(upload(content, name))
    assert set(caught.value.message_dict) == {"file"}
    return caught.value.message_dict["file"][0]


def png_of(size: tuple[int, int]) -> bytes:
    """A 1-bit PNG: many pixels, few bytes."""
    buffer = io.BytesIO()
    Image.new("1", size).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")],
)
def test_accepts_photos(fmt, content_type):
    sniffed = sniff_evidence(upload(image_bytes_for_tests(fmt), "anh.bin"))
    assert (sniffed.content_type, sniffed.is_image) == (content_type, True)


def test_accepts_a_pdf_whatever_its_name():
    sniffed = sniff_evidence(upload(b"%PDF-1.4\n1 0 obj\n", "bien-ban.jpg"))
    assert (sniffed.content_type, sniffed.is_image) == ("application/pdf", False)


def test_accepts_word_and_excel(docx_bytes, xlsx_bytes):
    assert (
        sniff_evidence(upload(docx_bytes, "bao-cao.docx")).content_type
        == (files.OFFICE_TYPES["word/"])
    )
    assert (
        sniff_evidence(upload(xlsx_bytes, "so-lieu.xlsx")).content_type
        == (files.OFFICE_TYPES["xl/"])
    )


def test_leaves_the_upload_at_its_start(docx_bytes):
    uploaded = upload(docx_bytes)
    sniff_evidence(uploaded)
    assert uploaded.read() == docx_bytes


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00" + b"\x00" * 100,  # a Windows program renamed anh.jpg
        b"\x7fELF\x02\x01\x01" + b"\x00" * 100,
        "Biên bản họp".encode(),
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"GIF89a" + b"\x00" * 32,
        b"<html><body>hi</body></html>",
    ],
)
def test_refuses_other_types(content):
    assert "accepted" in refused(content, "anh.jpg")


def test_refuses_a_plain_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "xin chào")
    refused(buffer.getvalue(), "tai-lieu.docx")


def test_refuses_a_damaged_zip():
    refused(b"PK\x03\x04" + b"\x00" * 40, "bao-cao.docx")


def test_refuses_a_damaged_image():
    message = refused(b"\xff\xd8\xff\xe0" + b"\x00" * 100, "anh.jpg")
    assert "damaged" in message


def test_refuses_an_empty_or_missing_file():
    assert "empty" in refused(b"")
    with pytest.raises(ValidationError) as caught:
        sniff_evidence(None)
    assert set(caught.value.message_dict) == {"file"}


def test_refuses_more_than_the_size_cap(settings):
    settings.EVIDENCE_MAX_BYTES = 2 * 1024 * 1024
    assert "2 MB" in refused(b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024))
    sniff_evidence(upload(b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024 - 9)))


def test_refuses_a_zip_bomb_docx(docx_bomb):
    assert "unpacks" in refused(docx_bomb, "bao-cao.docx")


def test_refuses_an_archive_of_too_many_parts():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(files.MAX_ZIP_ENTRIES + 1):
            archive.writestr(f"word/part{n}.xml", b"")
    refused(buffer.getvalue(), "bao-cao.docx")


def test_refuses_an_image_beyond_the_pixel_limit():
    """60 million pixels is the limit, even where Pillow would only warn (up to twice that)."""
    content = png_of((9_000, 7_000))  # 63 million pixels, a few kilobytes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # as in production, where warnings are not errors
        message = refused(content, "anh.png")
    assert "too large" in message


def test_refuses_an_image_far_beyond_the_pixel_limit():
    assert "too large" in refused(png_of((11_000, 11_000)), "anh.png")


def test_accepts_a_big_photo_under_the_limit():
    assert sniff_evidence(upload(png_of((8_000, 7_000)))).is_image
