"""An archive's evaluations: the third data sheet of the initiatives workbook.

Each row is the grade a commission gave a model in a past year: the commission's level, the
day, the grade (and the total points when the archive has them), without the scores of each
criterion. The model is named as on the awards sheet: by its code or, with its organisation
and year, by its title; a model the first sheet of the same file registers counts.

The grades are checked and written together by ``review.archive`` with the evaluation
service's rules (who may evaluate the model, a model that can be evaluated, the level), as
evaluations from the archive: shown so on the model's page and counted in the grades per
level under the day they were given. A grade already there (same model, level, day and grade)
is left as it is: importing the same file again changes nothing. Nobody is notified.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from danvan.imports.cells import Catalogue, CellError, parse_date, parse_number, parse_text
from danvan.imports.kinds.awards import AwardImporter
from danvan.imports.reading import Column, Row
from danvan.imports.rows import CREATE, NON_FIELD, UNCHANGED
from danvan.initiatives.models import Initiative
from danvan.review.archive import (
    ArchivedGrade,
    evaluations_archive,
    evaluations_archive_check,
    grade_key,
    stored_grades,
)
from danvan.review.models import RecognitionLevel

# The sheet's name, matched in every language.
SHEET = _lazy("Evaluations")

COLUMNS = [
    Column(
        "evaluated_model",
        _lazy("evaluated model"),
        required=True,
        help=_lazy(
            "The model's code, or its title as on the first sheet (then give its organisation "
            "and year too)."
        ),
        example="Thắp sáng đường quê",
    ),
    Column(
        "evaluated_model_organisation",
        _lazy("evaluated model's organisation"),
        help=_lazy("The organisation's code or exact name, when the model is named by title."),
        example="ORG-000123",
    ),
    Column("evaluated_model_year", _lazy("evaluated model's year"), example="2019"),
    Column(
        "evaluation_level",
        _lazy("evaluating commission's level"),
        required=True,
        choices=tuple(RecognitionLevel.values),
        example="district",
    ),
    Column(
        "evaluation_date",
        _lazy("evaluation date"),
        required=True,
        help=_lazy("dd/mm/yyyy"),
        example="15/12/2019",
    ),
    Column(
        "grade",
        _lazy("grade"),
        required=True,
        help=_lazy("The grade the commission gave, as it wrote it (e.g. Excellent, Good)."),
        example="Xuất sắc",
    ),
    Column(
        "total_points",
        _lazy("total points"),
        help=_lazy("Optional: the total out of 100, when the archive gives it."),
        example="92",
    ),
]

# The service's field names → the sheet's columns.
FIELDS = {
    "level": "evaluation_level",
    "created_at": "evaluation_date",
    "grade": "grade",
    "total": "total_points",
    "status": "evaluated_model",
    "initiative": "evaluated_model",
    "archived": NON_FIELD,
}


def _points(raw, *, language: str) -> Decimal:
    total = parse_number(raw, language=language)
    if not Decimal(0) <= total <= Decimal(100):
        raise CellError(_("The total must be between 0 and 100."))
    return total.quantize(Decimal("0.01"))


@dataclass
class GradeRow:
    """One archived grade, read from a row."""

    initiative: Initiative | None  # None: a model the first sheet registers (dry run)
    model_key: tuple | None
    grade: ArchivedGrade


class EvaluationImporter(AwardImporter):
    kind = "evaluations"
    columns = COLUMNS
    fields = FIELDS
    model_columns = ("evaluated_model", "evaluated_model_organisation", "evaluated_model_year")

    def __init__(self, *, actor, language: str, models=None):
        super().__init__(actor=actor, language=language, models=models)
        self._grades_read: set[int] = set()
        self._grades: set[tuple] = set()
        model, organisation, year = self.model_columns
        self.parsers = {
            model: self.parsers["model"],
            organisation: self.parsers["model_organisation"],
            year: self.parsers["model_year"],
            "evaluation_level": Catalogue.of_choices(RecognitionLevel).match,
            "evaluation_date": parse_date,
            "grade": partial(parse_text, max_length=100),
            "total_points": partial(_points, language=language),
        }

    def _read_records(self, ids: set[int]) -> None:
        ids = ids - self._grades_read
        if ids:
            self._grades_read |= ids
            self._grades |= stored_grades(ids)

    def plan(self, row: Row) -> tuple[str, GradeRow | None]:
        values = self.read(row, self.parsers)
        initiative, key = self._model(values)
        grade = ArchivedGrade(
            initiative=initiative,
            level=values["evaluation_level"],
            evaluated_on=values["evaluation_date"],
            grade=values["grade"] or "",
            total=values["total_points"],
        )
        item = GradeRow(initiative=initiative, model_key=key, grade=grade)
        if initiative is None:
            return CREATE, item
        self._read_records({initiative.pk})
        if grade_key(initiative.pk, grade.level, grade.evaluated_on, grade.grade) in self._grades:
            return UNCHANGED, None
        return CREATE, item

    def check(self, items: list[GradeRow]) -> dict[int, Exception]:
        """The apply's checks, in memory; a row whose model the first sheet registers (a dry
        run) has had its cells read, nothing more."""
        positions = [position for position, item in enumerate(items) if item.initiative]
        _built, errors = evaluations_archive_check(
            actor=self.actor, grades=[items[position].grade for position in positions]
        )
        return {positions[index]: error for index, error in errors.items()}

    def write(self, items: list[GradeRow], *, reason: str) -> dict[int, Exception]:
        written = self._written({item.model_key for item in items if item.initiative is None})
        positions, grades = [], []
        for position, item in enumerate(items):
            initiative = item.initiative or written.get(item.model_key)
            if initiative is not None:
                item.grade.initiative = initiative
                positions.append(position)
                grades.append(item.grade)
        errors = evaluations_archive(actor=self.actor, grades=grades, reason=reason)
        self._grades_read.clear()
        self._grades.clear()
        return {positions[index]: error for index, error in errors.items()}
