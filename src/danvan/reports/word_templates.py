"""A commission's own Word template for the periodic report, filled in with docxtpl.

A unit uploads a .docx written as it writes its reports, with placeholders where the figures,
the tables and the narrative go (``{{ figures.initiatives }}``, ``{% for p in narrative %}``…);
the report is then its template, filled in. The placeholders are :data:`PLACEHOLDERS`, listed
for users in docs/reports.md. A template is checked when it is uploaded (a file that is not a
Word document, a Jinja syntax error, a placeholder that does not exist, a template that fails
to fill in) and refused with a message saying which; nothing is saved then.

Templates are written by users, so they are filled in a sandboxed Jinja environment (no access
to Python internals) that escapes every value for Word's XML.
"""

import contextlib
import io
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from danvan.reports import official_form
from danvan.reports.document import Document, as_text

# What a template may use, top level. Each is documented in docs/reports.md.
PLACEHOLDERS = {
    "title": _lazy("the report's title (“Báo cáo năm 2024”)"),
    "lines": _lazy("the lines saying what the report covers: scope, period, boundaries"),
    "narrative": _lazy("the summary, a list of paragraphs"),
    "summary": _lazy("the summary as one text, paragraphs separated by blank lines"),
    "figures": _lazy("the key figures, by name, written for the language (figures.initiatives…)"),
    "tables": _lazy("every table: title, columns (labels), rows and total (lists of texts)"),
    "charts": _lazy("every chart: title and bars (label, value)"),
    "issuer_lines": _lazy("the issuing body's lines, from the top"),
    "issuer": _lazy("the issuing body (the last of its lines)"),
    "national": _lazy("the national title lines (Party's name, or State title and motto)"),
    "number": _lazy("the document's number (empty when left to the clerk)"),
    "symbol": _lazy("the document's symbol (BC/BDVTU)"),
    "number_line": _lazy("“Số 12-BC/BDVTU” as written on the form"),
    "place_date": _lazy("“Quảng Ninh, ngày 05 tháng 12 năm 2026”"),
    "kind": _lazy("the kind of document (BÁO CÁO)"),
    "subject": _lazy("the document's summary line under its kind"),
    "authority": _lazy("the signing authority (T/M BAN DÂN VẬN)"),
    "position": _lazy("the signatory's position (TRƯỞNG BAN)"),
    "signatory": _lazy("the signatory's name"),
    "recipients": _lazy("the recipients, a list"),
}
# Upload limits: a template is a small document; a larger file (or one that unpacks to a much
# larger one) is refused before anything parses it.
MAX_UPLOAD = 5 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True)


def template_context(document: Document) -> dict:
    """Everything a template may show, as text written for the report's language."""
    language = document.language
    letterhead = document.letterhead or official_form.Letterhead(language=language)
    parts = official_form.html_parts(letterhead)
    tables = []
    for table in document.tables:

        def cells(row, table=table):
            return [
                as_text(value, table.kind_of(i, value), language) for i, value in enumerate(row)
            ]

        tables.append(
            {
                "title": table.title,
                "columns": [column.label for column in table.columns],
                "rows": [cells(row) for row in table.rows],
                "total": cells(table.total) if table.total else [],
            }
        )
    charts = [
        {
            "title": chart.title,
            "bars": [
                {"label": label, "value": as_text(value, "count", language)}
                for label, value in chart.bars
            ],
        }
        for chart in document.charts
    ]
    return {
        "title": document.title,
        "lines": list(document.lines),
        "narrative": list(document.narrative),
        "summary": "\n\n".join(document.narrative),
        "figures": dict(document.figures),
        "tables": tables,
        "charts": charts,
        "issuer_lines": list(letterhead.issuer_lines),
        "issuer": parts["issuer"],
        "national": parts["national"],
        "number": letterhead.number,
        "symbol": letterhead.symbol,
        "number_line": parts["number"],
        "place_date": parts["place_date"],
        "kind": parts["kind"],
        "subject": letterhead.summary,
        "authority": parts["authority"],
        "position": parts["position"],
        "signatory": letterhead.signatory,
        "recipients": parts["recipients"],
    }


def _read(file) -> bytes:
    if hasattr(file, "open"):
        file.open("rb")
    with contextlib.suppress(AttributeError, OSError):
        file.seek(0)
    return file.read()


def render_template(file, document: Document) -> bytes:
    """Fill in the template ``file`` (a stored file or any file object) with ``document``."""
    from docxtpl import DocxTemplate

    template = DocxTemplate(io.BytesIO(_read(file)))
    template.render(template_context(document), jinja_env=_environment(), autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def check_template(file) -> None:
    """Refuse a template that cannot be used, with a message saying why.

    It must be a Word document (.docx) of reasonable size, its placeholders must parse and
    name only :data:`PLACEHOLDERS`, and it must fill in with a report's shape.
    """
    from docxtpl import DocxTemplate

    name = getattr(file, "name", "") or ""
    size = getattr(file, "size", None)
    if not name.lower().endswith(".docx"):
        raise ValidationError(_("Upload a Word document (.docx)."), code="format")
    if size is not None and size > MAX_UPLOAD:
        raise ValidationError(_("The template is larger than 5 MB."), code="size")
    content = _read(file)
    if len(content) > MAX_UPLOAD:
        raise ValidationError(_("The template is larger than 5 MB."), code="size")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if "word/document.xml" not in archive.namelist():
                raise zipfile.BadZipFile("no word/document.xml")
    except zipfile.BadZipFile as error:
        raise ValidationError(
            _("This file is not a Word document (.docx) or it is damaged."), code="format"
        ) from error
    if unpacked > MAX_UNPACKED:
        raise ValidationError(_("The template is larger than 5 MB."), code="size")
    try:
        template = DocxTemplate(io.BytesIO(content))
        used = template.get_undeclared_template_variables(jinja_env=_environment())
    except TemplateError as error:
        raise ValidationError(
            _("A placeholder of the template is not written correctly: %(error)s")
            % {"error": getattr(error, "message", None) or str(error)},
            code="syntax",
        ) from error
    except Exception as error:  # python-docx's own failures on a damaged package
        raise ValidationError(
            _("This file is not a Word document (.docx) or it is damaged."), code="format"
        ) from error
    unknown = sorted(used - PLACEHOLDERS.keys())
    if unknown:
        raise ValidationError(
            _("The template uses placeholders that do not exist: %(names)s.")
            % {"names": ", ".join(unknown)},
            code="unknown",
        )
    try:
        render_template(io.BytesIO(content), _sample())
    except TemplateError as error:
        raise ValidationError(
            _("The template could not be filled in: %(error)s")
            % {"error": getattr(error, "message", None) or str(error)},
            code="render",
        ) from error


def _sample() -> Document:
    """A report's shape with its parts empty, to try a template on."""
    from danvan.reports.document import Chart, Column, Table

    return Document(
        title="",
        language="vi",
        lines=[""],
        narrative=[""],
        tables=[Table("", [Column(""), Column("", "count")], [["", 0]], ["", 0])],
        charts=[Chart("", [("", 0)])],
        letterhead=official_form.Letterhead(),
    )


# The key figures a template reads as ``figures.<name>``: counts of the year, what residents
# contributed in the period, and the cumulative total.
FIGURE_NAMES = (
    "year",
    "units",
    "initiatives",
    "new",
    "continued",
    "built",
    "replicated",
    "exemplary",
    "money",
    "land",
    "labour",
    "in_kind",
    "households",
    "people",
    "contributors",
    "since",
    "since_total",
)


def figure_values(figures, language: str, money_style: str) -> dict:
    """The key figures of a periodic report (``PeriodicFigures``), written for ``language``."""
    from danvan.core.formats import format_number
    from danvan.reports.narrative import taking_part_words
    from danvan.reports.wording import prose_money

    totals, given = figures.totals, figures.contributions
    values = {
        "year": str(figures.year),
        "units": format_number(figures.units, language),
        **{name: format_number(totals[name], language) for name in FIGURE_NAMES[2:8]},
        "money": prose_money(given["money"], language, money_style),
        "land": format_number(given["land"], language),
        "labour": format_number(given["labour"], language),
        "in_kind": prose_money(given["in_kind"], language, money_style),
        "households": format_number(given["households"], language),
        "people": format_number(given["people"], language),
        # Both, said apart ("120 hộ và 35 người"): never one sum of households and people.
        "contributors": taking_part_words(given, language),
        "since": str(figures.cumulative["since"]),
        "since_total": format_number(figures.cumulative["total"]["initiatives"], language),
    }
    return values
