"""DOCX, the file commissions sign and put in their records.

With a letterhead (the periodic report) it is the official form (``official_form``): A4, the
official margins, Times New Roman, the header block, the title and summary, the body, the
signature block and the recipients. The body holds the narrative, the charts (bars drawn as
images beside Word text, so Vietnamese and Arabic labels are Word's own) and one table per
breakdown, whose header row repeats on each page and whose rows never split across pages.
Arabic runs right to left. A unit's own Word template replaces the built-in layout
(``word_templates``).
"""

import io

from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt

from danvan.reports import official_form
from danvan.reports.document import Document, Table, as_text
from danvan.reports.renderers import Renderer, register
from danvan.reports.renderers.charts import BAR_HEIGHT, bar_png, chart_lengths

FONT = official_form.FONT
# The longest bar of a chart, in millimetres (the text column is about 165 mm wide).
BAR_MM = 70


def _right_to_left(paragraph) -> None:
    """Mark a paragraph and its runs as right-to-left (Word's ``bidi`` and ``rtl``)."""
    properties = paragraph._p.get_or_add_pPr()
    properties.append(OxmlElement("w:bidi"))
    for run in paragraph.runs:
        run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))


def _row_flags(row, *, header: bool) -> None:
    """A row is never split across pages; the header row repeats on every page."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


@register
class DocxRenderer(Renderer):
    format = "docx"
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    extension = "docx"

    def render(self, document: Document) -> bytes:
        template = getattr(document, "word_template", None)
        if template:
            from danvan.reports.word_templates import render_template

            return render_template(template, document)
        word = WordDocument()
        official_form.docx_page_setup(word, language=document.language)
        word.core_properties.title = document.title
        self.rtl = document.rtl
        letterhead = document.letterhead
        if letterhead is not None:
            official_form.docx_header(word, letterhead)
            if self.rtl:
                for paragraph in word.paragraphs:
                    _right_to_left(paragraph)
        else:
            self._finish(word.add_heading(document.title, level=0))
        for line in document.lines:
            paragraph = self._finish(word.add_paragraph())
            run = paragraph.add_run(line)
            run.italic, run.font.size = True, Pt(11)
            paragraph.paragraph_format.space_after = Pt(0)
        for text in document.narrative:
            paragraph = word.add_paragraph(text)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            paragraph.paragraph_format.first_line_indent = Mm(10)
            paragraph.paragraph_format.space_before = Pt(6)
            self._finish(paragraph, align=False)
        for chart in document.charts:
            if chart.bars:
                self._chart(word, chart, document.language)
        for table in document.tables:
            self._heading(word, table.title)
            self._table(word, table, document.language)
        if letterhead is not None:
            official_form.docx_signature(word, letterhead)
        buffer = io.BytesIO()
        word.save(buffer)
        return buffer.getvalue()

    def _heading(self, word, text: str):
        paragraph = word.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(12)
        paragraph.paragraph_format.keep_with_next = True
        run = paragraph.add_run(text)
        run.bold = True
        return self._finish(paragraph)

    def _finish(self, paragraph, *, align: bool = True):
        if self.rtl:
            _right_to_left(paragraph)
            if align:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return paragraph

    def _chart(self, word, chart, language: str) -> None:
        """A bar chart as the PDF draws it: the label, the bar, the value, one row a bar."""
        self._heading(word, chart.title)
        grid = word.add_table(rows=len(chart.bars), cols=3)
        if self.rtl:
            grid._tbl.tblPr.append(OxmlElement("w:bidiVisual"))
        for row, (label, value, length) in zip(
            grid.rows, chart_lengths(chart.bars, language=language), strict=True
        ):
            _row_flags(row, header=False)
            cells = row.cells
            cells[0].width, cells[1].width, cells[2].width = Mm(60), Mm(BAR_MM + 4), Mm(25)
            for cell, text in ((cells[0], label), (cells[2], value)):
                paragraph = cell.paragraphs[0]
                paragraph.add_run(text).font.size = Pt(11)
                self._finish(paragraph)
            if length:
                cells[1].paragraphs[0].add_run().add_picture(
                    io.BytesIO(bar_png()),
                    width=Mm(max(1.0, BAR_MM * length)),
                    height=Mm(BAR_HEIGHT * 0.25),
                )

    def _table(self, word, table: Table, language: str) -> None:
        rows = [*table.rows, *([table.total] if table.total else [])]
        grid = word.add_table(rows=1 + len(rows), cols=len(table.columns))
        grid.style = "Table Grid"
        if self.rtl:
            grid._tbl.tblPr.append(OxmlElement("w:bidiVisual"))
        _row_flags(grid.rows[0], header=True)
        for index, column in enumerate(table.columns):
            cell = grid.rows[0].cells[index]
            run = cell.paragraphs[0].add_run(column.label)
            run.bold, run.font.size = True, Pt(11)
            self._finish(cell.paragraphs[0])
        for r, row in enumerate(rows, start=1):
            _row_flags(grid.rows[r], header=False)
            cells = grid.rows[r].cells
            total = table.total is not None and r == len(rows)
            for c, value in enumerate(row):
                paragraph = cells[c].paragraphs[0]
                run = paragraph.add_run(as_text(value, table.kind_of(c, value), language))
                run.font.size, run.bold = Pt(11), total
                self._finish(paragraph)
                if table.kind_of(c, value) != "text" and not self.rtl:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if not rows:
            grid.add_row()
            merged = grid.rows[1].cells[0].merge(grid.rows[1].cells[-1])
            merged.paragraphs[0].add_run(_no_figures(language)).italic = True


def _no_figures(language: str) -> str:
    from django.utils import translation
    from django.utils.translation import gettext as _

    with translation.override(language):
        return _("No figures for this period.")
