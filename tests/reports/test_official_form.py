"""The periodic report as a document a commission signs and sends: the official form (Party and
State), its page, margins and font, the header block, number, place and date, signature and
recipients, in Word and PDF; the unit's settings that fill them in."""

import datetime
import io

import pytest
from docx import Document as WordDocument
from docx.shared import Mm
from pypdf import PdfReader

from danvan.reports import official_form
from danvan.reports.document import Chart, Column, Document, Table
from danvan.reports.letterheads import default_settings, place_name
from danvan.reports.models import DocumentSettings
from danvan.reports.official_form import FormKind, Letterhead
from danvan.reports.renderers import renderer_for
from tests.reports.helpers import built, plain

SIX_MONTHS = {"year": 2024, "period_kind": "six_months"}
A4_POINTS = (595.28, 841.89)


# --- the form's lines, without a database ------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "written"),
    [
        (datetime.date(2026, 12, 5), "ngày 05 tháng 12 năm 2026"),
        (datetime.date(2025, 1, 15), "ngày 15 tháng 01 năm 2025"),
        (datetime.date(2025, 2, 3), "ngày 03 tháng 02 năm 2025"),
        (datetime.date(2025, 7, 1), "ngày 01 tháng 7 năm 2025"),
    ],
    ids=["december", "january", "february", "july"],
)
def test_a_date_is_written_as_the_rules_write_it(day, written):
    assert official_form.vietnamese_date(day) == written


def test_the_place_and_date_line_in_each_language_and_blank_for_the_clerk():
    day = datetime.date(2026, 12, 5)
    line = official_form.place_date_line
    assert line("Quảng Ninh", day, year=2026, language="vi") == (
        "Quảng Ninh, ngày 05 tháng 12 năm 2026"
    )
    assert line("Quảng Ninh", day, year=2026, language="en") == "Quảng Ninh, December 5, 2026"
    assert "2026" in line("Quảng Ninh", day, year=2026, language="ar")
    blank = plain(line("Quảng Ninh", None, year=2026, language="vi"))
    assert blank.startswith("Quảng Ninh, ngày ") and blank.endswith("năm 2026")
    assert not any(char.isdigit() for char in blank.replace("2026", ""))


def test_the_number_line_of_each_form():
    party = Letterhead(form=FormKind.PARTY, number="125", symbol="BC/BDVTU")
    state = Letterhead(form=FormKind.STATE, number="15", symbol="BC-HĐTĐKT")
    assert official_form.number_line(party) == "Số 125-BC/BDVTU"
    assert official_form.number_line(state) == "Số: 15/BC-HĐTĐKT"
    blank = official_form.number_line(Letterhead(symbol="BC/BDVTU"))
    assert plain(blank).replace(" ", "") == "Số-BC/BDVTU"  # room left for the number
    assert official_form.number_line(Letterhead(language="en", number="7", symbol="BC/BDVTU")) == (
        "No. 7-BC/BDVTU"
    )


def test_recipients_are_listed_as_the_form_lists_them():
    heading, lines = official_form.recipients_block(
        Letterhead(recipients=["Ban Dân vận Trung ương", "- Thường trực Tỉnh ủy,", "Lưu VP."])
    )
    assert heading == "Nơi nhận:"
    assert lines == ["- Ban Dân vận Trung ương,", "- Thường trực Tỉnh ủy,", "- Lưu VP."]


# --- Word and PDF, from a document without a database -----------------------------------------


def _letterhead(**changes) -> Letterhead:
    values = {
        "form": FormKind.PARTY,
        "language": "vi",
        "issuer_lines": ["Tỉnh ủy Quảng Ninh", "Ban Dân vận"],
        "number": "",
        "symbol": "BC/BDVTU",
        "place": "Quảng Ninh",
        "date": None,
        "year": 2026,
        "kind": "BÁO CÁO",
        "summary": "Kết quả phong trào thi đua “Dân vận khéo” năm 2026",
        "authority": "T/M Ban Dân vận",
        "position": "Trưởng ban",
        "signatory": "Nguyễn Văn An",
        "recipients": ["Ban Dân vận Trung ương", "Lưu VP"],
    }
    return Letterhead(**{**values, **changes})


def _document(rows: int = 3, label: str = "Mô hình {}", **letterhead) -> Document:
    return Document(
        title="Báo cáo năm 2026",
        language=letterhead.get("language", "vi"),
        lines=["Phạm vi: Tỉnh Quảng Ninh"],
        narrative=["Năm 2026, 32 đơn vị đăng ký 138 mô hình."],
        tables=[
            Table(
                "Số liệu chính",
                [Column("Chỉ tiêu"), Column("Giá trị", "count")],
                [[label.format(index), 1000 + index] for index in range(rows)],
            )
        ],
        charts=[Chart("Mô hình theo lĩnh vực", [("Kinh tế", 10), ("Văn hóa", 4)])],
        letterhead=_letterhead(**letterhead),
    )


def _docx(document: Document) -> WordDocument:
    return WordDocument(io.BytesIO(renderer_for("docx").render(document)))


def _all_text(word: WordDocument) -> str:
    parts = [paragraph.text for paragraph in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return plain("\n".join(parts))


def test_the_word_file_is_a4_with_the_official_margins_and_times_new_roman():
    word = _docx(_document())
    section = word.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    # Word stores margins in twentieths of a point: 15 mm reads back as 14.99.
    assert 19.9 <= section.top_margin.mm <= 25.1 and 19.9 <= section.bottom_margin.mm <= 25.1
    assert 29.9 <= section.left_margin.mm <= 35.1 and 14.9 <= section.right_margin.mm <= 20.1
    normal = word.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(f"{{{fonts.nsmap['w']}}}{a}") for a in ("ascii", "hAnsi", "cs")} == {
        "Times New Roman"
    }
    assert 13 <= normal.font.size.pt <= 14


def test_the_word_file_holds_every_part_of_the_party_form():
    word = _docx(_document(number="125", date=datetime.date(2026, 12, 5)))
    header = [plain(cell.text) for cell in word.tables[0].rows[0].cells]
    assert header[0].splitlines() == ["TỈNH ỦY QUẢNG NINH", "BAN DÂN VẬN", "*", "Số 125-BC/BDVTU"]
    assert header[1].splitlines()[0] == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert header[1].splitlines()[-1] == "Quảng Ninh, ngày 05 tháng 12 năm 2026"
    text = _all_text(word)
    for part in (
        "BÁO CÁO",
        "Kết quả phong trào thi đua “Dân vận khéo” năm 2026",
        "Năm 2026, 32 đơn vị đăng ký 138 mô hình.",
        "Nơi nhận:",
        "- Ban Dân vận Trung ương,",
        "- Lưu VP.",
        "T/M BAN DÂN VẬN",
        "TRƯỞNG BAN",
        "Nguyễn Văn An",
    ):
        assert part in text, part
    signature = [plain(cell.text) for cell in word.tables[-1].rows[0].cells]
    assert signature[0].startswith("Nơi nhận:")
    assert signature[1].split("\n")[:2] == ["T/M BAN DÂN VẬN", "TRƯỞNG BAN"]


def test_the_state_form_has_the_national_title_and_motto():
    word = _docx(_document(form=FormKind.STATE, symbol="BC-UBND", number="15"))
    right = plain(word.tables[0].rows[0].cells[1].text).splitlines()
    assert right[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    left = plain(word.tables[0].rows[0].cells[0].text).splitlines()
    assert "*" not in left  # the star is the Party form's
    assert left[-1] == "Số: 15/BC-UBND"


def test_the_word_file_carries_the_charts_and_tables_whose_rows_do_not_split():
    word = _docx(_document())
    assert len(word.inline_shapes) == 2  # one bar for each of the chart's two values
    data = [table for table in word.tables if table.style and table.style.name == "Table Grid"]
    [grid] = data
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for index, row in enumerate(grid.rows):
        properties = row._tr.trPr
        assert properties.find(f"{namespace}cantSplit") is not None
        assert (properties.find(f"{namespace}tblHeader") is not None) == (index == 0)


def test_arabic_word_file_runs_right_to_left_with_the_arabic_formulas():
    word = _docx(_document(language="ar", recipients=["الأرشيف"]))
    text = _all_text(word)
    assert "الحزب الشيوعي الفيتنامي" in text
    assert "الجهات المرسل إليها:" in text
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert word.tables[0]._tbl.tblPr.find(f"{namespace}bidiVisual") is not None


def _pdf(document: Document) -> PdfReader:
    return PdfReader(io.BytesIO(renderer_for("pdf").render(document)))


def test_the_pdf_is_a4_in_a_serif_font_with_every_part_of_the_form():
    reader = _pdf(_document(number="125", date=datetime.date(2026, 12, 5)))
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 0), round(height, 0)) == (595, 842)
    # Lines as laid out: with DejaVu Serif (no Times nor Liberation installed) the date line
    # is wider and wraps before the year, which is layout, not a missing part.
    text = " ".join(plain("\n".join(page.extract_text() for page in reader.pages)).split())
    for part in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "TỈNH ỦY QUẢNG NINH",
        "BAN DÂN VẬN",
        "Số 125-BC/BDVTU",
        "Quảng Ninh, ngày 05 tháng 12 năm 2026",
        "BÁO CÁO",
        "Nơi nhận:",
        "T/M BAN DÂN VẬN",
        "TRƯỞNG BAN",
        "Nguyễn Văn An",
    ):
        assert part in text, part
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    # Times New Roman where installed, else its metric twin, else DejaVu Serif.
    assert any(
        name in font.replace("-", "")
        for font in fonts
        for name in ("Times", "LiberationSerif", "DejaVuSerif")
    ), fonts


def test_no_pdf_table_row_splits_across_pages():
    """Rows whose labels wrap over several lines, enough to cross pages: each label's first
    and last words are on the page of its number."""
    label = "Mô hình số {} " + "rất dài để nhãn xuống nhiều dòng trong một ô của bảng " * 4
    document = _document(rows=40, label=label + "kết thúc")
    reader = _pdf(document)
    pages = [plain(page.extract_text()) for page in reader.pages]
    assert len(pages) > 2
    for index in range(40):
        number = f"{1000 + index:,}".replace(",", ".")
        [with_number] = [n for n, text in enumerate(pages) if number in text]
        with_label = [n for n, text in enumerate(pages) if f"Mô hình số {index} " in text]
        assert with_label == [with_number], (index, with_label, with_number)


# --- reports built from the figures, with the unit's settings ----------------------------------


def test_a_unit_without_settings_gets_a_header_built_from_its_name(movement):
    settings = default_settings(movement.town)
    assert place_name(movement.town) == "Quảng Yên"
    assert DocumentSettings.lines(settings.issuer_lines) == ["THỊ ỦY QUẢNG YÊN", "BAN DÂN VẬN"]
    assert settings.symbol == "BC/BDVTU"
    report = built(
        movement.world.quan, format="docx", language="vi", area=movement.town, **SIX_MONTHS
    )
    word = WordDocument(io.BytesIO(report.file.read()))
    left, right = (plain(cell.text) for cell in word.tables[0].rows[0].cells)
    assert left.splitlines()[:2] == ["THỊ ỦY QUẢNG YÊN", "BAN DÂN VẬN"]
    assert plain(right).splitlines()[-1].startswith("Quảng Yên, ngày ")


def test_the_units_settings_number_and_date_fill_in_the_form(movement):
    DocumentSettings.objects.create(
        area=movement.town,
        form=FormKind.STATE,
        issuer_lines="UBND THỊ XÃ QUẢNG YÊN\nHỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
        symbol="BC-HĐTĐKT",
        place="Quảng Yên",
        authority="TM. HỘI ĐỒNG",
        position="CHỦ TỊCH",
        signatory="Trần Thị Bình",
        recipients="UBND tỉnh Quảng Ninh\nLưu: VT",
    )
    report = built(
        movement.world.quan,
        format="pdf",
        language="vi",
        area=movement.town,
        number="125",
        issued_on=datetime.date(2024, 7, 5),
        **SIX_MONTHS,
    )
    reader = PdfReader(io.BytesIO(report.file.read()))
    # A long line of the header may wrap in its column: compare words, not line breaks.
    text = " ".join(plain("\n".join(page.extract_text() for page in reader.pages)).split())
    for part in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND THỊ XÃ QUẢNG YÊN",
        "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
        "Số: 125/BC-HĐTĐKT",
        "Quảng Yên, ngày 05 tháng 7 năm 2024",
        "TM. HỘI ĐỒNG",
        "CHỦ TỊCH",
        "Trần Thị Bình",
        "- UBND tỉnh Quảng Ninh,",
        "- Lưu: VT.",
    ):
        assert part in text, part
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text
