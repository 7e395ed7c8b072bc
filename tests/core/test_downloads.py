"""The one way a page or an endpoint hands out a file: private, never sniffed, safely named."""

import pytest
from django.http import Http404

from danvan.core.downloads import bytes_download, file_download


def test_a_stored_file_downloads_private_and_never_sniffed(tmp_path):
    scan = tmp_path / "quyet-dinh.pdf"
    scan.write_bytes(b"%PDF-1.4 decision")
    response = file_download(scan)
    assert response["Content-Type"] == "application/pdf"  # from the name
    assert response["Content-Disposition"] == 'attachment; filename="quyet-dinh.pdf"'
    assert response["Cache-Control"] == "private"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 decision"


def test_a_given_name_and_type_win_and_inline_opens_in_the_page(tmp_path):
    photo = tmp_path / "abc123"
    photo.write_bytes(b"\xff\xd8\xff")
    response = file_download(
        photo, name="nhà văn hóa.jpg", content_type="image/jpeg", inline=True, cache="no-store"
    )
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline; filename*=utf-8''nh%C3%A0")
    assert response["Cache-Control"] == "no-store"
    response.file_to_stream.close()


def test_an_unknown_extension_is_plain_bytes(tmp_path):
    blob = tmp_path / "upload.weird"
    blob.write_bytes(b"<script>alert(1)</script>")
    response = file_download(blob)
    assert response["Content-Type"] == "application/octet-stream"
    response.file_to_stream.close()


@pytest.mark.parametrize("missing", [None, "", "gone.pdf"])
def test_no_file_or_a_lost_one_is_not_found(tmp_path, missing):
    source = tmp_path / missing if missing else missing
    with pytest.raises(Http404):
        file_download(source)


def test_a_name_cannot_break_out_of_its_header():
    response = bytes_download(
        b"x", content_type="text/csv", name='a"; filename="evil.html\r\nSet-Cookie: x=1'
    )
    header = response["Content-Disposition"]
    assert header.startswith("attachment; filename*=utf-8''")
    assert "\r" not in header and "\n" not in header and '"' not in header
    assert response["X-Content-Type-Options"] == "nosniff"


def test_built_bytes_without_a_name_open_inline():
    response = bytes_download(b"\x89PNG", content_type="image/png", inline=True)
    assert response["Content-Disposition"] == "inline"
    assert response["Cache-Control"] == "private"
