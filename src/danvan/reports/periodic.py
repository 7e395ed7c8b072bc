"""The periodic report as a document: its title, the narrative and one table per breakdown."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from danvan.areas.models import CodeScheme
from danvan.core.formats import format_date
from danvan.initiatives.catalogues import Aggregation, Field, Unit
from danvan.orgs.models import OrgKind
from danvan.reports.document import Cell, Chart, Column, Document, Table
from danvan.reports.figures import PeriodicFigures
from danvan.reports.models import PeriodKind
from danvan.reports.narrative import indicator_name, level_phrase, narrative, scope_name
from danvan.reports.wording import prose_date
from danvan.review.models import LEVEL_ORDER, RecognitionLevel
from danvan.stats.models import AS_WAS


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def title_of(period_kind: str, year: int) -> str:
    titles = {
        PeriodKind.SIX_MONTHS: _("Six-month report %(year)s"),
        PeriodKind.NINE_MONTHS: _("Nine-month report %(year)s"),
        PeriodKind.ANNUAL: _("Annual report %(year)s"),
    }
    return titles.get(period_kind, _("Report %(year)s")) % {"year": year}


def _counts_columns(first: str) -> list[Column]:
    return [
        Column(first),
        Column(_("Initiatives"), "count"),
        Column(_("New"), "count"),
        Column(_("Continued"), "count"),
        Column(_("Built"), "count"),
        Column(_("Replicated"), "count"),
        Column(_("Exemplary"), "count"),
    ]


COUNTS = ("initiatives", "new", "continued", "built", "replicated", "exemplary")


def _counts_row(name: str, row: dict) -> list:
    return [name, *(row[measure] for measure in COUNTS)]


def _ledger_columns(first: str) -> list[Column]:
    return [
        Column(first),
        Column(_("Money (VND)"), "money"),
        Column(_("Land (m²)"), "quantity"),
        Column(_("Labour (person-days)"), "quantity"),
        Column(_("Assets and materials (VND)"), "money"),
        Column(_("Households taking part"), "count"),
        Column(_("People taking part"), "count"),
    ]


LEDGER = ("money", "land", "labour", "in_kind", "households", "people")


def _ledger_row(name: str, row: dict) -> list:
    return [name, *(row[measure] for measure in LEDGER)]


def result_cell(figure: dict) -> Cell:
    kind = "percent" if figure["unit"] == Unit.PERCENT else "decimal"
    return Cell(figure["value"], kind)


def awards_table(figures: PeriodicFigures) -> Table:
    """Recognition by level (rows, lowest first): models proposed at the level (nominations
    from below included), recognised there, proposed to the next level; collectives and
    individuals recognised there. The total row counts each model, collective and person once,
    whatever levels they reached, so it is the distinct figure, not the column's sum.
    """
    table = Table(
        _("Awards by level"),
        [
            Column(_("Level")),
            Column(_("Models proposed"), "count"),
            Column(_("Models recognised"), "count"),
            Column(_("Proposed to the next level"), "count"),
            Column(_("Collectives recognised"), "count"),
            Column(_("Individuals recognised"), "count"),
        ],
    )
    recognition = figures.recognition
    table.rows = [
        [
            _label(RecognitionLevel, row["level"]),
            row["proposed"],
            row["recognised"],
            row["nominated"],
            row["collectives"],
            row["individuals"],
        ]
        for row in recognition["levels"]
    ]
    if table.rows:
        totals = recognition["totals"]
        table.total = [
            _("At some level, each once"),
            None,
            totals["recognised"],
            None,
            totals["collectives"],
            totals["individuals"],
        ]
    return table


def awards_by_org_kind_table(figures: PeriodicFigures) -> Table:
    """The models recognised at each level, by kind of registering organisation."""
    rows = figures.recognition["by_org_kind"]
    levels = [level for level in LEVEL_ORDER if any(row["level"] == level for row in rows)]
    table = Table(
        _("Models recognised by kind of organisation"),
        [Column(_("Organisation")), *(Column(str(level.label), "count") for level in levels)],
    )
    cells = {(row["org_kind"], row["level"]): row["recognised"] for row in rows}
    for kind in dict.fromkeys(row["org_kind"] for row in rows):
        table.rows.append(
            [_label(OrgKind, kind), *(cells.get((kind, level.value), 0) for level in levels)]
        )
    return table


def grades_table(figures: PeriodicFigures) -> Table:
    """The evaluation grades per level: models by the grade of their latest evaluation there."""
    table = Table(
        _("Evaluation grades"),
        [Column(_("Level")), Column(_("Grade")), Column(_("Models"), "count")],
    )
    table.rows = [
        [
            _label(RecognitionLevel, row["level"]) if row["level"] else _("Not recorded"),
            row["grade"] or _("No grade"),
            row["initiatives"],
        ]
        for row in figures.grades
    ]
    return table


def recognition_key_rows(figures: PeriodicFigures) -> list[list]:
    """The key-figures rows of recognition, in the narrative's order: per level, the models
    proposed (above the lowest level) and recognised; then collectives and individuals."""
    rows = []
    for index, row in enumerate(figures.recognition["levels"]):
        where = level_phrase(row["level"])
        if index:
            rows.append([_("Models proposed %(level)s") % {"level": where}, row["proposed"]])
        rows.append([_("Models recognised %(level)s") % {"level": where}, row["recognised"]])
    totals = figures.recognition["totals"]
    rows.append([_("Initiatives recognised"), totals.get("recognised", 0)])
    if figures.recognition["levels"]:
        rows.append([_("Collectives recognised"), totals["collectives"]])
        rows.append([_("Individuals recognised"), totals["individuals"]])
    return rows


def periodic_document(
    figures: PeriodicFigures, *, language: str, period_kind: str, money_style: str = "millions"
) -> Document:
    """Lay out ``figures`` as the periodic report, in ``language``; the narrative writes money
    in ``money_style`` (``models.MoneyStyle``), as the unit's published reports do."""
    with translation.override(language):
        return _document(figures, language, period_kind, money_style)


def boundary_lines(figures: PeriodicFigures) -> list[str]:
    """Say how the report reads boundaries, in the dashboard's words: the mode (and that it
    was chosen for the requester when they left it), the units it counts on, and why when the
    year falls outside the picked unit's life. Without this a reader cannot tell a cumulative
    figure of the legacy units from one of today's."""
    reading = figures.reading
    line = (
        _("Boundaries: units as they were at the time")
        if figures.mode == AS_WAS
        else _("Boundaries: restated on today's units")
    )
    if reading is not None and not reading.chosen:
        line += " " + _("(chosen for you: the way that answers this year for this unit)")
    if reading is not None and reading.units:
        line += " — " + _("counted on: %(units)s") % {
            "units": ", ".join(_unit_name(unit) for unit in reading.units)
        }
    lines = [line]
    if reading is not None and reading.note:
        lines.append(reading.note)
    return lines


def _unit_name(unit) -> str:
    """A unit's name, marked when it is one of the units before the 2025 reform (today's
    Quảng Ninh and the legacy one share a name)."""
    if unit.scheme == CodeScheme.LEGACY:
        before = _("before 1 July 2025")
        return f"{unit.name} ({before})"
    return unit.name


def _document(
    figures: PeriodicFigures, language: str, period_kind: str, money_style: str
) -> Document:
    document = Document(
        title=title_of(period_kind, figures.year),
        language=language,
        lines=[
            _("The “Skilled Mass Mobilization” movement — %(scope)s")
            % {"scope": scope_name(figures)},
            _("Period: %(start)s to %(cutoff)s (figures to the cut-off)")
            % {
                "start": prose_date(figures.start, language),
                "cutoff": prose_date(figures.cutoff, language),
            },
            *boundary_lines(figures),
            # Vietnamese says "Lập ngày 05/12/2026": the sentence has its own "ngày".
            _("Produced on %(date)s")
            % {
                "date": format_date(timezone.localdate(), language)
                if language == "vi"
                else prose_date(timezone.localdate(), language)
            },
        ],
        narrative=narrative(figures, language, money_style=money_style),
    )
    totals = figures.totals
    key = Table(
        _("Key figures %(year)s") % {"year": figures.year},
        [Column(_("Figure")), Column(_("Value"), "count")],
    )
    key.rows = [
        [_("Registering units and agencies"), figures.units],
        [_("Initiatives registered"), totals["initiatives"]],
        [_("New initiatives"), totals["new"]],
        [_("Continued from earlier years"), totals["continued"]],
        [_("Built where they are"), totals["built"]],
        [_("Replicated from elsewhere"), totals["replicated"]],
        [_("Exemplary initiatives"), totals["exemplary"]],
        *recognition_key_rows(figures),
    ]
    document.tables.append(key)

    by_field = Table(_("Initiatives by field"), _counts_columns(_("Field")))
    by_field.rows = [_counts_row(_label(Field, r["field"]), r) for r in figures.by_field]
    by_field.total = _counts_row(_("Total"), totals)
    document.tables.append(by_field)

    by_org = Table(_("Initiatives by kind of organisation"), _counts_columns(_("Organisation")))
    by_org.rows = [_counts_row(_label(OrgKind, r["org_kind"]), r) for r in figures.by_org_kind]
    by_org.total = _counts_row(_("Total"), totals)
    document.tables.append(by_org)

    by_level = Table(_("Initiatives by unit"), _counts_columns(_("Unit")))
    rows = [
        _counts_row(figures.level_names.get(r["area_id"], str(r["area_id"])), r)
        for r in figures.by_level
    ]
    by_level.rows = sorted(
        rows,
        key=lambda row: (row[0] == figures.level_names.get(None), row[0]),
    )
    document.tables.append(by_level)

    ledger = Table(
        _("Contributions from %(start)s to %(cutoff)s")
        % {
            "start": prose_date(figures.start, language),
            "cutoff": prose_date(figures.cutoff, language),
        },
        _ledger_columns(_("Field")),
    )
    ledger.rows = [
        _ledger_row(_label(Field, r["field"]), r) for r in figures.contributions_by_field
    ]
    ledger.total = _ledger_row(_("Total"), figures.contributions)
    document.tables.append(ledger)

    results = Table(
        _("Results in %(year)s") % {"year": figures.cutoff.year},
        [
            Column(_("Indicator")),
            Column(_("Value"), "decimal"),
            Column(_("Unit")),
            Column(_("Combined as")),
            Column(_("Results recorded"), "count"),
        ],
    )
    results.rows = [
        [
            indicator_name(r, language),
            result_cell(r),
            "" if r["unit"] == Unit.PERCENT else _label(Unit, r["unit"]),
            _label(Aggregation, r["aggregation"]),
            r["count"],
        ]
        for r in figures.results
    ]
    document.tables.append(results)
    document.tables.append(awards_table(figures))
    if figures.recognition["by_org_kind"]:
        document.tables.append(awards_by_org_kind_table(figures))
    if figures.grades:
        document.tables.append(grades_table(figures))

    cumulative = figures.cumulative
    since = Table(
        _("Built and replicated since %(since)s") % {"since": cumulative["since"]},
        _counts_columns(_("Field")),
    )
    since.rows = [_counts_row(_label(Field, r["field"]), r) for r in cumulative["rows"]]
    since.total = _counts_row(_("Total"), cumulative["total"])
    document.tables.append(since)

    by_year = Table(_("Initiatives by year"), _counts_columns(_("Year")))
    by_year.rows = [_counts_row(str(r["year"]), r) for r in figures.by_year]
    document.tables.append(by_year)

    document.charts = [
        Chart(
            _("Initiatives by field, %(year)s") % {"year": figures.year},
            [(_label(Field, r["field"]), r["initiatives"]) for r in figures.by_field],
        ),
        Chart(
            _("Initiatives by year since %(since)s") % {"since": cumulative["since"]},
            [(str(r["year"]), r["initiatives"]) for r in figures.by_year],
        ),
    ]
    return document
