"""Downloadable XLSX templates: the columns of an import, in the reader's language.

The first sheet is where the data goes (headers only, so nothing in it is imported by mistake);
catalogue columns carry a drop-down of the allowed values. The second sheet explains every
column with an example row; a hidden third sheet holds the drop-down lists. The same writer
fills the data sheet with existing initiatives, so an exported list imports back as it is.
"""

import io
from collections.abc import Iterable

import xlsxwriter
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from danvan.accounts.models import Role
from danvan.areas.models import AreaKind
from danvan.imports.kinds import IMPORTERS
from danvan.imports.kinds.awards import COLUMNS as AWARD_COLUMNS
from danvan.imports.kinds.awards import SHEET as AWARDS_SHEET
from danvan.imports.kinds.awards import STAGES as AWARD_STAGES
from danvan.imports.kinds.evaluations import COLUMNS as EVALUATION_COLUMNS
from danvan.imports.kinds.evaluations import SHEET as EVALUATIONS_SHEET
from danvan.imports.reading import Column
from danvan.initiatives.catalogues import ContributionKind, ContributorType, Field
from danvan.initiatives.lifecycle import ARCHIVE_STATUSES
from danvan.initiatives.models import Indicator, Initiative
from danvan.orgs.models import OrgKind
from danvan.review.models import (
    AwardForm,
    AwardTitle,
    RecipientKind,
    RecipientRole,
    RecognitionLevel,
)

DATA_ROWS_WITH_LISTS = 100_000
# The catalogue behind each drop-down: its (code, label) pairs. A column whose ``choices``
# name only some codes (the kinds of unit below a commune) lists only those.
CHOICES = {
    ("initiatives", "field"): Field.choices,
    ("contributions", "kind"): ContributionKind.choices,
    ("contributions", "contributor_type"): ContributorType.choices,
    ("organisations", "kind"): OrgKind.choices,
    ("villages", "kind"): AreaKind.choices,
    ("users", "language"): settings.LANGUAGES,
    ("users", "role"): Role.choices,
    ("awards", "level"): RecognitionLevel.choices,
    ("awards", "stage"): AWARD_STAGES,
    ("awards", "recipient_kind"): RecipientKind.choices,
    ("awards", "recipient_role"): RecipientRole.choices,
    ("evaluations", "evaluation_level"): RecognitionLevel.choices,
}


def _quoted(sheet: str) -> str:
    """A sheet's name as a formula names it: quoted, so spaces and any script are safe."""
    return "'" + sheet.replace("'", "''") + "'"


def _choice_labels(kind: str, column: Column) -> list[str]:
    choices = CHOICES.get((kind, column.key))
    if choices is not None:
        labels = dict(choices)
        return [str(labels[code]) for code in column.choices or labels]
    if (kind, column.key) == ("results", "indicator"):
        return list(Indicator.objects.order_by("code").values_list("code", flat=True))
    if (kind, column.key) in {("awards", "award_title"), ("awards", "award_form")}:
        model = AwardTitle if column.key == "award_title" else AwardForm
        return [str(entry) for entry in model.objects.order_by("code")]
    return []


def _initiative_row(initiative: Initiative) -> list:
    return [
        initiative.code,
        initiative.title,
        str(initiative.get_field_display()),
        initiative.organisation.code,
        initiative.year,
        initiative.area.code,
        initiative.area.name,
        initiative.start_date,
        initiative.end_date,
        initiative.summary,
        initiative.people_in_charge,
        # Where it stands, as an archive would give it: only the states a file may bring back.
        str(initiative.get_status_display()) if initiative.status in ARCHIVE_STATUSES else "",
        str(initiative.get_registration_kind_display()),
        initiative.continued_from.code if initiative.continued_from_id else "",
        _("yes") if initiative.exemplary else "",
        initiative.replicated_from.code if initiative.replicated_from_id else "",
    ]


def workbook(
    kind: str, *, language: str | None = None, initiatives: Iterable[Initiative] = ()
) -> bytes:
    """Return the template of ``kind`` as XLSX bytes; for initiatives, optionally with rows."""
    columns = IMPORTERS[kind].columns
    buffer = io.BytesIO()
    with translation.override(language or translation.get_language()):
        book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
        header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        required = book.add_format(
            {"bold": True, "bg_color": "#FCE4D6", "border": 1, "font_color": "#9C0006"}
        )
        dates = book.add_format({"num_format": "dd/mm/yyyy"})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        data = book.add_worksheet(_("Data"))
        # An archive's awards and evaluations: further data sheets, found by their names in
        # any language.
        awards = book.add_worksheet(str(AWARDS_SHEET)) if kind == "initiatives" else None
        grades = book.add_worksheet(str(EVALUATIONS_SHEET)) if kind == "initiatives" else None
        guide = book.add_worksheet(_("Instructions"))
        # The drop-downs' hidden sheet is named in the reader's language too (a person may
        # unhide it); its name is always quoted in the formulas that point at it.
        lists_name = _("Lists")
        lists = book.add_worksheet(lists_name)
        lists.hide()
        data.freeze_panes(1, 0)
        list_column = 0
        listed: dict[tuple, str] = {}  # a list's labels → its column on the lists sheet
        sheets = [(data, kind, columns)]
        if awards is not None:
            awards.freeze_panes(1, 0)
            sheets.append((awards, "awards", AWARD_COLUMNS))
        if grades is not None:
            grades.freeze_panes(1, 0)
            sheets.append((grades, "evaluations", EVALUATION_COLUMNS))
        for sheet, sheet_kind, position, column in (
            (sheet, sheet_kind, position, column)
            for sheet, sheet_kind, sheet_columns in sheets
            for position, column in enumerate(sheet_columns)
        ):
            sheet.write(0, position, column.header(), required if column.required else header)
            is_date = column.key.endswith("date") or column.key.startswith("period_")
            sheet.set_column(
                position, position, 22 if not is_date else 14, dates if is_date else None
            )
            labels = _choice_labels(sheet_kind, column)
            if labels:
                # Two columns of the same catalogue (the levels) share one list.
                if tuple(labels) not in listed:
                    lists.write_column(0, list_column, labels)
                    listed[tuple(labels)] = xlsxwriter.utility.xl_col_to_name(list_column)
                    list_column += 1
                letter = listed[tuple(labels)]
                sheet.data_validation(
                    1,
                    position,
                    DATA_ROWS_WITH_LISTS,
                    position,
                    {
                        "validate": "list",
                        "source": f"={_quoted(lists_name)}!${letter}$1:${letter}${len(labels)}",
                        "error_type": "warning",
                    },
                )
        if kind == "initiatives":
            for number, initiative in enumerate(initiatives, start=1):
                for position, value in enumerate(_initiative_row(initiative)):
                    if value is None or value == "":
                        continue
                    if hasattr(value, "isoformat"):
                        data.write_datetime(number, position, value, dates)
                    elif isinstance(value, int):
                        data.write_number(number, position, value)
                    else:
                        data.write_string(number, position, str(value))
        _write_guide(guide, kind, columns, header, wrap)
        if awards is not None:
            _write_awards_guide(guide, header, wrap)
        if grades is not None:
            _write_evaluations_guide(guide, header, wrap)
        book.close()
    return buffer.getvalue()


def _write_guide(sheet, kind: str, columns: list[Column], header, wrap) -> None:
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 12)
    sheet.set_column(2, 2, 70)
    sheet.set_column(3, 3, 24)
    sheet.write(0, 0, _("How to fill in this file"), header)
    lines = [
        _("Fill in the first sheet, one row per record, from the second row on."),
        _(
            "Keep the header row. Columns may be in any order; headers in Vietnamese, "
            "English or Arabic are understood."
        ),
        _(
            "Write values, not formulas, and do not merge cells. Dates as dd/mm/yyyy; numbers "
            "as you usually write them (1.234.567,5 or 1,234,567.5); money in whole đồng."
        ),
        _(
            "Upload the file: it is first checked without changing anything, and you see "
            "every problem by row and column before you apply it."
        ),
    ]
    for offset, line in enumerate(lines, start=1):
        sheet.write(offset, 0, line)
    top = len(lines) + 2
    for position, title in enumerate(
        [_("Column"), _("Required"), _("What to write"), _("Example")]
    ):
        sheet.write(top, position, title, header)
    for offset, column in enumerate(columns, start=1):
        labels = _choice_labels(kind, column)
        help_text = str(column.help)
        if labels:
            help_text = (help_text + " " if help_text else "") + _("One of: %(values)s.") % {
                "values": "; ".join(labels[:30])
            }
        sheet.write(top + offset, 0, column.header())
        sheet.write(top + offset, 1, _("yes") if column.required else "")
        sheet.write(top + offset, 2, help_text, wrap)
        sheet.write_string(top + offset, 3, str(column.example))
    example_top = top + len(columns) + 2
    sheet.write(example_top, 0, _("Example row"), header)
    for position, column in enumerate(columns):
        sheet.write(example_top + 1, position, column.header(), header)
        sheet.write_string(example_top + 2, position, str(column.example))


def _write_sheet_guide(sheet, header, wrap, kind: str, title: str, intro: str, columns) -> None:
    """A further data sheet's columns, under the guide written so far."""
    top = sheet.dim_rowmax + 3
    sheet.write(top, 0, title, header)
    sheet.write(top + 1, 0, intro)
    for offset, column in enumerate(columns, start=2):
        labels = _choice_labels(kind, column)
        help_text = str(column.help)
        if labels:
            help_text = (help_text + " " if help_text else "") + _("One of: %(values)s.") % {
                "values": "; ".join(labels[:30])
            }
        sheet.write(top + offset, 0, column.header())
        sheet.write(top + offset, 1, _("yes") if column.required else "")
        sheet.write(top + offset, 2, help_text, wrap)
        sheet.write_string(top + offset, 3, str(column.example))


def _write_awards_guide(sheet, header, wrap) -> None:
    """The awards sheet's columns, under the first sheet's guide."""
    _write_sheet_guide(
        sheet,
        header,
        wrap,
        "awards",
        _("The awards sheet"),
        _(
            "For an archive: one row per step of a model's recognition (recognised at a level, "
            "nominated to the next level, commended), with its decision. A model recognised at "
            "two levels takes two rows; the lower one is nominated to the higher one."
        ),
        AWARD_COLUMNS,
    )


def _write_evaluations_guide(sheet, header, wrap) -> None:
    """The evaluations sheet's columns, under the awards sheet's guide."""
    _write_sheet_guide(
        sheet,
        header,
        wrap,
        "evaluations",
        _("The evaluations sheet"),
        _(
            "For an archive: one row per grade a commission gave a model (its level, the day, "
            "the grade, and the total points when known), without the scores of each "
            "criterion. The model shows it as an evaluation from the archive."
        ),
        EVALUATION_COLUMNS,
    )
