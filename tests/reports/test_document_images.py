"""The docs' pictures of the periodic report's first page (docs/reports.md), drawn from a
report built as the worker builds it. Run on demand only:

    DANVAN_DOCS_IMAGES=1 .venv/bin/pytest -q tests/reports/test_document_images.py
"""

import datetime
import os

import pytest
from PIL import Image

from danvan.reports.models import DocumentSettings
from tests.reports.helpers import built
from tests.reports.images import DOCS_SCREENSHOTS, page_png, word_as_pdf

pytestmark = pytest.mark.skipif(
    os.environ.get("DANVAN_DOCS_IMAGES") != "1",
    reason="draws the docs' images: run with DANVAN_DOCS_IMAGES=1",
)


def _settings(town) -> None:
    DocumentSettings.objects.create(
        area=town,
        issuer_lines="THỊ ỦY QUẢNG YÊN\nBAN DÂN VẬN",
        symbol="BC/BDVTU",
        place="Quảng Yên",
        authority="T/M BAN DÂN VẬN",
        position="TRƯỞNG BAN",
        signatory="Nguyễn Văn An",
        recipients="Ban Dân vận Tỉnh ủy\nThường trực Thị ủy\nLưu VP",
    )


@pytest.mark.parametrize("language", ["vi", "ar"])
def test_the_first_page_of_the_report(movement, language):
    _settings(movement.town)
    request = {
        "area": movement.town,
        "year": 2024,
        "period_kind": "six_months",
        "number": "125",
        "issued_on": datetime.date(2024, 7, 5),
    }
    pdf = built(movement.world.quan, format="pdf", language=language, **request).file.read()
    suffix = "" if language == "vi" else f"-{language}"
    path = page_png(pdf, DOCS_SCREENSHOTS / f"report-first-page{suffix}.png")
    width, height = Image.open(path).size
    assert abs(height / width - 297 / 210) < 0.01  # A4
    if language == "vi":
        docx = built(movement.world.quan, format="docx", language=language, **request)
        printed = word_as_pdf(docx.file.read())
        if printed is not None:
            page_png(printed, DOCS_SCREENSHOTS / "report-first-page-docx.png")
