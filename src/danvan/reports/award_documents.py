"""The documents of recognised awards: the decision (Quyết định khen thưởng) with its list of
collectives and individuals, and one certificate (Giấy khen / Bằng khen) per award, in Word
and in PDF.

The decision is an official document: the header, the number and symbol, the place and date,
the signature and the recipients come from ``danvan.reports.official_form`` (the Party form
for a Ban Dân vận, the State form for a People's Committee, as the issuing body is). What this
module adds is the decision's body — its grounds, its articles, and the list the articles
point at, collectives and individuals apart — and the certificates' layout.

The wording is the decision's own, written as a Vietnamese decision writes it; English and
Arabic copies (for the record, for partners) write their usual equivalents. It is kept here
beside the layout, like the official form's formulas, not in the interface's catalogues: a
clerk's decision must read the same whatever translations are compiled.
"""

import io
import unicodedata
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from danvan.reports.official_form import (
    BODY_PT,
    FONT,
    MARGINS_MM,
    PAGE_CSS,
    PDF_FONTS,
    FormKind,
    Letterhead,
    docx_header,
    docx_page_setup,
    docx_signature,
    html_parts,
    national_lines,
    place_date_line,
)

# The level of an award as the decision's summary writes it.
LEVEL_WORDS = {
    "vi": {
        "commune": "cấp xã",
        "district": "cấp huyện",
        "province": "cấp tỉnh",
        "central": "cấp Trung ương",
    },
    "en": {
        "commune": "at commune level",
        "district": "at district level",
        "province": "at province level",
        "central": "at central level",
    },
    "ar": {
        "commune": "على مستوى البلدية",
        "district": "على مستوى المقاطعة",
        "province": "على مستوى المحافظة",
        "central": "على المستوى المركزي",
    },
}

ROLE_WORDS = {
    "vi": {
        "resident": "Người dân",
        "household_head": "Chủ hộ",
        "officer": "Cán bộ",
        "other": "",
    },
    "en": {
        "resident": "Resident",
        "household_head": "Household head",
        "officer": "Officer",
        "other": "",
    },
    "ar": {"resident": "مواطن", "household_head": "رب أسرة", "officer": "موظف", "other": ""},
}

WORDS = {
    "vi": {
        "kind": "QUYẾT ĐỊNH",
        "summary": "Về việc khen thưởng các tập thể và cá nhân có mô hình “Dân vận khéo” "
        "tiêu biểu {level} năm {year}",
        "authority": "{authority}",
        "grounds": [
            "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
            "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy "
            "định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
            "Xét thành tích trong phong trào thi đua “Dân vận khéo” năm {year},",
        ],
        "decides": "QUYẾT ĐỊNH:",
        "article1": "Điều 1. Tặng {award} cho {collectives} tập thể và {individuals} cá nhân "
        "đã có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo” năm {year} "
        "(có danh sách kèm theo).",
        "article2": "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
        "article3": "Điều 3. Chánh Văn phòng, Thủ trưởng các cơ quan, đơn vị có liên quan và "
        "các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
        "list_title": "DANH SÁCH",
        "list_summary": "Các tập thể và cá nhân được tặng {award}",
        "list_ref": "(Kèm theo Quyết định {number})",
        "collectives": "I. TẬP THỂ ({count})",
        "individuals": "II. CÁ NHÂN ({count})",
        "no": "STT",
        "collective": "Tên tập thể",
        "person": "Họ và tên",
        "role": "Chức vụ, địa chỉ",
        "model": "Mô hình",
        "none": "Không có.",
        "award_default": "Giấy khen",
        "giving": "TẶNG",
        "to": "Cho",
        "achievement": "Đã có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo” "
        "năm {year}, mô hình “{model}”.",
        "decision_ref": "Quyết định số {number}",
        "certificate_giay": "GIẤY KHEN",
        "certificate_bang": "BẰNG KHEN",
        "issuer_default": "BAN DÂN VẬN",
    },
    "en": {
        "kind": "DECISION",
        "summary": "On honouring the collectives and individuals with exemplary “Skilled Mass "
        "Mobilization” models {level} in {year}",
        "authority": "{authority}",
        "grounds": [
            "Pursuant to the Law on Emulation and Commendation of 15 June 2022;",
            "Pursuant to Decree 98/2023/NĐ-CP of 31 December 2023 of the Government detailing "
            "the Law on Emulation and Commendation;",
            "Considering the achievements in the “Skilled Mass Mobilization” movement in {year},",
        ],
        "decides": "DECIDES:",
        "article1": "Article 1. To award the {award} to {collectives} collectives and "
        "{individuals} individuals for outstanding achievements in the “Skilled Mass "
        "Mobilization” movement in {year} (list attached).",
        "article2": "Article 2. This decision takes effect on the day it is signed.",
        "article3": "Article 3. The Chief of Office, the heads of the agencies and units "
        "concerned and the collectives and individuals named in Article 1 carry out this "
        "decision.",
        "list_title": "LIST",
        "list_summary": "Collectives and individuals awarded the {award}",
        "list_ref": "(Attached to Decision {number})",
        "collectives": "I. COLLECTIVES ({count})",
        "individuals": "II. INDIVIDUALS ({count})",
        "no": "No.",
        "collective": "Collective",
        "person": "Full name",
        "role": "Position, address",
        "model": "Model",
        "none": "None.",
        "award_default": "Certificate of merit",
        "giving": "AWARDS",
        "to": "To",
        "achievement": "For outstanding achievements in the “Skilled Mass Mobilization” "
        "movement in {year}, with the model “{model}”.",
        "decision_ref": "Decision No. {number}",
        "certificate_giay": "CERTIFICATE OF MERIT",
        "certificate_bang": "CERTIFICATE OF MERIT",
        "issuer_default": "MASS MOBILIZATION COMMISSION",
    },
    "ar": {
        "kind": "قرار",
        "summary": "بشأن تكريم الجماعات والأفراد أصحاب نماذج «التعبئة الجماهيرية الماهرة» "
        "المتميزة {level} لعام {year}",
        "authority": "{authority}",
        "grounds": [
            "استنادًا إلى قانون المحاكاة والتكريم الصادر في 15 يونيو 2022؛",
            "استنادًا إلى المرسوم 98/2023/NĐ-CP الصادر في 31 ديسمبر 2023؛",
            "ونظرًا للإنجازات في حركة «التعبئة الجماهيرية الماهرة» لعام {year}،",
        ],
        "decides": "يقرر:",
        "article1": "المادة 1. منح {award} إلى {collectives} جماعة و{individuals} فردًا "
        "لإنجازاتهم المتميزة في حركة «التعبئة الجماهيرية الماهرة» لعام {year} (القائمة مرفقة).",
        "article2": "المادة 2. يسري هذا القرار من تاريخ توقيعه.",
        "article3": "المادة 3. يتولى مدير المكتب ورؤساء الجهات والوحدات المعنية والجماعات "
        "والأفراد المذكورون في المادة 1 تنفيذ هذا القرار.",
        "list_title": "قائمة",
        "list_summary": "الجماعات والأفراد الممنوحون {award}",
        "list_ref": "(مرفقة بالقرار {number})",
        "collectives": "أولًا. الجماعات ({count})",
        "individuals": "ثانيًا. الأفراد ({count})",
        "no": "م",
        "collective": "الجماعة",
        "person": "الاسم الكامل",
        "role": "الصفة، العنوان",
        "model": "النموذج",
        "none": "لا يوجد.",
        "award_default": "شهادة تقدير",
        "giving": "تمنح",
        "to": "إلى",
        "achievement": "لإنجازاتها المتميزة في حركة «التعبئة الجماهيرية الماهرة» لعام {year}، "
        "نموذج «{model}».",
        "decision_ref": "القرار رقم {number}",
        "certificate_giay": "شهادة تقدير",
        "certificate_bang": "شهادة تقدير",
        "issuer_default": "لجنة التعبئة الجماهيرية",
    },
}


def words(language: str) -> dict:
    return WORDS.get(language, WORDS["vi"])


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", (text or "").lower()).replace("đ", "d")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Words that make an issuing body a State body (a People's Committee, its emulation council);
# a Party committee's Ban Dân vận writes the Party form.
_STATE_MARKS = ("ubnd", "uy ban nhan dan", "hoi dong thi dua", "chu tich", "people's committee")


def form_for(issuing_body: str) -> str:
    """The form a decision of ``issuing_body`` follows: the State form for a People's
    Committee (Nghị định 30/2020/NĐ-CP), the Party form otherwise (Hướng dẫn 36-HD/VPTW)."""
    folded = _folded(issuing_body)
    return FormKind.STATE if any(mark in folded for mark in _STATE_MARKS) else FormKind.PARTY


def is_bang_khen(award_name: str, level: str) -> bool:
    """Whether the certificate is a Bằng khen (of a province or a ministry) rather than a Giấy
    khen (of a district or a commune): said by the form of award's name, else by the level."""
    folded = _folded(award_name)
    if folded.startswith("bang khen"):
        return True
    if folded.startswith("giay khen"):
        return False
    return level in {"province", "central"}


@dataclass
class Entry:
    """One line of the decision's list and one certificate."""

    recipient: str
    description: str
    model: str
    award_id: int


@dataclass
class AwardPapers:
    """What the decision and the certificates of a set of recognised awards say."""

    letterhead: Letterhead
    level: str
    year: int
    award_name: str
    bang_khen: bool
    collectives: list[Entry] = field(default_factory=list)
    individuals: list[Entry] = field(default_factory=list)

    @property
    def language(self) -> str:
        return self.letterhead.language

    @property
    def entries(self) -> list[Entry]:
        return [*self.collectives, *self.individuals]


def papers_for(awards, *, letterhead: Letterhead, level: str, year: int) -> AwardPapers:
    """Gather ``awards`` (recognised, read through the reviewer's scope) into the decision's
    list: collectives (the initiative's organisation) and individuals apart, each sorted as
    Vietnamese lists are (collectives by name, people by given name)."""
    language = letterhead.language
    roles = ROLE_WORDS.get(language, ROLE_WORDS["vi"])
    collectives, individuals, names = [], [], []
    for award in awards:
        model = award.initiative.title
        if award.form_id:
            names.append(getattr(award.form, f"name_{language}", "") or award.form.name_vi)
        if award.recipient_kind == "individual":
            role = roles.get(award.recipient_role, "")
            description = ", ".join(part for part in (role, award.recipient_detail) if part)
            individuals.append(Entry(award.recipient_name, description, model, award.pk))
        else:
            organisation = award.initiative.organisation
            seat = getattr(organisation, "seat_area", None)
            collectives.append(Entry(organisation.name, seat.name if seat else "", model, award.pk))
    collectives.sort(key=lambda entry: (_folded(entry.recipient), entry.award_id))
    individuals.sort(key=lambda entry: (_given_name_key(entry.recipient), entry.award_id))
    # The decision gives one form of award; the most used one names it.
    award_name = max(set(names), key=names.count) if names else words(language)["award_default"]
    return AwardPapers(
        letterhead=letterhead,
        level=level,
        year=year,
        award_name=award_name,
        bang_khen=is_bang_khen(award_name, level),
        collectives=collectives,
        individuals=individuals,
    )


def _given_name_key(name: str) -> tuple[str, str]:
    """Vietnamese names sort by the given name (the last word), then the whole name."""
    parts = name.split()
    return (_folded(parts[-1]) if parts else "", _folded(name))


# How the decision names the one who decides, before the grounds: the chair of a People's
# Committee ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH"); a Party body by itself.
CHAIR = {"vi": "CHỦ TỊCH", "en": "THE CHAIR OF", "ar": "رئيس"}


def competent_line(letterhead: Letterhead) -> str:
    """Who decides, as the decision and the certificates write it above their text: the chair
    of the People's Committee (State form), or the issuing body under its committee ("BAN DÂN
    VẬN TỈNH ỦY QUẢNG NINH", Party form). The signature block's "T/M", "KT." stays there."""
    lines = [line.strip().upper() for line in letterhead.issuer_lines if line.strip()]
    if not lines:
        return letterhead.authority.strip().upper()
    if letterhead.form == FormKind.STATE:
        return " ".join([CHAIR.get(letterhead.language, CHAIR["vi"]), *lines])
    return " ".join(reversed(lines))


def decision_reference(letterhead: Letterhead) -> str:
    """The decision's number and symbol as a reference ("12/QĐ-UBND", "12-QĐ/BDVTU")."""
    number, symbol = letterhead.number.strip() or "…", letterhead.symbol.strip()
    if not symbol:
        return number
    return f"{number}/{symbol}" if letterhead.form == FormKind.STATE else f"{number}-{symbol}"


def decision_texts(papers: AwardPapers) -> dict:
    """The decision's words, filled in: summary, grounds, articles and the list's headings."""
    w = words(papers.language)
    level = LEVEL_WORDS.get(papers.language, LEVEL_WORDS["vi"]).get(papers.level, "")
    values = {
        "level": level,
        "year": papers.year,
        "award": papers.award_name,
        "collectives": len(papers.collectives),
        "individuals": len(papers.individuals),
        "number": decision_reference(papers.letterhead),
    }
    return {
        "summary": w["summary"].format(**values),
        "grounds": [line.format(**values) for line in w["grounds"]],
        "decides": w["decides"],
        "articles": [w[name].format(**values) for name in ("article1", "article2", "article3")],
        "list_title": w["list_title"],
        "list_summary": w["list_summary"].format(**values),
        "list_ref": w["list_ref"].format(**values),
        "collectives": w["collectives"].format(count=len(papers.collectives)),
        "individuals": w["individuals"].format(count=len(papers.individuals)),
        "columns_collective": [w["no"], w["collective"], w["model"]],
        "columns_individual": [w["no"], w["person"], w["role"], w["model"]],
        "none": w["none"],
    }


def _letterhead_with_summary(papers: AwardPapers) -> Letterhead:
    texts = decision_texts(papers)
    head = papers.letterhead
    return Letterhead(
        **{
            **head.__dict__,
            "kind": words(papers.language)["kind"],
            "summary": texts["summary"],
            "year": head.year or papers.year,
        }
    )


# ---------------------------------------------------------------------------------------------
# Word
# ---------------------------------------------------------------------------------------------


def _rtl(paragraph) -> None:
    from docx.oxml import OxmlElement

    paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
    for run in paragraph.runs:
        run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))


def _paragraph(word, text: str, *, bold=False, italic=False, center=False, size=None, rtl=False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = word.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif rtl:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if rtl:
        _rtl(paragraph)
    return paragraph


def _list_table(word, columns: list[str], rows: list[list[str]], *, rtl: bool) -> None:
    from docx.oxml import OxmlElement

    grid = word.add_table(rows=1 + len(rows), cols=len(columns))
    grid.style = "Table Grid"
    if rtl:
        grid._tbl.tblPr.append(OxmlElement("w:bidiVisual"))
    for index, label in enumerate(columns):
        cell = grid.rows[0].cells[index]
        cell.text = label
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            grid.rows[r].cells[c].text = value


def decision_docx(papers: AwardPapers) -> bytes:
    """The decision and its list, in Word: official header, grounds, articles, signature and
    recipients, then the list on a page of its own."""
    from docx import Document as WordDocument
    from docx.enum.text import WD_BREAK

    letterhead = _letterhead_with_summary(papers)
    texts = decision_texts(papers)
    rtl = letterhead.rtl
    word = WordDocument()
    docx_page_setup(word, language=papers.language)
    word.core_properties.title = texts["summary"]
    docx_header(word, letterhead)
    if competent_line(letterhead):
        _paragraph(word, competent_line(letterhead), bold=True, center=True, size=14)
    for line in texts["grounds"]:
        _paragraph(word, line, italic=True, rtl=rtl)
    _paragraph(word, texts["decides"], bold=True, center=True, size=14)
    for article in texts["articles"]:
        _paragraph(word, article, rtl=rtl)
    docx_signature(word, letterhead)
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _paragraph(word, texts["list_title"], bold=True, center=True, size=14)
    _paragraph(word, texts["list_summary"], bold=True, center=True)
    _paragraph(word, texts["list_ref"], italic=True, center=True)
    _paragraph(word, texts["collectives"], bold=True, rtl=rtl)
    if papers.collectives:
        _list_table(
            word,
            texts["columns_collective"],
            [[str(n), _with_place(e), e.model] for n, e in enumerate(papers.collectives, start=1)],
            rtl=rtl,
        )
    else:
        _paragraph(word, texts["none"], rtl=rtl)
    _paragraph(word, texts["individuals"], bold=True, rtl=rtl)
    if papers.individuals:
        _list_table(
            word,
            texts["columns_individual"],
            [
                [str(n), e.recipient, e.description, e.model]
                for n, e in enumerate(papers.individuals, start=1)
            ],
            rtl=rtl,
        )
    else:
        _paragraph(word, texts["none"], rtl=rtl)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _with_place(entry: Entry) -> str:
    return f"{entry.recipient} ({entry.description})" if entry.description else entry.recipient


def certificate_texts(papers: AwardPapers, entry: Entry) -> dict:
    """One certificate's words: the national title, who gives it, its name, to whom, for what,
    the place and date, the decision it rests on, and the signature."""
    w = words(papers.language)
    head = papers.letterhead
    return {
        "national": national_lines(FormKind.STATE, papers.language)
        if head.form == FormKind.STATE
        else national_lines(FormKind.PARTY, papers.language),
        "giver": competent_line(head) or w["issuer_default"],
        "giving": w["giving"],
        "title": w["certificate_bang"] if papers.bang_khen else w["certificate_giay"],
        "to": w["to"],
        "recipient": entry.recipient,
        "description": entry.description,
        "achievement": w["achievement"].format(year=papers.year, model=entry.model),
        "place_date": place_date_line(
            head.place, head.date, year=head.year or papers.year, language=papers.language
        ),
        "decision": w["decision_ref"].format(number=decision_reference(head))
        if head.number.strip() or head.symbol.strip()
        else "",
        "position": head.position.upper(),
        "signatory": head.signatory,
    }


def certificates_docx(papers: AwardPapers) -> bytes:
    """One certificate per award, each on a landscape A4 page of its own."""
    from docx import Document as WordDocument
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    word = WordDocument()
    docx_page_setup(word, language=papers.language)
    rtl = papers.letterhead.rtl
    for index, entry in enumerate(papers.entries):
        section = word.sections[0] if index == 0 else word.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
        texts = certificate_texts(papers, entry)
        for line_index, line in enumerate(texts["national"]):
            _paragraph(word, line, bold=True, center=True, size=13 + line_index)
        _paragraph(word, texts["giver"], bold=True, center=True, size=15)
        _paragraph(word, texts["giving"], bold=True, center=True, size=14)
        _paragraph(word, texts["title"], bold=True, center=True, size=36)
        _paragraph(word, f"{texts['to']}: {texts['recipient']}", bold=True, center=True, size=20)
        if texts["description"]:
            _paragraph(word, texts["description"], italic=True, center=True, size=14)
        _paragraph(word, texts["achievement"], center=True, size=15, rtl=rtl)
        _paragraph(word, texts["place_date"], italic=True, center=True, size=14)
        if texts["decision"]:
            _paragraph(word, texts["decision"], center=True, size=12)
        if texts["position"]:
            _paragraph(word, texts["position"], bold=True, center=True, size=14)
        _paragraph(word, "", center=True)
        _paragraph(word, "", center=True)
        if texts["signatory"]:
            _paragraph(word, texts["signatory"], bold=True, center=True, size=14)
    if not papers.entries:
        _paragraph(word, words(papers.language)["none"], center=True)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------


def _refuse_fetch(url: str, *args, **kwargs):
    """Nothing in these documents comes from outside them."""
    raise ValueError(f"award documents fetch no resources ({url})")


def _context(papers: AwardPapers) -> dict:
    return {
        "language": papers.language,
        "direction": "rtl" if papers.letterhead.rtl else "ltr",
        "fonts": PDF_FONTS,
        "font_name": FONT,
        "body_pt": BODY_PT,
        "page_css": PAGE_CSS,
    }


def decision_html(papers: AwardPapers) -> str:
    letterhead = _letterhead_with_summary(papers)
    return render_to_string(
        "reports/award_decision.html",
        {
            **_context(papers),
            "official": html_parts(letterhead),
            "authority": competent_line(letterhead),
            "texts": decision_texts(papers),
            "collectives": [
                [str(n), _with_place(e), e.model] for n, e in enumerate(papers.collectives, start=1)
            ],
            "individuals": [
                [str(n), e.recipient, e.description, e.model]
                for n, e in enumerate(papers.individuals, start=1)
            ],
        },
    )


def certificates_html(papers: AwardPapers) -> str:
    return render_to_string(
        "reports/award_certificates.html",
        {
            **_context(papers),
            "margins": MARGINS_MM,
            "certificates": [certificate_texts(papers, entry) for entry in papers.entries],
            "none": words(papers.language)["none"],
        },
    )


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


def decision_pdf(papers: AwardPapers) -> bytes:
    return _pdf(decision_html(papers))


def certificates_pdf(papers: AwardPapers) -> bytes:
    return _pdf(certificates_html(papers))


WRITERS = {
    ("decision", "docx"): decision_docx,
    ("decision", "pdf"): decision_pdf,
    ("certificates", "docx"): certificates_docx,
    ("certificates", "pdf"): certificates_pdf,
}
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
