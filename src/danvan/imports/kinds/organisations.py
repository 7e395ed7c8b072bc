"""Organisations: a row with a code updates that organisation or adds one under that code; a
row without a code adds one with the next ``ORG-`` code.

A row without a code that names an organisation already seated in that area (ignoring case and
diacritics) means that organisation, so a file imported twice adds nothing the second time. An
empty seat area or parent keeps the organisation's own. The parent is an existing organisation
(code or exact name) or the code of a new one on a row above, so a district union and its
commune branches can arrive in one file. The rules (permission over the seat, a parent that is
not the organisation itself or below it) are the services'.
"""

from dataclasses import dataclass, field
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from danvan.core.text import fold
from danvan.imports.cells import Catalogue, CellError, parse_date, parse_text, raw_text
from danvan.imports.kinds.records import ROW_ERRORS, RecordImporter, on_columns
from danvan.imports.lookups import (
    AreaFinder,
    OrganisationCodes,
    OrganisationFinder,
    plain_code,
    today,
)
from danvan.imports.reading import Column, Row
from danvan.imports.rows import CREATE, UNCHANGED, UPDATE, RowError
from danvan.orgs.models import Organisation, OrgKind
from danvan.orgs.services import organisation_create, organisation_update

COLUMNS = [
    Column(
        "code",
        _lazy("Organisation code"),
        help=_lazy(
            "Leave empty to add an organisation (it gets the next ORG- code); give a code to "
            "update that organisation, or to add a new one under that code."
        ),
        example="HLHPN-QUANGYEN",
    ),
    Column("name", _lazy("name"), required=True, example="Hội LHPN phường Quảng Yên"),
    Column(
        "kind",
        _lazy("kind"),
        required=True,
        help=_lazy("The kind of organisation, by its name or its code."),
        choices=tuple(OrgKind.values),
        example="womens_union",
    ),
    Column(
        "seat_area_code",
        _lazy("Seat area code"),
        help=_lazy(
            "The code of the unit the organisation sits in, in the list in force on its last "
            "day (its valid to, or today: the 34-province list), or a village's code. Empty "
            "keeps an organisation's seat."
        ),
        example="07132",
    ),
    Column(
        "seat_area",
        _lazy("seat area"),
        help=_lazy("Used when there is no seat area code; several units of that name are refused."),
        example="Phường Quảng Yên",
    ),
    Column(
        "parent",
        _lazy("parent organisation"),
        help=_lazy(
            "The code or exact name of the organisation above it, or the code of a new "
            "organisation on a row above. Empty keeps an organisation's parent."
        ),
        example="",
    ),
    Column(
        "valid_from",
        _lazy("valid from"),
        help=_lazy("dd/mm/yyyy; empty keeps an organisation's own."),
        example="",
    ),
    Column(
        "valid_to",
        _lazy("valid to"),
        help=_lazy(
            "dd/mm/yyyy, for an organisation that has ended. Its seat is read in the list in "
            "force on that day: an organisation that ended before 1 July 2025 keeps the unit of "
            "its day. Empty keeps an organisation's own."
        ),
        example="",
    ),
]

FIELDS = {
    "code": "code",
    "name": "name",
    "kind": "kind",
    "seat_area": "seat_area_code",
    "parent": "parent",
    "valid_from": "valid_from",
    "valid_to": "valid_to",
}


@dataclass
class OrganisationItem:
    """A new organisation (``organisation`` None; ``fields`` as for ``organisation_create``)
    or the ``fields`` to change on ``organisation``. ``parent_code`` names a new organisation
    of a row above, found when this row is written; ``columns`` places the services' errors."""

    organisation: Organisation | None
    fields: dict
    parent_code: str = ""
    columns: dict = field(default_factory=lambda: dict(FIELDS))
    denied: str = "seat_area_code"


class OrganisationImporter(RecordImporter):
    kind = "organisations"
    columns = COLUMNS
    fields = FIELDS

    def __init__(self, *, actor, language: str):
        super().__init__(actor=actor, language=language)
        self.areas = AreaFinder()
        self.organisations = OrganisationFinder()
        self.codes = OrganisationCodes()
        self.kinds = Catalogue.of_choices(OrgKind)
        self.seen_codes: dict[str, int] = {}
        self.seen_names: dict[tuple[str, int], int] = {}
        self.new_codes: set[str] = set()
        self.day = today()
        self.parsers = {
            "code": plain_code,
            "name": partial(parse_text, max_length=255),
            "kind": self.kinds.match,
            "seat_area_code": plain_code,
            "seat_area": raw_text,
            "parent": plain_code,
            "valid_from": parse_date,
            "valid_to": parse_date,
        }

    def _parent(self, text: str | None) -> tuple[Organisation | None, str]:
        if not text:
            return None, ""
        if text in self.new_codes:
            return None, text
        try:
            return self.organisations.find(text), ""
        except CellError as error:
            raise RowError({"parent": [error.message]}) from None

    def _seat(self, values: dict, organisation: Organisation | None, near):
        code, name = values["seat_area_code"], values["seat_area"]
        current = organisation.seat_area if organisation is not None else None
        if current is not None and (
            code == current.code or (not code and name and fold(name) == current.name_folded)
        ):
            return current  # as stored, even in a list no longer in force
        # The seat is read in the list in force on the organisation's last day; whether it may
        # sit there is the service's rule, in the words of the form and the API.
        day = values["valid_to"] or (organisation.valid_to if organisation else None) or self.day
        try:
            if code:
                return self.areas.by_code(code, day, strict=False)
            if name:
                return self.areas.by_name(name, day, near=near, strict=False)
        except CellError as error:
            raise RowError({"seat_area_code" if code else "seat_area": [error.message]}) from None
        if current is None:
            raise RowError({"seat_area_code": [_("Give the seat area's code or its name.")]})
        return current

    def plan(self, row: Row) -> tuple[str, OrganisationItem | None]:
        values = self.read(row, self.parsers)
        code, name = values["code"], values["name"]
        organisation = None
        if code:
            self.once("code", code, row.number, self.seen_codes)
            organisation = self.codes.find(code)
        parent, parent_code = self._parent(values["parent"])
        seat = self._seat(values, organisation, near=parent.seat_area if parent else None)
        if not code:
            self.once(
                "name",
                (fold(name), seat.pk),
                row.number,
                self.seen_names,
                _("An organisation of this name in this area is also on row %(row)s."),
            )
            try:
                organisation = self.codes.in_area(name, seat)
            except CellError as error:
                raise RowError({"name": [error.message]}) from None
        columns = dict(FIELDS)
        if not values["seat_area_code"] and values["seat_area"]:
            columns["seat_area"] = "seat_area"
        denied = next(key for key in ("seat_area_code", "seat_area", "code", "name") if values[key])
        facts: dict = {"name": name, "kind": values["kind"], "seat_area": seat}
        facts.update({key: values[key] for key in ("valid_from", "valid_to") if values[key]})
        if parent is not None or parent_code:
            facts["parent"] = parent
        if organisation is None:
            if code:
                self.new_codes.add(code)
            return CREATE, OrganisationItem(
                None, {"code": code, **facts}, parent_code, columns, denied
            )
        changes = {
            key: value for key, value in facts.items() if getattr(organisation, key) != value
        }
        if parent_code:
            changes["parent"] = None  # the new organisation of a row above, once written
        if not changes:
            return UNCHANGED, None
        return UPDATE, OrganisationItem(organisation, changes, parent_code, columns, denied)

    def save(self, item: OrganisationItem) -> None:
        fields = dict(item.fields)
        if item.parent_code:
            # Written by a row above in this transaction. A dry run rolls each chunk back, so
            # a parent from an earlier chunk is gone by now: the row is checked without it.
            fields["parent"] = Organisation.objects.filter(code=item.parent_code).first()
        try:
            if item.organisation is None:
                organisation_create(actor=self.actor, **fields)
            else:
                organisation_update(actor=self.actor, organisation=item.organisation, **fields)
        except ROW_ERRORS as error:
            raise on_columns(error, item.columns, denied=item.denied) from None
