"""The narrative a leader would sign (money in millions or billions of đồng, dates in full, no
sentence about a zero, one figure for one thing, the same facts in every language), and a
workbook that opens clean in LibreOffice."""

import datetime
import io
import itertools
import re
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest

from danvan.reports.document import Column, Document, Table
from danvan.reports.figures import PeriodicFigures
from danvan.reports.narrative import narrative
from danvan.reports.renderers import renderer_for
from danvan.reports.renderers.xlsx import sheet_name, wrapped_lines
from danvan.reports.wording import prose_date, prose_money
from tests.reports.helpers import built, plain

LANGUAGES = ["vi", "en", "ar"]
START, CUTOFF = datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)


@pytest.mark.parametrize(
    ("vnd", "style", "language", "written"),
    [
        (48_026_700_000, "millions", "vi", "48.026,7 triệu đồng"),
        (48_026_700_000, "billions", "vi", "48 tỷ 26,7 triệu đồng"),
        (3_000_000_000, "billions", "vi", "3 tỷ đồng"),
        (255_000_000, "billions", "vi", "255 triệu đồng"),
        (500_000, "millions", "vi", "500.000 đồng"),
        (48_026_700_000, "millions", "en", "VND 48,026.7 million"),
        (48_026_700_000, "billions", "en", "VND 48 billion 26.7 million"),
        (48_026_700_000, "billions", "ar", "48 مليار و26.7 مليون دونغ"),
    ],
    ids=lambda value: str(value),
)
def test_money_is_written_as_the_published_reports_write_it(vnd, style, language, written):
    assert plain(prose_money(vnd, language, style)) == plain(written)
    assert "₫" not in prose_money(vnd, language, style)


def test_dates_in_sentences_are_written_in_full():
    assert prose_date(datetime.date(2026, 12, 5), "vi") == "ngày 05 tháng 12 năm 2026"
    assert prose_date(datetime.date(2026, 12, 5), "en") == "December 5, 2026"
    assert "thg" not in prose_date(datetime.date(2025, 1, 1), "vi")


def _figures(**changes) -> PeriodicFigures:
    """Figures as the stats layer returns them, for the whole country."""
    counts = {
        "initiatives": 138,
        "new": 120,
        "continued": 18,
        "built": 130,
        "replicated": 8,
        "exemplary": 12,
    }
    values = {
        "area": None,
        "mode": "as_was",
        "year": 2024,
        "start": START,
        "cutoff": CUTOFF,
        "since": 2013,
        "units": 32,
        "totals": counts,
        "by_field": [
            {"field": "economy", "initiatives": 80},
            {"field": "culture_society", "initiatives": 58},
        ],
        "by_org_kind": [],
        "by_level": [],
        "contributions": {
            "money": 48_026_700_000,
            "land": 1_200,
            "labour": 350,
            "in_kind": 2_500_000_000,
            "households": 4_100,
            "people": 230,
        },
        "contributions_by_field": [],
        "results": [
            {
                "code": "canal_new_km",
                "value": Decimal("43.3"),
                "unit": "km",
                "aggregation": "sum",
                "count": 2,
                "names": {"vi": "Kênh mương", "en": "Canals", "ar": "قنوات"},
            },
            {
                "code": "land_donated_m2",
                "value": Decimal("1500"),
                "unit": "m2",
                "aggregation": "sum",
                "count": 1,
                "names": {"vi": "Đất được hiến", "en": "Land donated", "ar": "أراض"},
            },
        ],
        "cumulative": {
            "since": 2013,
            "total": {"initiatives": 19_300},
            "rows": [{"field": "economy", "initiatives": 8_000}],
        },
        "by_year": [],
    }
    values.update(changes)
    return PeriodicFigures(**values)


NUMBER = re.compile(r"\d[\d.,\u066b\u066c]*\d|\d")


def _numbers(text: str, language: str) -> list[Decimal]:
    """The figures of ``text`` as numbers, whatever the language's separators."""
    grouping, decimal = (".", ",") if language == "vi" else (",", ".")
    found = []
    for token in NUMBER.findall(plain(text)):
        token = token.replace("\u066c", ",").replace("\u066b", ".")
        found.append(Decimal(token.replace(grouping, "").replace(decimal, ".")))
    return found


def test_no_sentence_speaks_of_a_zero():
    figures = _figures(
        totals={
            "initiatives": 5,
            "new": 5,
            "continued": 0,
            "built": 5,
            "replicated": 0,
            "exemplary": 0,
        },
        contributions={
            "money": 255_000_000,
            "land": 0,
            "labour": 0,
            "in_kind": 0,
            "households": 0,
            "people": 0,
        },
    )
    for language in LANGUAGES:
        text = plain(" ".join(narrative(figures, language)))
        assert not re.search(r"(?<![\d.,])0(?![\d.,])", text), (language, text)
    english = " ".join(narrative(figures, "en"))
    assert "continued" not in english and "replicated from" not in english
    assert "land" not in english and "took part" not in english


def test_nothing_contributed_is_no_sentence():
    figures = _figures(
        contributions=dict.fromkeys(
            ("money", "land", "labour", "in_kind", "households", "people"), 0
        )
    )
    assert not any("contributed" in paragraph for paragraph in narrative(figures, "en"))


def test_one_figure_for_land_and_money_in_the_units_style():
    figures = _figures()
    english = " ".join(narrative(figures, "en"))
    assert "1,200 m² of land" in english
    assert "1,500" not in english  # the land indicator repeats the ledger: said once
    assert "Canals: 43.3 km" in english
    assert "VND 48,026.7 million" in english and "₫" not in english
    vietnamese = " ".join(narrative(figures, "vi", money_style="billions"))
    assert "48 tỷ 26,7 triệu đồng" in vietnamese and "2 tỷ 500 triệu đồng" in vietnamese
    assert "ngày 01 tháng 01 năm 2024" in vietnamese and "ngày 30 tháng 6 năm 2024" in vietnamese


def test_the_same_facts_in_the_same_order_in_every_language():
    figures = _figures()
    said = {}
    for language in LANGUAGES:
        paragraphs = []
        for paragraph in narrative(figures, language):
            for day in (START, CUTOFF):
                paragraph = paragraph.replace(prose_date(day, language), "")
            paragraphs.append(sorted(_numbers(paragraph, language)))
        said[language] = paragraphs
    assert said["vi"] == said["en"] == said["ar"]
    assert Decimal("48026.7") in said["en"][1]


# --- the workbook ------------------------------------------------------------------------------


def test_sheet_names_are_short_and_cut_between_words():
    taken: set[str] = set()
    name = sheet_name("Contributions from January 1, 2024 to June 30, 2024", taken)
    assert name == "Contributions from January 1"
    assert len(name) <= 31
    again = sheet_name("Contributions from January 1, 2024 to June 30, 2025", taken)
    assert again == "Contributions from January (2)" and len(again) <= 31
    assert (
        sheet_name("Đóng góp từ ngày 01 tháng 01 năm 2024", set()) == "Đóng góp từ ngày 01 tháng 01"
    )
    assert sheet_name("a/b: c?", set()) == "a b c"


def test_wrapped_lines_count_whole_words():
    assert wrapped_lines("one two three", 7) == 2
    assert wrapped_lines("x" * 25, 10) == 3
    assert wrapped_lines("a\nb", 10) == 2


def _workbook_document() -> Document:
    return Document(
        title="Báo cáo sáu tháng năm 2024",
        language="vi",
        lines=["Phạm vi: Thị xã Quảng Yên"],
        narrative=[
            "Năm 2024, 4 đơn vị, cơ quan đã đăng ký 5 mô hình “Dân vận khéo”. " * 6,
            "Đoạn thứ hai.",
        ],
        tables=[
            Table(
                "Đóng góp từ ngày 01 tháng 01 năm 2024 đến ngày 30 tháng 6 năm 2024",
                [
                    Column("Lĩnh vực"),
                    Column("Tiền (đồng)", "money"),
                    Column("Đất (m²)", "quantity"),
                ],
                [["Văn hóa – xã hội và các lĩnh vực khác có tên rất dài " * 2, 255_000_000, 1_200]],
                ["Tổng cộng", 255_000_000, 1_200],
            )
        ],
    )


def test_the_workbook_freezes_headers_and_prints_its_cells_on_a4():
    content = renderer_for("xlsx").render(_workbook_document())
    book = openpyxl.load_workbook(io.BytesIO(content))
    summary, ledger = book.worksheets
    assert ledger.title == "Đóng góp từ ngày 01 tháng 01"
    assert ledger.freeze_panes == "A2"
    assert ledger.print_area.endswith("!$A$1:$C$3")
    assert ledger.print_title_rows == "$1:$1"
    assert ledger.page_setup.paperSize == 9  # A4
    assert ledger["B2"].number_format.startswith("#,##0")
    # A wrapped label gets the height of its lines; so does a long paragraph of the summary.
    assert ledger.row_dimensions[2].height > 15
    assert summary.row_dimensions[4].height > 3 * summary.row_dimensions[5].height
    assert summary["A4"].alignment.wrap_text


def _text_overlaps(pdf_path) -> list:
    """Pairs of text boxes that overlap on a page of the PDF LibreOffice printed."""
    import pypdfium2

    found = []
    document = pypdfium2.PdfDocument(pdf_path)
    for number, page in enumerate(document):
        text = page.get_textpage()
        boxes = [text.get_rect(index) for index in range(text.count_rects())]
        for a, b in itertools.combinations(boxes, 2):
            if a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5:
                found.append((number, a, b))
    return found


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui): the "
    "workbook is not printed through it",
)
def test_the_workbook_opens_clean_in_libreoffice(movement, tmp_path):
    """LibreOffice prints every sheet of a real report: no text runs over another (a summary
    row lower than its paragraph, a label running into the next column)."""
    report = built(
        movement.world.quan,
        format="xlsx",
        language="vi",
        area=movement.town,
        year=2024,
        period_kind="six_months",
    )
    content = report.file.read()
    source = tmp_path / "report.xlsx"
    source.write_bytes(content)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    printed = tmp_path / "report.pdf"
    assert printed.exists()
    assert _text_overlaps(printed) == []
    import pypdfium2

    text = " ".join(
        plain(page.get_textpage().get_text_range()) for page in pypdfium2.PdfDocument(printed)
    )
    book = openpyxl.load_workbook(io.BytesIO(content))
    first_words = " ".join(plain(str(book.worksheets[0]["A4"].value)).split()[:6])
    assert first_words in " ".join(text.split())
