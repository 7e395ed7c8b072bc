"""An archive's awards: the second data sheet of the initiatives workbook.

Each row is one step of a model's recognition as a province publishes it: recognised at a
level, recognised and proposed to the next level, or commended, with the decision (number,
date, issuing body) and who received it (the collective, or one person and what they are).
The model is named by its code or, as on the first sheet, by its organisation, year and title:
a model the first sheet of the same file registers counts.

The steps are checked and written together by ``review.archive`` with the rules of the
review services (``award_propose``, ``award_recognise``, ``award_nominate``,
``award_commend``): the same permissions, the same path from proposal to commendation, one
history row per award with the import's reason, so the recognition figures follow. Nobody is
notified: these awards are years old. A model recognised at district level and again at
province level is the district award nominated and its province proposal recognised with the
province row's decision. An award already there (same model, level, title and recipient) at
that stage or beyond is left as it is: importing the same file again changes nothing.
"""

from dataclasses import dataclass
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from danvan.core.text import fold
from danvan.imports.cells import Catalogue, parse_date, parse_text, raw_text
from danvan.imports.kinds.initiatives import _Key
from danvan.imports.kinds.records import catalogue_of
from danvan.imports.lookups import InitiativeFinder, OrganisationFinder
from danvan.imports.reading import Column, Row
from danvan.imports.rows import CREATE, UNCHANGED, UPDATE, Importer, RowError
from danvan.initiatives.models import FIRST_YEAR, LAST_YEAR, Initiative
from danvan.initiatives.selectors import initiative_list
from danvan.review.archive import (
    AwardStep,
    award_key,
    awards_archive,
    awards_archive_check,
    step_done,
    stored_awards,
)
from danvan.review.models import (
    Award,
    AwardForm,
    AwardStage,
    AwardTitle,
    RecipientKind,
    RecipientRole,
    RecognitionLevel,
)

# The sheet's name, matched in every language.
SHEET = _lazy("Awards")

# The steps a file gives; a bare proposal is what a nomination leaves at the next level.
STAGES = [
    (AwardStage.RECOGNISED, AwardStage.RECOGNISED.label),
    (AwardStage.NOMINATED, AwardStage.NOMINATED.label),
    (AwardStage.COMMENDED, AwardStage.COMMENDED.label),
]
COLUMNS = [
    Column(
        "model",
        _lazy("model"),
        required=True,
        help=_lazy(
            "The model's code, or its title as on the first sheet (then give its organisation "
            "and year too)."
        ),
        example="Thắp sáng đường quê",
    ),
    Column(
        "model_organisation",
        _lazy("model's organisation"),
        help=_lazy("The organisation's code or exact name, when the model is named by title."),
        example="ORG-000123",
    ),
    Column("model_year", _lazy("model's year"), example="2019"),
    Column(
        "level",
        _lazy("level"),
        required=True,
        choices=tuple(RecognitionLevel.values),
        example="district",
    ),
    Column(
        "stage",
        _lazy("stage"),
        required=True,
        help=_lazy(
            "Recognised at the level; nominated to the next level (recognised, and proposed "
            "to the level above); or commended."
        ),
        choices=tuple(code for code, _label in STAGES),
        example="recognised",
    ),
    Column("award_title", _lazy("award title"), required=True, example=""),
    Column("award_form", _lazy("form of award"), example=""),
    Column("decision_number", _lazy("decision number"), example="125/QĐ-UBND"),
    Column("decision_date", _lazy("decision date"), help=_lazy("dd/mm/yyyy"), example="20/12/2019"),
    Column("issuing_body", _lazy("issuing body"), example="UBND huyện Can Lộc"),
    Column(
        "recipient_kind",
        _lazy("awarded to"),
        help=_lazy("The collective (the default) or an individual."),
        choices=tuple(RecipientKind.values),
        example="collective",
    ),
    Column(
        "recipient_name",
        _lazy("recipient's full name"),
        help=_lazy("Only for an individual."),
        example="",
    ),
    Column(
        "recipient_role",
        _lazy("recipient's role"),
        help=_lazy("Only for an individual."),
        choices=tuple(RecipientRole.values),
        example="",
    ),
]

# The services' field names → the sheet's columns.
FIELDS = {
    "level": "level",
    "stage": "stage",
    "title": "award_title",
    "form": "award_form",
    "decision_number": "decision_number",
    "decision_date": "decision_date",
    "issuing_body": "issuing_body",
    "recipient_kind": "recipient_kind",
    "recipient_name": "recipient_name",
    "recipient_role": "recipient_role",
    "status": "model",
    "initiative": "model",
}


def _named_catalogue(model) -> tuple[Catalogue, dict[str, object]]:
    """A catalogue of award titles or forms, by code or name in any language."""
    rows = list(model.objects.all())
    catalogue = Catalogue([(row.code, (row.name_vi, row.name_en, row.name_ar)) for row in rows])
    return catalogue, {row.code: row for row in rows}


@dataclass
class AwardRow:
    """One step of a model's recognition, read from a row."""

    initiative: Initiative | None  # None: a model the first sheet registers (dry run)
    model_key: tuple | None
    level: str
    stage: str
    title: AwardTitle
    form: AwardForm | None
    decision_number: str
    decision_date: object
    issuing_body: str
    recipient_kind: str
    recipient_name: str
    recipient_role: str


class AwardImporter(Importer):
    kind = "awards"
    columns = COLUMNS
    fields = FIELDS
    # The columns that name the model: its code or title, its organisation, its year.
    model_columns = ("model", "model_organisation", "model_year")

    def __init__(self, *, actor, language: str, models=None):
        """``models``: the initiatives importer that read the first sheet, whose rows name
        the models a row here may refer to before they exist (in a dry run)."""
        super().__init__(actor=actor, language=language)
        self.models = models
        self.initiatives = InitiativeFinder(actor)
        self.organisations = OrganisationFinder()
        self.titles, self.title_of = _named_catalogue(AwardTitle)
        self.forms, self.form_of = _named_catalogue(AwardForm)
        # The models named by title, read per chunk (``prepare``).
        self._titles_read: set[str] = set()
        self._by_title: dict[tuple, Initiative] = {}
        # The awards of the models named so far, by ``award_key``.
        self._awards_read: set[int] = set()
        self._awards: dict[tuple, Award] = {}
        self.parsers = {
            "model": raw_text,
            "model_organisation": self.organisations.find,
            "model_year": raw_text,
            "level": Catalogue.of_choices(RecognitionLevel).match,
            "stage": catalogue_of(STAGES).match,
            "award_title": lambda raw: self.title_of[self.titles.match(raw)],
            "award_form": lambda raw: self.form_of[self.forms.match(raw)],
            "decision_number": partial(parse_text, max_length=80),
            "decision_date": parse_date,
            "issuing_body": partial(parse_text, max_length=255),
            "recipient_kind": Catalogue.of_choices(RecipientKind).match,
            "recipient_name": partial(parse_text, max_length=255),
            "recipient_role": Catalogue.of_choices(RecipientRole).match,
        }

    # --- the model a row names ------------------------------------------------------------

    def _model(self, values: dict) -> tuple[Initiative | None, tuple | None]:
        model, model_organisation, model_year = self.model_columns
        raw = values[model]
        if " " not in raw.strip():
            found = self.initiatives.find(raw, required=False)
            if found is not None:
                return found, None
        organisation, year = values[model_organisation], values[model_year]
        if organisation is None or not year:
            raise RowError(
                {
                    model: [
                        _(
                            "No model has the code “%(raw)s”; to name it by its title, give "
                            "its organisation and year too."
                        )
                        % {"raw": raw}
                    ]
                }
            )
        try:
            year = int(year)
        except ValueError:
            year = 0
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise RowError(
                {model_year: [_("“%(raw)s” is not a year.") % {"raw": values[model_year]}]}
            )
        key = (organisation.pk, year, fold(raw))
        if key[2] not in self._titles_read:  # a title ``prepare`` did not see
            self._read_titles({key[2]})
        found = self._by_title.get(key)
        if found is not None:
            return found, None
        if self.models is not None and self._planned(key):
            return None, key
        raise RowError(
            {
                model: [
                    _("%(organisation)s has no model titled “%(raw)s” in %(year)s.")
                    % {"organisation": organisation.name, "raw": raw, "year": year}
                ]
            }
        )

    def _planned(self, key: tuple) -> bool:
        return _Key(*key) in self.models.planned

    def prepare(self, rows: list[Row]) -> None:
        """Read the models the chunk names, by code and by title, in a few queries rather than
        one a row."""
        model = self.model_columns[0]
        self.initiatives.prefetch(row.values.get(model) for row in rows)
        titles = {fold(raw_text(row.values.get(model) or "")) for row in rows}
        self._read_titles(titles)
        codes = {raw_text(row.values.get(model) or "").upper() for row in rows}
        self._read_records(
            {initiative.pk for initiative in self.initiatives.known() if initiative.code in codes}
            | {initiative.pk for key, initiative in self._by_title.items() if key[2] in titles}
        )

    def _read_records(self, ids: set[int]) -> None:
        """Read what the models ``ids`` already have of what this sheet brings."""
        self._read_awards(ids)

    def _read_titles(self, titles: set[str]) -> None:
        titles -= self._titles_read
        titles.discard("")
        if not titles:
            return
        self._titles_read |= titles
        for initiative in (
            initiative_list(actor=self.actor)
            .filter(title_folded__in=titles)
            .select_related("area")
            .order_by("-pk")
        ):
            key = (initiative.organisation_id, initiative.year, initiative.title_folded)
            self._by_title[key] = initiative  # by descending pk: the first registered wins

    # --- one row ---------------------------------------------------------------------------

    def plan(self, row: Row) -> tuple[str, AwardRow | None]:
        values = self.read(row, self.parsers)
        initiative, key = self._model(values)
        kind = values["recipient_kind"] or RecipientKind.COLLECTIVE
        if values["stage"] and not all(
            values[name] for name in ("decision_number", "decision_date", "issuing_body")
        ):
            raise RowError(
                {
                    name: [_("This cell is required.")]
                    for name in ("decision_number", "decision_date", "issuing_body")
                    if not values[name]
                }
            )
        self._require_recipient(kind, values)
        item = AwardRow(
            initiative=initiative,
            model_key=key,
            level=values["level"],
            stage=values["stage"],
            title=values["award_title"],
            form=values["award_form"],
            decision_number=values["decision_number"] or "",
            decision_date=values["decision_date"],
            issuing_body=values["issuing_body"] or "",
            recipient_kind=kind,
            recipient_name=values["recipient_name"] or "",
            recipient_role=values["recipient_role"] or "",
        )
        if initiative is None:
            return CREATE, item
        existing = self._existing(item, initiative)
        if existing is None:
            return CREATE, item
        if step_done(item.stage, existing.stage):
            return UNCHANGED, None
        return UPDATE, item

    @staticmethod
    def _require_recipient(kind: str, values: dict) -> None:
        """Who receives it, read before any model exists (a dry run's new models): a person is
        named with what they are; the collective is the organisation and names nobody."""
        errors = {}
        if kind == RecipientKind.INDIVIDUAL:
            for name in ("recipient_name", "recipient_role"):
                if not values[name]:
                    errors[name] = [_("This cell is required for an award to a person.")]
        else:
            for name in ("recipient_name", "recipient_role"):
                if values[name]:
                    errors[name] = [_("An award to the collective names no person.")]
        if errors:
            raise RowError(errors)

    def _existing(self, item: AwardRow, initiative: Initiative) -> Award | None:
        """The award of this model at the row's level for the same title and recipient."""
        if initiative.pk not in self._awards_read:
            self._read_awards({initiative.pk})
        key = award_key(
            initiative.pk, item.level, item.title.pk, item.recipient_kind, item.recipient_name
        )
        return self._awards.get(key)

    def _read_awards(self, ids: set[int]) -> None:
        ids = ids - self._awards_read
        if ids:
            self._awards_read |= ids
            self._awards.update(stored_awards(ids))

    # --- checking and writing ---------------------------------------------------------------

    @staticmethod
    def _step(item: AwardRow, initiative: Initiative) -> AwardStep:
        return AwardStep(
            initiative=initiative,
            level=item.level,
            stage=item.stage,
            title=item.title,
            form=item.form,
            decision_number=item.decision_number,
            decision_date=item.decision_date,
            issuing_body=item.issuing_body,
            recipient_kind=item.recipient_kind,
            recipient_name=item.recipient_name,
            recipient_role=item.recipient_role,
        )

    def check(self, items: list[AwardRow]) -> dict[int, Exception]:
        """The apply's checks, in memory; a row whose model the first sheet registers (a dry
        run: it is not written yet) has had its cells read, nothing more."""
        positions = [position for position, item in enumerate(items) if item.initiative]
        steps = [self._step(items[position], items[position].initiative) for position in positions]
        errors = awards_archive_check(actor=self.actor, steps=steps).errors
        return {positions[index]: error for index, error in errors.items()}

    def write(self, items: list[AwardRow], *, reason: str) -> dict[int, Exception]:
        """Every row checked, then written with a few statements; the models' officers are not
        told (these awards are years old)."""
        written = self._written({item.model_key for item in items if item.initiative is None})
        positions, steps = [], []
        for position, item in enumerate(items):
            initiative = item.initiative or written.get(item.model_key)
            if initiative is not None:
                positions.append(position)
                steps.append(self._step(item, initiative))
        errors = awards_archive(actor=self.actor, steps=steps, reason=reason, quiet=True)
        # What was written is read again for the rows still to come.
        self._awards_read.clear()
        self._awards.clear()
        return {positions[index]: error for index, error in errors.items()}

    @staticmethod
    def _written(keys: set) -> dict[tuple, Initiative]:
        """The models the first sheet registered, once written (in the apply): one query for
        a chunk."""
        keys.discard(None)
        found: dict[tuple, Initiative] = {}
        if not keys:
            return found
        for initiative in (
            Initiative.objects.filter(
                organisation_id__in={key[0] for key in keys},
                year__in={key[1] for key in keys},
                title_folded__in={key[2] for key in keys},
            )
            .select_related("area")
            .order_by("-pk")
        ):
            key = (initiative.organisation_id, initiative.year, initiative.title_folded)
            if key in keys:
                found[key] = initiative  # by descending pk: the first registered wins
        return found
