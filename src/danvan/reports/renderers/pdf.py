"""PDF through WeasyPrint, from the ``reports/periodic.html`` template: ``<html lang dir>`` from
the language, the official form (A4, margins, header block, signature, recipients) when the
document has a letterhead, Times New Roman or the first metric-compatible serif the system has
(``official_form.PDF_FONTS``), charts as inline SVG, and no resource fetched from anywhere. A
table row never splits across pages: its label stays with its numbers."""

from django.template.loader import render_to_string
from django.utils import translation

from danvan.reports import official_form
from danvan.reports.document import Document, as_text
from danvan.reports.renderers import Renderer, register
from danvan.reports.renderers.charts import bar_chart


def _refuse_fetch(url: str, *args, **kwargs):
    """Nothing in a report comes from outside it; a stray URL fails rather than leaks."""
    raise ValueError(f"reports fetch no resources ({url})")


def html_of(document: Document) -> str:
    """Return the HTML the PDF is printed from (tests read it for ``dir`` and ``lang``)."""
    language = document.language
    tables = [
        {
            "title": table.title,
            "columns": table.columns,
            "rows": [
                [
                    {
                        "text": as_text(value, table.kind_of(index, value), language),
                        "number": table.kind_of(index, value) != "text",
                    }
                    for index, value in enumerate(row)
                ]
                for row in table.rows
            ],
            "total": [
                {
                    "text": as_text(value, table.kind_of(index, value), language),
                    "number": table.kind_of(index, value) != "text",
                }
                for index, value in enumerate(table.total)
            ]
            if table.total
            else None,
        }
        for table in document.tables
    ]
    charts = [
        {"title": chart.title, "rows": bar_chart(chart.bars, language=language, rtl=document.rtl)}
        for chart in document.charts
        if chart.bars
    ]
    with translation.override(language):
        return render_to_string(
            "reports/periodic.html",
            {
                "document": document,
                "tables": tables,
                "charts": charts,
                "language": language,
                "direction": "rtl" if document.rtl else "ltr",
                "official": official_form.html_parts(document.letterhead)
                if document.letterhead
                else None,
                "page_css": official_form.PAGE_CSS,
                "fonts": official_form.PDF_FONTS,
            },
        )


@register
class PdfRenderer(Renderer):
    format = "pdf"
    content_type = "application/pdf"
    extension = "pdf"

    def render(self, document: Document) -> bytes:
        from weasyprint import HTML

        return HTML(string=html_of(document), url_fetcher=_refuse_fetch).write_pdf()
