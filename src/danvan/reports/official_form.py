"""The official form of a document a commission signs and sends: the header block, the
number and symbol, the place-and-date line, the kind and summary, the signature block and the
recipients ("Nơi nhận").

A Ban Dân vận is an organ of a Party committee, so its documents follow the Party's rules
(Hướng dẫn 36-HD/VPTW of 3 April 2018): the title "ĐẢNG CỘNG SẢN VIỆT NAM" at the top right,
the issuing body at the top left under the committee it belongs to, "Số 12-BC/BDVTU". A State
body (a People's Committee's emulation council) writes the State form (Nghị định
30/2020/NĐ-CP): the national title and motto at the top right, "Số: 12/BC-UBND". Both are A4,
in a Vietnamese Unicode serif font (Times New Roman as people use it), with margins of about
20 mm top and bottom, 30 mm left and 15 mm right.

Every document that needs the form builds a :class:`Letterhead` and hands it to the writer of
its format: :func:`docx_page_setup`, :func:`docx_header` and :func:`docx_signature` for Word,
:func:`html_parts` (with the ``reports/_official_*.html`` templates and :data:`PAGE_CSS`) for
the PDF. The periodic report, the award decision and the certificates all use them, so a
unit's issuing-body lines, symbol and signatory are set once and read the same everywhere.
"""

import datetime
from dataclasses import dataclass, field

from babel import dates as babel_dates
from django.db import models
from django.utils.translation import gettext_lazy

from danvan.core.formats import locale_of

# The font the documents name. Word users have Times New Roman; a machine without it (the
# PDF's WeasyPrint on a Linux server) takes the metric-compatible Liberation Serif from
# Debian's fonts-liberation2, then DejaVu Serif, which every install has and which also covers
# Vietnamese. Arabic falls through to DejaVu Sans, which covers it.
FONT = "Times New Roman"
PDF_FONTS = '"Times New Roman", "Liberation Serif", "DejaVu Serif", "DejaVu Sans", serif'

# Page and margins in millimetres (Hướng dẫn 36-HD/VPTW; Nghị định 30/2020/NĐ-CP).
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
# Body text size in points (13–14 in both rules).
BODY_PT = 13
# The national title's sizes: the Party's name (15, bold, underlined); the State's title
# (12–13, bold) and motto (13–14, bold, underlined).
NATIONAL_PT = {"party": (15, 15), "state": (12, 13)}


class FormKind(models.TextChoices):
    """Which rules a unit's documents follow."""

    PARTY = "party", gettext_lazy("Party form (Hướng dẫn 36-HD/VPTW)")
    STATE = "state", gettext_lazy("State form (Nghị định 30/2020/NĐ-CP)")


@dataclass
class Letterhead:
    """What an official document says around its body.

    ``issuer_lines`` are the issuing body's lines from the top: the committee or body it
    belongs to first, the issuing body itself last ("TỈNH ỦY QUẢNG NINH", "BAN DÂN VẬN").
    ``number`` and ``date`` left empty are left blank for the clerk to fill in by hand; the
    place-and-date line then still shows the place and ``year``.
    """

    form: str = FormKind.PARTY
    language: str = "vi"
    issuer_lines: list[str] = field(default_factory=list)
    number: str = ""
    symbol: str = ""
    place: str = ""
    date: datetime.date | None = None
    year: int | None = None
    kind: str = ""
    summary: str = ""
    authority: str = ""
    position: str = ""
    signatory: str = ""
    recipients: list[str] = field(default_factory=list)

    @property
    def rtl(self) -> bool:
        return self.language == "ar"


# The fixed formulas of the form. They are the rules' own words, not interface text: a
# Vietnamese document writes them exactly so; English and Arabic copies (for partners, for
# the record) write their usual equivalents.
FORMULAS = {
    "vi": {
        "party": "ĐẢNG CỘNG SẢN VIỆT NAM",
        "state": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "motto": "Độc lập - Tự do - Hạnh phúc",
        "party_number": "Số {number}-{symbol}",
        "state_number": "Số: {number}/{symbol}",
        "recipients": "Nơi nhận:",
        "report": "BÁO CÁO",
    },
    "en": {
        "party": "COMMUNIST PARTY OF VIETNAM",
        "state": "SOCIALIST REPUBLIC OF VIETNAM",
        "motto": "Independence – Freedom – Happiness",
        "party_number": "No. {number}-{symbol}",
        "state_number": "No.: {number}/{symbol}",
        "recipients": "Recipients:",
        "report": "REPORT",
    },
    "ar": {
        "party": "الحزب الشيوعي الفيتنامي",
        "state": "جمهورية فيتنام الاشتراكية",
        "motto": "الاستقلال – الحرية – السعادة",
        "party_number": "رقم {number}-{symbol}",
        "state_number": "رقم: {number}/{symbol}",
        "recipients": "الجهات المرسل إليها:",
        "report": "تقرير",
    },
}


def formula(name: str, language: str) -> str:
    return FORMULAS.get(language, FORMULAS["vi"])[name]


def national_lines(form: str, language: str) -> list[str]:
    """The title at the top right: the Party's name, or the State's title and motto."""
    if form == FormKind.STATE:
        return [formula("state", language), formula("motto", language)]
    return [formula("party", language)]


def number_line(letterhead: Letterhead) -> str:
    """ "Số 12-BC/BDVTU" (Party) or "Số: 12/BC-UBND" (State); a blank number keeps room for
    the clerk's hand."""
    number = letterhead.number.strip() or "\u00a0" * 6
    name = "state_number" if letterhead.form == FormKind.STATE else "party_number"
    return formula(name, letterhead.language).format(
        number=number, symbol=letterhead.symbol.strip()
    )


def vietnamese_date(value: datetime.date) -> str:
    """ "ngày 05 tháng 12 năm 2026": a day below 10 and the months 1 and 2 take a leading zero
    (Nghị định 30/2020/NĐ-CP, Phụ lục I; Hướng dẫn 36-HD/VPTW writes them the same way)."""
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def place_date_line(place: str, date: datetime.date | None, *, year: int, language: str) -> str:
    """ "Quảng Ninh, ngày 05 tháng 12 năm 2026"; without a date, the day and month left blank
    ("Quảng Ninh, ngày      tháng      năm 2026"). English and Arabic write the date as their
    long form, after the place."""
    gap = "\u00a0" * 6
    place = place.strip()
    if language == "vi":
        when = vietnamese_date(date) if date else f"ngày{gap}tháng{gap}năm {year}"
        return f"{place}, {when}" if place else when[0].upper() + when[1:]
    if date:
        when = babel_dates.format_date(date, format="long", locale=locale_of(language))
    else:
        when = f"{gap}…{gap}{year}"
    comma = "، " if language == "ar" else ", "
    return f"{place}{comma}{when}" if place else when


def recipients_block(letterhead: Letterhead) -> tuple[str, list[str]]:
    """The "Nơi nhận:" heading and its lines, each "- X," and the last "- X." as written."""
    heading = formula("recipients", letterhead.language)
    lines = [line.strip().lstrip("-–").strip() for line in letterhead.recipients]
    lines = [line.rstrip(",.;") for line in lines if line]
    return heading, [
        f"- {line}{'.' if index == len(lines) - 1 else ','}" for index, line in enumerate(lines)
    ]


# ---------------------------------------------------------------------------------------------
# Word (python-docx)
# ---------------------------------------------------------------------------------------------


def docx_fonts(element, name: str = FONT) -> None:
    """Name ``name`` for every script of a style's or a run's text (Latin, complex script,
    East Asian), so Vietnamese and Arabic both ask for it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)


def docx_page_setup(word, *, language: str = "vi", size_pt: float = BODY_PT) -> None:
    """A4 with the official margins, and Times New Roman for the whole document."""
    from docx.shared import Mm, Pt

    for section in word.sections:
        section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
        section.top_margin = Mm(MARGINS_MM["top"])
        section.bottom_margin = Mm(MARGINS_MM["bottom"])
        section.left_margin = Mm(MARGINS_MM["left"])
        section.right_margin = Mm(MARGINS_MM["right"])
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Table Grid"):
        try:
            style = word.styles[name]
        except KeyError:
            continue
        if style.element.rPr is None:
            style.element.get_or_add_rPr()
        docx_fonts(style.element)
        if name == "Normal":
            style.font.size = Pt(size_pt)
    word.core_properties.language = language


def _cell_line(cell, text: str, *, bold=False, italic=False, underline=False, size=None, first):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.space_before = Pt(0)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
    return paragraph


def _borderless(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _two_columns(word, left_mm: float, right_mm: float, *, rtl: bool):
    from docx.oxml import OxmlElement
    from docx.shared import Mm

    table = word.add_table(rows=1, cols=2)
    _borderless(table)
    table.autofit = False
    if rtl:
        table._tbl.tblPr.append(OxmlElement("w:bidiVisual"))
    for column, width in zip(table.columns, (left_mm, right_mm), strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    return table.rows[0].cells


def docx_header(word, letterhead: Letterhead) -> None:
    """The header block: issuing body, number and symbol at the left; the national title and
    the place and date at the right; then the kind and the summary, centred."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    left, right = _two_columns(word, 68, 97, rtl=letterhead.rtl)
    lines = [line for line in letterhead.issuer_lines if line.strip()]
    for index, line in enumerate(lines):
        issuer = index == len(lines) - 1
        _cell_line(left, line.upper(), bold=issuer, size=13, first=index == 0)
    if letterhead.form == FormKind.PARTY:
        _cell_line(left, "*", first=not lines)
    _cell_line(left, number_line(letterhead), size=14, first=False)
    national = national_lines(letterhead.form, letterhead.language)
    for index, line in enumerate(national):
        last = index == len(national) - 1
        size = NATIONAL_PT[letterhead.form][min(index, 1)]
        _cell_line(right, line, bold=True, underline=last, size=size, first=index == 0)
    _cell_line(right, "", first=False)
    _cell_line(
        right,
        place_date_line(
            letterhead.place,
            letterhead.date,
            year=letterhead.year or 0,
            language=letterhead.language,
        ),
        italic=True,
        size=14,
        first=False,
    )
    for text, size in ((letterhead.kind, 15), (letterhead.summary, 14)):
        if not text:
            continue
        paragraph = word.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(12 if size == 15 else 0)
        run = paragraph.add_run(text.upper() if size == 15 else text)
        run.bold = True
        run.font.size = Pt(size)
    rule = word.add_paragraph()
    rule.alignment = WD_ALIGN_PARAGRAPH.CENTER
    rule.add_run("-----")


def docx_signature(word, letterhead: Letterhead) -> None:
    """The recipients at the left and the signature block at the right: authority, position,
    room for the signature and the seal, the signatory's name."""
    from docx.shared import Pt

    word.add_paragraph()
    left, right = _two_columns(word, 68, 97, rtl=letterhead.rtl)
    heading, lines = recipients_block(letterhead)
    paragraph = left.paragraphs[0]
    run = paragraph.add_run(heading)
    run.bold, run.italic, run.underline = True, True, True
    run.font.size = Pt(12)
    for line in lines:
        item = left.add_paragraph()
        item.paragraph_format.space_after = Pt(0)
        item.add_run(line).font.size = Pt(11)
    first = True
    for text in (letterhead.authority, letterhead.position):
        if text.strip():
            _cell_line(right, text.upper(), bold=True, size=14, first=first)
            first = False
    for _blank in range(4):
        _cell_line(right, "", first=first)
        first = False
    if letterhead.signatory.strip():
        _cell_line(right, letterhead.signatory, bold=True, size=14, first=False)


# ---------------------------------------------------------------------------------------------
# PDF (WeasyPrint, from HTML)
# ---------------------------------------------------------------------------------------------

PAGE_CSS = "@page {{ size: A4; margin: {top}mm {right}mm {bottom}mm {left}mm; }}".format(
    **MARGINS_MM
)


def html_parts(letterhead: Letterhead) -> dict:
    """What ``reports/_official_header.html`` and ``reports/_official_signature.html`` show."""
    heading, lines = recipients_block(letterhead)
    issuers = [line.upper() for line in letterhead.issuer_lines if line.strip()]
    return {
        "form": letterhead.form,
        "party": letterhead.form == FormKind.PARTY,
        "superiors": issuers[:-1],
        "issuer": issuers[-1] if issuers else "",
        "number": number_line(letterhead),
        "national": national_lines(letterhead.form, letterhead.language),
        "place_date": place_date_line(
            letterhead.place,
            letterhead.date,
            year=letterhead.year or 0,
            language=letterhead.language,
        ),
        "kind": letterhead.kind.upper(),
        "summary": letterhead.summary,
        "authority": letterhead.authority.upper(),
        "position": letterhead.position.upper(),
        "signatory": letterhead.signatory,
        "recipients_heading": heading,
        "recipients": lines,
    }
