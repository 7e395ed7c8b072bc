"""DOCX, the file commissions put in their records: the title, what the report covers, the
narrative, then one table per breakdown with a header row. Arabic runs right to left."""

import io

from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from danvan.reports.document import Document, Table, as_text
from danvan.reports.renderers import Renderer, register

FONT = "DejaVu Sans"


def _right_to_left(paragraph) -> None:
    """Mark a paragraph and its runs as right-to-left (Word's ``bidi`` and ``rtl``)."""
    properties = paragraph._p.get_or_add_pPr()
    properties.append(OxmlElement("w:bidi"))
    for run in paragraph.runs:
        run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))


@register
class DocxRenderer(Renderer):
    format = "docx"
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    extension = "docx"

    def render(self, document: Document) -> bytes:
        word = WordDocument()
        style = word.styles["Normal"]
        style.font.name = FONT
        style.element.rPr.rFonts.set(qn("w:cs"), FONT)
        word.core_properties.title = document.title
        word.core_properties.language = document.language
        self.rtl = document.rtl
        self._finish(word.add_heading(document.title, level=0))
        for line in document.lines:
            self._finish(word.add_paragraph(line))
        for paragraph in document.narrative:
            self._finish(word.add_paragraph(paragraph))
        for table in document.tables:
            self._finish(word.add_heading(table.title, level=2))
            self._table(word, table, document.language)
        buffer = io.BytesIO()
        word.save(buffer)
        return buffer.getvalue()

    def _finish(self, paragraph):
        if self.rtl:
            _right_to_left(paragraph)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return paragraph

    def _table(self, word, table: Table, language: str) -> None:
        rows = [*table.rows, *([table.total] if table.total else [])]
        grid = word.add_table(rows=1 + len(rows), cols=len(table.columns))
        grid.style = "Table Grid"
        if self.rtl:
            grid._tbl.tblPr.append(OxmlElement("w:bidiVisual"))
        for index, column in enumerate(table.columns):
            cell = grid.rows[0].cells[index]
            cell.text = column.label
            for run in cell.paragraphs[0].runs:
                run.bold = True
            self._finish(cell.paragraphs[0])
        for r, row in enumerate(rows, start=1):
            cells = grid.rows[r].cells
            for c, value in enumerate(row):
                cells[c].text = as_text(value, table.kind_of(c, value), language)
                paragraph = cells[c].paragraphs[0]
                self._finish(paragraph)
                if table.kind_of(c, value) != "text" and not self.rtl:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
