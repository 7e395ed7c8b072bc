"""The neutral shape every renderer writes: a title, lines saying what it covers, the
narrative, tables of typed cells and bar charts.

Builders (``periodic.py``, ``exporters.py``) fill it in the report's language; renderers
(``renderers/``) only lay it out, so DOCX, PDF, XLSX and CSV cannot disagree on a figure.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from danvan.core.formats import format_date, format_money, format_number, format_percent

# Kinds of values a cell holds, and so how it is written: ``count`` (whole number of things),
# ``money`` (whole VND), ``quantity`` (m², person-days: whole numbers with a unit in the
# header), ``decimal`` (a measured result), ``percent`` (given in percent: 87.5), ``date``,
# ``text``.
KINDS = ("text", "count", "money", "quantity", "decimal", "percent", "date")


@dataclass
class Column:
    label: str
    kind: str = "text"


@dataclass
class Cell:
    """A value whose kind differs from its column's (results: each indicator its own unit)."""

    value: object
    kind: str


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    total: list | None = None

    def kind_of(self, index: int, value) -> str:
        return value.kind if isinstance(value, Cell) else self.columns[index].kind


@dataclass
class Chart:
    title: str
    bars: list[tuple[str, int]]


@dataclass
class Document:
    title: str
    language: str
    lines: list[str] = field(default_factory=list)
    narrative: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    # The official form around the body (``official_form.Letterhead``): the periodic report
    # has one, a list export none.
    letterhead: object | None = None
    # The key figures a unit's own Word template reads by name (``templates.PLACEHOLDERS``).
    figures: dict = field(default_factory=dict)
    # A unit's own Word template (a stored file), which the DOCX renderer fills in instead of
    # laying out the built-in form.
    word_template: object | None = None

    @property
    def rtl(self) -> bool:
        return self.language == "ar"


def raw(value):
    """Return the value a cell holds, unwrapped."""
    return value.value if isinstance(value, Cell) else value


def as_text(value, kind: str, language: str) -> str:
    """Write one cell for a reader of ``language`` (Word, PDF, narrative)."""
    value = raw(value)
    if value is None or value == "":
        return ""
    if kind == "money":
        return format_money(value, language)
    if kind in {"count", "quantity", "decimal"}:
        return format_number(value, language)
    if kind == "percent":
        return format_percent(value, language)
    if kind == "date" and isinstance(value, datetime.date):
        return format_date(value, language)
    if isinstance(value, Decimal):
        return format_number(value, language)
    return str(value)
