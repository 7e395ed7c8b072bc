"""Initiatives: a row with a code updates that initiative, a row without one registers a new one.

Only the facts an officer may change in the form are changed (title, summary, field, area,
dates, people in charge); the registering organisation and the year are fixed at registration,
and a row that would change them is refused. A row equal to the record changes nothing, so
importing the same file twice leaves no trace the second time.
"""

import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from danvan.imports.cells import (
    Catalogue,
    CellError,
    parse_date,
    parse_text,
    parse_whole,
    raw_text,
)
from danvan.imports.lookups import AreaFinder, InitiativeFinder, OrganisationFinder
from danvan.imports.reading import Column, Row
from danvan.imports.rows import CREATE, NON_FIELD, UNCHANGED, UPDATE, Importer, RowError
from danvan.initiatives.bulk import InitiativeRow, initiatives_bulk_upsert, initiatives_check
from danvan.initiatives.catalogues import Field
from danvan.initiatives.models import FIRST_YEAR, LAST_YEAR, Initiative
from danvan.initiatives.services import initiative_require_area_in_force

COLUMNS = [
    Column(
        "code",
        _lazy("Initiative code"),
        help=_lazy("Leave empty to register a new initiative; give the code to update one."),
        example="",
    ),
    Column("title", _lazy("title"), required=True, example="Thắp sáng đường quê"),
    Column(
        "field",
        _lazy("field"),
        required=True,
        help=_lazy("One of the four fields, by its name or its code."),
        choices=tuple(Field.values),
        example="economy",
    ),
    Column(
        "organisation",
        _lazy("registering organisation"),
        required=True,
        help=_lazy("The organisation's code, or its exact name."),
        example="ORG-000123",
    ),
    Column("year", _lazy("year registered"), required=True, example="2024"),
    Column(
        "area_code",
        _lazy("Area code"),
        help=_lazy(
            "The unit's code in the list in force on the start date (the 63-province list "
            "before 1 July 2025, the 34-province list from then on), or a village's code."
        ),
        example="22015",
    ),
    Column(
        "area",
        _lazy("Area name"),
        help=_lazy("Used when there is no area code; several units of that name are refused."),
        example="Phường Yên Giang",
    ),
    Column("start_date", _lazy("start date"), help=_lazy("dd/mm/yyyy"), example="15/01/2024"),
    Column("end_date", _lazy("end date"), help=_lazy("dd/mm/yyyy"), example=""),
    Column("summary", _lazy("summary"), example=""),
    Column("people_in_charge", _lazy("people in charge"), example="Nguyễn Thị Lan"),
]

FIELDS = {
    "title": "title",
    "field": "field",
    "organisation": "organisation",
    "area": "area",
    "year": "year",
    "start_date": "start_date",
    "end_date": "end_date",
    "summary": "summary",
    "people_in_charge": "people_in_charge",
    "code": "code",
    "replicated_from": NON_FIELD,
    "status": NON_FIELD,
}

TEXT_LIMITS = {"title": 500, "summary": 5000, "people_in_charge": 500}


def _year(raw, language: str) -> int:
    year = parse_whole(raw, language="en")  # a year is never written with separators
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CellError(_("“%(raw)s” is not a year.") % {"raw": raw_text(raw)})
    return year


class InitiativeImporter(Importer):
    kind = "initiatives"
    columns = COLUMNS
    fields = FIELDS

    def __init__(self, *, actor, language: str):
        super().__init__(actor=actor, language=language)
        self.areas = AreaFinder()
        self.organisations = OrganisationFinder()
        self.initiatives = InitiativeFinder(actor)
        self.fields_catalogue = Catalogue.of_choices(Field)
        self.seen: dict[str, int] = {}
        self.parsers = {
            "code": lambda raw: raw_text(raw).upper(),
            "title": partial(parse_text, max_length=TEXT_LIMITS["title"]),
            "field": self.fields_catalogue.match,
            "organisation": self.organisations.find,
            "year": partial(_year, language=language),
            "area_code": raw_text,
            "area": raw_text,
            "start_date": parse_date,
            "end_date": parse_date,
            "summary": partial(parse_text, max_length=TEXT_LIMITS["summary"]),
            "people_in_charge": partial(parse_text, max_length=TEXT_LIMITS["people_in_charge"]),
        }

    def _area(self, values: dict, near, *, required: bool = True):
        day = values["start_date"] or datetime.date(values["year"], 1, 1)
        key = "area_code" if values["area_code"] else "area"
        try:
            if values["area_code"]:
                area = self.areas.by_code(values["area_code"], day, strict=False)
            elif values["area"]:
                area = self.areas.by_name(values["area"], day, near=near, strict=False)
            else:
                area = None
            if area is not None:
                # The service's rule and words (a unit that ended names its successors), on
                # the cell that named the unit.
                initiative_require_area_in_force(
                    area=area,
                    year=values["year"],
                    start_date=values["start_date"],
                    end_date=values["end_date"],
                )
                return area
        except CellError as error:
            raise RowError({key: [error.message]}) from None
        except ValidationError as error:
            raise RowError({key: error.message_dict["area"]}) from None
        if required:
            raise RowError({"area_code": [_("Give the area's code or its name.")]})
        return None

    def plan(self, row: Row) -> tuple[str, InitiativeRow | None]:
        values = self.read(row, self.parsers)
        code = values["code"]
        initiative = None
        if code:
            if code in self.seen:
                raise RowError(
                    {"code": [_("This code is also on row %(row)s.") % {"row": self.seen[code]}]}
                )
            self.seen[code] = row.number
            try:
                initiative = self.initiatives.find(code)
            except CellError as error:
                raise RowError({"code": [error.message]}) from None
        organisation = values["organisation"]
        # An update without an area keeps the initiative's; a new one needs it.
        area = self._area(values, organisation.seat_area, required=initiative is None)
        facts = {
            "title": values["title"] or "",
            "field": values["field"],
            "area": area or getattr(initiative, "area", None),
            "start_date": values["start_date"],
            "end_date": values["end_date"],
            "summary": values["summary"] or "",
            "people_in_charge": values["people_in_charge"] or "",
        }
        if initiative is None:
            return CREATE, InitiativeRow(
                {"organisation": organisation, "year": values["year"], **facts}
            )
        return self._update(initiative, organisation, values["year"], facts)

    def check(self, items: list[InitiativeRow]) -> dict[int, Exception]:
        return initiatives_check(actor=self.actor, rows=items).errors

    def write(self, items: list[InitiativeRow], *, reason: str) -> dict[int, Exception]:
        return initiatives_bulk_upsert(actor=self.actor, rows=items, reason=reason).errors

    def _update(
        self, initiative: Initiative, organisation, year: int, facts: dict
    ) -> tuple[str, InitiativeRow | None]:
        errors = {}
        if initiative.organisation_id != organisation.pk:
            errors["organisation"] = [
                _("The registering organisation of %(code)s is %(name)s; it cannot be changed.")
                % {"code": initiative.code, "name": initiative.organisation.name}
            ]
        if initiative.year != year:
            errors["year"] = [
                _("%(code)s was registered in %(year)s; the year cannot be changed.")
                % {"code": initiative.code, "year": initiative.year}
            ]
        if errors:
            raise RowError(errors)
        changes = {
            name: value
            for name, value in facts.items()
            if (getattr(initiative, name) if name != "area" else initiative.area) != value
        }
        if not changes:
            return UNCHANGED, None
        return UPDATE, InitiativeRow(changes, initiative=initiative)
