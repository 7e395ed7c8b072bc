"""The decision (Quyết định khen thưởng) with its list, and the certificates (Giấy khen / Bằng
khen), read back from Word (python-docx) and PDF (pypdf): A4, the official margins, Times New
Roman, the form's mandatory parts, collectives and individuals apart; and the page that
prints them, for the reviewers of the awards' own scope only."""

import datetime
import io
import re

import pytest
from docx import Document as WordDocument
from docx.shared import Mm
from pypdf import PdfReader

from danvan.initiatives.catalogues import Status
from danvan.initiatives.models import Initiative
from danvan.reports.award_documents import (
    certificates_docx,
    certificates_pdf,
    decision_docx,
    decision_pdf,
    form_for,
    is_bang_khen,
    papers_for,
)
from danvan.reports.official_form import FormKind, Letterhead
from danvan.review.models import RecognitionLevel
from danvan.review.selectors import awards_for_documents
from danvan.review.services import award_propose, award_recognise
from tests.factories_review import AwardFormFactory, AwardTitleFactory

PROVINCE = RecognitionLevel.PROVINCE
URL = "/review/awards/documents/"
MARGINS = {"top": 20, "bottom": 20, "left": 30, "right": 15}


def recognised(world, initiative, number, body, form, **recipient):
    award = award_propose(
        actor=world.minh,
        initiative=initiative,
        title=AwardTitleFactory(),
        level=PROVINCE,
        **recipient,
    )
    return award_recognise(
        actor=world.minh,
        award=award,
        decision_number=number,
        decision_date=datetime.date(2026, 12, 5),
        issuing_body=body,
        form=form,
    )


@pytest.fixture
def awards(world):
    form = AwardFormFactory(code="bang_khen_tinh", name_vi="Bằng khen của Chủ tịch UBND tỉnh")
    body = "UBND tỉnh Quảng Ninh"
    # The houses were registered (an award needs a registered, running or completed model).
    Initiative.objects.filter(pk=world.cultural_houses.pk).update(status=Status.REGISTERED)
    world.cultural_houses.refresh_from_db()
    return [
        recognised(world, world.digital, "35/QĐ-UBND", body, form),
        recognised(
            world,
            world.cultural_houses,
            "35/QĐ-UBND",
            body,
            form,
            recipient_kind="individual",
            recipient_name="Nguyễn Thị Hoa",
            recipient_role="household_head",
            recipient_detail="Khu 1, phường Yên Giang",
        ),
        # Another decision of the same level: not in the first one's list.
        recognised(world, world.cultural_houses, "40/QĐ-UBND", body, form),
    ]


def letterhead(form=FormKind.STATE, language="vi") -> Letterhead:
    state = form == FormKind.STATE
    return Letterhead(
        form=form,
        language=language,
        issuer_lines=["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NINH"]
        if state
        else ["TỈNH ỦY QUẢNG NINH", "BAN DÂN VẬN"],
        number="35",
        symbol="QĐ-UBND" if state else "QĐ/BDVTU",
        place="Quảng Ninh",
        date=datetime.date(2026, 12, 5),
        authority="CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH" if state else "T/M BAN DÂN VẬN",
        position="CHỦ TỊCH" if state else "TRƯỞNG BAN",
        signatory="Nguyễn Văn A",
        recipients=["Như Điều 3", "Lưu VT"],
    )


def papers(world, form=FormKind.STATE, language="vi"):
    selected = awards_for_documents(actor=world.minh, level=PROVINCE, decision_number="35/QĐ-UBND")
    return papers_for(selected, letterhead=letterhead(form, language), level=PROVINCE, year=2024)


def word_text(word) -> str:
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def assert_official_page(section, *, landscape=False) -> None:
    width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    assert abs(section.page_width - width) < Mm(1) and abs(section.page_height - height) < Mm(1)
    for side, mm in MARGINS.items():
        assert abs(getattr(section, f"{side}_margin") - Mm(mm)) < Mm(0.5), side


def fonts_of(word) -> set[str]:
    """Every font a run or a style of the document names."""
    names = {word.styles["Normal"].font.name}
    for paragraph in word.paragraphs:
        names |= {run.font.name for run in paragraph.runs if run.font.name}
    return names


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_pages(content: bytes) -> list[tuple[int, int]]:
    reader = PdfReader(io.BytesIO(content))
    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]


def pdf_fonts(content: bytes) -> set[str]:
    """The base names of the fonts the pages use, their drawn objects' included."""
    names: set[str] = set()

    def walk(resources, seen):
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
        for item in (resources.get("/XObject") or {}).values():
            item = item.get_object()
            if id(item) not in seen and "/Resources" in item:
                seen.add(id(item))
                walk(item["/Resources"], seen)

    for page in PdfReader(io.BytesIO(content)).pages:
        walk(page["/Resources"], set())
    return names


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


class TestDecision:
    def test_the_list_holds_collectives_and_individuals_apart(self, world, awards):
        result = papers(world)
        assert [e.recipient for e in result.collectives] == ["UBND phường Yên Giang"]
        assert [e.recipient for e in result.individuals] == ["Nguyễn Thị Hoa"]
        assert result.individuals[0].description == "Chủ hộ, Khu 1, phường Yên Giang"
        assert result.award_name == "Bằng khen của Chủ tịch UBND tỉnh"
        assert result.bang_khen

    def test_docx_state_form(self, world, awards):
        word = WordDocument(io.BytesIO(decision_docx(papers(world))))
        assert_official_page(word.sections[0])
        assert fonts_of(word) == {"Times New Roman"}
        text = word_text(word)
        for part in (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "ỦY BAN NHÂN DÂN",
            "TỈNH QUẢNG NINH",
            "Số: 35/QĐ-UBND",
            "Quảng Ninh, ngày 05 tháng 12 năm 2026",
            "QUYẾT ĐỊNH",
            "Về việc khen thưởng các tập thể và cá nhân có mô hình “Dân vận khéo” tiêu biểu "
            "cấp tỉnh năm 2024",
            "Căn cứ Luật Thi đua, khen thưởng",
            "Điều 1. Tặng Bằng khen của Chủ tịch UBND tỉnh cho 1 tập thể và 1 cá nhân",
            "Điều 3.",
            "CHỦ TỊCH",
            "Nguyễn Văn A",
            "Nơi nhận:",
            "- Như Điều 3,",
            "- Lưu VT.",
            "DANH SÁCH",
            "(Kèm theo Quyết định 35/QĐ-UBND)",
            "I. TẬP THỂ (1)",
            "II. CÁ NHÂN (1)",
            "UBND phường Yên Giang",
            "Nguyễn Thị Hoa",
            "Dân vận khéo trong chuyển đổi số toàn diện",
        ):
            assert part in text, part
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text
        assert "40/QĐ-UBND" not in text  # another decision's award

    def test_docx_party_form(self, world, awards):
        word = WordDocument(io.BytesIO(decision_docx(papers(world, FormKind.PARTY))))
        text = word_text(word)
        for part in (
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "TỈNH ỦY QUẢNG NINH",
            "BAN DÂN VẬN",
            "Số 35-QĐ/BDVTU",
            "T/M BAN DÂN VẬN",
            "TRƯỞNG BAN",
        ):
            assert part in text, part
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text

    def test_pdf(self, world, awards):
        content = decision_pdf(papers(world))
        assert content.startswith(b"%PDF")
        assert set(pdf_pages(content)) == {(595, 842)}  # A4 portrait, in points
        text = squash(pdf_text(content))
        for part in (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 35/QĐ-UBND",
            "Quảng Ninh, ngày 05 tháng 12 năm 2026",
            "QUYẾT ĐỊNH",
            "Điều 1.",
            "Nơi nhận:",
            "DANH SÁCH",
            "I. TẬP THỂ (1)",
            "II. CÁ NHÂN (1)",
            "UBND phường Yên Giang",
            "Nguyễn Thị Hoa",
        ):
            assert part in text, part
        # A serif face: Times New Roman where installed, its metric twin or DejaVu Serif here.
        assert any(
            re.search("Times|Liberation-?Serif|DejaVu-?Serif", name) for name in pdf_fonts(content)
        )

    def test_arabic_copy_runs_right_to_left(self, world, awards):
        word = WordDocument(io.BytesIO(decision_docx(papers(world, language="ar"))))
        text = word_text(word)
        assert "قرار" in text and "أولًا. الجماعات (1)" in text
        bidi = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi"
        assert any(
            p._p.pPr is not None and p._p.pPr.find(bidi) is not None for p in word.paragraphs
        )


class TestCertificates:
    def test_docx_one_landscape_page_each(self, world, awards):
        word = WordDocument(io.BytesIO(certificates_docx(papers(world))))
        assert len(word.sections) == 2
        for section in word.sections:
            assert_official_page(section, landscape=True)
        assert fonts_of(word) == {"Times New Roman"}
        text = word_text(word)
        assert text.count("BẰNG KHEN") == 2
        for part in (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH",
            "TẶNG",
            "Cho: UBND phường Yên Giang",
            "Cho: Nguyễn Thị Hoa",
            "Chủ hộ, Khu 1, phường Yên Giang",
            "Quảng Ninh, ngày 05 tháng 12 năm 2026",
            "Quyết định số 35/QĐ-UBND",
            "Nguyễn Văn A",
        ):
            assert part in text, part

    def test_pdf_one_page_each(self, world, awards):
        content = certificates_pdf(papers(world))
        assert pdf_pages(content) == [(842, 595), (842, 595)]  # A4 landscape
        text = squash(pdf_text(content))
        assert text.count("BẰNG KHEN") == 2
        assert "Cho: Nguyễn Thị Hoa" in text and "Cho: UBND phường Yên Giang" in text

    @pytest.mark.parametrize(
        ("name", "level", "bang"),
        [
            ("Bằng khen của Chủ tịch UBND tỉnh", "district", True),
            ("Giấy khen của Chủ tịch UBND huyện", "province", False),
            ("Certificate", "province", True),
            ("Certificate", "commune", False),
        ],
        ids=["bang-by-name", "giay-by-name", "bang-by-level", "giay-by-level"],
    )
    def test_giay_or_bang_khen(self, name, level, bang):
        assert is_bang_khen(name, level) is bang

    @pytest.mark.parametrize(
        ("body", "form"),
        [
            ("UBND tỉnh Quảng Ninh", FormKind.STATE),
            ("Ủy ban nhân dân thị xã Quảng Yên", FormKind.STATE),
            ("Hội đồng Thi đua - Khen thưởng tỉnh", FormKind.STATE),
            ("Ban Dân vận Tỉnh ủy Quảng Ninh", FormKind.PARTY),
        ],
        ids=["ubnd", "uy-ban-nhan-dan", "emulation-council", "ban-dan-van"],
    )
    def test_the_form_follows_the_issuing_body(self, body, form):
        assert form_for(body) == form


class TestPage:
    def test_a_reviewer_finds_and_downloads(self, world, awards, client):
        client.force_login(world.minh)
        page = client.get(URL, {"level": "province", "decision_number": "35/QĐ-UBND"})
        assert page.status_code == 200
        assert page.context["count"] == 2
        assert (page.context["collectives"], page.context["individuals"]) == (1, 1)
        form = page.context["form"]
        # The letterhead starts from the awards' own decision.
        assert (form["number"].value(), form["symbol"].value()) == ("35", "QĐ-UBND")
        assert form["issuer_lines"].value() == "UBND TỈNH QUẢNG NINH"
        response = client.get(
            URL,
            {
                "level": "province",
                "decision_number": "35/QĐ-UBND",
                "document": "decision",
                "format": "docx",
                "place": "Quảng Ninh",
                "date": "2026-12-05",
                "download": "1",
            },
        )
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        word = WordDocument(
            io.BytesIO(
                b"".join(response.streaming_content) if response.streaming else response.content
            )
        )
        text = word_text(word)
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text  # a People's Committee: State form
        assert "Số: 35/QĐ-UBND" in text and "Nguyễn Thị Hoa" in text
        pdf = client.get(
            URL,
            {"level": "province", "document": "certificates", "format": "pdf", "download": "1"},
        )
        assert pdf["Content-Type"] == "application/pdf"
        assert len(pdf_pages(pdf.content)) == 3  # every recognised award of the level

    def test_a_viewer_may_not_print(self, world, awards, client):
        client.force_login(world.quan)
        assert client.get(URL, {"level": "province"}).status_code == 403

    def test_a_reviewer_elsewhere_sees_none_of_them(self, world, awards, client):
        for reviewer in (world.duc, world.hoa):  # Hà An; Hà Tĩnh
            client.force_login(reviewer)
            page = client.get(URL, {"level": "province", "download": "1"})
            assert page.status_code == 200 and page.context["count"] == 0
            assert "Content-Disposition" not in page

    @pytest.mark.parametrize(
        "query",
        [
            {"level": "galaxy"},
            {"level": "province", "year": "soon"},
            {"level": "province", "format": "exe", "download": "1"},
            {"level": "province", "date": "2026-13-45", "download": "1"},
        ],
        ids=["unknown-level", "bad-year", "unknown-format", "bad-date"],
    )
    def test_bad_input_is_a_form_error(self, world, awards, client, query):
        client.force_login(world.minh)
        response = client.get(URL, query)
        assert response.status_code == 200
        assert response.context["form"].errors
        assert "Content-Disposition" not in response

    def test_the_awards_list_links_here(self, world, awards, client):
        client.force_login(world.minh)
        page = client.get("/review/awards/", {"recipient_kind": "individual"}).content.decode()
        assert URL in page
        assert "Nguyễn Thị Hoa" in page and page.count("award-stage") == 1
